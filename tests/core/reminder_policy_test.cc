#include "server/core/reminder_policy.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/core/time_util.h"

namespace ff {
namespace {

// Monday 2026-01-05 00:00 UTC.
const absl::Time kMonday = absl::FromUnixSeconds(1767571200);

pb::Incident Incident(pb::Status status, pb::Severity severity, absl::Time since) {
  pb::Incident i;
  i.set_status(status);
  i.set_severity(severity);
  *i.mutable_updated_at() = ToTimestamp(since);
  *i.mutable_fixed_at() = ToTimestamp(since);
  *i.mutable_postmortem_at() = ToTimestamp(since);
  return i;
}

TEST(ReminderPolicy, KeyNamesKindBaselineAndInterval) {
  ReminderSettings s;
  s.stale.after[pb::SEVERITY_SEV1] = absl::Minutes(10);
  pb::Incident i = Incident(pb::STATUS_FIXING, pb::SEVERITY_SEV1, kMonday);
  EXPECT_FALSE(DueReminderFor(i, s, kMonday + absl::Minutes(9)).has_value());
  auto due = DueReminderFor(i, s, kMonday + absl::Minutes(25));
  ASSERT_TRUE(due.has_value());
  EXPECT_EQ(due->kind, ReminderKind::kStale);
  EXPECT_EQ(due->interval, 2);
  EXPECT_EQ(due->key, "stale:1767571200000000:2");
  EXPECT_EQ(due->text,
            "Reminder: no update for 20m (FIXING, SEV1). Post an update, or move the incident on.");
}

TEST(ReminderPolicy, FixedOnlyForSeveritiesThatNeedAPostmortem) {
  ReminderSettings s;
  s.fixed.after[pb::SEVERITY_SEV4] = absl::Hours(1);  // the config refuses this; policy too
  EXPECT_FALSE(DueReminderFor(Incident(pb::STATUS_FIXED, pb::SEVERITY_SEV4, kMonday), s,
                              kMonday + absl::Hours(5))
                   .has_value());
  EXPECT_FALSE(DueReminderFor(Incident(pb::STATUS_CLOSED, pb::SEVERITY_SEV4, kMonday), s,
                              kMonday + absl::Hours(5))
                   .has_value());
}

TEST(ReminderPolicy, OfficeHoursInTheirTimeZone) {
  OfficeHours hours;
  hours.days = {absl::Weekday::monday};
  hours.start_minute = 9 * 60;
  hours.end_minute = 18 * 60;
  hours.zone = absl::FixedTimeZone(2 * 3600);                                  // UTC+2
  EXPECT_FALSE(hours.Contains(kMonday + absl::Hours(6) + absl::Minutes(59)));  // 08:59 local
  EXPECT_TRUE(hours.Contains(kMonday + absl::Hours(7)));                       // 09:00 local
  EXPECT_FALSE(hours.Contains(kMonday + absl::Hours(16)));                     // 18:00 local
  EXPECT_FALSE(hours.Contains(kMonday + absl::Hours(24 + 7)));                 // Tuesday
}

}  // namespace
}  // namespace ff
