#include "server/config/config.h"

#include <fstream>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/server_process.h"
#include "tests/testing/status_matchers.h"

namespace ff {
namespace {

using ::ff::testing::IsOk;
using ::ff::testing::StatusIs;
using ::testing::ElementsAre;

TEST(Config, ParsesDomainsAndSettings) {
  auto config = ParseConfig(R"({
    "domains": [
      {"name": "payment", "description": "Payments", "invite": ["@pay", "U123"]},
      {"name": "search-2"}
    ],
    "watch_queue_limit": 42,
    "watch_buffer_bytes": 1048576,
    "watch_max_streams": 50,
    "watch_max_streams_per_principal": 5
  })");
  ASSERT_THAT(config, IsOk());
  ASSERT_EQ(config->domains.size(), 2u);
  EXPECT_EQ(config->domains[0].name, "payment");
  EXPECT_EQ(config->domains[0].description, "Payments");
  EXPECT_THAT(config->domains[0].invite, ElementsAre("@pay", "U123"));
  EXPECT_EQ(config->domains[1].name, "search-2");
  EXPECT_EQ(config->watch_queue_limit, 42);
  EXPECT_EQ(config->watch_buffer_bytes, 1048576);
  EXPECT_EQ(config->watch_max_streams, 50);
  EXPECT_EQ(config->watch_max_streams_per_principal, 5);
}

TEST(Config, DefaultHasExampleDomains) {
  ServerConfig config = DefaultConfig();
  ASSERT_EQ(config.domains.size(), 4u);
  EXPECT_EQ(config.domains[0].name, "payment");
  EXPECT_EQ(config.watch_queue_limit, 1000);
  EXPECT_EQ(config.watch_buffer_bytes, int64_t{64} << 20);
  EXPECT_EQ(config.watch_max_streams, 1000);
  EXPECT_EQ(config.watch_max_streams_per_principal, 100);
}

struct BadConfig {
  std::string name;
  std::string json;
  std::string message;
};

void PrintTo(const BadConfig& c, std::ostream* os) { *os << c.name; }

class BadConfigTest : public ::testing::TestWithParam<BadConfig> {};

TEST_P(BadConfigTest, NamesTheKey) {
  EXPECT_THAT(ParseConfig(GetParam().json),
              StatusIs(absl::StatusCode::kInvalidArgument, GetParam().message));
}

INSTANTIATE_TEST_SUITE_P(
    Keys, BadConfigTest,
    ::testing::Values(
        BadConfig{"NotJson", "{domains:", "config: file is not valid JSON"},
        BadConfig{"NotAnObject", "[1]", "config: file must hold a JSON object"},
        BadConfig{"UnknownTopKey", R"({"domains":[{"name":"a"}],"colour":1})",
                  "config: colour is not a known key"},
        BadConfig{"DomainsMissing", "{}", "config: domains is required"},
        BadConfig{"DomainsEmpty", R"({"domains":[]})",
                  "config: domains must be a non-empty array of domains"},
        BadConfig{"DomainNotObject", R"({"domains":["payment"]})",
                  "config: domains[0] must be an object"},
        BadConfig{"DomainNameMissing", R"({"domains":[{"description":"x"}]})",
                  "config: domains[0].name is required"},
        BadConfig{"DomainNameNotString", R"({"domains":[{"name":7}]})",
                  "config: domains[0].name must be a string"},
        BadConfig{"DomainNameBad", R"({"domains":[{"name":"a"},{"name":"Pay Ment"}]})",
                  "config: domains[1].name \"Pay Ment\" must be 1 to 40 lowercase letters, "
                  "digits or dashes"},
        BadConfig{"DomainNameDuplicate", R"({"domains":[{"name":"a"},{"name":"a"}]})",
                  "config: domains[1].name \"a\" is a duplicate"},
        BadConfig{"DomainUnknownKey", R"({"domains":[{"name":"a","pager":"x"}]})",
                  "config: domains[0].pager is not a known key"},
        BadConfig{"DescriptionNotString", R"({"domains":[{"name":"a","description":1}]})",
                  "config: domains[0].description must be a string"},
        BadConfig{"InviteNotArray", R"({"domains":[{"name":"a","invite":"@x"}]})",
                  "config: domains[0].invite must be an array of strings"},
        BadConfig{"InviteItemNotString", R"({"domains":[{"name":"a","invite":["@x",2]}]})",
                  "config: domains[0].invite[1] must be a string"},
        BadConfig{"QueueLimitZero", R"({"domains":[{"name":"a"}],"watch_queue_limit":0})",
                  "config: watch_queue_limit must be an integer from 1 to 1000000"},
        BadConfig{"MaxStreamsZero", R"({"domains":[{"name":"a"}],"watch_max_streams":0})",
                  "config: watch_max_streams must be an integer from 1 to 100000"},
        BadConfig{"PerPrincipalText",
                  R"({"domains":[{"name":"a"}],"watch_max_streams_per_principal":"2"})",
                  "config: watch_max_streams_per_principal must be an integer from 1 to 100000"},
        BadConfig{"BufferBytesTiny", R"({"domains":[{"name":"a"}],"watch_buffer_bytes":10})",
                  "config: watch_buffer_bytes must be an integer from 65536 to 17179869184"},
        BadConfig{"QueueLimitText", R"({"domains":[{"name":"a"}],"watch_queue_limit":"9"})",
                  "config: watch_queue_limit must be an integer from 1 to 1000000"},
        BadConfig{"RemindersUnknownKind", R"({"domains":[{"name":"a"}],"reminders":{"late":{}}})",
                  "config: reminders.late is not a known key"},
        BadConfig{"RemindersUnitMissing",
                  R"({"domains":[{"name":"a"}],"reminders":{"stale":{"after_hours":{}}}})",
                  "config: reminders.stale.after_hours is not a known key"},
        BadConfig{
            "RemindersBadSeverity",
            R"({"domains":[{"name":"a"}],"reminders":{"stale":{"after_minutes":{"SEV9":5}}}})",
            "config: reminders.stale.after_minutes.SEV9 is not a severity: use SEV1 to SEV5"},
        BadConfig{"RemindersNoPostmortem",
                  R"({"domains":[{"name":"a"}],"reminders":{"fixed":{"after_hours":{"SEV4":5}}}})",
                  "config: reminders.fixed.after_hours.SEV4 has no postmortem: only SEV1 to SEV3 "
                  "do"},
        BadConfig{
            "RemindersZero",
            R"({"domains":[{"name":"a"}],"reminders":{"stale":{"after_minutes":{"SEV1":0}}}})",
            "config: reminders.stale.after_minutes.SEV1 must be an integer from 1 to 10080"},
        BadConfig{"RemindersBadDay",
                  R"({"domains":[{"name":"a"}],"reminders":{"postmortem":{"after_days":{"SEV1":1},)"
                  R"("office_hours":{"days":["mon","funday"]}}}})",
                  "config: reminders.postmortem.office_hours.days[1] must be one of mon, tue, …, "
                  "sun"},
        BadConfig{"RemindersEndBeforeStart",
                  R"({"domains":[{"name":"a"}],"reminders":{"postmortem":{"after_days":{"SEV1":1},)"
                  R"("office_hours":{"start":"18:00","end":"09:00"}}}})",
                  "config: reminders.postmortem.office_hours.end must be after start"},
        BadConfig{"RemindersBadZone",
                  R"({"domains":[{"name":"a"}],"reminders":{"postmortem":{"after_days":{"SEV1":1},)"
                  R"("office_hours":{"time_zone":"Mars/Olympus"}}}})",
                  "config: reminders.postmortem.office_hours.time_zone must be a time zone name "
                  "such as Europe/Paris or UTC"},
        BadConfig{"FollowUpsUnknownKey", R"({"domains":[{"name":"a"}],"followups":{"due":{}}})",
                  "config: followups.due is not a known key"},
        BadConfig{"FollowUpsBadSeverity",
                  R"({"domains":[{"name":"a"}],"followups":{"due_days":{"SEV0":3}}})",
                  "config: followups.due_days.SEV0 is not a severity: use SEV1 to SEV5"},
        BadConfig{"FollowUpsNegativeDays",
                  R"({"domains":[{"name":"a"}],"followups":{"due_days":{"SEV1":-1}}})",
                  "config: followups.due_days.SEV1 must be an integer from 0 to 3650"},
        BadConfig{"FollowUpsDaysNotAnObject",
                  R"({"domains":[{"name":"a"}],"followups":{"due_days":14}})",
                  "config: followups.due_days must map severities to numbers of days"},
        BadConfig{"FollowUpsBadZone",
                  R"({"domains":[{"name":"a"}],"followups":{"time_zone":"Mars/Olympus"}})",
                  "config: followups.time_zone must be a time zone name such as Europe/Paris or "
                  "UTC"},
        BadConfig{
            "FollowUpReminderZero",
            R"({"domains":[{"name":"a"}],"reminders":{"followup":{"every_days":{"SEV1":0}}}})",
            "config: reminders.followup.every_days.SEV1 must be an integer from 1 to 365"},
        // Keys and values were quoted whole, so a long or binary one made a
        // long, unprintable message (config_fuzzer checks it for any input).
        BadConfig{"LongUnknownKeyIsQuotedByPrefix",
                  R"({"domains":[{"name":"a"}],")" + std::string(500, 'k') + R"(":1})",
                  "config: \"kkkkkkkkkkkkkkkkkkkkkkkk…\" is not a known key"},
        BadConfig{"OddUnknownKeyIsEscaped", R"({"domains":[{"name":"a","x y\n":1}]})",
                  "config: domains[0].\"x y\\n\" is not a known key"},
        BadConfig{"LongDomainNameIsQuotedByPrefix",
                  R"({"domains":[{"name":")" + std::string(300, 'n') + R"("}]})",
                  "config: domains[0].name \"nnnnnnnnnnnnnnnnnnnnnnnn…\" must be 1 to 40 "
                  "lowercase letters, digits or dashes"},
        BadConfig{"LongSeverityKeyIsQuotedByPrefix",
                  R"({"domains":[{"name":"a"}],"reminders":{"stale":{"after_minutes":{")" +
                      std::string(50, 's') + R"(":1}}}})",
                  "config: reminders.stale.after_minutes.\"ssssssssssssssssssssssss…\" is not a "
                  "severity: use SEV1 to SEV5"},
        BadConfig{"LongTimeIsQuotedByPrefix",
                  R"({"domains":[{"name":"a"}],"reminders":{"postmortem":{"after_days":{"SEV1":1},)"
                  R"("office_hours":{"start":")" +
                      std::string(40, '9') + R"("}}}})",
                  "config: reminders.postmortem.office_hours.start \"999999999999999999999999…\" "
                  "must be a time \"HH:MM\""}),
    [](const ::testing::TestParamInfo<BadConfig>& param_info) { return param_info.param.name; });

