// FakeZoom speaks the meetings contract of EXTERNAL_APIS.md §6: the
// documented body is accepted, bad fields and auth get Zoom's error shapes.
#include "tests/testing/fake_zoom.h"

#include <memory>
#include <string>
#include <vector>

#include "clients/http/curl_http_client.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"

namespace ff::testing {
namespace {

using json = nlohmann::json;

class FakeZoomTest : public ::testing::Test {
 protected:
  HttpResponse Send(const std::string& method, const std::string& path,
                    const std::string& body = "", const std::string& token = "tok") {
    HttpRequest request;
    request.method = method;
    request.url = fake_.base_url() + path;
    if (!token.empty()) request.headers.emplace_back("Authorization", "Bearer " + token);
    if (!body.empty()) request.headers.emplace_back("Content-Type", "application/json");
    request.body = body;
    absl::StatusOr<HttpResponse> response = http_->Send(request);
    EXPECT_TRUE(response.ok()) << response.status();
    return response.ok() ? *response : HttpResponse{};
  }

  // The minimal body of EXTERNAL_APIS.md §6.
  static json MinimalBody() {
    return json::parse(R"({"topic":"Postmortem INC-42","type":2,
        "start_time":"2026-01-05T16:00:00Z","duration":60,"timezone":"UTC","agenda":"…"})");
  }

  static json Json(const HttpResponse& response) {
    return json::parse(response.body, nullptr, false);
  }

  FakeZoom fake_{"tok"};
  std::unique_ptr<HttpClient> http_ = CurlHttpClient::Create();
};

TEST_F(FakeZoomTest, CreatesAMeetingWith201) {
  HttpResponse response = Send("POST", "/v2/users/me/meetings", MinimalBody().dump());
  ASSERT_EQ(response.status, 201) << response.body;
  json meeting = Json(response);
  EXPECT_TRUE(meeting["id"].is_number_integer());
  EXPECT_EQ(meeting["topic"], "Postmortem INC-42");
  EXPECT_EQ(meeting["type"], 2);
  EXPECT_EQ(meeting["duration"], 60);
  EXPECT_TRUE(meeting["join_url"].is_string());
  EXPECT_TRUE(meeting["start_url"].is_string());
  EXPECT_EQ(fake_.meetings().size(), 1u);
  // The host's email works as the user id too.
  EXPECT_EQ(Send("POST", "/v2/users/host@example.com/meetings", MinimalBody().dump()).status, 201);
}

TEST_F(FakeZoomTest, ListsMeetingsInPages) {
  for (int i = 0; i < 3; ++i) Send("POST", "/v2/users/me/meetings", MinimalBody().dump());
  json first = Json(Send("GET", "/v2/users/me/meetings?type=scheduled&page_size=2"));
  EXPECT_EQ(first["total_records"], 3);
  ASSERT_EQ(first["meetings"].size(), 2u);
  EXPECT_EQ(first["meetings"][0]["topic"], "Postmortem INC-42");
  EXPECT_TRUE(first["meetings"][0]["join_url"].is_string());
  std::string token = first["next_page_token"];
  ASSERT_FALSE(token.empty());
  json second = Json(Send("GET", "/v2/users/me/meetings?page_size=2&next_page_token=" + token));
  EXPECT_EQ(second["meetings"].size(), 1u);
  EXPECT_EQ(second["next_page_token"], "");
}

TEST_F(FakeZoomTest, GetsOneMeetingWithItsAgenda) {
  json created = Json(Send("POST", "/v2/users/me/meetings", MinimalBody().dump()));
  std::string id = std::to_string(created["id"].get<int64_t>());
  HttpResponse got = Send("GET", "/v2/meetings/" + id);
  ASSERT_EQ(got.status, 200);
  EXPECT_EQ(Json(got), created);
  EXPECT_FALSE(Json(Send("GET", "/v2/users/me/meetings"))["meetings"][0].contains("agenda"));
  HttpResponse missing = Send("GET", "/v2/meetings/1");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(Json(missing)["code"], 3001);
  EXPECT_EQ(Send("GET", "/v2/meetings/" + id, "", "wrong").status, 401);
}

TEST_F(FakeZoomTest, PlantedMeetingsAreValidatedAndUnrecorded) {
  absl::StatusOr<json> planted = fake_.Plant(MinimalBody());
  ASSERT_TRUE(planted.ok()) << planted.status();
  json long_agenda = MinimalBody();
  long_agenda["agenda"] = std::string(2001, 'a');
  EXPECT_EQ(fake_.Plant(long_agenda).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(fake_.requests().empty());
  EXPECT_EQ(fake_.meetings(), std::vector<json>{*planted});
}

TEST_F(FakeZoomTest, RejectsMissingOrWrongToken) {
  HttpResponse none = Send("POST", "/v2/users/me/meetings", MinimalBody().dump(), "");
  EXPECT_EQ(none.status, 401);
  EXPECT_EQ(Json(none)["code"], 124);
  EXPECT_EQ(Send("GET", "/v2/users/me/meetings", "", "nope").status, 401);
  EXPECT_TRUE(fake_.meetings().empty());
}

TEST_F(FakeZoomTest, RejectsInvalidFieldsWithCode300) {
  for (const auto& [field, value] :
       std::vector<std::pair<std::string, json>>{{"type", 5},
                                                 {"type", "2"},
                                                 {"start_time", "05/01/2026 16:00"},
                                                 {"duration", -1},
                                                 {"topic", std::string(201, 'x')},
                                                 {"settings", "none"}}) {
    json body = MinimalBody();
    body[field] = value;
    HttpResponse response = Send("POST", "/v2/users/me/meetings", body.dump());
    EXPECT_EQ(response.status, 400) << field;
    EXPECT_EQ(Json(response)["code"], 300) << field;
    EXPECT_EQ(Json(response)["errors"][0]["field"], field);
  }
  EXPECT_EQ(Send("POST", "/v2/users/me/meetings", "[1,2]").status, 400);
  EXPECT_EQ(Send("GET", "/v2/users/me/meetings?type=everything").status, 400);
  EXPECT_EQ(Send("GET", "/v2/users/me/meetings?page_size=301").status, 400);
  EXPECT_TRUE(fake_.meetings().empty());
}

TEST_F(FakeZoomTest, UnknownUserIs1001) {
  HttpResponse response =
      Send("POST", "/v2/users/nobody@example.com/meetings", MinimalBody().dump());
  EXPECT_EQ(response.status, 404);
  EXPECT_EQ(Json(response)["code"], 1001);
  EXPECT_EQ(Send("POST", "/v2/meetings", MinimalBody().dump()).status, 404);
}

TEST_F(FakeZoomTest, InjectedFaults) {
  fake_.FailNext(1, 429, 3);
  HttpResponse limited = Send("POST", "/v2/users/me/meetings", MinimalBody().dump());
  EXPECT_EQ(limited.status, 429);
  EXPECT_EQ(limited.Header("retry-after"), "3");
  fake_.FailNext(1, 500);
  EXPECT_EQ(Send("POST", "/v2/users/me/meetings", MinimalBody().dump()).status, 500);
  EXPECT_TRUE(fake_.meetings().empty());
  EXPECT_EQ(fake_.faulted(), 2);
}

}  // namespace
}  // namespace ff::testing
