// The Statuspage fake accepts the contract's example and rejects bad auth,
// unwrapped bodies and bad enums like the Manage API.
#include "tests/testing/fake_statuspage.h"

#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "clients/http/curl_http_client.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"

namespace ff::testing {
namespace {

using json = nlohmann::json;

// The create example of EXTERNAL_APIS.md §4.
constexpr char kExample[] = R"({"incident": {
  "name": "Elevated API errors",
  "status": "investigating",
  "impact_override": "major",
  "body": "We are investigating elevated error rates.",
  "component_ids": ["ftgks51sfs2d"],
  "components": {"ftgks51sfs2d": "partial_outage"},
  "deliver_notifications": true,
  "metadata": {"incident_service": {"id": "INC-42"}}
}})";

class FakeStatuspageTest : public ::testing::Test {
 protected:
  FakeStatuspageTest() { fake_.AddComponent("ftgks51sfs2d"); }

  HttpResponse Send(const std::string& method, const std::string& path, const std::string& body,
                    const std::string& auth = "OAuth sp-key") {
    HttpRequest request;
    request.method = method;
    request.url = absl::StrCat(fake_.base_url(), path);
    request.headers = {{"Authorization", auth}, {"Content-Type", "application/json"}};
    request.body = body;
    absl::StatusOr<HttpResponse> response = http_->Send(request);
    EXPECT_TRUE(response.ok()) << response.status();
    return response.ok() ? *response : HttpResponse{};
  }
  static json Body(const HttpResponse& response) { return json::parse(response.body); }
  static std::string With(const char* key, const json& value) {
    json body = json::parse(kExample);
    body["incident"][key] = value;
    return body.dump();
  }

  FakeStatuspage fake_{"pg1", "sp-key"};
  std::unique_ptr<HttpClient> http_ = CurlHttpClient::Create();
};

TEST_F(FakeStatuspageTest, CreatesTheContractExample) {
  HttpResponse response = Send("POST", "/v1/pages/pg1/incidents", kExample);
  ASSERT_EQ(response.status, 201);
  json incident = Body(response);  // not wrapped
  EXPECT_EQ(incident["name"], "Elevated API errors");
  EXPECT_EQ(incident["status"], "investigating");
  EXPECT_EQ(incident["impact"], "major");
  EXPECT_EQ(incident["page_id"], "pg1");
  EXPECT_EQ(incident["incident_updates"][0]["body"], "We are investigating elevated error rates.");
  EXPECT_EQ(incident["components"][0]["status"], "partial_outage");
  EXPECT_TRUE(incident["shortlink"].is_string());
}

TEST_F(FakeStatuspageTest, RequiresOAuthAndTheRightPage) {
  HttpResponse response = Send("POST", "/v1/pages/pg1/incidents", kExample, "Bearer sp-key");
  EXPECT_EQ(response.status, 401);
  EXPECT_EQ(Body(response), json::parse(R"({"error":"Could not authenticate"})"));
  EXPECT_EQ(Send("POST", "/v1/pages/pg1/incidents", kExample, "OAuth wrong").status, 401);
  EXPECT_EQ(Send("POST", "/v1/pages/other/incidents", kExample).status, 404);
  fake_.set_error_key("message");
  EXPECT_TRUE(Body(Send("GET", "/v1/pages/pg1/incidents", "", "")).contains("message"));
  EXPECT_TRUE(fake_.incidents().empty());
}

TEST_F(FakeStatuspageTest, RequiresTheIncidentWrapperAndAName) {
  HttpResponse response = Send("POST", "/v1/pages/pg1/incidents", R"({"name":"x"})");
  EXPECT_EQ(response.status, 400);
  EXPECT_EQ(Body(response)["error"], "param is missing or the value is empty: incident");
  EXPECT_EQ(
      Send("POST", "/v1/pages/pg1/incidents", R"({"incident":{"status":"identified"}})").status,
      422);
  EXPECT_EQ(Send("POST", "/v1/pages/pg1/incidents", With("name", std::string(256, 'n'))).status,
            422);
}

