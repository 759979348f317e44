#include "adapters/web/insights.h"

#include <vector>

#include "absl/time/civil_time.h"
#include "gtest/gtest.h"
#include "server/core/stats.h"

namespace ff::web {
namespace {

pb::Incident Opened(absl::CivilSecond when, pb::Severity severity, int fixed_after_minutes = -1) {
  pb::Incident incident;
  incident.set_severity(severity);
  absl::Time opened = absl::FromCivil(when, absl::UTCTimeZone());
  incident.mutable_created_at()->set_seconds(absl::ToUnixSeconds(opened));
  if (fixed_after_minutes >= 0) {
    incident.mutable_fixed_at()->set_seconds(
        absl::ToUnixSeconds(opened + absl::Minutes(fixed_after_minutes)));
  }
  return incident;
}

// Insights runs `incidents` through the core's own GetStats arithmetic with
// the request the dashboard sends, then reshapes the answer as the dashboard
// does.
nlohmann::json Insights(const std::vector<pb::Incident>& incidents, const InsightsQuery& query) {
  absl::StatusOr<StatsQuery> stats_query =
      ValidateStatsRequest(StatsRequestFor(query), absl::Now());
  EXPECT_TRUE(stats_query.ok()) << stats_query.status();
  StatsAccumulator stats(*stats_query);
  for (const pb::Incident& incident : incidents) stats.Add(incident);
  return InsightsJson(stats.Result(), query);
}

TEST(InsightsJsonTest, CountsPerWeekAndSeverityIncludingEmptyWeeks) {
  // 2024-05-06 and 2024-05-20 are Mondays; the range starts mid-week.
  InsightsQuery query{absl::CivilDay(2024, 5, 8), absl::CivilDay(2024, 5, 21)};
  std::vector<pb::Incident> incidents = {
      Opened(absl::CivilSecond(2024, 5, 8, 9, 0, 0), pb::SEVERITY_SEV1),
      Opened(absl::CivilSecond(2024, 5, 12, 23, 59, 59), pb::SEVERITY_SEV3),  // Sunday: same week
      Opened(absl::CivilSecond(2024, 5, 21, 12, 0, 0), pb::SEVERITY_SEV3),
      Opened(absl::CivilSecond(2024, 5, 7, 12, 0, 0), pb::SEVERITY_SEV1),  // before the range
      Opened(absl::CivilSecond(2024, 5, 22, 0, 0, 0), pb::SEVERITY_SEV1),  // after it
  };
  nlohmann::json json = Insights(incidents, query);
  EXPECT_EQ(json["from"], "2024-05-08");
  EXPECT_EQ(json["to"], "2024-05-21");
  ASSERT_EQ(json["weeks"].size(), 3u);
  EXPECT_EQ(json["weeks"][0]["start"], "2024-05-06");
  EXPECT_EQ(json["weeks"][0]["counts"],
            (nlohmann::json{{"sev1", 1}, {"sev2", 0}, {"sev3", 1}, {"sev4", 0}, {"sev5", 0}}));
  EXPECT_EQ(json["weeks"][1]["start"], "2024-05-13");
  EXPECT_EQ(json["weeks"][1]["counts"]["sev3"], 0);
  EXPECT_EQ(json["weeks"][2]["start"], "2024-05-20");
  EXPECT_EQ(json["weeks"][2]["counts"]["sev3"], 1);
}

TEST(InsightsJsonTest, TimeToFixIsGetStatsPerSeverity) {
  InsightsQuery query{absl::CivilDay(2024, 5, 1), absl::CivilDay(2024, 5, 31)};
  std::vector<pb::Incident> incidents = {
      Opened(absl::CivilSecond(2024, 5, 2, 10, 0, 0), pb::SEVERITY_SEV2, 30),
      Opened(absl::CivilSecond(2024, 5, 3, 10, 0, 0), pb::SEVERITY_SEV2, 90),
      Opened(absl::CivilSecond(2024, 5, 4, 10, 0, 0), pb::SEVERITY_SEV2, 60),
      Opened(absl::CivilSecond(2024, 5, 5, 10, 0, 0), pb::SEVERITY_SEV2),  // not fixed yet
      Opened(absl::CivilSecond(2024, 5, 5, 10, 0, 0), pb::SEVERITY_SEV4, 10),
      Opened(absl::CivilSecond(2024, 5, 6, 10, 0, 0), pb::SEVERITY_SEV4, 20),
  };
  nlohmann::json rows = Insights(incidents, query)["time_to_fix"];
  ASSERT_EQ(rows.size(), 5u);
  EXPECT_EQ(rows[0], (nlohmann::json{{"severity", "sev1"},
                                     {"opened", 0},
                                     {"fixed", 0},
                                     {"median_seconds", nullptr},
                                     {"p90_seconds", nullptr},
                                     {"mean_seconds", nullptr},
                                     {"max_seconds", nullptr}}));
  EXPECT_EQ(rows[1]["opened"], 4);
  EXPECT_EQ(rows[1]["fixed"], 3);
  EXPECT_EQ(rows[1]["median_seconds"], 60 * 60);
  EXPECT_EQ(rows[1]["p90_seconds"], 90 * 60);
  EXPECT_EQ(rows[1]["mean_seconds"], 60 * 60);
  EXPECT_EQ(rows[1]["max_seconds"], 90 * 60);
  // Even count: the nearest rank, as GetStats reports it, not a mean of the
  // middle two.
  EXPECT_EQ(rows[3]["median_seconds"], 10 * 60);
  EXPECT_EQ(rows[3]["mean_seconds"], 15 * 60);
}

}  // namespace
}  // namespace ff::web
