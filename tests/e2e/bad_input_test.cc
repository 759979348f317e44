// Every bad field gets INVALID_ARGUMENT naming the field, and nothing is
// stored: the incident count, the existing incident and its timeline stay as
// they were.
#include <functional>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "tests/e2e/e2e_fixture.h"

namespace ff::testing {
namespace {

using ::testing::HasSubstr;
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

// A value of 70 000 characters in each string field of each request.
const std::string kHuge(70000, 'x');

struct HugeCase {
  std::string name;
  std::string field;
  std::function<grpc::Status(BadInputTest&)> call;
};

const HugeCase kHugeCases[] = {
    {"OpenTitle", "title", [](auto& t) { return Open(t, [](auto& r) { r.set_title(kHuge); }); }},
    {"OpenDescription", "description",
     [](auto& t) { return Open(t, [](auto& r) { r.set_description(kHuge); }); }},
    {"OpenDomain", "domain", [](auto& t) { return Open(t, [](auto& r) { r.set_domain(kHuge); }); }},
    {"OpenReporter", "reporter",
     [](auto& t) { return Open(t, [](auto& r) { r.set_reporter(kHuge); }); }},
    {"OpenDedupKey", "dedup_key",
     [](auto& t) { return Open(t, [](auto& r) { r.set_dedup_key(kHuge); }); }},
    {"UpdateActor", "actor",
     [](auto& t) { return Update(t, [](auto& r) { r.set_actor(kHuge); }); }},
    {"UpdateTitle", "title",
     [](auto& t) { return Update(t, [](auto& r) { r.set_title(kHuge); }); }},
    {"UpdateDescription", "description",
     [](auto& t) { return Update(t, [](auto& r) { r.set_description(kHuge); }); }},
    {"UpdateCommander", "commander",
     [](auto& t) { return Update(t, [](auto& r) { r.set_commander(kHuge); }); }},
    {"UpdateCommunicationLead", "communication_lead",
     [](auto& t) { return Update(t, [](auto& r) { r.set_communication_lead(kHuge); }); }},
    {"UpdateOperationsLead", "operations_lead",
     [](auto& t) { return Update(t, [](auto& r) { r.set_operations_lead(kHuge); }); }},
    {"UpdateMessage", "message",
     [](auto& t) { return Update(t, [](auto& r) { r.set_message(kHuge); }); }},
    {"CloseActor", "actor", [](auto& t) { return Close(t, [](auto& r) { r.set_actor(kHuge); }); }},
    {"CloseMessage", "message",
     [](auto& t) { return Close(t, [](auto& r) { r.set_message(kHuge); }); }},
    {"NoteActor", "actor", [](auto& t) { return Note(t, [](auto& r) { r.set_actor(kHuge); }); }},
    {"NoteKind", "kind", [](auto& t) { return Note(t, [](auto& r) { r.set_kind(kHuge); }); }},
    {"ListDomain", "domain", [](auto& t) { return List(t, [](auto& r) { r.set_domain(kHuge); }); }},
    {"WatchDomain", "domain",
     [](auto& t) {
       pb::WatchIncidentsRequest r;
       r.set_domain(kHuge);
       return t.WatchStatus(r);
     }},
    {"StatsDomain", "domain",
     [](auto& t) {
       pb::GetStatsRequest r;
       r.set_domain(kHuge);
       return t.GetStats(r).status;
     }},
    {"DeliveriesNotifier", "notifier",
     [](auto& t) {
       pb::ListDeliveriesRequest r;
       r.set_notifier(kHuge);
       return t.ListDeliveries(r).status;
     }},
    {"RetryDeliveryActor", "actor",
     [](auto& t) {
       pb::RetryDeliveryRequest r;
       r.set_id(1);
       r.set_actor(kHuge);
       return t.RetryDelivery(r).status;
     }},
};

void PrintTo(const HugeCase& c, std::ostream* os) { *os << c.name; }

class HugeValueTest : public BadInputTest, public ::testing::WithParamInterface<HugeCase> {};

// The field is named, the value is not echoed (a message that large once
// overflowed the client's metadata limit: the call failed with
// RESOURCE_EXHAUSTED and the next call on the connection hung), and the same
// channel answers the calls that follow.
TEST_P(HugeValueTest, InvalidArgumentNamingTheFieldWithoutTheValue) {
  grpc::Status status = GetParam().call(*this);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << status.error_message();
  EXPECT_THAT(status.error_message(),
              StartsWith(GetParam().field + " is 70000 characters long; the limit is "));
  EXPECT_LT(status.error_message().size(), 100u);
  ExpectNothingChanged();
}

std::string HugeCaseName(const ::testing::TestParamInfo<HugeCase>& param_info) {
  return param_info.param.name;
}

INSTANTIATE_TEST_SUITE_P(Fields, HugeValueTest, ::testing::ValuesIn(kHugeCases), HugeCaseName);

// WithInvalidUtf8 serialises `request` and swaps each "MARK" for bytes that
// are not UTF-8, which no generated client would send.
std::string WithInvalidUtf8(const google::protobuf::Message& request) {
  std::string bytes = request.SerializeAsString();
  for (size_t at = bytes.find("MARK"); at != std::string::npos; at = bytes.find("MARK", at)) {
    bytes.replace(at, 4, "\xff\xfe\xc3\x28");
  }
  return bytes;
}

// Protobuf refuses such a request before any code of ours sees it, so the
// answer names the message rather than the field.
TEST_F(BadInputTest, InvalidUtf8IsInvalidArgumentNamingTheMessage) {
  pb::OpenIncidentRequest open = OpenRequest("MARK");
  pb::UpdateIncidentRequest update = StatusUpdate(existing_.id(), pb::STATUS_INVESTIGATING);
  update.set_actor("MARK");
  pb::AddTimelineEntryRequest note;
  note.set_incident_id(existing_.id());
  note.set_actor("bob");
  note.set_text("MARK");
  pb::WatchIncidentsRequest watch;
  watch.set_domain("MARK");
  pb::ListIncidentsRequest list;  // a raw method: parsed by our code, not gRPC's
  list.set_domain("MARK");
  const std::pair<std::string, const google::protobuf::Message*> calls[] = {
      {"ListIncidents", &list},
      {"OpenIncident", &open},
      {"UpdateIncident", &update},
      {"AddTimelineEntry", &note},
      {"WatchIncidents", &watch}};
  for (const auto& [method, request] : calls) {
    grpc::Status status =
        RawCall("/firefighter.v1.IncidentService/" + method, WithInvalidUtf8(*request));
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << method;
    EXPECT_EQ(status.error_message(),
              absl::StrCat("request is not a valid ", request->GetDescriptor()->full_name(),
                           ": a string field holds bytes that are not UTF-8 (send such data in "
                           "UTF-8), or the bytes are not that message"));
  }
  ExpectNothingChanged();
}

}  // namespace
}  // namespace ff::testing
