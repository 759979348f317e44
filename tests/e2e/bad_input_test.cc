// Every bad field gets INVALID_ARGUMENT naming the field, and nothing is
// stored: the incident count, the existing incident and its timeline stay as
// they were.
#include <functional>
#include <string>

#include "gmock/gmock.h"
#include "tests/e2e/e2e_fixture.h"

namespace ff::testing {
namespace {

using ::testing::StartsWith;

class BadInputTest : public E2eTest {
 protected:
  void SetUp() override {
    E2eTest::SetUp();
    existing_ = MustOpen("Existing incident");
  }

  // ExpectNothingChanged checks the database holds exactly what SetUp stored.
  void ExpectNothingChanged() {
    EXPECT_EQ(CountIncidents(), 1);
    pb::GetIncidentRequest get;
    get.set_id(existing_.id());
    EXPECT_EQ(GetIncident(get).response.version(), existing_.version());
    EXPECT_EQ(Timeline(existing_.id()).size(), 1u);
  }

  pb::Incident existing_;
};

struct BadCase {
  std::string name;
  std::function<grpc::Status(BadInputTest&)> call;
  std::string message_start;
};

grpc::Status Open(BadInputTest& t, const std::function<void(pb::OpenIncidentRequest&)>& edit) {
  pb::OpenIncidentRequest r = BadInputTest::OpenRequest("t");
  edit(r);
  return t.OpenIncident(r).status;
}

grpc::Status Update(BadInputTest& t, const std::function<void(pb::UpdateIncidentRequest&)>& edit) {
  pb::UpdateIncidentRequest r;
  r.set_id(1);
  r.set_actor("bob");
  r.set_status(pb::STATUS_INVESTIGATING);
  edit(r);
  return t.UpdateIncident(r).status;
}

grpc::Status Close(BadInputTest& t, const std::function<void(pb::CloseIncidentRequest&)>& edit) {
  pb::CloseIncidentRequest r;
  r.set_id(1);
  r.set_actor("bob");
  r.set_reason(pb::CLOSE_REASON_MISTAKE);
  edit(r);
  return t.CloseIncident(r).status;
}

grpc::Status Note(BadInputTest& t, const std::function<void(pb::AddTimelineEntryRequest&)>& edit) {
  pb::AddTimelineEntryRequest r;
  r.set_incident_id(1);
  r.set_actor("bob");
  r.set_text("a note");
  edit(r);
  return t.AddTimelineEntry(r).status;
}

grpc::Status List(BadInputTest& t, const std::function<void(pb::ListIncidentsRequest&)>& edit) {
  pb::ListIncidentsRequest r;
  edit(r);
  return t.ListIncidents(r).status;
}

const BadCase kCases[] = {
    {"OpenTitleMissing", [](auto& t) { return Open(t, [](auto& r) { r.clear_title(); }); },
     "title is required"},
    {"OpenTitleTooLong",
     [](auto& t) { return Open(t, [](auto& r) { r.set_title(std::string(201, 'x')); }); },
     "title is 201 characters long"},
    {"OpenDescriptionTooLong",
     [](auto& t) { return Open(t, [](auto& r) { r.set_description(std::string(4001, 'x')); }); },
     "description is 4001 characters long"},
    {"OpenDomainUnknown", [](auto& t) { return Open(t, [](auto& r) { r.set_domain("nope"); }); },
     "domain \"nope\" is not configured"},
    {"OpenDomainMissing", [](auto& t) { return Open(t, [](auto& r) { r.clear_domain(); }); },
     "domain is required"},
    {"OpenSeverityMissing", [](auto& t) { return Open(t, [](auto& r) { r.clear_severity(); }); },
     "severity is required"},
    {"OpenSeverityUnknown",
     [](auto& t) {
       return Open(t, [](auto& r) { r.set_severity(static_cast<pb::Severity>(12)); });
     },
     "severity 12 is not a severity"},
    {"OpenReporterMissing", [](auto& t) { return Open(t, [](auto& r) { r.clear_reporter(); }); },
     "reporter is required"},
    {"OpenDedupKeyTooLong",
     [](auto& t) { return Open(t, [](auto& r) { r.set_dedup_key(std::string(256, 'k')); }); },
     "dedup_key is 256 characters long"},
    {"OpenOccurredInFuture",
     [](auto& t) {
       return Open(t, [](auto& r) {
         r.mutable_occurred_at()->set_seconds(absl::ToUnixSeconds(absl::Now()) + 86400);
       });
     },
     "occurred_at is in the future"},
    {"GetIdZero",
     [](auto& t) {
       pb::GetIncidentRequest r;
       return t.GetIncident(r).status;
     },
     "id must be a positive incident number"},
    {"UpdateIdZero", [](auto& t) { return Update(t, [](auto& r) { r.set_id(0); }); },
     "id must be a positive incident number"},
    {"UpdateActorMissing", [](auto& t) { return Update(t, [](auto& r) { r.clear_actor(); }); },
     "actor is required"},
    {"UpdateStatusUnspecified",
     [](auto& t) { return Update(t, [](auto& r) { r.set_status(pb::STATUS_UNSPECIFIED); }); },
     "status must be a status"},
    {"UpdateStatusUnknown",
     [](auto& t) { return Update(t, [](auto& r) { r.set_status(static_cast<pb::Status>(9)); }); },
     "status 9 is not a status"},
    {"UpdateSeverityUnknown",
     [](auto& t) {
       return Update(t, [](auto& r) { r.set_severity(static_cast<pb::Severity>(0)); });
     },
     "severity is required"},
    {"UpdateTitleBlank", [](auto& t) { return Update(t, [](auto& r) { r.set_title(""); }); },
     "title is required"},
    {"UpdateCommanderTooLong",
     [](auto& t) { return Update(t, [](auto& r) { r.set_commander(std::string(101, 'c')); }); },
     "commander is 101 characters long"},
    {"UpdateMessageTooLong",
     [](auto& t) { return Update(t, [](auto& r) { r.set_message(std::string(4001, 'm')); }); },
     "message is 4001 characters long"},
    {"UpdateExpectedVersionZero",
     [](auto& t) { return Update(t, [](auto& r) { r.set_expected_version(0); }); },
     "expected_version must be a positive version"},
    {"UpdateNothing", [](auto& t) { return Update(t, [](auto& r) { r.clear_status(); }); },
     "update sets no field"},
    {"CloseIdNegative", [](auto& t) { return Close(t, [](auto& r) { r.set_id(-1); }); },
     "id must be a positive incident number"},
    {"CloseActorMissing", [](auto& t) { return Close(t, [](auto& r) { r.clear_actor(); }); },
     "actor is required"},
    {"CloseReasonUnknown",
     [](auto& t) {
       return Close(t, [](auto& r) { r.set_reason(static_cast<pb::CloseReason>(7)); });
     },
     "reason 7 is not a close reason"},
    {"NoteIncidentIdZero", [](auto& t) { return Note(t, [](auto& r) { r.set_incident_id(0); }); },
     "incident_id must be a positive incident number"},
    {"NoteTextMissing", [](auto& t) { return Note(t, [](auto& r) { r.clear_text(); }); },
     "text is required"},
    {"NoteActorMissing", [](auto& t) { return Note(t, [](auto& r) { r.clear_actor(); }); },
     "actor is required"},
    {"NoteKindReserved", [](auto& t) { return Note(t, [](auto& r) { r.set_kind("status"); }); },
     "kind \"status\" is reserved"},
    {"NoteKindMalformed", [](auto& t) { return Note(t, [](auto& r) { r.set_kind("Bad-Kind"); }); },
     "kind \"Bad-Kind\" must be lower_snake_case"},
    {"TimelineIdZero",
     [](auto& t) {
       pb::ListTimelineRequest r;
       return t.ListTimeline(r).status;
     },
     "incident_id must be a positive incident number"},
    {"ListNegativePageSize", [](auto& t) { return List(t, [](auto& r) { r.set_page_size(-1); }); },
     "page_size must not be negative"},
    {"ListStatusUnspecified",
     [](auto& t) { return List(t, [](auto& r) { r.add_statuses(pb::STATUS_UNSPECIFIED); }); },
     "statuses contains"},
    {"ListSeverityUnknown",
     [](auto& t) {
       return List(t, [](auto& r) { r.add_severities(static_cast<pb::Severity>(8)); });
     },
     "severities contains"},
    {"ListPageTokenGarbage",
     [](auto& t) { return List(t, [](auto& r) { r.set_page_token("not-a-token"); }); },
     "page_token is not a token this server issued"},
};

// Test names carry the case name, not the case's bytes.
void PrintTo(const BadCase& c, std::ostream* os) { *os << c.name; }

class BadInputCaseTest : public BadInputTest, public ::testing::WithParamInterface<BadCase> {};

TEST_P(BadInputCaseTest, InvalidArgumentNamingTheFieldAndNothingStored) {
  grpc::Status status = GetParam().call(*this);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), StartsWith(GetParam().message_start));
  ExpectNothingChanged();
}

std::string CaseName(const ::testing::TestParamInfo<BadCase>& param_info) {
  return param_info.param.name;
}

INSTANTIATE_TEST_SUITE_P(Fields, BadInputCaseTest, ::testing::ValuesIn(kCases), CaseName);

}  // namespace
}  // namespace ff::testing
