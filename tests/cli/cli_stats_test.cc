// `ff stats` against the real server on the seeded incidents of
// tests/testing/incident_seed.h; the expected figures are worked out by hand
// from that table (nearest-rank percentiles).
#include <string>
#include <vector>

#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/cli/cli_fixture.h"
#include "tests/testing/incident_seed.h"

namespace ff::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

class CliStatsTest : public CliTest {
 protected:
  void SetUp() override {
    absl::Status seeded = SeedIncidents(dir_.File("ff.db"), StatsScenario());
    ASSERT_TRUE(seeded.ok()) << seeded;
    CliTest::SetUp();
  }
};

// Words splits a table row on runs of spaces.
std::vector<std::string> Words(const std::string& line) {
  return absl::StrSplit(line, ' ', absl::SkipEmpty());
}

TEST_F(CliStatsTest, TablePerSeverityAndDomain) {
  FfResult r = Ff({"stats", "--since", "2026-01-05", "--until", "2026-01-06"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::vector<std::string> lines = Lines(r.out);
  ASSERT_EQ(lines.size(), 10u) << r.out;
  EXPECT_EQ(lines[0], "Incidents opened 2026-01-05 00:00:00 to 2026-01-06 00:00:00: 5 (3 closed)");
  EXPECT_EQ(lines[1], "");
  EXPECT_THAT(Words(lines[2]),
              ElementsAre("GROUP", "INCIDENTS", "ACKED", "ACK", "P50", "ACK", "P90", "FIXED", "FIX",
                          "P50", "FIX", "P90", "CLOSED", "CLOSE", "P50", "CLOSE", "P90"));
  // GROUP INCIDENTS | ACKED p50 p90 | FIXED p50 p90 | CLOSED p50 p90
  EXPECT_THAT(Words(lines[3]), ElementsAre("all", "5", "4", "5m", "15m", "3", "1h10m", "3h00m", "3",
                                           "2h00m", "1d00h"));
  EXPECT_THAT(Words(lines[4]), ElementsAre("sev1", "2", "2", "5m", "15m", "2", "1h10m", "3h00m",
                                           "1", "1d00h", "1d00h"));
  EXPECT_THAT(Words(lines[5]),
              ElementsAre("sev2", "2", "2", "1m", "10m", "1", "30m", "30m", "1", "2h00m", "2h00m"));
  EXPECT_THAT(Words(lines[6]),
              ElementsAre("sev3", "1", "0", "-", "-", "0", "-", "-", "1", "2m", "2m"));
  EXPECT_THAT(Words(lines[7]), ElementsAre("payment", "3", "2", "5m", "10m", "2", "30m", "1h10m",
                                           "3", "2h00m", "1d00h"));
  EXPECT_THAT(Words(lines[8]),
              ElementsAre("search", "2", "2", "1m", "15m", "1", "3h00m", "3h00m", "0", "-", "-"));
  EXPECT_THAT(lines[9], HasSubstr("Fixed: occurred to fixed"));
}

TEST_F(CliStatsTest, JsonWithFilters) {
  FfResult r = Ff({"stats", "-o", "json", "--since", "2026-01-05T00:00:00Z", "--until",
                   "2026-01-06 00:00", "--severity", "sev1", "--domain", "search"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  nlohmann::json stats = ParseJson(r.out);
  EXPECT_EQ(stats["start"], "2026-01-05T00:00:00Z");
  EXPECT_EQ(stats["total"]["incidents"], 1);  // #2
  EXPECT_EQ(stats["total"]["time_to_acknowledge"]["p50"], "900s");
  EXPECT_EQ(stats["total"]["time_to_fix"]["p90"], "10800s");
  EXPECT_EQ(stats["total"]["time_to_close"]["count"], 0);
  EXPECT_EQ(stats["by_domain"][0]["domain"], "search");
}

TEST_F(CliStatsTest, NothingInRange) {
  FfResult r = Ff({"stats", "--since", "2025-01-01", "--until", "2025-02-01"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "Incidents opened 2025-01-01 00:00:00 to 2025-02-01 00:00:00: 0 (0 closed)\n");
}

TEST_F(CliStatsTest, InvertedRangeIsTheServersUsageError) {
  FfResult r = Ff({"stats", "--since", "2026-01-06", "--until", "2026-01-05"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err,
            "ff: cannot compute stats: start 2026-01-06T00:00:00+00:00 must be before end "
            "2026-01-05T00:00:00+00:00\n");
}

TEST_F(CliStatsTest, BadTimeOrSeverityIsAUsageError) {
  FfResult r = Ff({"stats", "--since", "yesterday"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("invalid time 'yesterday'"));
  r = Ff({"stats", "--severity", "9"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("--severity"));
}

}  // namespace
}  // namespace ff::testing
