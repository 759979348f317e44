#include "server/core/workflow.h"

#include <algorithm>
#include <string>
#include <tuple>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/core/names.h"
#include "server/core/time_util.h"
#include "tests/testing/status_matchers.h"

namespace ff {
namespace {

using ::ff::testing::IsOk;
using ::ff::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

const absl::Time kNow = absl::FromUnixSeconds(1767225600);

pb::Incident MakeIncident(pb::Status status, pb::Severity severity) {
  pb::Incident incident;
  incident.set_id(7);
  incident.set_title("Checkout fails");
  incident.set_domain("payment");
  incident.set_status(status);
  incident.set_severity(severity);
  incident.set_reporter("alice");
  incident.add_participants("alice");
  incident.set_version(3);
  *incident.mutable_created_at() = ToTimestamp(kNow - absl::Hours(1));
  return incident;
}

// ---------------------------------------------------------------------------
// Every cell of DESIGN.md §3's transition table (CLOSED column: see below).

struct Cell {
  pb::Status from;
  pb::Status to;
  pb::Severity severity;
  std::string message;
  bool allowed;
  std::string refusal;  // substring of the FAILED_PRECONDITION message
};

std::string CellName(const ::testing::TestParamInfo<Cell>& info) {
  const Cell& c = info.param;
  return StatusName(c.from) + "_to_" + StatusName(c.to) + "_" + SeverityName(c.severity) +
         (c.message.empty() ? "" : "_with_message");
}

void PrintTo(const Cell& c, std::ostream* os) {
  *os << StatusName(c.from) << "->" << StatusName(c.to) << " " << SeverityName(c.severity);
}

class TransitionTableTest : public ::testing::TestWithParam<Cell> {};

TEST_P(TransitionTableTest, AllowsOrRefusesWithReason) {
  const Cell& c = GetParam();
  absl::Status status =
      IncidentWorkflow::CheckTransition(MakeIncident(c.from, c.severity), c.to, c.message);
  if (c.allowed) {
    EXPECT_THAT(status, IsOk());
  } else {
    EXPECT_THAT(status, StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr(c.refusal)));
  }
}

constexpr pb::Status OPEN = pb::STATUS_OPEN, INV = pb::STATUS_INVESTIGATING,
                     FIXING = pb::STATUS_FIXING, FIXED = pb::STATUS_FIXED,
                     PM = pb::STATUS_POSTMORTEM, CLOSED = pb::STATUS_CLOSED;
constexpr pb::Severity S1 = pb::SEVERITY_SEV1, S2 = pb::SEVERITY_SEV2, S3 = pb::SEVERITY_SEV3,
                       S4 = pb::SEVERITY_SEV4, S5 = pb::SEVERITY_SEV5;

const char kFromOpen[] =
    "cannot move incident #7 from OPEN to POSTMORTEM; from OPEN it can go "
    "to INVESTIGATING, FIXING, FIXED, CLOSED with a reason other than resolved";

INSTANTIATE_TEST_SUITE_P(
    Table, TransitionTableTest,
    ::testing::Values(
        // OPEN row
        Cell{OPEN, OPEN, S2, "", true, ""}, Cell{OPEN, INV, S2, "", true, ""},
        Cell{OPEN, FIXING, S2, "", true, ""}, Cell{OPEN, FIXED, S2, "", true, ""},
        Cell{OPEN, PM, S2, "", false, kFromOpen},
        // INVESTIGATING row
        Cell{INV, INV, S2, "", true, ""}, Cell{INV, FIXING, S2, "", true, ""},
        Cell{INV, FIXED, S2, "", true, ""},
        Cell{INV, PM, S2, "", false, "cannot move incident #7 from INVESTIGATING to POSTMORTEM"},
        Cell{INV, OPEN, S2, "", false, "no incident goes back to OPEN"},
        // FIXING row: back to INVESTIGATING needs a message
        Cell{FIXING, INV, S2, "", false,
             "moving incident #7 back from FIXING to INVESTIGATING needs a message"},
        Cell{FIXING, INV, S2, "wrong root cause", true, ""}, Cell{FIXING, FIXING, S2, "", true, ""},
        Cell{FIXING, FIXED, S2, "", true, ""},
        Cell{FIXING, PM, S2, "", false, "from FIXING it can go to INVESTIGATING (with a message)"},
        Cell{FIXING, OPEN, S2, "", false, "no incident goes back to OPEN"},
        // FIXED row: reopen needs a message; postmortem only SEV1-3
        Cell{FIXED, INV, S2, "", false, "back from FIXED to INVESTIGATING needs a message"},
        Cell{FIXED, INV, S2, "still failing", true, ""},
        Cell{FIXED, FIXING, S2, "", false, "back from FIXED to FIXING needs a message"},
        Cell{FIXED, FIXING, S2, "regressed", true, ""}, Cell{FIXED, FIXED, S2, "", true, ""},
        Cell{FIXED, PM, S1, "", true, ""}, Cell{FIXED, PM, S2, "", true, ""},
        Cell{FIXED, PM, S3, "", true, ""},
        Cell{FIXED, PM, S4, "", false,
             "a postmortem is only for SEV1 to SEV3 and incident #7 is SEV4"},
        Cell{FIXED, PM, S5, "", false,
             "a postmortem is only for SEV1 to SEV3 and incident #7 is SEV5"},
        Cell{FIXED, OPEN, S2, "", false, "no incident goes back to OPEN"},
        // POSTMORTEM row: only CLOSED
        Cell{PM, INV, S2, "x", false,
             "cannot move incident #7 from POSTMORTEM to INVESTIGATING; "
             "from POSTMORTEM it can go to CLOSED"},
        Cell{PM, FIXING, S2, "x", false, "from POSTMORTEM to FIXING"},
        Cell{PM, FIXED, S2, "", false, "from POSTMORTEM to FIXED"}, Cell{PM, PM, S2, "", true, ""},
        Cell{PM, CLOSED, S2, "", true, ""},
        // CLOSED row: terminal
        Cell{CLOSED, INV, S2, "x", false, "incident #7 is closed"},
        Cell{CLOSED, FIXING, S2, "x", false, "incident #7 is closed"},
        Cell{CLOSED, FIXED, S2, "", false, "incident #7 is closed"},
        Cell{CLOSED, PM, S2, "", false, "incident #7 is closed"},
        Cell{CLOSED, CLOSED, S2, "", false, "incident #7 is already closed"},
        Cell{CLOSED, OPEN, S2, "", false, "incident #7 is closed"},
        // CLOSED column as a plain move (= closing as resolved)
        Cell{OPEN, CLOSED, S2, "", false, "closed as resolved only once FIXED"},
        Cell{INV, CLOSED, S2, "", false, "closed as resolved only once FIXED"},
        Cell{FIXING, CLOSED, S2, "", false, "closed as resolved only once FIXED"},
        Cell{FIXED, CLOSED, S1, "", false, "need a postmortem before closing"},
        Cell{FIXED, CLOSED, S2, "", false, "need a postmortem before closing"},
        Cell{FIXED, CLOSED, S3, "", false, "need a postmortem before closing"},
        Cell{FIXED, CLOSED, S4, "", true, ""}, Cell{FIXED, CLOSED, S5, "", true, ""}),
    CellName);

// ---------------------------------------------------------------------------
// NextStatusesOf: the table above as lists, which clients are given.

bool Has(const std::vector<pb::Status>& list, pb::Status status) {
  return std::find(list.begin(), list.end(), status) != list.end();
}

TEST(NextStatuses, AgreeWithCheckTransitionForEveryStatusAndSeverity) {
  for (int from = OPEN; from <= CLOSED; ++from) {
    for (int severity = S1; severity <= S5; ++severity) {
      pb::Incident incident =
          MakeIncident(static_cast<pb::Status>(from), static_cast<pb::Severity>(severity));
      IncidentWorkflow::NextStatuses next = IncidentWorkflow::NextStatusesOf(incident);
      EXPECT_FALSE(Has(next.allowed, static_cast<pb::Status>(from)));
      for (int to = OPEN; to <= CLOSED; ++to) {
        if (to == from) continue;
        auto status = static_cast<pb::Status>(to);
        bool with_message = IncidentWorkflow::CheckTransition(incident, status, "because").ok();
        bool without = IncidentWorkflow::CheckTransition(incident, status, "").ok();
        SCOPED_TRACE(StatusName(incident.status()) + " " + SeverityName(incident.severity()) +
                     " -> " + StatusName(status));
        EXPECT_EQ(Has(next.allowed, status), with_message);
        EXPECT_EQ(Has(next.needing_message, status), with_message && !without);
      }
    }
  }
}

TEST(NextStatuses, ListsInWorkflowOrder) {
  using V = std::vector<pb::Status>;
  auto next = [](pb::Status from, pb::Severity severity) {
    return IncidentWorkflow::NextStatusesOf(MakeIncident(from, severity));
  };
  EXPECT_EQ(next(OPEN, S2).allowed, (V{INV, FIXING, FIXED}));
  EXPECT_THAT(next(OPEN, S2).needing_message, IsEmpty());
  EXPECT_EQ(next(FIXING, S2).allowed, (V{INV, FIXED}));
  EXPECT_EQ(next(FIXING, S2).needing_message, (V{INV}));
  EXPECT_EQ(next(FIXED, S2).allowed, (V{INV, FIXING, PM}));
  EXPECT_EQ(next(FIXED, S2).needing_message, (V{INV, FIXING}));
  EXPECT_EQ(next(FIXED, S4).allowed, (V{INV, FIXING, CLOSED}));
  EXPECT_EQ(next(PM, S1).allowed, (V{CLOSED}));
  EXPECT_THAT(next(CLOSED, S2).allowed, IsEmpty());
  EXPECT_THAT(next(CLOSED, S2).needing_message, IsEmpty());
}

TEST(NextStatuses, DescribeReplacesWhatTheIncidentHeld) {
  pb::Incident incident = MakeIncident(PM, S2);
  incident.add_allowed_next_statuses(OPEN);  // stale, or sent by a client
  incident.add_next_statuses_needing_message(FIXED);
  IncidentWorkflow::DescribeNextStatuses(&incident);
  EXPECT_THAT(incident.allowed_next_statuses(), ElementsAre(CLOSED));
  EXPECT_THAT(incident.next_statuses_needing_message(), IsEmpty());
}

// ---------------------------------------------------------------------------
// Close reasons, from every status.

using CloseCase = std::tuple<pb::Status, pb::CloseReason>;

class CloseReasonTest : public ::testing::TestWithParam<CloseCase> {};

TEST_P(CloseReasonTest, NonResolvedReasonClosesFromAnyOpenStatus) {
  auto [from, reason] = GetParam();
  for (pb::Severity sev : {S1, S2, S3, S4, S5}) {
    EXPECT_THAT(IncidentWorkflow::CheckClose(MakeIncident(from, sev), reason), IsOk())
        << StatusName(from) << " " << SeverityName(sev);
  }
}

INSTANTIATE_TEST_SUITE_P(Reasons, CloseReasonTest,
                         ::testing::Combine(::testing::Values(OPEN, INV, FIXING, FIXED, PM),
                                            ::testing::Values(pb::CLOSE_REASON_MISTAKE,
                                                              pb::CLOSE_REASON_DUPLICATE,
                                                              pb::CLOSE_REASON_NOT_AN_INCIDENT)));

TEST(CloseReason, ClosedIncidentCannotCloseAgainForAnyReason) {
  for (pb::CloseReason reason :
       {pb::CLOSE_REASON_UNSPECIFIED, pb::CLOSE_REASON_RESOLVED, pb::CLOSE_REASON_MISTAKE,
        pb::CLOSE_REASON_DUPLICATE, pb::CLOSE_REASON_NOT_AN_INCIDENT}) {
    EXPECT_THAT(IncidentWorkflow::CheckClose(MakeIncident(CLOSED, S2), reason),
                StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("already closed")));
  }
}

