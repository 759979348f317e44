// The vocabulary as a unit: every value of every enum has one word, a label
// and a meaning and round-trips through its parser; every alias and every
// spelling an adapter used before parses; anything else is INVALID_ARGUMENT
// naming the field and quoting at most a short prefix.
#include "clients/incident/vocabulary.h"

#include <set>
#include <string>

#include "absl/strings/ascii.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/status_matchers.h"

namespace ff {
namespace {

using ::ff::testing::StatusIs;
using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::EndsWith;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

// Words are lower case ASCII letters and digits joined by single hyphens.
bool IsCanonical(absl::string_view word) {
  if (word.empty() || word.front() == '-' || word.back() == '-') return false;
  for (size_t i = 0; i < word.size(); ++i) {
    char c = word[i];
    bool ok = absl::ascii_islower(c) || absl::ascii_isdigit(c) || (c == '-' && word[i - 1] != '-');
    if (!ok) return false;
  }
  return true;
}

void ExpectCompleteTerm(const Term& term) {
  EXPECT_TRUE(IsCanonical(term.word)) << term.word;
  EXPECT_FALSE(term.label.empty()) << term.word;
  EXPECT_FALSE(term.meaning.empty()) << term.word;
}

// Each enum's test walks the proto descriptor, so a value added to the
// proto without a word fails here.
template <typename Enum, typename ParseFn>
void ExpectEveryValueRoundTrips(const google::protobuf::EnumDescriptor* descriptor,
                                absl::Span<const Enum> all, ParseFn parse) {
  std::vector<Enum> from_proto;
  for (int i = 0; i < descriptor->value_count(); ++i) {
    auto value = static_cast<Enum>(descriptor->value(i)->number());
    if (descriptor->value(i)->number() == 0) {
      EXPECT_EQ(Word(value), "");
      EXPECT_THAT(parse(descriptor->value(i)->name()),
                  StatusIs(absl::StatusCode::kInvalidArgument));
      continue;
    }
    from_proto.push_back(value);
    ExpectCompleteTerm(TermOf(value));
    EXPECT_EQ(*parse(Word(value)), value) << Word(value);
    EXPECT_EQ(*parse(absl::AsciiStrToUpper(Word(value))), value) << Word(value);
    EXPECT_EQ(*parse(descriptor->value(i)->name()), value) << descriptor->value(i)->name();
    for (absl::string_view alias : TermOf(value).aliases) {
      EXPECT_EQ(*parse(alias), value) << alias;
    }
  }
  EXPECT_EQ(std::vector<Enum>(all.begin(), all.end()), from_proto);
}

TEST(VocabularyTest, EveryStatusRoundTrips) {
  ExpectEveryValueRoundTrips(pb::Status_descriptor(), AllStatuses(),
                             [](absl::string_view text) { return ParseStatus(text); });
  EXPECT_EQ(Word(pb::STATUS_INVESTIGATING), "investigating");
  EXPECT_EQ(Label(pb::STATUS_INVESTIGATING), "Investigating");
}

TEST(VocabularyTest, EverySeverityRoundTrips) {
  ExpectEveryValueRoundTrips(pb::Severity_descriptor(), AllSeverities(),
                             [](absl::string_view text) { return ParseSeverity(text); });
  EXPECT_EQ(Word(pb::SEVERITY_SEV1), "sev1");
  EXPECT_EQ(Label(pb::SEVERITY_SEV1), "SEV1");
  EXPECT_EQ(TermOf(pb::SEVERITY_SEV1).meaning,
            "critical, warrants liaison with the executive committee");
}

TEST(VocabularyTest, EveryCloseReasonRoundTrips) {
  ExpectEveryValueRoundTrips(pb::CloseReason_descriptor(), AllCloseReasons(),
                             [](absl::string_view text) { return ParseCloseReason(text); });
  EXPECT_EQ(Word(pb::CLOSE_REASON_NOT_AN_INCIDENT), "not-an-incident");
  EXPECT_EQ(Label(pb::CLOSE_REASON_NOT_AN_INCIDENT), "Not an incident");
}

TEST(VocabularyTest, EveryFollowUpStatusRoundTrips) {
  ExpectEveryValueRoundTrips(pb::FollowUpStatus_descriptor(), AllFollowUpStatuses(),
                             [](absl::string_view text) { return ParseFollowUpStatus(text); });
  EXPECT_EQ(Word(pb::FOLLOW_UP_STATUS_CANCELLED), "cancelled");
  EXPECT_EQ(Label(pb::FOLLOW_UP_STATUS_DONE), "Done");
  EXPECT_THAT(
      ParseFollowUpStatus("closed", "--status"),
      StatusIs(absl::StatusCode::kInvalidArgument,
               "--status: unknown value \"closed\"; expected one of open, done, cancelled"));
}

TEST(VocabularyTest, EveryRoleRoundTripsAndNamesItsField) {
  pb::Roles roles;
  roles.set_commander("alice");
  roles.set_communication_lead("carol");
  roles.set_operations_lead("bob");
  std::vector<std::string> holders;
  for (Role role : AllRoles()) {
    ExpectCompleteTerm(TermOf(role));
    EXPECT_EQ(*ParseRole(Word(role)), role);
    EXPECT_EQ(*ParseRole(RoleField(role)), role);
    for (absl::string_view alias : TermOf(role).aliases) EXPECT_EQ(*ParseRole(alias), role);
    holders.push_back(HolderOf(roles, role));
  }
  EXPECT_THAT(holders, ElementsAre("alice", "carol", "bob"));
  EXPECT_EQ(RoleField(Role::kCommunicationLead), "communication_lead");
  EXPECT_EQ(Label(Role::kCommander), "Incident commander");
}

TEST(VocabularyTest, WordsAreUniqueWithinEachKind) {
  std::set<absl::string_view> statuses, severities, reasons, roles;
  for (pb::Status s : AllStatuses()) EXPECT_TRUE(statuses.insert(Word(s)).second);
  for (pb::Severity s : AllSeverities()) EXPECT_TRUE(severities.insert(Word(s)).second);
  for (pb::CloseReason r : AllCloseReasons()) EXPECT_TRUE(reasons.insert(Word(r)).second);
  for (Role r : AllRoles()) EXPECT_TRUE(roles.insert(Word(r)).second);
}

// Every spelling a surface accepted or printed before the vocabulary.
TEST(VocabularyTest, EarlierSpellingsAreAliases) {
  for (const char* text : {"not-an-incident", "not_an_incident", "not an incident",
                           "Not an incident", "NOT_AN_INCIDENT", "CLOSE_REASON_NOT_AN_INCIDENT"}) {
    EXPECT_EQ(*ParseCloseReason(text), pb::CLOSE_REASON_NOT_AN_INCIDENT) << text;
  }
  EXPECT_EQ(*ParseCloseReason("DUPLICATE"), pb::CLOSE_REASON_DUPLICATE);
  for (const char* text : {"sev1", "SEV1", "Sev1", "1", "SEVERITY_SEV1", " sev1 "}) {
    EXPECT_EQ(*ParseSeverity(text), pb::SEVERITY_SEV1) << text;
  }
  for (const char* text :
       {"investigating", "Investigating", "INVESTIGATING", "STATUS_INVESTIGATING"}) {
    EXPECT_EQ(*ParseStatus(text), pb::STATUS_INVESTIGATING) << text;
  }
  for (const char* text : {"communication-lead", "communication_lead", "Communication lead",
                           "comms-lead", "comms lead"}) {
    EXPECT_EQ(*ParseRole(text), Role::kCommunicationLead) << text;
  }
  EXPECT_EQ(*ParseRole("ops-lead"), Role::kOperationsLead);
}

TEST(VocabularyTest, UnknownWordsAreInvalidArgumentNamingTheField) {
  EXPECT_THAT(ParseSeverity("sev9"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "severity: unknown value \"sev9\"; expected one of sev1, sev2, sev3, "
                       "sev4, sev5"));
  EXPECT_THAT(ParseSeverity("0", "--severity"),
              StatusIs(absl::StatusCode::kInvalidArgument, StartsWith("--severity: ")));
  EXPECT_THAT(ParseStatus("done"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "status: unknown value \"done\"; expected one of open, investigating, "
                       "fixing, fixed, postmortem, closed"));
  EXPECT_THAT(ParseCloseReason("fixed"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       EndsWith("expected one of resolved, mistake, duplicate, not-an-incident")));
  EXPECT_THAT(ParseRole("chief"),
              StatusIs(absl::StatusCode::kInvalidArgument, StartsWith("role: ")));
  for (const char* bad : {"", " ", "0", "6", "12", "sev", "sev0", "sev-1", "high", "severity",
                          "status-", "unspecified", "STATUS_UNSPECIFIED", "not an", "resolved!"}) {
    EXPECT_THAT(ParseSeverity(bad), StatusIs(absl::StatusCode::kInvalidArgument)) << bad;
    EXPECT_THAT(ParseStatus(bad), StatusIs(absl::StatusCode::kInvalidArgument)) << bad;
    EXPECT_THAT(ParseCloseReason(bad), StatusIs(absl::StatusCode::kInvalidArgument)) << bad;
  }
}

TEST(VocabularyTest, ErrorsQuoteAShortEscapedPrefix) {
  std::string long_text = std::string(24, 'x') + "SECRET-TAIL";
  EXPECT_THAT(ParseStatus(long_text), StatusIs(absl::StatusCode::kInvalidArgument,
                                               AllOf(HasSubstr("\"" + std::string(24, 'x') + "…\""),
                                                     Not(HasSubstr("SECRET")))));
  EXPECT_THAT(ParseCloseReason("\x1b[2J\"quoted\""),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("\\x1b[2J\\\"quoted\\\""), Not(HasSubstr("\x1b")))));
}

TEST(VocabularyTest, WordListJoinsWordsInOrder) {
  EXPECT_EQ(WordList(AllCloseReasons()), "resolved, mistake, duplicate, not-an-incident");
  EXPECT_EQ(WordList(AllRoles()), "commander, communication-lead, operations-lead");
}

}  // namespace
}  // namespace ff
