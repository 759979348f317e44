#include "adapters/web/query_params.h"

#include "absl/strings/str_cat.h"
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

// Found by web_query_params_fuzzer: signed and short years parsed, and a day
// so read did not write back as the same text.
TEST(ParseInsightsQueryTest, RejectsYearsThatAreNotFourDigits) {
  absl::CivilDay today(2024, 5, 30);
  for (const char* bad : {"-024-02-20", "0024-02-20", "+024-02-20", "2024-2-020"}) {
    EXPECT_THAT(ParseInsightsQuery({{"to", bad}}, today),
                StatusIs(absl::StatusCode::kInvalidArgument,
                         absl::StrCat("to: \"", bad, "\" is not a date like 2024-05-31")))
        << bad;
  }
  EXPECT_THAT(ParseInsightsQuery({{"to", "1969-12-31"}}, today),
              StatusIs(absl::StatusCode::kInvalidArgument, "to: 1969-12-31 is before 1970-01-01"));
  absl::StatusOr<InsightsQuery> first = ParseInsightsQuery({{"to", "1970-01-02"}}, today);
  ASSERT_THAT(first, IsOk());
  EXPECT_EQ(first->from, kFirstInsightsDay);
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

// Messages quoted whole values and named unknown parameters whole, colons
// included, so a long value made a long answer and ParameterOf read back a
// wrong name (web_query_params_fuzzer checks both for any input).
TEST(ParseIncidentListQueryTest, ErrorsQuoteAShortPrefixOfTheValue) {
  std::string value = "1" + std::string(5000, 'x');
  EXPECT_THAT(ParseIncidentListQuery({{"closed_limit", value}}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "closed_limit: \"1xxxxxxxxxxxxxxxxxxxxxxx…\" is not a whole number "
                       "from 0 to 500"));
  EXPECT_THAT(ParseInsightsQuery({{"to", "2024-05-31\n"}}, absl::CivilDay(2024, 5, 30)),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "to: \"2024-05-31\\n\" is not a date like 2024-05-31"));
  EXPECT_THAT(ParseIncidentId(std::string(30, '9')),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "id: \"999999999999999999999999…\" is not an incident number"));
}

TEST(ParseIncidentListQueryTest, NamesAnOddUnknownParameterByItsQuotedPrefix) {
  absl::Status status = ParseIncidentListQuery({{"a:b", "1"}}).status();
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument,
                               StartsWith("\"a\\x3ab\": unknown parameter; expected one of")));
  EXPECT_EQ(ParameterOf(status.message()), "\"a\\x3ab\"");
  EXPECT_THAT(CheckNoParams({{std::string(100, 'p'), ""}}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "\"pppppppppppppppppppppppp…\": this endpoint takes no parameters"));
  EXPECT_THAT(CheckNoParams({{"page[size]", "1"}}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "page[size]: this endpoint takes no parameters"));
}

TEST(ParameterOfTest, TextBeforeTheFirstColon) {
  EXPECT_EQ(ParameterOf("severity: unknown value \"x\": y"), "severity");
  EXPECT_EQ(ParameterOf("no colon"), "");
}

TEST(ParseFollowUpListQueryTest, EmptyIsEveryFollowUpInPagesOfAHundred) {
  absl::StatusOr<pb::ListFollowUpsRequest> request = ParseFollowUpListQuery({});
  ASSERT_THAT(request, IsOk());
  EXPECT_EQ(request->incident_id(), 0);
  EXPECT_EQ(request->owner(), "");
  EXPECT_TRUE(request->statuses().empty());
  EXPECT_FALSE(request->overdue());
  EXPECT_EQ(request->page_size(), kDefaultFollowUpPageSize);
  EXPECT_EQ(request->page_token(), "");
}

TEST(ParseFollowUpListQueryTest, ReadsEveryFilter) {
  absl::StatusOr<pb::ListFollowUpsRequest> request =
      ParseFollowUpListQuery({{"incident", "12"},
                              {"owner", " bob@example.com "},
                              {"status", "open,Done"},
                              {"status", "open"},
                              {"overdue", "true"},
                              {"page_size", "500"},
                              {"page_token", "abc"}});
  ASSERT_THAT(request, IsOk());
  EXPECT_EQ(request->incident_id(), 12);
  EXPECT_EQ(request->owner(), "bob@example.com");
  EXPECT_THAT(request->statuses(),
              ElementsAre(pb::FOLLOW_UP_STATUS_OPEN, pb::FOLLOW_UP_STATUS_DONE));
  EXPECT_TRUE(request->overdue());
  EXPECT_EQ(request->page_size(), 500);
  EXPECT_EQ(request->page_token(), "abc");
  EXPECT_FALSE(ParseFollowUpListQuery({{"overdue", "0"}})->overdue());
  EXPECT_TRUE(ParseFollowUpListQuery({{"overdue", "1"}})->overdue());
}

TEST(ParseFollowUpListQueryTest, BadValuesNameTheirParameter) {
  EXPECT_THAT(ParseFollowUpListQuery({{"status", "closed"}}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "status: unknown value \"closed\"; expected one of open, done, cancelled"));
  EXPECT_THAT(
      ParseFollowUpListQuery({{"overdue", "maybe"}}),
      StatusIs(absl::StatusCode::kInvalidArgument, "overdue: \"maybe\" is not true or false"));
  EXPECT_THAT(ParseFollowUpListQuery({{"page_size", "0"}}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "page_size: \"0\" is not a whole number from 1 to 500"));
  EXPECT_THAT(
      ParseFollowUpListQuery({{"incident", "#3"}}),
      StatusIs(absl::StatusCode::kInvalidArgument, "incident: \"#3\" is not an incident number"));
  EXPECT_THAT(ParseFollowUpListQuery({{"owner", "a"}, {"owner", "b"}}),
              StatusIs(absl::StatusCode::kInvalidArgument, "owner: given more than once"));
  EXPECT_THAT(
      ParseFollowUpListQuery({{"severity", "sev1"}}),
      StatusIs(absl::StatusCode::kInvalidArgument, StartsWith("severity: unknown parameter")));
}

TEST(ParseFollowUpIdTest, PositiveNumbersOnly) {
  EXPECT_EQ(*ParseFollowUpId("7"), 7);
  EXPECT_THAT(ParseFollowUpId("FU-7"), StatusIs(absl::StatusCode::kInvalidArgument,
                                                "id: \"FU-7\" is not a follow-up number"));
  EXPECT_THAT(ParseFollowUpId("0"), StatusIs(absl::StatusCode::kInvalidArgument));
}

}  // namespace
}  // namespace ff::web