TEST(CloseReason, ResolvedFromPostmortemAndLowSeverityFixed) {
  EXPECT_THAT(IncidentWorkflow::CheckClose(MakeIncident(PM, S1), pb::CLOSE_REASON_RESOLVED),
              IsOk());
  EXPECT_THAT(IncidentWorkflow::CheckClose(MakeIncident(FIXED, S4), pb::CLOSE_REASON_RESOLVED),
              IsOk());
  EXPECT_THAT(IncidentWorkflow::CheckClose(MakeIncident(FIXED, S3), pb::CLOSE_REASON_RESOLVED),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("incident #7 is SEV3: SEV1 to SEV3 incidents need a postmortem")));
}

TEST(Close, UnspecifiedReasonMeansResolved) {
  pb::CloseIncidentRequest request;
  request.set_id(7);
  request.set_actor("bob");
  auto refused = IncidentWorkflow::Close(MakeIncident(INV, S4), request, kNow);
  EXPECT_THAT(refused, StatusIs(absl::StatusCode::kFailedPrecondition,
                                HasSubstr("closed as resolved only once FIXED")));
  auto closed = IncidentWorkflow::Close(MakeIncident(FIXED, S4), request, kNow);
  ASSERT_THAT(closed, IsOk());
  EXPECT_EQ(closed->incident.close_reason(), pb::CLOSE_REASON_RESOLVED);
}

