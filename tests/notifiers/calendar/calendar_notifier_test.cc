// The calendar notifier against FakeGoogleCalendar, and its .ics fallback
// against a temporary directory.
#include "server/notifiers/calendar/calendar_notifier.h"

#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <string>

#include "absl/time/time.h"
#include "clients/http/curl_http_client.h"
#include "clients/http/rate_budget.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "server/core/time_util.h"
#include "tests/testing/fake_clock.h"
#include "tests/testing/fake_google_calendar.h"
#include "tests/testing/status_matchers.h"

namespace ff {
namespace {

using json = nlohmann::json;
using ::ff::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::SizeIs;

constexpr absl::StatusCode kInvalidArgument = absl::StatusCode::kInvalidArgument;
constexpr char kCalendar[] = "team@group.calendar.google.com";

class CalendarNotifierTest : public ::testing::Test {
 protected:
  CalendarNotifierTest() {
    env_.http = http_.get();
    env_.clock = &clock_;
    env_.installation_id = "0123456789abcdef";
    env_.getenv = [this](const std::string& name) -> std::optional<std::string> {
      auto it = vars_.find(name);
      if (it == vars_.end()) return std::nullopt;
      return it->second;
    };
    ics_dir_ = std::filesystem::path(::testing::TempDir()) /
               ("ff_calendar_" + std::to_string(getpid()) + "_" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(ics_dir_);
  }
  ~CalendarNotifierTest() override { std::filesystem::remove_all(ics_dir_); }

  json GoogleConfig() const {
    return {{"base_url", fake_.base_url()},
            {"calendar_id", kCalendar},
            {"token_env", "GCAL_TOKEN"},
            {"timeout_ms", 300}};
  }
  json IcsConfig() const {
    return {{"ics_dir", ics_dir_.string()}, {"organizer_email", "bot@example.com"}};
  }

  std::unique_ptr<Notifier> Make(const json& config) {
    auto notifier = MakeCalendarNotifierFactory()->Create(config, env_);
    EXPECT_TRUE(notifier.ok()) << notifier.status();
    return notifier.ok() ? std::move(*notifier) : nullptr;
  }
  absl::Status CreateError(const json& config) {
    return MakeCalendarNotifierFactory()->Create(config, env_).status();
  }

  static pb::Incident Incident() {
    pb::Incident incident;
    incident.set_id(42);
    incident.set_title("Checkout errors");
    incident.set_domain("payment");
    incident.set_severity(pb::SEVERITY_SEV2);
    incident.set_status(pb::STATUS_POSTMORTEM);
    incident.add_participants("alice@example.com");
    incident.add_participants("U024BE7LH");  // a Slack id: not invited
    // Monday 2026-01-05 10:00 UTC.
    *incident.mutable_postmortem_at() = ToTimestamp(absl::FromUnixSeconds(1767607200));
    return incident;
  }

  static Delivery PostmortemDelivery() {
    Delivery delivery;
    delivery.id = 9;
    delivery.notifier = "calendar";
    delivery.event.set_type("incident.status_changed");
    *delivery.event.mutable_incident() = Incident();
    delivery.current = Incident();
    delivery.current.add_participants("Bob@Example.com");
    pb::Link* page = delivery.current.add_links();
    page->set_kind("postmortem");
    page->set_url("https://example.atlassian.net/wiki/spaces/OPS/pages/1");
    return delivery;
  }

  static pb::IncidentEvent Event(const std::string& type, pb::Status status) {
    pb::IncidentEvent event;
    event.set_type(type);
    event.mutable_incident()->set_status(status);
    return event;
  }

  // ReadUnfolded returns the file with RFC 5545 line folding undone.
  static std::string ReadUnfolded(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    std::string out = text.str();
    for (size_t at; (at = out.find("\r\n ")) != std::string::npos;) out.erase(at, 3);
    return out;
  }

  testing::FakeGoogleCalendar fake_{"gcal-token", {"primary", kCalendar}};
  std::unique_ptr<HttpClient> http_ = CurlHttpClient::Create();
  testing::FakeClock clock_;
  std::map<std::string, std::string> vars_{{"GCAL_TOKEN", "gcal-token"}};
  NotifierEnv env_;
  std::filesystem::path ics_dir_;
};

TEST_F(CalendarNotifierTest, InterestedOnlyInReachingPostmortem) {
  auto notifier = Make(GoogleConfig());
  ASSERT_NE(notifier, nullptr);
  EXPECT_EQ(notifier->name(), "calendar");
  EXPECT_TRUE(notifier->Interested(Event("incident.status_changed", pb::STATUS_POSTMORTEM)));
  EXPECT_FALSE(notifier->Interested(Event("incident.status_changed", pb::STATUS_FIXED)));
  EXPECT_FALSE(notifier->Interested(Event("incident.opened", pb::STATUS_OPEN)));
  EXPECT_FALSE(notifier->Interested(Event("incident.closed", pb::STATUS_CLOSED)));
}

TEST_F(CalendarNotifierTest, GoogleInsertsTheMeetingWithEveryAttendee) {
  auto notifier = Make(GoogleConfig());
  ASSERT_NE(notifier, nullptr);
  auto result = notifier->Deliver(PostmortemDelivery());
  ASSERT_TRUE(result.ok()) << result.status();

  auto requests = fake_.requests();
  ASSERT_THAT(requests, SizeIs(1));
  EXPECT_EQ(requests[0].method, "POST");
  EXPECT_EQ(requests[0].path, "/calendar/v3/calendars/team@group.calendar.google.com/events");
  EXPECT_EQ(requests[0].Param("sendUpdates"), "all");
  EXPECT_EQ(requests[0].Header("Authorization"), "Bearer gcal-token");
  json body = json::parse(requests[0].body);
  EXPECT_EQ(body["id"], "ff0123456789abcdefpm42");
  EXPECT_EQ(body["summary"], "Postmortem: #42 Checkout errors");
  // Monday 10:00 + 48h → Wednesday 14:00 UTC, one hour.
  EXPECT_EQ(body["start"]["dateTime"], "2026-01-07T14:00:00Z");
  EXPECT_EQ(body["end"]["dateTime"], "2026-01-07T15:00:00Z");
  EXPECT_EQ(body["attendees"],
            json::parse(R"([{"email":"alice@example.com"},{"email":"bob@example.com"}])"));
  EXPECT_THAT(body["description"].get<std::string>(),
              HasSubstr("Doc: https://example.atlassian.net/wiki/spaces/OPS/pages/1"));
  EXPECT_EQ(body["extendedProperties"], json::parse(R"({"private":{
      "firefighterInstallation":"0123456789abcdef","firefighterIncident":"42"}})"));

