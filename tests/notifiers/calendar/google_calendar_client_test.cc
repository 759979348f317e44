// GoogleCalendarClient against FakeGoogleCalendar: inserting an event with a
// client-chosen id (invitations sent), reading it back with its private
// properties, a taken id, and the shared outcome table as this client sees
// it (a malformed 2xx answer, a refused token, a rate limit with
// Retry-After).
#include "clients/google_calendar/google_calendar_client.h"

#include <memory>
#include <string>

#include "absl/time/time.h"
#include "clients/http/curl_http_client.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/testing/fake_google_calendar.h"
#include "tests/testing/status_matchers.h"

namespace ff {
namespace {

using json = nlohmann::json;
using ::ff::testing::IsOk;
using ::ff::testing::StatusIs;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::SizeIs;

constexpr char kCalendar[] = "team@group.calendar.google.com";

json Event(const std::string& id) {
  return {{"id", id},
          {"summary", "Postmortem: #42 Checkout"},
          {"start", {{"dateTime", "2026-01-07T14:00:00Z"}, {"timeZone", "UTC"}}},
          {"end", {{"dateTime", "2026-01-07T15:00:00Z"}, {"timeZone", "UTC"}}},
          {"attendees", {{{"email", "alice@example.com"}}}},
          {"extendedProperties", {{"private", {{"firefighterIncident", "42"}}}}}};
}

class GoogleCalendarClientTest : public ::testing::Test {
 protected:
  GoogleCalendarClient Client(const std::string& token = "gcal-token") {
    return GoogleCalendarClient(http_.get(), fake_.base_url(), kCalendar, token, absl::Seconds(5));
  }

  testing::FakeGoogleCalendar fake_{"gcal-token", {kCalendar}};
  std::unique_ptr<HttpClient> http_ = CurlHttpClient::Create();
};

TEST_F(GoogleCalendarClientTest, InsertSendsInvitationsAndGetReadsTheEventBack) {
  GoogleCalendarClient client = Client();
  absl::StatusOr<GoogleCalendarEvent> inserted = client.InsertEvent(Event("ffabcpm42"));
  ASSERT_THAT(inserted, IsOk());
  EXPECT_EQ(inserted->id, "ffabcpm42");
  EXPECT_EQ(inserted->html_link, "https://www.google.com/calendar/event?eid=ffabcpm42");
  ASSERT_THAT(fake_.events(kCalendar), SizeIs(1));
  testing::RecordedRequest request = fake_.requests().back();
  EXPECT_EQ(request.Param("sendUpdates"), "all");
  EXPECT_EQ(request.Header("Authorization"), "Bearer gcal-token");

  absl::StatusOr<GoogleCalendarEvent> got = client.GetEvent("ffabcpm42");
  ASSERT_THAT(got, IsOk());
  EXPECT_EQ(got->html_link, inserted->html_link);
  EXPECT_EQ(got->private_properties, json({{"firefighterIncident", "42"}}));
}

TEST_F(GoogleCalendarClientTest, ATakenIdIsAlreadyExists) {
  GoogleCalendarClient client = Client();
  ASSERT_THAT(client.InsertEvent(Event("ffabcpm42")), IsOk());
  EXPECT_THAT(client.InsertEvent(Event("ffabcpm42")),
              StatusIs(absl::StatusCode::kAlreadyExists,
                       HasSubstr("google calendar: insert event ffabcpm42")));
  EXPECT_THAT(fake_.events(kCalendar), SizeIs(1));
}

TEST_F(GoogleCalendarClientTest, AnEventWithoutPrivatePropertiesHasNone) {
  json event = Event("ffabcpm43");
  event.erase("extendedProperties");
  ASSERT_THAT(fake_.Plant(kCalendar, event), IsOk());
  absl::StatusOr<GoogleCalendarEvent> got = Client().GetEvent("ffabcpm43");
  ASSERT_THAT(got, IsOk());
  EXPECT_TRUE(got->private_properties.is_null());
}

TEST_F(GoogleCalendarClientTest, AnswerWithoutItsDocumentedFieldsIsUnavailable) {
  GoogleCalendarClient client = Client();
  fake_.FailNext(2, 200);  // a 2xx JSON object without "id" and "htmlLink"
  EXPECT_THAT(client.InsertEvent(Event("ffabcpm42")),
              StatusIs(absl::StatusCode::kUnavailable,
                       "google calendar: insert event ffabcpm42: answer has no id or htmlLink"));
  EXPECT_THAT(client.GetEvent("ffabcpm42"),
              StatusIs(absl::StatusCode::kUnavailable, HasSubstr("no id or htmlLink")));
}

TEST_F(GoogleCalendarClientTest, RefusedTokenIsUnauthenticatedAndNamesNoToken) {
  absl::StatusOr<GoogleCalendarEvent> inserted = Client("wrong-token").InsertEvent(Event("ffa42"));
  EXPECT_THAT(inserted,
              StatusIs(absl::StatusCode::kUnauthenticated, Not(HasSubstr("wrong-token"))));
  EXPECT_THAT(fake_.events(kCalendar), IsEmpty());
  fake_.FailNext(1, 403);
  EXPECT_THAT(Client().GetEvent("ffa42"), StatusIs(absl::StatusCode::kPermissionDenied));
}

TEST_F(GoogleCalendarClientTest, RateLimitIsResourceExhaustedWithRetryAfter) {
  fake_.FailNext(1, 429, 20);
  absl::StatusOr<GoogleCalendarEvent> inserted = Client().InsertEvent(Event("ffabcpm42"));
  EXPECT_THAT(inserted, StatusIs(absl::StatusCode::kResourceExhausted));
  EXPECT_EQ(RetryAfterOf(inserted.status()), absl::Seconds(20));
  EXPECT_THAT(fake_.events(kCalendar), IsEmpty());
}

}  // namespace
}  // namespace ff