TEST(Close, RecordsReasonTimeAndTimeline) {
  pb::CloseIncidentRequest request;
  request.set_id(7);
  request.set_actor("bob");
  request.set_reason(pb::CLOSE_REASON_DUPLICATE);
  request.set_message("same as #6");
  auto change = IncidentWorkflow::Close(MakeIncident(OPEN, S2), request, kNow);
  ASSERT_THAT(change, IsOk());
  EXPECT_EQ(change->incident.status(), CLOSED);
  EXPECT_EQ(change->incident.close_reason(), pb::CLOSE_REASON_DUPLICATE);
  EXPECT_EQ(FromTimestamp(change->incident.closed_at()), kNow);
  EXPECT_EQ(change->incident.version(), 4);
  ASSERT_EQ(change->records.size(), 1u);
  EXPECT_EQ(change->records[0].event_type, kEventClosed);
  EXPECT_EQ(change->records[0].entry.kind(), "closed");
  EXPECT_EQ(change->records[0].entry.actor(), "bob");
  EXPECT_EQ(change->records[0].entry.text(), "Closed (duplicate): same as #6");
}

TEST(Close, StaleExpectedVersionIsAborted) {
  pb::CloseIncidentRequest request;
  request.set_id(7);
  request.set_actor("bob");
  request.set_reason(pb::CLOSE_REASON_MISTAKE);
  request.set_expected_version(2);
  EXPECT_THAT(IncidentWorkflow::Close(MakeIncident(OPEN, S2), request, kNow),
              StatusIs(absl::StatusCode::kAborted,
                       HasSubstr("incident #7 is at version 3, not the expected 2")));
}