TEST(Config, RemindersPerSeverityWithOfficeHours) {
  auto config = ParseConfig(R"({
    "domains": [{"name": "a"}],
    "reminders": {
      "check_every_seconds": 30,
      "stale": {"after_minutes": {"SEV1": 15}},
      "postmortem": {"after_days": {"SEV2": 5},
                     "office_hours": {"days": ["mon"], "start": "09:30", "end": "17:00"}}
    }
  })");
  ASSERT_THAT(config, IsOk());
  const ReminderSettings& r = config->reminders;
  EXPECT_TRUE(r.enabled());
  EXPECT_EQ(r.check_every, absl::Seconds(30));
  EXPECT_EQ(r.stale.after.at(pb::SEVERITY_SEV1), absl::Minutes(15));
  EXPECT_EQ(r.stale.after.count(pb::SEVERITY_SEV2), 0u);
  EXPECT_FALSE(r.stale.office_hours.has_value());
  ASSERT_TRUE(r.postmortem.office_hours.has_value());
  EXPECT_EQ(r.postmortem.office_hours->start_minute, 9 * 60 + 30);
  EXPECT_EQ(r.postmortem.office_hours->days, std::set<absl::Weekday>{absl::Weekday::monday});
  EXPECT_FALSE(DefaultConfig().reminders.enabled());
}

