// The PagerDuty fake accepts what EXTERNAL_APIS.md §2/§8 shows and rejects the
// rest in PagerDuty's error shapes.
#include "tests/testing/fake_pagerduty.h"

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "clients/http/curl_http_client.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"

namespace ff::testing {
namespace {

using json = nlohmann::json;
using ::testing::ElementsAre;
using ::testing::SizeIs;

constexpr char kRoutingKey[] = "e93facc04764012d7bfb002500d5d1a6";

// The trigger example from the Events API v2 spec.
constexpr char kSpecTrigger[] =
    R"({"payload":{"summary":"DISK at 99% on machine prod-datapipe03.example.com","timestamp":"2015-07-17T08:42:58.315+0000","severity":"critical","source":"prod-datapipe03.example.com","component":"mysql","group":"prod-datapipe","class":"disk","custom_details":{"free space":"1%","ping time":"1500ms","load avg":0.75}},"routing_key":"e93facc04764012d7bfb002500d5d1a6","dedup_key":"srv01/mysql","event_action":"trigger","client":"Sample Monitoring Service","client_url":"https://monitoring.service.com","links":[{"href":"http://pagerduty.example.com","text":"An example link."}],"images":[{"src":"https://chart.googleapis.com/chart?...","href":"https://google.com","alt":"An example link with an image"}]})";

class FakePagerDutyTest : public ::testing::Test {
 protected:
  HttpResponse Post(const std::string& body,
                    const std::string& content_type = "application/json") {
    HttpRequest request;
    request.method = "POST";
    request.url = absl::StrCat(fake_.base_url(), "/v2/enqueue");
    request.headers = {{"Content-Type", content_type}};
    request.body = body;
    absl::StatusOr<HttpResponse> response = http_->Send(request);
    EXPECT_TRUE(response.ok()) << response.status();
    return response.ok() ? *response : HttpResponse{};
  }

  HttpResponse Get(const std::string& path, const std::string& token,
                   const std::string& accept = FakePagerDuty::kAccept) {
    HttpRequest request;
    request.url = absl::StrCat(fake_.base_url(), path);
    request.headers = {{"Authorization", absl::StrCat("Token token=", token)}, {"Accept", accept}};
    absl::StatusOr<HttpResponse> response = http_->Send(request);
    EXPECT_TRUE(response.ok()) << response.status();
    return response.ok() ? *response : HttpResponse{};
  }

  static json Body(const HttpResponse& response) { return json::parse(response.body); }

  static std::string Resolve(const std::string& dedup_key,
                             const std::string& routing_key = kRoutingKey) {
    return json{{"routing_key", routing_key}, {"dedup_key", dedup_key}, {"event_action", "resolve"}}
        .dump();
  }

