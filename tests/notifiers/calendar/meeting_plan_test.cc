#include "server/notifiers/calendar/meeting_plan.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace ff {
namespace {

using ::testing::ElementsAre;

absl::Time Utc(int y, int m, int d, int hh, int mm = 0) {
  return absl::FromCivil(absl::CivilMinute(y, m, d, hh, mm), absl::UTCTimeZone());
}

TEST(PlanMeetingStartTest, SameDayWhenTheHourIsStillAhead) {
  // Monday 2026-01-05 10:00 + 48h = Wednesday 10:00 → Wednesday 14:00.
  EXPECT_EQ(PlanMeetingStart(Utc(2026, 1, 5, 10), absl::Hours(48), 14), Utc(2026, 1, 7, 14));
}

TEST(PlanMeetingStartTest, NextDayWhenTheHourHasPassed) {
  // Monday 16:00 + 48h = Wednesday 16:00 → Thursday 14:00.
  EXPECT_EQ(PlanMeetingStart(Utc(2026, 1, 5, 16), absl::Hours(48), 14), Utc(2026, 1, 8, 14));
}

TEST(PlanMeetingStartTest, SkipsTheWeekend) {
  // Friday 2026-01-09 10:00 + 48h = Sunday → Monday 14:00.
  EXPECT_EQ(PlanMeetingStart(Utc(2026, 1, 9, 10), absl::Hours(48), 14), Utc(2026, 1, 12, 14));
  // Thursday 15:00 + 24h = Friday 15:00 → Monday 09:00 with hour 9.
  EXPECT_EQ(PlanMeetingStart(Utc(2026, 1, 8, 15), absl::Hours(24), 9), Utc(2026, 1, 12, 9));
}

TEST(PlanMeetingStartTest, ExactlyOnTheHourIsKept) {
  EXPECT_EQ(PlanMeetingStart(Utc(2026, 1, 5, 14), absl::Hours(48), 14), Utc(2026, 1, 7, 14));
}

TEST(LooksLikeEmailTest, AcceptsAddressesRejectsHandles) {
  EXPECT_TRUE(LooksLikeEmail("alice@example.com"));
  EXPECT_TRUE(LooksLikeEmail("a.b+tag@sub.example.co"));
  EXPECT_FALSE(LooksLikeEmail("alice"));
  EXPECT_FALSE(LooksLikeEmail("U024BE7LH"));
  EXPECT_FALSE(LooksLikeEmail("@alice"));
  EXPECT_FALSE(LooksLikeEmail("alice@localhost."));
  EXPECT_FALSE(LooksLikeEmail("a@b@example.com"));
  EXPECT_FALSE(LooksLikeEmail("a b@example.com"));
  EXPECT_FALSE(LooksLikeEmail("a;x@example.com"));
  EXPECT_FALSE(LooksLikeEmail("a@example.com\r\nATTENDEE:x"));
}

TEST(AttendeeEmailsTest, KeepsEmailsLowerCasedOnce) {
  pb::Incident incident;
  for (const char* p : {"Alice@Example.com", "bob", "carol@example.com", "alice@example.com"}) {
    incident.add_participants(p);
  }
  EXPECT_THAT(AttendeeEmails(incident), ElementsAre("alice@example.com", "carol@example.com"));
}

TEST(FormatMeetingTimeTest, IsUtc) {
  EXPECT_EQ(FormatMeetingTime(Utc(2026, 1, 7, 14)), "2026-01-07 14:00 UTC");
}

}  // namespace
}  // namespace ff