  ASSERT_THAT(result->links, SizeIs(1));
  const std::string link = "https://www.google.com/calendar/event?eid=ff0123456789abcdefpm42";
  EXPECT_EQ(result->links[0].kind(), "postmortem_meeting");
  EXPECT_EQ(result->links[0].url(), link);
  EXPECT_EQ(result->links[0].external_id(), "ff0123456789abcdefpm42");
  EXPECT_EQ(result->note, "Postmortem meeting: 2026-01-07 14:00 UTC " + link);
}

TEST_F(CalendarNotifierTest, GoogleRedeliveryReadsTheExistingEvent) {
  auto notifier = Make(GoogleConfig());
  ASSERT_NE(notifier, nullptr);
  auto first = notifier->Deliver(PostmortemDelivery());
  ASSERT_TRUE(first.ok()) << first.status();
  clock_.Advance(absl::Hours(5));  // a later retry plans the same slot
  auto second = notifier->Deliver(PostmortemDelivery());
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_THAT(fake_.events(kCalendar), SizeIs(1));
  auto requests = fake_.requests();
  ASSERT_THAT(requests, SizeIs(3));  // insert, insert (409), get
  EXPECT_EQ(requests[2].method, "GET");
  EXPECT_EQ(requests[2].path,
            "/calendar/v3/calendars/team@group.calendar.google.com/events/ff0123456789abcdefpm42");
  EXPECT_EQ(second->links[0].url(), first->links[0].url());
  EXPECT_EQ(second->note, first->note);
}

TEST_F(CalendarNotifierTest, GoogleLeavesAnotherInstallationsEventsAlone) {
  json old_event = {{"id", "firefighterpm42"},
                    {"summary", "Postmortem: #42 Something else"},
                    {"start", {{"dateTime", "2025-03-04T14:00:00Z"}}},
                    {"end", {{"dateTime", "2025-03-04T15:00:00Z"}}},
                    {"attendees", {{{"email", "carol@example.com"}}}}};
  json theirs = old_event;
  theirs["id"] = "fffedcba9876543210pm42";
  theirs["extendedProperties"] = {
      {"private",
       {{"firefighterInstallation", "fedcba9876543210"}, {"firefighterIncident", "42"}}}};
  absl::StatusOr<json> planted_old = fake_.Plant(kCalendar, old_event);
  absl::StatusOr<json> planted_theirs = fake_.Plant(kCalendar, theirs);
  ASSERT_TRUE(planted_old.ok()) << planted_old.status();
  ASSERT_TRUE(planted_theirs.ok()) << planted_theirs.status();
  auto notifier = Make(GoogleConfig());
  ASSERT_NE(notifier, nullptr);
  auto result = notifier->Deliver(PostmortemDelivery());
  ASSERT_TRUE(result.ok()) << result.status();
  std::vector<json> events = fake_.events(kCalendar);
  ASSERT_THAT(events, SizeIs(3));
  EXPECT_EQ(events[0], *planted_old);
  EXPECT_EQ(events[1], *planted_theirs);
  EXPECT_EQ(events[2]["id"], "ff0123456789abcdefpm42");
  EXPECT_EQ(result->links[0].external_id(), "ff0123456789abcdefpm42");
  ASSERT_THAT(fake_.requests(), SizeIs(1));  // one insert: no 409, nothing read
}

TEST_F(CalendarNotifierTest, GoogleConflictWithAnEventNotOursIsNotAdopted) {
  // Our id, but not our marker (e.g. made by hand or by a copy of this
  // database that was since changed): never adopted, never changed.
  absl::StatusOr<json> impostor =
      fake_.Plant(kCalendar, {{"id", "ff0123456789abcdefpm42"},
                              {"summary", "Postmortem: #42 Old"},
                              {"start", {{"dateTime", "2025-03-04T14:00:00Z"}}},
                              {"end", {{"dateTime", "2025-03-04T15:00:00Z"}}}});
  ASSERT_TRUE(impostor.ok()) << impostor.status();
  auto notifier = Make(GoogleConfig());
  ASSERT_NE(notifier, nullptr);
  auto result = notifier->Deliver(PostmortemDelivery());
  EXPECT_THAT(result, StatusIs(absl::StatusCode::kFailedPrecondition,
                               HasSubstr("not incident #42's of FireFighter installation "
                                         "0123456789abcdef")));
  EXPECT_FALSE(IsRetryable(result.status()));
  EXPECT_EQ(fake_.events(kCalendar), std::vector<json>{*impostor});
  auto requests = fake_.requests();
  ASSERT_THAT(requests, SizeIs(2));
  EXPECT_EQ(requests[1].method, "GET");
}

TEST_F(CalendarNotifierTest, AnIncidentLinkedToAMeetingKeepsIt) {
  absl::StatusOr<json> old_event =
      fake_.Plant(kCalendar, {{"id", "firefighterpm42"},
                              {"start", {{"dateTime", "2025-03-04T14:00:00Z"}}},
                              {"end", {{"dateTime", "2025-03-04T15:00:00Z"}}}});
  ASSERT_TRUE(old_event.ok()) << old_event.status();
  auto notifier = Make(GoogleConfig());
  ASSERT_NE(notifier, nullptr);
  Delivery delivery = PostmortemDelivery();
  pb::Link* link = delivery.current.add_links();
  link->set_kind("postmortem_meeting");
  link->set_external_id("firefighterpm42");
  auto result = notifier->Deliver(delivery);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_TRUE(result->links.empty());
  EXPECT_TRUE(fake_.requests().empty());
  EXPECT_THAT(fake_.events(kCalendar), SizeIs(1));
}

TEST_F(CalendarNotifierTest, InstallationIdIsRequiredAndHex) {
  env_.installation_id.clear();
  EXPECT_THAT(CreateError(GoogleConfig()),
              StatusIs(absl::StatusCode::kInternal, "notifiers.calendar: no installation id"));
  env_.installation_id = "0123456789ABCDEF";
  EXPECT_THAT(CreateError(IcsConfig()),
              StatusIs(absl::StatusCode::kInternal, HasSubstr("is not lower-case hex")));
}

TEST_F(CalendarNotifierTest, MeetingDelayHourAndDurationAreConfigurable) {
  json config = GoogleConfig();
  config["meeting_delay_hours"] = 24;
  config["meeting_hour_utc"] = 9;
  config["duration_minutes"] = 30;
  auto notifier = Make(config);
  ASSERT_NE(notifier, nullptr);
  ASSERT_TRUE(notifier->Deliver(PostmortemDelivery()).ok());
  json body = json::parse(fake_.requests().at(0).body);
  EXPECT_EQ(body["start"]["dateTime"], "2026-01-07T09:00:00Z");  // Tue 10:00 passed 09:00
  EXPECT_EQ(body["end"]["dateTime"], "2026-01-07T09:30:00Z");
}

TEST_F(CalendarNotifierTest, GoogleErrorsMapForTheDispatcher) {
  auto notifier = Make(GoogleConfig());
  ASSERT_NE(notifier, nullptr);
  fake_.FailNext(1, 429, 20);
  auto limited = notifier->Deliver(PostmortemDelivery());
  EXPECT_THAT(limited, StatusIs(absl::StatusCode::kResourceExhausted));
  EXPECT_EQ(RetryAfterOf(limited.status()), absl::Seconds(20));
  // The 429 paused the calendar API for every delivery until its Retry-After.
  auto paused = notifier->Deliver(PostmortemDelivery());
  EXPECT_TRUE(IsBudgetWait(paused.status())) << paused.status();
  EXPECT_THAT(fake_.requests(), SizeIs(0));
  clock_.Advance(absl::Seconds(20));
  fake_.FailNext(1, 500);
  EXPECT_THAT(notifier->Deliver(PostmortemDelivery()), StatusIs(absl::StatusCode::kUnavailable));
  fake_.HangNext(1, absl::Seconds(1));
  EXPECT_THAT(notifier->Deliver(PostmortemDelivery()),
              StatusIs(absl::StatusCode::kDeadlineExceeded));
  EXPECT_TRUE(notifier->Deliver(PostmortemDelivery()).ok());
  EXPECT_THAT(fake_.events(kCalendar), SizeIs(1));
  fake_.Refuse();
  EXPECT_THAT(notifier->Deliver(PostmortemDelivery()), StatusIs(absl::StatusCode::kUnavailable));
}

TEST_F(CalendarNotifierTest, GoogleAnswerWithoutItsDocumentedFieldsIsUnavailable) {
  auto notifier = Make(GoogleConfig());
  ASSERT_NE(notifier, nullptr);
  fake_.FailNext(1, 200);  // a 2xx JSON object without "id" and "htmlLink"
  EXPECT_THAT(notifier->Deliver(PostmortemDelivery()),
              StatusIs(absl::StatusCode::kUnavailable, HasSubstr("no id or htmlLink")));
  EXPECT_TRUE(notifier->Deliver(PostmortemDelivery()).ok());
  EXPECT_THAT(fake_.events(kCalendar), SizeIs(1));
}

TEST_F(CalendarNotifierTest, GooglePermanentErrors) {
  vars_["GCAL_TOKEN"] = "revoked";
  auto unauthenticated = Make(GoogleConfig());
  ASSERT_NE(unauthenticated, nullptr);
  auto result = unauthenticated->Deliver(PostmortemDelivery());
  EXPECT_THAT(result, StatusIs(absl::StatusCode::kUnauthenticated));
  EXPECT_FALSE(IsRetryable(result.status()));
  vars_["GCAL_TOKEN"] = "gcal-token";
  json config = GoogleConfig();
  config["calendar_id"] = "nobody@example.com";
  auto unknown = Make(config);
  ASSERT_NE(unknown, nullptr);
  EXPECT_THAT(unknown->Deliver(PostmortemDelivery()), StatusIs(absl::StatusCode::kNotFound));
}

TEST_F(CalendarNotifierTest, IcsFallbackWritesOneInvitationPerIncident) {
  auto notifier = Make(IcsConfig());
  ASSERT_NE(notifier, nullptr);
  auto result = notifier->Deliver(PostmortemDelivery());
  ASSERT_TRUE(result.ok()) << result.status();
  std::filesystem::path file = ics_dir_ / "incident-42-postmortem-0123456789abcdef.ics";
  ASSERT_TRUE(std::filesystem::exists(file));
  std::string ics = ReadUnfolded(file);
  EXPECT_THAT(ics, HasSubstr("\r\nUID:incident-42-postmortem-0123456789abcdef@example.com\r\n"));
  EXPECT_THAT(ics, HasSubstr("\r\nDTSTAMP:20260101T000000Z\r\n"));  // the clock
  EXPECT_THAT(ics, HasSubstr("\r\nDTSTART:20260107T140000Z\r\n"));
  EXPECT_THAT(ics, HasSubstr("\r\nDTEND:20260107T150000Z\r\n"));
  EXPECT_THAT(ics, HasSubstr("ORGANIZER;CN=\"FireFighter\":mailto:bot@example.com\r\n"));
  EXPECT_THAT(ics, HasSubstr("RSVP=TRUE:mailto:alice@example.com\r\n"));
  EXPECT_THAT(ics, HasSubstr("RSVP=TRUE:mailto:bob@example.com\r\n"));
  EXPECT_THAT(ics, Not(HasSubstr("U024BE7LH")));

  ASSERT_THAT(result->links, SizeIs(1));
  std::string url = "file://" + std::filesystem::absolute(file).lexically_normal().string();
  EXPECT_EQ(result->links[0].kind(), "postmortem_meeting");
  EXPECT_EQ(result->links[0].url(), url);
  EXPECT_EQ(result->links[0].external_id(), "incident-42-postmortem-0123456789abcdef@example.com");
  EXPECT_EQ(result->note, "Postmortem meeting: 2026-01-07 14:00 UTC " + url);

  // Redelivery replaces the same file; nothing else is left behind.
  ASSERT_TRUE(notifier->Deliver(PostmortemDelivery()).ok());
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(ics_dir_)) {
    names.push_back(entry.path().filename().string());
  }
  EXPECT_THAT(names, ElementsAre("incident-42-postmortem-0123456789abcdef.ics"));
}

TEST_F(CalendarNotifierTest, IcsBaseUrlNamesTheServedFile) {
  json config = IcsConfig();
  config["ics_base_url"] = "https://ff.example.com/ics/";
  auto notifier = Make(config);
  ASSERT_NE(notifier, nullptr);
  auto result = notifier->Deliver(PostmortemDelivery());
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->links[0].url(),
            "https://ff.example.com/ics/incident-42-postmortem-0123456789abcdef.ics");
}

