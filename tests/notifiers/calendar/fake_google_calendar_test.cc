// FakeGoogleCalendar speaks events.insert / events.get as EXTERNAL_APIS.md §6
// documents them, with Google's error shapes.
#include "tests/testing/fake_google_calendar.h"

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

class FakeGoogleCalendarTest : public ::testing::Test {
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

  // The body of EXTERNAL_APIS.md §6 (without conferenceData).
  static json Body() {
    return json::parse(R"({"summary":"Postmortem INC-42","description":"…",
        "start":{"dateTime":"2026-01-05T16:00:00Z"},"end":{"dateTime":"2026-01-05T17:00:00Z"},
        "attendees":[{"email":"a@example.com"}]})");
  }

  static json Error(const HttpResponse& response) {
    json body = json::parse(response.body, nullptr, false);
    return body.is_discarded() ? json() : body["error"];
  }

  const std::string insert_ = "/calendar/v3/calendars/primary/events?sendUpdates=all";
  FakeGoogleCalendar fake_{"tok", {"primary", "team@group.calendar.google.com"}};
  std::unique_ptr<HttpClient> http_ = CurlHttpClient::Create();
};

TEST_F(FakeGoogleCalendarTest, InsertsAndGetsAnEvent) {
  HttpResponse response = Send("POST", insert_, Body().dump());
  ASSERT_EQ(response.status, 200) << response.body;
  json event = json::parse(response.body);
  EXPECT_EQ(event["kind"], "calendar#event");
  EXPECT_TRUE(event["id"].is_string());
  EXPECT_TRUE(event["htmlLink"].is_string());
  EXPECT_TRUE(event["iCalUID"].is_string());
  EXPECT_EQ(event["attendees"][0]["responseStatus"], "needsAction");
  HttpResponse got =
      Send("GET", "/calendar/v3/calendars/primary/events/" + event["id"].get<std::string>());
  ASSERT_EQ(got.status, 200);
  EXPECT_EQ(json::parse(got.body)["htmlLink"], event["htmlLink"]);
  // Calendar ids are percent-encoded in the path.
  EXPECT_EQ(
      Send("POST", "/calendar/v3/calendars/team%40group.calendar.google.com/events", Body().dump())
          .status,
      200);
  EXPECT_EQ(fake_.events("team@group.calendar.google.com").size(), 1u);
}

TEST_F(FakeGoogleCalendarTest, ClientIdIsUniqueAndBase32Hex) {
  json body = Body();
  body["id"] = "firefighterpm42";
  ASSERT_EQ(Send("POST", insert_, body.dump()).status, 200);
  HttpResponse again = Send("POST", insert_, body.dump());
  EXPECT_EQ(again.status, 409);
  EXPECT_EQ(Error(again)["errors"][0]["reason"], "duplicate");
  EXPECT_EQ(Error(again)["message"], "The requested identifier already exists.");
  EXPECT_EQ(fake_.events("primary").size(), 1u);
  for (const char* bad : {"abcd", "firefighter-pm-42", "UPPERCASE42", "wxyz12345"}) {
    body["id"] = bad;
    HttpResponse response = Send("POST", insert_, body.dump());
    EXPECT_EQ(response.status, 400) << bad;
    EXPECT_EQ(Error(response)["message"], "Invalid resource id value.") << bad;
  }
}