TEST_F(FakeStatuspageTest, ValidatesEnumsComponentsAndMetadata) {
  HttpResponse response = Send("POST", "/v1/pages/pg1/incidents", With("status", "fixing"));
  EXPECT_EQ(response.status, 422);
  EXPECT_EQ(Body(response)["error"], "Status is not included in the list");
  EXPECT_EQ(Send("POST", "/v1/pages/pg1/incidents", With("impact_override", "sev1")).status, 422);
  EXPECT_EQ(
      Send("POST", "/v1/pages/pg1/incidents", With("components", {{"ftgks51sfs2d", "broken"}}))
          .status,
      422);
  EXPECT_EQ(Send("POST", "/v1/pages/pg1/incidents", With("component_ids", {"nope"})).status, 422);
  EXPECT_EQ(Send("POST", "/v1/pages/pg1/incidents", With("metadata", {{"id", "INC-42"}})).status,
            422);
  EXPECT_TRUE(fake_.incidents().empty());
}

TEST_F(FakeStatuspageTest, UpdatesListsAndResolves) {
  std::string id = Body(Send("POST", "/v1/pages/pg1/incidents", kExample))["id"];
  std::string path = absl::StrCat("/v1/pages/pg1/incidents/", id);
  EXPECT_EQ(Send("PATCH", path, R"({"incident":{"status":"bogus"}})").status, 422);
  HttpResponse patched = Send("PATCH", path, R"({"incident":{"status":"monitoring","body":"ok"}})");
  ASSERT_EQ(patched.status, 200);
  EXPECT_EQ(Body(patched)["status"], "monitoring");
  EXPECT_EQ(Body(patched)["incident_updates"].size(), 2u);
  EXPECT_EQ(Body(Send("GET", "/v1/pages/pg1/incidents/unresolved", "")).size(), 1u);
  EXPECT_EQ(Send("PUT", path, R"({"incident":{"status":"resolved"}})").status, 200);
  EXPECT_TRUE(Body(Send("GET", "/v1/pages/pg1/incidents/unresolved", "")).empty());
  EXPECT_EQ(Body(Send("GET", "/v1/pages/pg1/incidents?q=elevated", "")).size(), 1u);
  EXPECT_EQ(Body(Send("GET", path, ""))["resolved_at"].is_string(), true);
  EXPECT_EQ(Send("GET", "/v1/pages/pg1/incidents/nope", "").status, 404);
  EXPECT_EQ(Send("PATCH", "/v1/pages/pg1/incidents/nope", R"({"incident":{}})").status, 404);
}

TEST_F(FakeStatuspageTest, PlantedIncidentsAreValidatedListedAndUnrecorded) {
  absl::StatusOr<json> planted = fake_.Plant(json::parse(kExample));
  ASSERT_TRUE(planted.ok()) << planted.status();
  EXPECT_EQ(Body(Send("GET", "/v1/pages/pg1/incidents/unresolved", ""))[0], *planted);
  EXPECT_EQ(fake_.Plant(json::parse(R"({"name":"unwrapped"})")).status(),
            absl::InvalidArgumentError("400: param is missing or the value is empty: incident"));
  EXPECT_EQ(fake_.Plant(json::parse(R"({"incident":{"name":"x","metadata":{"id":"1"}}})")).status(),
            absl::InvalidArgumentError("422: Metadata top-level values must be objects"));
  EXPECT_EQ(fake_.incidents().size(), 1u);
  EXPECT_EQ(fake_.requests().size(), 1u);  // the GET above only
}

TEST_F(FakeStatuspageTest, InjectsThrottlingWithRetryAfter) {
  fake_.FailNext(1, 429, 60);
  HttpResponse throttled = Send("POST", "/v1/pages/pg1/incidents", kExample);
  EXPECT_EQ(throttled.status, 429);
  EXPECT_EQ(throttled.Header("retry-after"), "60");
  fake_.FailNext(1, 420);
  EXPECT_EQ(Send("POST", "/v1/pages/pg1/incidents", kExample).status, 420);
  EXPECT_TRUE(fake_.incidents().empty());
}

}  // namespace
}  // namespace ff::testing