  FakePagerDuty fake_{"rest-token"};
  std::unique_ptr<HttpClient> http_ = CurlHttpClient::Create();
};

TEST_F(FakePagerDutyTest, AcceptsTheSpecTriggerWithoutAuthHeader) {
  HttpResponse response = Post(kSpecTrigger);
  EXPECT_EQ(response.status, 202);
  EXPECT_EQ(Body(response), json::parse(R"({"status":"success","message":"Event processed",
                                            "dedup_key":"srv01/mysql"})"));
  ASSERT_TRUE(fake_.alert("srv01/mysql").has_value());
  EXPECT_EQ(fake_.alert("srv01/mysql")->severity, "critical");
  EXPECT_EQ(fake_.requests()[0].Header("Authorization"), "");
}

TEST_F(FakePagerDutyTest, RejectsABodyThatIsNotDeclaredJson) {
  HttpResponse response = Post(kSpecTrigger, "application/nlohmann::json");
  EXPECT_EQ(response.status, 400);
  EXPECT_EQ(Body(response)["errors"][0], "Content-Type must be application/json");
  EXPECT_THAT(fake_.alerts(), SizeIs(0));
}

TEST_F(FakePagerDutyTest, GeneratesADedupKeyWhenTheTriggerHasNone) {
  json event = json::parse(kSpecTrigger);
  event.erase("dedup_key");
  HttpResponse response = Post(event.dump());
  ASSERT_EQ(response.status, 202);
  EXPECT_THAT(Body(response)["dedup_key"].get<std::string>(), SizeIs(32));
}

TEST_F(FakePagerDutyTest, RejectsMissingRoutingKeyAndActionWithTheInvalidEventShape) {
  HttpResponse response = Post(R"({"payload":{"summary":"s","source":"x","severity":"info"}})");
  EXPECT_EQ(response.status, 400);
  json body = Body(response);
  EXPECT_EQ(body["status"], "invalid event");
  EXPECT_EQ(body["message"], "Event object is invalid");
  EXPECT_THAT(
      body["errors"].get<std::vector<std::string>>(),
      ElementsAre("'routing_key' is missing or blank", "'event_action' is missing or blank"));
  EXPECT_EQ(fake_.alerts_opened(), 0);
}

TEST_F(FakePagerDutyTest, RejectsARoutingKeyOfTheWrongLength) {
  json event = json::parse(kSpecTrigger);
  event["routing_key"] = "short";
  HttpResponse response = Post(event.dump());
  EXPECT_EQ(response.status, 400);
  EXPECT_THAT(Body(response)["errors"].get<std::vector<std::string>>(),
              ElementsAre("Length of 'routing_key' is incorrect (should be 32 characters)"));
}

TEST_F(FakePagerDutyTest, RejectsABadSeverityAndAMissingSummary) {
  json event = json::parse(kSpecTrigger);
  event["payload"]["severity"] = "major";
  event["payload"].erase("summary");
  HttpResponse response = Post(event.dump());
  EXPECT_EQ(response.status, 400);
  EXPECT_THAT(Body(response)["errors"].get<std::vector<std::string>>(),
              ElementsAre("'payload.summary' is missing or blank",
                          "'payload.severity' is invalid (must be one of: critical, error, "
                          "warning, info)"));
}

TEST_F(FakePagerDutyTest, RejectsAnUnknownActionAndAResolveWithoutDedupKey) {
  json event = json::parse(kSpecTrigger);
  event["event_action"] = "close";
  EXPECT_EQ(Post(event.dump()).status, 400);
  HttpResponse response =
      Post(json{{"routing_key", kRoutingKey}, {"event_action", "resolve"}}.dump());
  EXPECT_EQ(response.status, 400);
  EXPECT_THAT(Body(response)["errors"].get<std::vector<std::string>>(),
              ElementsAre("'dedup_key' is missing or blank"));
}

TEST_F(FakePagerDutyTest, RejectsUnparseableJson) {
  HttpResponse response = Post("{not json");
  EXPECT_EQ(response.status, 400);
  EXPECT_EQ(Body(response), json::parse(R"({"status":"Unrecognized object",
      "message":"Event object format is unrecognized","errors":["JSON parse error"]})"));
}

TEST_F(FakePagerDutyTest, DeduplicatesTriggersAndDropsResolvesOfUnknownAlerts) {
  EXPECT_EQ(Post(Resolve("never-triggered")).status, 202);
  EXPECT_EQ(fake_.dropped_events(), 1);
  EXPECT_EQ(Post(kSpecTrigger).status, 202);
  EXPECT_EQ(Post(kSpecTrigger).status, 202);
  EXPECT_EQ(fake_.alerts_opened(), 1);
  EXPECT_EQ(fake_.alert("srv01/mysql")->triggers, 2);
  EXPECT_EQ(Post(Resolve("srv01/mysql")).status, 202);
  EXPECT_FALSE(fake_.alert("srv01/mysql")->open);
  EXPECT_EQ(Post(Resolve("srv01/mysql")).status, 202);
  EXPECT_EQ(fake_.dropped_events(), 2);
  // After a resolve, the same dedup key opens a new alert; both are kept.
  EXPECT_EQ(Post(kSpecTrigger).status, 202);
  EXPECT_EQ(fake_.alerts_opened(), 2);
  EXPECT_EQ(fake_.open_alerts(), 1);
  std::vector<FakePagerDuty::Alert> alerts = fake_.alerts("srv01/mysql");
  ASSERT_THAT(alerts, SizeIs(2));
  EXPECT_FALSE(alerts[0].open);
  EXPECT_EQ(alerts[0].triggers, 2);
  EXPECT_TRUE(alerts[1].open);
  EXPECT_EQ(alerts[1].triggers, 1);
  EXPECT_TRUE(fake_.alert("srv01/mysql")->open);  // the latest
}

TEST_F(FakePagerDutyTest, FollowUpsReachOnlyTheAlertOfTheirRoutingKey) {
  constexpr char kOtherKey[] = "ffffffffffffffffffffffffffffffff";
  ASSERT_EQ(Post(kSpecTrigger).status, 202);
  // Another service's resolve with the same dedup key finds nothing open.
  EXPECT_EQ(Post(Resolve("srv01/mysql", kOtherKey)).status, 202);
  EXPECT_EQ(fake_.dropped_events(), 1);
  EXPECT_TRUE(fake_.alert("srv01/mysql")->open);
  // Another service's trigger opens an alert of its own.
  json other = json::parse(kSpecTrigger);
  other["routing_key"] = kOtherKey;
  ASSERT_EQ(Post(other.dump()).status, 202);
  EXPECT_EQ(fake_.alerts_opened(), 2);
  EXPECT_EQ(fake_.alerts("srv01/mysql")[0].triggers, 1);
  EXPECT_EQ(Post(Resolve("srv01/mysql")).status, 202);
  std::vector<FakePagerDuty::Alert> alerts = fake_.alerts("srv01/mysql");
  ASSERT_THAT(alerts, SizeIs(2));
  EXPECT_EQ(alerts[0].routing_key, kRoutingKey);
  EXPECT_FALSE(alerts[0].open);
  EXPECT_EQ(alerts[1].routing_key, kOtherKey);
  EXPECT_TRUE(alerts[1].open);
}

TEST_F(FakePagerDutyTest, OnCallsNeedTheTokenHeaderAndTheV2AcceptHeader) {
  EXPECT_EQ(Get("/oncalls", "wrong").status, 401);
  EXPECT_EQ(Body(Get("/oncalls", "wrong"))["error"]["message"], "Authentication failed");
  EXPECT_EQ(Get("/oncalls", "rest-token", "application/json").status, 406);
  EXPECT_EQ(Get("/oncalls", "rest-token").status, 200);
}

TEST_F(FakePagerDutyTest, OnCallsFilterByPolicyAndIncludeUsers) {
  fake_.SetOnCall("PPOL1", {"PU1", "Jane Doe", "jane@example.com", "5555550100", 1, 1});
  fake_.SetOnCall("PPOL2", {"PU2", "Bob Roe", "bob@example.com", "", 1, 1});
  HttpResponse response = Get(
      "/oncalls?escalation_policy_ids%5B%5D=PPOL1&earliest=true&include%5B%5D=users", "rest-token");
  ASSERT_EQ(response.status, 200);
  json oncalls = Body(response)["oncalls"];
  ASSERT_EQ(oncalls.size(), 1u);
  EXPECT_EQ(oncalls[0]["escalation_level"], 1);
  EXPECT_EQ(oncalls[0]["escalation_policy"]["id"], "PPOL1");
  EXPECT_EQ(oncalls[0]["user"]["email"], "jane@example.com");
  EXPECT_EQ(oncalls[0]["user"]["name"], "Jane Doe");
  // Without include[]=users the user is a reference only.
  json reference = Body(Get("/oncalls?escalation_policy_ids%5B%5D=PPOL1", "rest-token"));
  EXPECT_EQ(reference["oncalls"][0]["user"]["type"], "user_reference");
  EXPECT_FALSE(reference["oncalls"][0]["user"].contains("email"));
}

TEST_F(FakePagerDutyTest, ContactMethodsListThePhone) {
  fake_.SetOnCall("PPOL1", {"PU1", "Jane Doe", "jane@example.com", "5555550100", 44, 1});
  json body = Body(Get("/users/PU1/contact_methods", "rest-token"));
  ASSERT_EQ(body["contact_methods"].size(), 2u);
  EXPECT_EQ(body["contact_methods"][1]["type"], "phone_contact_method");
  EXPECT_EQ(body["contact_methods"][1]["address"], "5555550100");
  EXPECT_EQ(body["contact_methods"][1]["country_code"], 44);
  EXPECT_EQ(Get("/users/NOPE/contact_methods", "rest-token").status, 404);
}

TEST_F(FakePagerDutyTest, InjectsThrottlingAndServerErrors) {
  fake_.FailNext(1, 429, 30);
  HttpResponse throttled = Post(kSpecTrigger);
  EXPECT_EQ(throttled.status, 429);
  EXPECT_EQ(throttled.Header("retry-after"), "30");
  fake_.FailNext(1, 500);
  EXPECT_EQ(Post(kSpecTrigger).status, 500);
  EXPECT_EQ(fake_.faulted(), 2);
  EXPECT_EQ(fake_.alerts_opened(), 0);
  EXPECT_EQ(Post(kSpecTrigger).status, 202);
}

}  // namespace
}  // namespace ff::testing