TEST_F(FakeGoogleCalendarTest, ValidatesTimesAndAttendees) {
  json body = Body();
  body.erase("end");
  HttpResponse missing = Send("POST", insert_, body.dump());
  EXPECT_EQ(missing.status, 400);
  EXPECT_EQ(Error(missing)["errors"][0]["reason"], "required");
  body = Body();
  body["end"]["dateTime"] = "2026-01-05T15:00:00Z";
  HttpResponse empty = Send("POST", insert_, body.dump());
  EXPECT_EQ(empty.status, 400);
  EXPECT_EQ(Error(empty)["errors"][0]["reason"], "timeRangeEmpty");
  body = Body();
  body["start"]["dateTime"] = "next tuesday";
  EXPECT_EQ(Send("POST", insert_, body.dump()).status, 400);
  body = Body();
  body["attendees"] = {{{"email", "not-an-email"}}};
  HttpResponse attendee = Send("POST", insert_, body.dump());
  EXPECT_EQ(attendee.status, 400);
  EXPECT_EQ(Error(attendee)["message"], "Invalid attendee email.");
  EXPECT_EQ(
      Send("POST", "/calendar/v3/calendars/primary/events?sendUpdates=everyone", Body().dump())
          .status,
      400);
  EXPECT_EQ(Send("POST", insert_, "{oops").status, 400);
  EXPECT_TRUE(fake_.events("primary").empty());
}

TEST_F(FakeGoogleCalendarTest, KeepsPrivateExtendedPropertiesAndRejectsBadOnes) {
  json body = Body();
  body["extendedProperties"] = {{"private", {{"k", "v"}}}};
  HttpResponse response = Send("POST", insert_, body.dump());
  ASSERT_EQ(response.status, 200) << response.body;
  std::string id = json::parse(response.body)["id"];
  json got = json::parse(Send("GET", "/calendar/v3/calendars/primary/events/" + id).body);
  EXPECT_EQ(got["extendedProperties"]["private"]["k"], "v");
  body["extendedProperties"] = {{"private", {{"k", 1}}}};
  EXPECT_EQ(Send("POST", insert_, body.dump()).status, 400);
  body["extendedProperties"] = {{"secret", {{"k", "v"}}}};
  EXPECT_EQ(Send("POST", insert_, body.dump()).status, 400);
}

TEST_F(FakeGoogleCalendarTest, PlantedEventsAreValidatedLikeInsertsAndUnrecorded) {
  json body = Body();
  body["id"] = "firefighterpm1";
  absl::StatusOr<json> planted = fake_.Plant("primary", body);
  ASSERT_TRUE(planted.ok()) << planted.status();
  EXPECT_EQ((*planted)["htmlLink"], "https://www.google.com/calendar/event?eid=firefighterpm1");
  EXPECT_EQ(fake_.Plant("primary", body).status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(fake_.Plant("nobody", Body()).status().code(), absl::StatusCode::kNotFound);
  json bad = Body();
  bad["id"] = "UPPER";
  EXPECT_EQ(fake_.Plant("primary", bad).status(),
            absl::InvalidArgumentError("Invalid resource id value."));
  EXPECT_TRUE(fake_.requests().empty());
  EXPECT_EQ(Send("POST", insert_, body.dump()).status, 409);  // the id is taken for real
}

TEST_F(FakeGoogleCalendarTest, AuthAndUnknownCalendars) {
  HttpResponse none = Send("POST", insert_, Body().dump(), "");
  EXPECT_EQ(none.status, 401);
  EXPECT_EQ(Error(none)["status"], "UNAUTHENTICATED");
  EXPECT_EQ(Error(none)["errors"][0]["reason"], "authError");
  EXPECT_EQ(Send("GET", "/calendar/v3/calendars/primary/events/abcde", "", "bad").status, 401);
  HttpResponse unknown = Send("POST", "/calendar/v3/calendars/other/events", Body().dump());
  EXPECT_EQ(unknown.status, 404);
  EXPECT_EQ(Error(unknown)["errors"][0]["reason"], "notFound");
  EXPECT_EQ(Send("GET", "/calendar/v3/calendars/primary/events/abcde").status, 404);
}

TEST_F(FakeGoogleCalendarTest, InjectedFaults) {
  fake_.FailNext(1, 429, 11);
  HttpResponse limited = Send("POST", insert_, Body().dump());
  EXPECT_EQ(limited.status, 429);
  EXPECT_EQ(limited.Header("retry-after"), "11");
  fake_.FailNext(1, 503);
  EXPECT_EQ(Send("POST", insert_, Body().dump()).status, 503);
  EXPECT_TRUE(fake_.events("primary").empty());
}

}  // namespace
}  // namespace ff::testing
