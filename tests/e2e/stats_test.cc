// GetStats against the real server, on incidents seeded with known times:
// every count and percentile below is worked out by hand from the table in
// tests/testing/incident_seed.h (nearest rank: the value at rank
// ceil(p/100 * n) of the sorted durations).
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "server/core/time_util.h"
#include "tests/e2e/e2e_fixture.h"
#include "tests/testing/incident_seed.h"

namespace ff::testing {
namespace {

constexpr int64_t kMinute = 60;
constexpr int64_t kHour = 3600;

class StatsTest : public E2eTest {
 protected:
  void SetUp() override {
    absl::Status seeded = SeedIncidents(db_path(), StatsScenario());
    ASSERT_TRUE(seeded.ok()) << seeded;
    StartServer();
  }

  // TheDay asks for the incidents opened on kStatsDay.
  static pb::GetStatsRequest TheDay() {
    pb::GetStatsRequest r;
    *r.mutable_start() = ToTimestamp(kStatsDay);
    *r.mutable_end() = ToTimestamp(kStatsDay + absl::Hours(24));
    return r;
  }
};

// Milestone is "count p50 p90" in seconds, compared as one string so a
// failure shows the whole milestone.
std::string Milestone(const pb::MilestoneStats& m) {
  if (m.count() == 0) return absl::StrCat("0", m.has_p50() ? " p50 set!" : "");
  return absl::StrCat(m.count(), " ", m.p50().seconds(), " ", m.p90().seconds());
}
std::string Expect(int count, int64_t p50 = 0, int64_t p90 = 0) {
  return count == 0 ? "0" : absl::StrCat(count, " ", p50, " ", p90);
}

TEST_F(StatsTest, TotalsAndPercentilesMatchTheHandComputedValues) {
  auto stats = GetStats(TheDay());
  ASSERT_TRUE(stats.ok()) << stats.status.error_message();
  const pb::GetStatsResponse& r = stats.response;
  EXPECT_EQ(FromTimestamp(r.start()), kStatsDay);
  const pb::StatsGroup& all = r.total();
  EXPECT_EQ(all.incidents(), 5);  // #6 opened two days before
  EXPECT_EQ(all.closed(), 3);     // #1, #3, #4
  // Acknowledged: 5m (#1), 15m (#2), 10m (#3, straight to fixing), 1m (#5).
  EXPECT_EQ(Milestone(all.time_to_acknowledge()), Expect(4, 5 * kMinute, 15 * kMinute));
  // Fixed: 70m (#1, from occurred), 3h (#2), 30m (#3).
  EXPECT_EQ(Milestone(all.time_to_fix()), Expect(3, 70 * kMinute, 3 * kHour));
  // Closed: 24h (#1), 2h (#3), 2m (#4, a mistake).
  EXPECT_EQ(Milestone(all.time_to_close()), Expect(3, 2 * kHour, 24 * kHour));
}

TEST_F(StatsTest, PerSeverityAndPerDomain) {
  auto stats = GetStats(TheDay());
  ASSERT_TRUE(stats.ok()) << stats.status.error_message();
  const auto& sev = stats.response.by_severity();
  ASSERT_EQ(sev.size(), 3);
  EXPECT_EQ(sev[0].severity(), pb::SEVERITY_SEV1);
  EXPECT_EQ(sev[0].incidents(), 2);
  EXPECT_EQ(sev[0].closed(), 1);
  EXPECT_EQ(Milestone(sev[0].time_to_acknowledge()), Expect(2, 5 * kMinute, 15 * kMinute));
  EXPECT_EQ(Milestone(sev[0].time_to_fix()), Expect(2, 70 * kMinute, 3 * kHour));
  EXPECT_EQ(Milestone(sev[0].time_to_close()), Expect(1, 24 * kHour, 24 * kHour));
  EXPECT_EQ(sev[1].severity(), pb::SEVERITY_SEV2);
  EXPECT_EQ(sev[1].incidents(), 2);
  EXPECT_EQ(Milestone(sev[1].time_to_acknowledge()), Expect(2, 1 * kMinute, 10 * kMinute));
  EXPECT_EQ(Milestone(sev[1].time_to_fix()), Expect(1, 30 * kMinute, 30 * kMinute));
  EXPECT_EQ(Milestone(sev[1].time_to_close()), Expect(1, 2 * kHour, 2 * kHour));
  EXPECT_EQ(sev[2].severity(), pb::SEVERITY_SEV3);
  EXPECT_EQ(sev[2].incidents(), 1);
  EXPECT_EQ(Milestone(sev[2].time_to_acknowledge()), Expect(0));
  EXPECT_EQ(Milestone(sev[2].time_to_close()), Expect(1, 2 * kMinute, 2 * kMinute));

  const auto& dom = stats.response.by_domain();
  ASSERT_EQ(dom.size(), 2);
  EXPECT_EQ(dom[0].domain(), "payment");
  EXPECT_EQ(dom[0].incidents(), 3);
  EXPECT_EQ(dom[0].closed(), 3);
  EXPECT_EQ(Milestone(dom[0].time_to_acknowledge()), Expect(2, 5 * kMinute, 10 * kMinute));
  EXPECT_EQ(Milestone(dom[0].time_to_fix()), Expect(2, 30 * kMinute, 70 * kMinute));
  EXPECT_EQ(Milestone(dom[0].time_to_close()), Expect(3, 2 * kHour, 24 * kHour));
  EXPECT_EQ(dom[1].domain(), "search");
  EXPECT_EQ(dom[1].incidents(), 2);
  EXPECT_EQ(dom[1].closed(), 0);
  EXPECT_EQ(Milestone(dom[1].time_to_acknowledge()), Expect(2, 1 * kMinute, 15 * kMinute));
  EXPECT_EQ(Milestone(dom[1].time_to_fix()), Expect(1, 3 * kHour, 3 * kHour));
  EXPECT_EQ(Milestone(dom[1].time_to_close()), Expect(0));
}

TEST_F(StatsTest, FiltersBySeverityAndDomain) {
  pb::GetStatsRequest request = TheDay();
  request.add_severities(pb::SEVERITY_SEV2);
  request.set_domain("payment");
  auto stats = GetStats(request);
  ASSERT_TRUE(stats.ok()) << stats.status.error_message();
  EXPECT_EQ(stats.response.total().incidents(), 1);  // #3 alone
  EXPECT_EQ(Milestone(stats.response.total().time_to_acknowledge()),
            Expect(1, 10 * kMinute, 10 * kMinute));
  EXPECT_EQ(Milestone(stats.response.total().time_to_close()), Expect(1, 2 * kHour, 2 * kHour));
}

TEST_F(StatsTest, RangeIncludesItsStartAndExcludesItsEnd) {
  pb::GetStatsRequest request;
  *request.mutable_start() = ToTimestamp(kStatsDay + absl::Hours(1));  // #2 opened then
  *request.mutable_end() = ToTimestamp(kStatsDay + absl::Hours(4));    // #5 opened then
  auto stats = GetStats(request);
  ASSERT_TRUE(stats.ok()) << stats.status.error_message();
  EXPECT_EQ(stats.response.total().incidents(), 3);  // #2, #3, #4
}

TEST_F(StatsTest, BadInputIsInvalidArgumentNamingTheField) {
  pb::GetStatsRequest inverted;
  *inverted.mutable_start() = ToTimestamp(kStatsDay + absl::Hours(1));
  *inverted.mutable_end() = ToTimestamp(kStatsDay);
  auto r = GetStats(inverted);
  EXPECT_EQ(r.status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(r.status.error_message(),
            "start 2026-01-05T01:00:00+00:00 must be before end 2026-01-05T00:00:00+00:00");

  pb::GetStatsRequest empty = TheDay();
  *empty.mutable_end() = empty.start();
  EXPECT_EQ(GetStats(empty).status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);

  pb::GetStatsRequest severity = TheDay();
  severity.add_severities(static_cast<pb::Severity>(9));
  r = GetStats(severity);
  EXPECT_EQ(r.status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(r.status.error_message(), "severities contains SEVERITY(9), which is not a severity");

  pb::GetStatsRequest bad_time = TheDay();
  bad_time.mutable_end()->set_nanos(-1);
  r = GetStats(bad_time);
  EXPECT_EQ(r.status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(r.status.error_message(), "end is not a valid timestamp");

  pb::GetStatsRequest bad_start = TheDay();
  bad_start.mutable_start()->set_seconds(-99999999999);
  r = GetStats(bad_start);
  EXPECT_EQ(r.status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(r.status.error_message(), "start is not a valid timestamp");
}

TEST_F(StatsTest, DefaultRangeIsTheLastThirtyDays) {
  auto stats = GetStats(pb::GetStatsRequest());
  ASSERT_TRUE(stats.ok()) << stats.status.error_message();
  absl::Time start = FromTimestamp(stats.response.start());
  absl::Time end = FromTimestamp(stats.response.end());
  EXPECT_EQ(end - start, absl::Hours(24 * 30));
  // The seeded incidents lie in early 2026; whatever today is, the counts
  // agree with the range the server reports.
  int expected = 0;
  for (const SeededIncident& s : StatsScenario()) expected += s.opened >= start && s.opened < end;
  EXPECT_EQ(stats.response.total().incidents(), expected);
}

}  // namespace
}  // namespace ff::testing