TEST(Config, FollowUpDueDaysAndZoneAndTheirReminder) {
  auto config = ParseConfig(R"({
    "domains": [{"name": "a"}],
    "followups": {"due_days": {"SEV1": 14, "SEV3": 0}, "time_zone": "Europe/Paris"},
    "reminders": {"followup": {"every_days": {"SEV1": 2}}}
  })");
  ASSERT_THAT(config, IsOk());
  const FollowUpSettings& f = config->followups;
  EXPECT_EQ(f.due_days.at(pb::SEVERITY_SEV1), 14);
  EXPECT_EQ(f.due_days.at(pb::SEVERITY_SEV3), 0);
  EXPECT_EQ(f.due_days.count(pb::SEVERITY_SEV2), 0u);
  EXPECT_EQ(f.zone.name(), "Europe/Paris");
  EXPECT_EQ(config->reminders.followup.after.at(pb::SEVERITY_SEV1), absl::Hours(48));
  EXPECT_TRUE(config->reminders.enabled());
  EXPECT_TRUE(DefaultConfig().followups.due_days.empty());
  EXPECT_EQ(DefaultConfig().followups.zone.name(), "UTC");
}

TEST(Config, MissingFileIsNotFound) {
  ::ff::testing::TempDir dir;
  EXPECT_THAT(
      LoadConfigFile(dir.File("absent.json")),
      StatusIs(absl::StatusCode::kNotFound, "config: cannot read " + dir.File("absent.json")));
  std::ofstream(dir.File("ok.json")) << R"({"domains":[{"name":"ok"}]})";
  auto loaded = LoadConfigFile(dir.File("ok.json"));
  ASSERT_THAT(loaded, IsOk());
  EXPECT_EQ(loaded->domains[0].name, "ok");
}

}  // namespace
}  // namespace ff
