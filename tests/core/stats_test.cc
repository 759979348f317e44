#include "server/core/stats.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/core/time_util.h"
#include "tests/testing/status_matchers.h"

namespace ff {
namespace {

using ::ff::testing::IsOk;
using ::ff::testing::StatusIs;

std::vector<absl::Duration> Minutes(std::vector<int> values) {
  std::vector<absl::Duration> out;
  for (int v : values) out.push_back(absl::Minutes(v));
  return out;
}

TEST(NearestRankPercentile, IsTheValueAtRankCeilPN) {
  // n = 1: every percentile is the one value.
  EXPECT_EQ(NearestRankPercentile(Minutes({7}), 50), absl::Minutes(7));
  EXPECT_EQ(NearestRankPercentile(Minutes({7}), 90), absl::Minutes(7));
  // n = 4: p50 → rank 2, p90 → rank ceil(3.6) = 4.
  EXPECT_EQ(NearestRankPercentile(Minutes({1, 5, 10, 15}), 50), absl::Minutes(5));
  EXPECT_EQ(NearestRankPercentile(Minutes({1, 5, 10, 15}), 90), absl::Minutes(15));
  // n = 10: p90 → rank 9, not the maximum.
  EXPECT_EQ(NearestRankPercentile(Minutes({1, 2, 3, 4, 5, 6, 7, 8, 9, 10}), 90), absl::Minutes(9));
  EXPECT_EQ(NearestRankPercentile(Minutes({1, 2, 3, 4, 5, 6, 7, 8, 9, 10}), 50), absl::Minutes(5));
}

TEST(ValidateStatsRequest, DefaultsToThirtyDaysEndingNow) {
  absl::Time now = absl::FromUnixSeconds(1767571200);
  auto query = ValidateStatsRequest(pb::GetStatsRequest(), now);
  ASSERT_THAT(query, IsOk());
  EXPECT_EQ(query->end, now);
  EXPECT_EQ(query->start, now - absl::Hours(24 * 30));
}

TEST(ValidateStatsRequest, RefusesAnEmptyRangeNamingStart) {
  pb::GetStatsRequest r;
  *r.mutable_start() = ToTimestamp(absl::FromUnixSeconds(100));
  *r.mutable_end() = ToTimestamp(absl::FromUnixSeconds(100));
  EXPECT_THAT(ValidateStatsRequest(r, absl::Now()),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "start 1970-01-01T00:01:40+00:00 must be before end "
                       "1970-01-01T00:01:40+00:00"));
}

TEST(StatsAccumulator, AcknowledgedIsTheFirstMoveOutOfOpenAndFixCountsFromOccurred) {
  absl::Time t = absl::FromUnixSeconds(1767571200);
  StatsAccumulator stats({t, t + absl::Hours(1), "", {}});
  pb::Incident i;
  i.set_domain("payment");
  i.set_severity(pb::SEVERITY_SEV2);
  *i.mutable_created_at() = ToTimestamp(t);
  *i.mutable_occurred_at() = ToTimestamp(t - absl::Minutes(20));
  *i.mutable_fixing_at() = ToTimestamp(t + absl::Minutes(3));
  *i.mutable_investigating_at() = ToTimestamp(t + absl::Minutes(8));  // after a step back
  *i.mutable_fixed_at() = ToTimestamp(t + absl::Minutes(10));
  stats.Add(i);
  pb::Incident later = i;
  *later.mutable_created_at() = ToTimestamp(t + absl::Hours(1));  // the end is excluded
  stats.Add(later);
  pb::GetStatsResponse r = stats.Result();
  EXPECT_EQ(r.total().incidents(), 1);
  EXPECT_EQ(r.total().time_to_acknowledge().p50().seconds(), 3 * 60);
  EXPECT_EQ(r.total().time_to_fix().p50().seconds(), 30 * 60);
  EXPECT_EQ(r.total().time_to_close().count(), 0);
  EXPECT_FALSE(r.total().time_to_close().has_p50());
}

pb::Incident Fixed(absl::Time opened, pb::Severity severity, absl::Duration took) {
  pb::Incident i;
  i.set_domain("payment");
  i.set_severity(severity);
  *i.mutable_created_at() = ToTimestamp(opened);
  *i.mutable_fixed_at() = ToTimestamp(opened + took);
  return i;
}

TEST(StatsAccumulator, MeanAndMaxBesideThePercentiles) {
  absl::Time t = absl::FromUnixSeconds(1767571200);
  StatsAccumulator stats({t, t + absl::Hours(1), "", {}});
  for (int minutes : {10, 20, 60}) {
    stats.Add(Fixed(t, pb::SEVERITY_SEV2, absl::Minutes(minutes)));
  }
  pb::MilestoneStats fix = stats.Result().total().time_to_fix();
  EXPECT_EQ(fix.count(), 3);
  EXPECT_EQ(fix.p50().seconds(), 20 * 60);
  EXPECT_EQ(fix.mean().seconds(), 30 * 60);
  EXPECT_EQ(fix.max().seconds(), 60 * 60);
}

TEST(StatsAccumulator, WeeklyListsEveryWeekOfTheRangeEmptyOnesToo) {
  // 2026-01-07 is a Wednesday; the range ends on Tuesday 2026-01-27.
  absl::Time start = absl::FromCivil(absl::CivilDay(2026, 1, 7), absl::UTCTimeZone());
  absl::Time end = absl::FromCivil(absl::CivilDay(2026, 1, 27), absl::UTCTimeZone());
  StatsAccumulator stats({start, end, "", {}, /*weekly=*/true});
  stats.Add(Fixed(start + absl::Hours(1), pb::SEVERITY_SEV1, absl::Minutes(5)));
  stats.Add(Fixed(end - absl::Hours(1), pb::SEVERITY_SEV3, absl::Minutes(7)));
  pb::GetStatsResponse r = stats.Result();
  ASSERT_EQ(r.by_week_size(), 4);
  EXPECT_EQ(FromTimestamp(r.by_week(0).start()),
            absl::FromCivil(absl::CivilDay(2026, 1, 5), absl::UTCTimeZone()));
  EXPECT_EQ(r.by_week(0).total().incidents(), 1);
  ASSERT_EQ(r.by_week(0).by_severity_size(), 1);
  EXPECT_EQ(r.by_week(0).by_severity(0).severity(), pb::SEVERITY_SEV1);
  EXPECT_EQ(r.by_week(1).total().incidents(), 0);
  EXPECT_EQ(r.by_week(2).total().incidents(), 0);
  EXPECT_EQ(FromTimestamp(r.by_week(3).start()),
            absl::FromCivil(absl::CivilDay(2026, 1, 26), absl::UTCTimeZone()));
  EXPECT_EQ(r.by_week(3).by_severity(0).time_to_fix().p50().seconds(), 7 * 60);
}

TEST(StatsAccumulator, NoWeeksUnlessAsked) {
  absl::Time t = absl::FromUnixSeconds(1767571200);
  StatsAccumulator stats({t, t + absl::Hours(1), "", {}});
  stats.Add(Fixed(t, pb::SEVERITY_SEV2, absl::Minutes(1)));
  EXPECT_EQ(stats.Result().by_week_size(), 0);
}

TEST(ValidateStatsRequest, RefusesWeeklyOverTooManyWeeksNamingWeekly) {
  pb::GetStatsRequest r;
  r.set_weekly(true);
  absl::Time end = absl::FromUnixSeconds(1767571200);
  *r.mutable_end() = ToTimestamp(end);
  *r.mutable_start() = ToTimestamp(end - absl::Hours(24 * 7 * kMaxStatsWeeks));
  EXPECT_THAT(
      ValidateStatsRequest(r, end),
      StatusIs(absl::StatusCode::kInvalidArgument, "weekly: the range spans more than 1000 weeks"));
  *r.mutable_start() = ToTimestamp(end - absl::Hours(24 * 7 * (kMaxStatsWeeks - 2)));
  EXPECT_THAT(ValidateStatsRequest(r, end), IsOk());
}

}  // namespace
}  // namespace ff