TEST_F(CalendarNotifierTest, IcsDirectoryGoneIsRetryable) {
  auto notifier = Make(IcsConfig());
  ASSERT_NE(notifier, nullptr);
  std::filesystem::remove_all(ics_dir_);
  auto result = notifier->Deliver(PostmortemDelivery());
  EXPECT_THAT(result, StatusIs(absl::StatusCode::kUnavailable, HasSubstr("cannot write")));
}

TEST_F(CalendarNotifierTest, ConfigNeedsExactlyOneBackEnd) {
  EXPECT_THAT(CreateError(json::object()),
              StatusIs(kInvalidArgument,
                       "config: notifiers.calendar.calendar_id is required (or set ics_dir for "
                       "the .ics fallback)"));
  json both = GoogleConfig();
  both["ics_dir"] = ics_dir_.string();
  EXPECT_THAT(CreateError(both),
              StatusIs(kInvalidArgument, HasSubstr("notifiers.calendar.ics_dir cannot be "
                                                   "combined with calendar_id")));
  json no_token = GoogleConfig();
  no_token.erase("token_env");
  EXPECT_THAT(CreateError(no_token),
              StatusIs(kInvalidArgument, "config: notifiers.calendar.token_env is required"));
  json no_calendar = GoogleConfig();
  no_calendar.erase("calendar_id");
  EXPECT_THAT(CreateError(no_calendar),
              StatusIs(kInvalidArgument, "config: notifiers.calendar.calendar_id is required"));
  vars_.clear();
  EXPECT_THAT(CreateError(GoogleConfig()),
              StatusIs(kInvalidArgument, HasSubstr("notifiers.calendar.token_env names "
                                                   "environment variable GCAL_TOKEN")));
}

