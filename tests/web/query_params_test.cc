#include "adapters/web/query_params.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/status_matchers.h"

namespace ff::web {
namespace {

using ::ff::testing::IsOk;
using ::ff::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::StartsWith;

TEST(ParseIncidentListQueryTest, EmptyMeansEverythingWithTwentyClosed) {
  absl::StatusOr<IncidentListQuery> query = ParseIncidentListQuery({});
  ASSERT_THAT(query, IsOk());
  EXPECT_TRUE(query->statuses.empty());
  EXPECT_TRUE(query->severities.empty());
  EXPECT_EQ(query->domain, "");
  EXPECT_EQ(query->text, "");
  EXPECT_EQ(query->closed_limit, 20);
}

TEST(ParseIncidentListQueryTest, ListsAreCommaSeparatedOrRepeatedAndCaseInsensitive) {
  absl::StatusOr<IncidentListQuery> query = ParseIncidentListQuery({{"status", "open,Fixing"},
                                                                    {"status", "fixing"},
                                                                    {"severity", "SEV1"},
                                                                    {"domain", " Payment "},
                                                                    {"q", " checkout "},
                                                                    {"closed_limit", "0"}});
  ASSERT_THAT(query, IsOk());
  EXPECT_THAT(query->statuses, ElementsAre(pb::STATUS_OPEN, pb::STATUS_FIXING));
  EXPECT_THAT(query->severities, ElementsAre(pb::SEVERITY_SEV1));
  EXPECT_EQ(query->domain, "payment");
  EXPECT_EQ(query->text, "checkout");
  EXPECT_EQ(query->closed_limit, 0);
}

// Any spelling the vocabulary reads: proto enum names, labels, numbers.
TEST(ParseIncidentListQueryTest, AcceptsTheVocabularysAliases) {
  absl::StatusOr<IncidentListQuery> query = ParseIncidentListQuery(
      {{"status", "STATUS_FIXING, Investigating"}, {"severity", "1,SEVERITY_SEV2, sev3"}});
  ASSERT_THAT(query, IsOk());
  EXPECT_THAT(query->statuses, ElementsAre(pb::STATUS_FIXING, pb::STATUS_INVESTIGATING));
  EXPECT_THAT(query->severities,
              ElementsAre(pb::SEVERITY_SEV1, pb::SEVERITY_SEV2, pb::SEVERITY_SEV3));
}

TEST(ParseIncidentListQueryTest, ErrorsStartWithTheParameter) {
  EXPECT_THAT(ParseIncidentListQuery({{"status", "opened"}}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       StartsWith("status: unknown value \"opened\"; expected one of open,")));
  EXPECT_THAT(ParseIncidentListQuery({{"severity", "sev9"}}),
              StatusIs(absl::StatusCode::kInvalidArgument, StartsWith("severity: ")));
  EXPECT_THAT(ParseIncidentListQuery({{"closed_limit", "501"}}),
              StatusIs(absl::StatusCode::kInvalidArgument, StartsWith("closed_limit: ")));
  EXPECT_THAT(ParseIncidentListQuery({{"closed_limit", "ten"}}),
              StatusIs(absl::StatusCode::kInvalidArgument, StartsWith("closed_limit: ")));
  EXPECT_THAT(ParseIncidentListQuery({{"domain", "a"}, {"domain", "b"}}),
              StatusIs(absl::StatusCode::kInvalidArgument, "domain: given more than once"));
  EXPECT_THAT(ParseIncidentListQuery({{"sev", "1"}}),
              StatusIs(absl::StatusCode::kInvalidArgument, StartsWith("sev: unknown parameter")));
}

TEST(ParseInsightsQueryTest, DefaultsToTwelveWholeWeeksEndingToday) {
  // 2024-05-30 is a Thursday; its week starts on Monday 2024-05-27.
  absl::StatusOr<InsightsQuery> query = ParseInsightsQuery({}, absl::CivilDay(2024, 5, 30));
  ASSERT_THAT(query, IsOk());
  EXPECT_EQ(query->to, absl::CivilDay(2024, 5, 30));
  EXPECT_EQ(query->from, absl::CivilDay(2024, 3, 11));
  EXPECT_EQ(absl::GetWeekday(query->from), absl::Weekday::monday);
}

TEST(ParseInsightsQueryTest, RejectsBadDatesAndRanges) {
  absl::CivilDay today(2024, 5, 30);
  EXPECT_THAT(ParseInsightsQuery({{"from", "2024-13-01"}}, today),
              StatusIs(absl::StatusCode::kInvalidArgument, StartsWith("from: ")));
  EXPECT_THAT(ParseInsightsQuery({{"to", "yesterday"}}, today),
              StatusIs(absl::StatusCode::kInvalidArgument, StartsWith("to: ")));
  EXPECT_THAT(ParseInsightsQuery({{"from", "2024-05-02"}, {"to", "2024-05-01"}}, today),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("is after to")));
  EXPECT_THAT(ParseInsightsQuery({{"from", "2020-01-01"}, {"to", "2024-01-01"}}, today),
              StatusIs(absl::StatusCode::kInvalidArgument, StartsWith("from: the range is")));
  EXPECT_THAT(ParseInsightsQuery({{"from", "2024-05-01"}, {"to", "2024-05-01"}}, today), IsOk());
}

TEST(ParseIncidentIdTest, PositiveIntegersOnly) {
  EXPECT_THAT(ParseIncidentId("42"), IsOk());
  EXPECT_EQ(*ParseIncidentId("42"), 42);
  for (const char* bad : {"0", "-1", "abc", "4x", ""}) {
    EXPECT_THAT(ParseIncidentId(bad),
                StatusIs(absl::StatusCode::kInvalidArgument, StartsWith("id:")))
        << bad;
  }
}

TEST(ParameterOfTest, TextBeforeTheFirstColon) {
  EXPECT_EQ(ParameterOf("severity: unknown value \"x\": y"), "severity");
  EXPECT_EQ(ParameterOf("no colon"), "");
}

}  // namespace
}  // namespace ff::web