// ---------------------------------------------------------------------------
// Open, Update, AddEntry.

TEST(Open, BuildsIncidentAndOpenedEntry) {
  pb::OpenIncidentRequest request;
  request.set_title("  Checkout fails  ");
  request.set_domain("payment");
  request.set_severity(S2);
  request.set_reporter("alice");
  request.set_dedup_key("alert-1");
  request.set_trigger_oncall(true);
  Change change = IncidentWorkflow::Open(request, kNow);
  const pb::Incident& incident = change.incident;
  EXPECT_EQ(incident.title(), "Checkout fails");
  EXPECT_EQ(incident.status(), OPEN);
  EXPECT_EQ(incident.version(), 1);
  EXPECT_TRUE(incident.trigger_oncall());
  EXPECT_EQ(incident.dedup_key(), "alert-1");
  EXPECT_THAT(incident.participants(), ElementsAre("alice"));
  EXPECT_EQ(FromTimestamp(incident.occurred_at()), kNow);
  EXPECT_EQ(FromTimestamp(incident.created_at()), kNow);
  ASSERT_EQ(change.records.size(), 1u);
  EXPECT_EQ(change.records[0].event_type, kEventOpened);
  EXPECT_EQ(change.records[0].entry.text(), "Opened SEV2 incident in payment: Checkout fails");
}

TEST(Open, KeepsGivenOccurredAt) {
  pb::OpenIncidentRequest request;
  request.set_title("t");
  request.set_domain("payment");
  request.set_severity(S2);
  request.set_reporter("alice");
  *request.mutable_occurred_at() = ToTimestamp(kNow - absl::Minutes(30));
  EXPECT_EQ(FromTimestamp(IncidentWorkflow::Open(request, kNow).incident.occurred_at()),
            kNow - absl::Minutes(30));
}

pb::UpdateIncidentRequest UpdateBy(const std::string& actor) {
  pb::UpdateIncidentRequest request;
  request.set_id(7);
  request.set_actor(actor);
  return request;
}

