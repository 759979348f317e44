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

}  // namespace
}  // namespace ff