TEST_F(CalendarNotifierTest, ConfigErrorsNameTheKey) {
  json config = GoogleConfig();
  config["base_url"] = "www.googleapis.com";
  EXPECT_THAT(CreateError(config),
              StatusIs(kInvalidArgument, HasSubstr("notifiers.calendar.base_url must be")));
  config = GoogleConfig();
  config["ics_base_url"] = "https://x";
  EXPECT_THAT(CreateError(config),
              StatusIs(kInvalidArgument, HasSubstr("notifiers.calendar.ics_base_url")));
  config = GoogleConfig();
  config["meeting_hour_utc"] = 24;
  EXPECT_THAT(CreateError(config),
              StatusIs(kInvalidArgument, HasSubstr("notifiers.calendar.meeting_hour_utc")));
  config = GoogleConfig();
  config["duration_minutes"] = 0;
  EXPECT_THAT(CreateError(config),
              StatusIs(kInvalidArgument, HasSubstr("notifiers.calendar.duration_minutes")));
  config = GoogleConfig();
  config["calendarId"] = "primary";
  EXPECT_THAT(
      CreateError(config),
      StatusIs(kInvalidArgument, "config: notifiers.calendar.calendarId is not a known key"));
  config = IcsConfig();
  config["ics_dir"] = (ics_dir_ / "missing").string();
  EXPECT_THAT(CreateError(config),
              StatusIs(kInvalidArgument, HasSubstr("notifiers.calendar.ics_dir must be an "
                                                   "existing directory")));
  config = IcsConfig();
  config["ics_base_url"] = "ics.example.com";
  EXPECT_THAT(CreateError(config),
              StatusIs(kInvalidArgument, HasSubstr("notifiers.calendar.ics_base_url must be")));
  config = IcsConfig();
  config["organizer_email"] = "FireFighter bot";
  EXPECT_THAT(CreateError(config),
              StatusIs(kInvalidArgument, HasSubstr("notifiers.calendar.organizer_email")));
  EXPECT_TRUE(CreateError({{"ics_dir", ics_dir_.string()}}).ok());
}

}  // namespace
}  // namespace ff