TEST(Update, StatusChangeStampsTimeBumpsVersionAndRecords) {
  auto request = UpdateBy("bob");
  request.set_status(INV);
  auto change = IncidentWorkflow::Update(MakeIncident(OPEN, S2), request, kNow);
  ASSERT_THAT(change, IsOk());
  EXPECT_EQ(change->incident.status(), INV);
  EXPECT_EQ(change->incident.version(), 4);
  EXPECT_EQ(FromTimestamp(change->incident.updated_at()), kNow);
  EXPECT_EQ(FromTimestamp(change->incident.investigating_at()), kNow);
  ASSERT_EQ(change->records.size(), 1u);
  EXPECT_EQ(change->records[0].event_type, kEventStatusChanged);
  EXPECT_EQ(change->records[0].entry.text(), "status OPEN → INVESTIGATING");
  EXPECT_EQ(change->records[0].entry.actor(), "bob");
}

TEST(Update, ReopenClearsFixedAtAndKeepsMessage) {
  pb::Incident fixed = MakeIncident(FIXED, S2);
  *fixed.mutable_fixed_at() = ToTimestamp(kNow - absl::Minutes(5));
  auto request = UpdateBy("bob");
  request.set_status(FIXING);
  request.set_message("errors are back");
  auto change = IncidentWorkflow::Update(fixed, request, kNow);
  ASSERT_THAT(change, IsOk());
  EXPECT_FALSE(change->incident.has_fixed_at());
  EXPECT_EQ(change->records[0].entry.text(), "Reopened: status FIXED → FIXING: errors are back");
}

TEST(Update, SeverityAppliesBeforeThePostmortemRule) {
  auto request = UpdateBy("bob");
  request.set_severity(S2);
  request.set_status(PM);
  auto change = IncidentWorkflow::Update(MakeIncident(FIXED, S4), request, kNow);
  ASSERT_THAT(change, IsOk());
  EXPECT_EQ(change->incident.status(), PM);
  ASSERT_EQ(change->records.size(), 2u);
  EXPECT_EQ(change->records[0].event_type, kEventSeverityChanged);
  EXPECT_EQ(change->records[0].entry.text(), "Severity SEV4 → SEV2");
  EXPECT_EQ(change->records[1].event_type, kEventStatusChanged);
}

TEST(Update, RaisingSeverityAfterFixedMakesPostmortemRequired) {
  auto raise = UpdateBy("bob");
  raise.set_severity(S1);
  auto raised = IncidentWorkflow::Update(MakeIncident(FIXED, S4), raise, kNow);
  ASSERT_THAT(raised, IsOk());
  auto close = UpdateBy("bob");
  close.set_status(CLOSED);
  EXPECT_THAT(IncidentWorkflow::Update(raised->incident, close, kNow),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("need a postmortem")));
}

TEST(Update, StatusClosedClosesAsResolved) {
  auto request = UpdateBy("bob");
  request.set_status(CLOSED);
  auto change = IncidentWorkflow::Update(MakeIncident(PM, S2), request, kNow);
  ASSERT_THAT(change, IsOk());
  EXPECT_EQ(change->incident.status(), CLOSED);
  EXPECT_EQ(change->incident.close_reason(), pb::CLOSE_REASON_RESOLVED);
  EXPECT_EQ(change->records[0].event_type, kEventClosed);
}

TEST(Update, RolesAreRecordedAndJoinParticipants) {
  pb::Incident incident = MakeIncident(INV, S2);
  incident.mutable_roles()->set_commander("carol");
  auto request = UpdateBy("bob");
  request.set_commander("dave");
  request.set_operations_lead("erin");
  request.set_communication_lead("");  // already nobody: no entry
  auto change = IncidentWorkflow::Update(incident, request, kNow);
  ASSERT_THAT(change, IsOk());
  EXPECT_EQ(change->incident.roles().commander(), "dave");
  EXPECT_EQ(change->incident.roles().operations_lead(), "erin");
  EXPECT_THAT(change->incident.participants(), ElementsAre("alice", "dave", "erin"));
  ASSERT_EQ(change->records.size(), 2u);
  EXPECT_EQ(change->records[0].entry.text(), "Commander: dave (was carol)");
  EXPECT_EQ(change->records[0].event_type, kEventRolesChanged);
  EXPECT_EQ(change->records[1].entry.text(), "Operations lead: erin");
}

