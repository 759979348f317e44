#include "server/core/validation.h"

#include <functional>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/core/time_util.h"
#include "tests/testing/status_matchers.h"

namespace ff {
namespace {

using ::ff::testing::IsOk;
using ::ff::testing::StatusIs;
using ::testing::HasSubstr;
using ::testing::StartsWith;

const absl::Time kNow = absl::FromUnixSeconds(1767225600);

const DomainCatalog& Domains() {
  static const DomainCatalog* catalog =
      new DomainCatalog({{"payment", "Payments", {}}, {"search", "Search", {}}});
  return *catalog;
}

template <typename Case>
std::string CaseName(const ::testing::TestParamInfo<Case>& param_info) {
  return param_info.param.name;
}

pb::OpenIncidentRequest GoodOpen() {
  pb::OpenIncidentRequest r;
  r.set_title("Checkout fails");
  r.set_domain("payment");
  r.set_severity(pb::SEVERITY_SEV2);
  r.set_reporter("alice");
  return r;
}

// A field mutation and the start of the error it must produce.
struct OpenCase {
  std::string name;
  std::function<void(pb::OpenIncidentRequest&)> mutate;
  std::string message;
};

void PrintTo(const OpenCase& c, std::ostream* os) { *os << c.name; }

class OpenValidationTest : public ::testing::TestWithParam<OpenCase> {};

TEST_P(OpenValidationTest, NamesTheField) {
  pb::OpenIncidentRequest r = GoodOpen();
  GetParam().mutate(r);
  EXPECT_THAT(ValidateOpen(r, Domains(), kNow),
              StatusIs(absl::StatusCode::kInvalidArgument, StartsWith(GetParam().message)));
}

INSTANTIATE_TEST_SUITE_P(
    Fields, OpenValidationTest,
    ::testing::Values(
        OpenCase{"TitleMissing", [](auto& r) { r.clear_title(); }, "title is required"},
        OpenCase{"TitleBlank", [](auto& r) { r.set_title("   "); }, "title is required"},
        OpenCase{"TitleTooLong", [](auto& r) { r.set_title(std::string(201, 'x')); },
                 "title is 201 characters long; the limit is 200"},
        OpenCase{"TitleTooLongInCodePoints",
                 [](auto& r) {
                   std::string title;
                   for (int i = 0; i < 201; ++i) title += "é";
                   r.set_title(title);
                 },
                 "title is 201 characters long"},
        OpenCase{"TitleNewline", [](auto& r) { r.set_title("a\nb"); },
                 "title must be a single line"},
        OpenCase{"TitleBadUtf8", [](auto& r) { r.set_title("a\xC3"); }, "title is not valid UTF-8"},
        OpenCase{"DescriptionTooLong", [](auto& r) { r.set_description(std::string(4001, 'x')); },
                 "description is 4001 characters long; the limit is 4000"},
        OpenCase{"DescriptionControlChar", [](auto& r) { r.set_description("a\x01"); },
                 "description must not contain control characters"},
        OpenCase{"DomainMissing", [](auto& r) { r.clear_domain(); },
                 "domain is required: one of payment, search"},
        OpenCase{"DomainUnknown", [](auto& r) { r.set_domain("billing"); },
                 "domain \"billing\" is not configured: use one of payment, search"},
        OpenCase{"DomainTooLong", [](auto& r) { r.set_domain(std::string(70000, 'd')); },
                 "domain is 70000 characters long; the limit is 40"},
        OpenCase{"SeverityMissing", [](auto& r) { r.clear_severity(); },
                 "severity is required: one of SEV1 to SEV5"},
        OpenCase{"SeverityOutOfRange",
                 [](auto& r) { r.set_severity(static_cast<pb::Severity>(9)); },
                 "severity 9 is not a severity"},
        OpenCase{"ReporterMissing", [](auto& r) { r.clear_reporter(); }, "reporter is required"},
        OpenCase{"ReporterTooLong", [](auto& r) { r.set_reporter(std::string(101, 'r')); },
                 "reporter is 101 characters long; the limit is 100"},
        OpenCase{"DedupKeyTooLong", [](auto& r) { r.set_dedup_key(std::string(256, 'k')); },
                 "dedup_key is 256 characters long; the limit is 255"},
        OpenCase{"OccurredInFuture",
                 [](auto& r) { *r.mutable_occurred_at() = ToTimestamp(kNow + absl::Hours(1)); },
                 "occurred_at is in the future"},
        OpenCase{"OccurredInvalid", [](auto& r) { r.mutable_occurred_at()->set_nanos(-1); },
                 "occurred_at is not a valid timestamp"}),
    CaseName<OpenCase>);

TEST(OpenValidation, AcceptsGoodRequestAndEdgeLengths) {
  pb::OpenIncidentRequest r = GoodOpen();
  EXPECT_THAT(ValidateOpen(r, Domains(), kNow), IsOk());
  r.set_title(std::string(200, 'x'));
  r.set_description(std::string(4000, 'y'));
  *r.mutable_occurred_at() = ToTimestamp(kNow + absl::Minutes(4));  // within skew
  EXPECT_THAT(ValidateOpen(r, Domains(), kNow), IsOk());
  r.set_description("line one\nline two\ttabbed");
  EXPECT_THAT(ValidateOpen(r, Domains(), kNow), IsOk());
}

pb::UpdateIncidentRequest GoodUpdate() {
  pb::UpdateIncidentRequest r;
  r.set_id(1);
  r.set_actor("bob");
  r.set_status(pb::STATUS_INVESTIGATING);
  return r;
}

struct UpdateCase {
  std::string name;
  std::function<void(pb::UpdateIncidentRequest&)> mutate;
  std::string message;
};

void PrintTo(const UpdateCase& c, std::ostream* os) { *os << c.name; }

class UpdateValidationTest : public ::testing::TestWithParam<UpdateCase> {};

TEST_P(UpdateValidationTest, NamesTheField) {
  pb::UpdateIncidentRequest r = GoodUpdate();
  GetParam().mutate(r);
  EXPECT_THAT(ValidateUpdate(r),
              StatusIs(absl::StatusCode::kInvalidArgument, StartsWith(GetParam().message)));
}

INSTANTIATE_TEST_SUITE_P(
    Fields, UpdateValidationTest,
    ::testing::Values(
        UpdateCase{"IdZero", [](auto& r) { r.set_id(0); },
                   "id must be a positive incident number, got 0"},
        UpdateCase{"IdNegative", [](auto& r) { r.set_id(-4); },
                   "id must be a positive incident number, got -4"},
        UpdateCase{"ActorMissing", [](auto& r) { r.clear_actor(); }, "actor is required"},
        UpdateCase{"StatusUnspecified", [](auto& r) { r.set_status(pb::STATUS_UNSPECIFIED); },
                   "status must be a status"},
        UpdateCase{"StatusOutOfRange", [](auto& r) { r.set_status(static_cast<pb::Status>(42)); },
                   "status 42 is not a status"},
        UpdateCase{"SeverityUnspecified", [](auto& r) { r.set_severity(pb::SEVERITY_UNSPECIFIED); },
                   "severity is required"},
        UpdateCase{"SeverityOutOfRange",
                   [](auto& r) { r.set_severity(static_cast<pb::Severity>(6)); },
                   "severity 6 is not a severity"},
        UpdateCase{"TitleBlank", [](auto& r) { r.set_title(" "); }, "title is required"},
        UpdateCase{"TitleTooLong", [](auto& r) { r.set_title(std::string(201, 't')); },
                   "title is 201 characters long"},
        UpdateCase{"DescriptionTooLong", [](auto& r) { r.set_description(std::string(4001, 'd')); },
                   "description is 4001 characters long"},
        UpdateCase{"CommanderTooLong", [](auto& r) { r.set_commander(std::string(101, 'c')); },
                   "commander is 101 characters long"},
        UpdateCase{"CommunicationLeadNewline", [](auto& r) { r.set_communication_lead("a\nb"); },
                   "communication_lead must be a single line"},
        UpdateCase{"OperationsLeadTooLong",
                   [](auto& r) { r.set_operations_lead(std::string(101, 'o')); },
                   "operations_lead is 101 characters long"},
        UpdateCase{"MessageTooLong", [](auto& r) { r.set_message(std::string(4001, 'm')); },
                   "message is 4001 characters long"},
        UpdateCase{"ExpectedVersionZero", [](auto& r) { r.set_expected_version(0); },
                   "expected_version must be a positive version, got 0"},
        UpdateCase{"NothingToChange", [](auto& r) { r.clear_status(); }, "update sets no field"}),
    CaseName<UpdateCase>);

TEST(UpdateValidation, AcceptsEmptyRoleToRemoveAHolder) {
  pb::UpdateIncidentRequest r = GoodUpdate();
  r.clear_status();
  r.set_commander("");
  EXPECT_THAT(ValidateUpdate(r), IsOk());
}

TEST(CloseValidation, NamesTheField) {
  pb::CloseIncidentRequest r;
  r.set_id(1);
  r.set_actor("bob");
  EXPECT_THAT(ValidateClose(r), IsOk());
  r.set_reason(static_cast<pb::CloseReason>(9));
  EXPECT_THAT(ValidateClose(r), StatusIs(absl::StatusCode::kInvalidArgument,
                                         StartsWith("reason 9 is not a close reason")));
  r.set_reason(pb::CLOSE_REASON_MISTAKE);
  r.set_message(std::string(4001, 'm'));
  EXPECT_THAT(ValidateClose(r), StatusIs(absl::StatusCode::kInvalidArgument,
                                         StartsWith("message is 4001 characters long")));
  r.clear_message();
  r.clear_actor();
  EXPECT_THAT(ValidateClose(r),
              StatusIs(absl::StatusCode::kInvalidArgument, StartsWith("actor is required")));
  r.set_actor("bob");
  r.set_id(0);
  EXPECT_THAT(ValidateClose(r), StatusIs(absl::StatusCode::kInvalidArgument, StartsWith("id ")));
  r.set_id(1);
  r.set_expected_version(-1);
  EXPECT_THAT(ValidateClose(r),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       StartsWith("expected_version must be a positive version, got -1")));
}

pb::AddTimelineEntryRequest GoodEntry() {
  pb::AddTimelineEntryRequest r;
  r.set_incident_id(1);
  r.set_actor("bob");
  r.set_text("rolled back");
  return r;
}

TEST(AddEntryValidation, NamesTheField) {
  EXPECT_THAT(ValidateAddEntry(GoodEntry(), kNow), IsOk());
  auto r = GoodEntry();
  r.set_incident_id(0);
  EXPECT_THAT(ValidateAddEntry(r, kNow),
              StatusIs(absl::StatusCode::kInvalidArgument, StartsWith("incident_id must be")));
  r = GoodEntry();
  r.clear_actor();
  EXPECT_THAT(ValidateAddEntry(r, kNow),
              StatusIs(absl::StatusCode::kInvalidArgument, StartsWith("actor is required")));
  r = GoodEntry();
  r.set_text("  ");
  EXPECT_THAT(ValidateAddEntry(r, kNow),
              StatusIs(absl::StatusCode::kInvalidArgument, StartsWith("text is required")));
  r = GoodEntry();
  r.set_text(std::string(40001, 'x'));
  EXPECT_THAT(ValidateAddEntry(r, kNow),
              StatusIs(absl::StatusCode::kInvalidArgument, StartsWith("text is 40001 characters")));
  r = GoodEntry();
  r.set_kind(std::string(70000, 'k'));
  EXPECT_THAT(ValidateAddEntry(r, kNow),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "kind is 70000 characters long; the limit is 32"));
  r = GoodEntry();
  r.set_kind("Chat Message");
  EXPECT_THAT(ValidateAddEntry(r, kNow),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       StartsWith("kind \"Chat Message\" must be lower_snake_case")));
  r.set_kind("status");
  EXPECT_THAT(ValidateAddEntry(r, kNow), StatusIs(absl::StatusCode::kInvalidArgument,
                                                  StartsWith("kind \"status\" is reserved")));
  r.set_kind("chat_message");
  *r.mutable_time() = ToTimestamp(kNow + absl::Hours(2));
  EXPECT_THAT(ValidateAddEntry(r, kNow),
              StatusIs(absl::StatusCode::kInvalidArgument, StartsWith("time is in the future")));
}

TEST(ListValidation, FiltersAndPageSize) {
  google::protobuf::RepeatedField<int> statuses, severities;
  EXPECT_THAT(ValidateListFilter(statuses, severities, ""), IsOk());
  statuses.Add(pb::STATUS_UNSPECIFIED);
  EXPECT_THAT(ValidateListFilter(statuses, severities, ""),
              StatusIs(absl::StatusCode::kInvalidArgument, StartsWith("statuses contains")));
  statuses.Clear();
  severities.Add(7);
  EXPECT_THAT(ValidateListFilter(statuses, severities, ""),
              StatusIs(absl::StatusCode::kInvalidArgument, StartsWith("severities contains")));
  severities.Clear();
  EXPECT_THAT(ValidateListFilter(statuses, severities, std::string(41, 'd')),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "domain is 41 characters long; the limit is 40"));
  EXPECT_EQ(*EffectivePageSize(0), 50);
  EXPECT_EQ(*EffectivePageSize(7), 7);
  EXPECT_EQ(*EffectivePageSize(10000), 500);
  EXPECT_THAT(EffectivePageSize(-1), StatusIs(absl::StatusCode::kInvalidArgument,
                                              StartsWith("page_size must not be negative")));
}

}  // namespace
}  // namespace ff