TEST(Update, RemovingARoleHolder) {
  pb::Incident incident = MakeIncident(INV, S2);
  incident.mutable_roles()->set_commander("carol");
  auto request = UpdateBy("bob");
  request.set_commander("");
  auto change = IncidentWorkflow::Update(incident, request, kNow);
  ASSERT_THAT(change, IsOk());
  EXPECT_EQ(change->incident.roles().commander(), "");
  EXPECT_EQ(change->records[0].entry.text(), "Commander: nobody (was carol)");
}

TEST(Update, TitleAndDescriptionChangesCarryTheMessage) {
  auto request = UpdateBy("bob");
  request.set_title("Checkout fails for EU cards");
  request.set_description("Only Visa");
  request.set_message("narrowed down");
  auto change = IncidentWorkflow::Update(MakeIncident(INV, S2), request, kNow);
  ASSERT_THAT(change, IsOk());
  ASSERT_EQ(change->records.size(), 2u);
  EXPECT_EQ(change->records[0].entry.kind(), "title");
  EXPECT_EQ(change->records[0].entry.text(),
            "Title: \"Checkout fails for EU cards\" (was \"Checkout fails\"): narrowed down");
  EXPECT_EQ(change->records[1].entry.kind(), "description");
  EXPECT_EQ(change->records[1].event_type, kEventDetailsChanged);
}

TEST(Update, SameValuesChangeNothing) {
  pb::Incident incident = MakeIncident(INV, S2);
  auto request = UpdateBy("bob");
  request.set_status(INV);
  request.set_severity(S2);
  request.set_title("Checkout fails");
  auto change = IncidentWorkflow::Update(incident, request, kNow);
  ASSERT_THAT(change, IsOk());
  EXPECT_THAT(change->records, IsEmpty());
  EXPECT_EQ(change->incident.version(), 3);
}

TEST(Update, ClosedIncidentRefusesEveryChange) {
  auto request = UpdateBy("bob");
  request.set_severity(S1);
  EXPECT_THAT(IncidentWorkflow::Update(MakeIncident(CLOSED, S2), request, kNow),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("incident #7 is closed; a closed incident cannot change")));
}

TEST(Update, StaleExpectedVersionIsAbortedBeforeAnyRule) {
  auto request = UpdateBy("bob");
  request.set_status(PM);  // would be refused too; the version speaks first
  request.set_expected_version(1);
  EXPECT_THAT(IncidentWorkflow::Update(MakeIncident(OPEN, S2), request, kNow),
              StatusIs(absl::StatusCode::kAborted, HasSubstr("at version 3, not the expected 1")));
  request.set_expected_version(3);
  EXPECT_THAT(IncidentWorkflow::Update(MakeIncident(OPEN, S2), request, kNow),
              StatusIs(absl::StatusCode::kFailedPrecondition));
}

TEST(AddEntry, DefaultsToNoteAndKeepsGivenTime) {
  pb::AddTimelineEntryRequest request;
  request.set_incident_id(7);
  request.set_actor("bob");
  request.set_text("rolled back v42");
  auto change = IncidentWorkflow::AddEntry(MakeIncident(FIXING, S2), request, kNow);
  ASSERT_THAT(change, IsOk());
  EXPECT_EQ(change->records[0].entry.kind(), "note");
  EXPECT_EQ(change->records[0].event_type, kEventEntryAdded);
  EXPECT_EQ(FromTimestamp(change->records[0].entry.time()), kNow);
  EXPECT_EQ(change->incident.version(), 4);

  request.set_kind("chat_message");
  *request.mutable_time() = ToTimestamp(kNow - absl::Minutes(2));
  change = IncidentWorkflow::AddEntry(MakeIncident(FIXING, S2), request, kNow);
  ASSERT_THAT(change, IsOk());
  EXPECT_EQ(change->records[0].entry.kind(), "chat_message");
  EXPECT_EQ(FromTimestamp(change->records[0].entry.time()), kNow - absl::Minutes(2));
}

TEST(AddEntry, ClosedIncidentTimelineIsFinal) {
  pb::AddTimelineEntryRequest request;
  request.set_incident_id(7);
  request.set_actor("bob");
  request.set_text("late note");
  EXPECT_THAT(IncidentWorkflow::AddEntry(MakeIncident(CLOSED, S2), request, kNow),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("is closed")));
}

}  // namespace
}  // namespace ff
