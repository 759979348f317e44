// The incident lifecycle through the real server and a generated client.
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "tests/e2e/e2e_fixture.h"

namespace ff::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

using LifecycleTest = E2eTest;

std::vector<std::string> Kinds(const std::vector<pb::TimelineEntry>& entries) {
  std::vector<std::string> kinds;
  for (const auto& e : entries) kinds.push_back(e.kind());
  return kinds;
}

TEST_F(LifecycleTest, HappyPathFromOpenToClosedWithPostmortem) {
  pb::Incident incident = MustOpen("Checkout returns 500", pb::SEVERITY_SEV2);
  EXPECT_EQ(incident.id(), 1);
  EXPECT_EQ(incident.status(), pb::STATUS_OPEN);
  EXPECT_EQ(incident.version(), 1);
  EXPECT_TRUE(incident.has_created_at());

  for (pb::Status next :
       {pb::STATUS_INVESTIGATING, pb::STATUS_FIXING, pb::STATUS_FIXED, pb::STATUS_POSTMORTEM}) {
    auto moved = MoveTo(incident.id(), next);
    ASSERT_TRUE(moved.ok()) << moved.status.error_message();
    EXPECT_EQ(moved.response.status(), next);
    EXPECT_EQ(moved.response.version(), incident.version() + 1);
    incident = moved.response;
  }
  pb::CloseIncidentRequest close;
  close.set_id(incident.id());
  close.set_actor("carol");
  close.set_message("postmortem held");
  auto closed = CloseIncident(close);
  ASSERT_TRUE(closed.ok()) << closed.status.error_message();
  EXPECT_EQ(closed.response.status(), pb::STATUS_CLOSED);
  EXPECT_EQ(closed.response.close_reason(), pb::CLOSE_REASON_RESOLVED);

  pb::GetIncidentRequest get;
  get.set_id(incident.id());
  auto stored = GetIncident(get);
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored.response.status(), pb::STATUS_CLOSED);
  EXPECT_EQ(stored.response.version(), 6);
  EXPECT_TRUE(stored.response.has_investigating_at());
  EXPECT_TRUE(stored.response.has_fixing_at());
  EXPECT_TRUE(stored.response.has_fixed_at());
  EXPECT_TRUE(stored.response.has_postmortem_at());
  EXPECT_TRUE(stored.response.has_closed_at());
  auto timeline = Timeline(incident.id());
  EXPECT_THAT(Kinds(timeline),
              ElementsAre("opened", "status", "status", "status", "status", "closed"));
  EXPECT_EQ(timeline[1].text(), "status OPEN → INVESTIGATING");
  EXPECT_EQ(timeline[1].actor(), "bob");
  EXPECT_EQ(timeline[5].text(), "Closed (resolved): postmortem held");
  EXPECT_EQ(timeline[5].actor(), "carol");
}

TEST_F(LifecycleTest, Sev4ClosesFromFixedWithoutPostmortem) {
  pb::Incident incident = MustOpen("Typo on the pricing page", pb::SEVERITY_SEV4);
  ASSERT_TRUE(MoveTo(incident.id(), pb::STATUS_FIXED).ok());
  auto postmortem = MoveTo(incident.id(), pb::STATUS_POSTMORTEM);
  EXPECT_EQ(postmortem.status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(postmortem.status.error_message(), HasSubstr("only for SEV1 to SEV3"));
  pb::CloseIncidentRequest close;
  close.set_id(incident.id());
  close.set_actor("bob");
  auto closed = CloseIncident(close);
  ASSERT_TRUE(closed.ok()) << closed.status.error_message();
  EXPECT_EQ(closed.response.status(), pb::STATUS_CLOSED);
}

TEST_F(LifecycleTest, Sev2CannotCloseFromFixedWithoutPostmortem) {
  pb::Incident incident = MustOpen("Search is slow", pb::SEVERITY_SEV2);
  ASSERT_TRUE(MoveTo(incident.id(), pb::STATUS_FIXED).ok());
  pb::CloseIncidentRequest close;
  close.set_id(incident.id());
  close.set_actor("bob");
  auto refused = CloseIncident(close);
  EXPECT_EQ(refused.status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(refused.status.error_message(), HasSubstr("need a postmortem before closing"));
  EXPECT_EQ(Timeline(incident.id()).size(), 2u);  // the refusal wrote nothing
}

TEST_F(LifecycleTest, OpenedByMistakeClosesFromOpen) {
  pb::Incident incident = MustOpen("Wrong button");
  pb::CloseIncidentRequest close;
  close.set_id(incident.id());
  close.set_actor("alice");
  close.set_reason(pb::CLOSE_REASON_MISTAKE);
  auto closed = CloseIncident(close);
  ASSERT_TRUE(closed.ok()) << closed.status.error_message();
  EXPECT_EQ(closed.response.status(), pb::STATUS_CLOSED);
  EXPECT_EQ(closed.response.close_reason(), pb::CLOSE_REASON_MISTAKE);
  EXPECT_EQ(Timeline(incident.id()).back().text(), "Closed (mistake)");
}

TEST_F(LifecycleTest, DedupKeyReturnsTheSameIncident) {
  pb::OpenIncidentRequest request = OpenRequest("Disk full on db-3");
  request.set_dedup_key("alertmanager:disk-full:db-3");
  auto first = OpenIncident(request);
  ASSERT_TRUE(first.ok());
  request.set_title("Disk full on db-3 (again)");
  auto second = OpenIncident(request);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second.response.id(), first.response.id());
  EXPECT_EQ(second.response.title(), "Disk full on db-3");
  EXPECT_EQ(CountIncidents(), 1);
}

TEST_F(LifecycleTest, StaleExpectedVersionIsAborted) {
  pb::Incident incident = MustOpen("Payments flaky");
  auto update = StatusUpdate(incident.id(), pb::STATUS_INVESTIGATING);
  update.set_expected_version(incident.version());
  ASSERT_TRUE(UpdateIncident(update).ok());
  update.set_status(pb::STATUS_FIXING);  // still expects version 1
  auto stale = UpdateIncident(update);
  EXPECT_EQ(stale.status.error_code(), grpc::StatusCode::ABORTED);
  EXPECT_THAT(stale.status.error_message(),
              HasSubstr("incident #1 is at version 2, not the expected 1"));
  pb::GetIncidentRequest get;
  get.set_id(incident.id());
  EXPECT_EQ(GetIncident(get).response.status(), pb::STATUS_INVESTIGATING);

  pb::CloseIncidentRequest close;
  close.set_id(incident.id());
  close.set_actor("bob");
  close.set_reason(pb::CLOSE_REASON_DUPLICATE);
  close.set_expected_version(1);
  EXPECT_EQ(CloseIncident(close).status.error_code(), grpc::StatusCode::ABORTED);
}

TEST_F(LifecycleTest, UnknownIdIsNotFoundForEveryRpc) {
  MustOpen("the only one");
  const char kMissing[] = "incident #42 does not exist";
  pb::GetIncidentRequest get;
  get.set_id(42);
  auto got = GetIncident(get);
  EXPECT_EQ(got.status.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(got.status.error_message(), kMissing);
  auto updated = UpdateIncident(StatusUpdate(42, pb::STATUS_FIXING));
  EXPECT_EQ(updated.status.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(updated.status.error_message(), kMissing);
  pb::CloseIncidentRequest close;
  close.set_id(42);
  close.set_actor("bob");
  EXPECT_EQ(CloseIncident(close).status.error_code(), grpc::StatusCode::NOT_FOUND);
  pb::AddTimelineEntryRequest note;
  note.set_incident_id(42);
  note.set_actor("bob");
  note.set_text("hello?");
  EXPECT_EQ(AddTimelineEntry(note).status.error_code(), grpc::StatusCode::NOT_FOUND);
  pb::ListTimelineRequest timeline;
  timeline.set_incident_id(42);
  EXPECT_EQ(ListTimeline(timeline).status.error_code(), grpc::StatusCode::NOT_FOUND);
}

TEST_F(LifecycleTest, IllegalMoveIsFailedPreconditionWithWhatIsAllowed) {
  pb::Incident incident = MustOpen("Latency spike");
  auto refused = MoveTo(incident.id(), pb::STATUS_POSTMORTEM);
  EXPECT_EQ(refused.status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(refused.status.error_message(),
            "cannot move incident #1 from OPEN to POSTMORTEM; from OPEN it can go to "
            "INVESTIGATING, FIXING, FIXED, CLOSED with a reason other than resolved");
  ASSERT_TRUE(MoveTo(incident.id(), pb::STATUS_FIXING).ok());
  auto back = MoveTo(incident.id(), pb::STATUS_INVESTIGATING);
  EXPECT_EQ(back.status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(back.status.error_message(), HasSubstr("needs a message"));
  EXPECT_TRUE(MoveTo(incident.id(), pb::STATUS_INVESTIGATING, "wrong root cause").ok());
}

// Every answer carries the workflow's next moves, so clients need no copy of
// the rules: OPEN, FIXED (SEV2: a postmortem is due), POSTMORTEM and CLOSED.
TEST_F(LifecycleTest, AnswersCarryTheAllowedNextStatuses) {
  auto allowed = [](const pb::Incident& i) {
    return std::vector<int>(i.allowed_next_statuses().begin(), i.allowed_next_statuses().end());
  };
  auto needing_message = [](const pb::Incident& i) {
    return std::vector<int>(i.next_statuses_needing_message().begin(),
                            i.next_statuses_needing_message().end());
  };
  pb::Incident opened = MustOpen("Checkout is slow");
  EXPECT_THAT(allowed(opened),
              ElementsAre(pb::STATUS_INVESTIGATING, pb::STATUS_FIXING, pb::STATUS_FIXED));
  pb::GetIncidentRequest get;
  get.set_id(opened.id());
  auto open = GetIncident(get);
  ASSERT_TRUE(open.ok()) << open.status.error_message();
  EXPECT_THAT(allowed(open.response),
              ElementsAre(pb::STATUS_INVESTIGATING, pb::STATUS_FIXING, pb::STATUS_FIXED));
  EXPECT_THAT(needing_message(open.response), ::testing::IsEmpty());

  auto fixed = MoveTo(opened.id(), pb::STATUS_FIXED);
  ASSERT_TRUE(fixed.ok()) << fixed.status.error_message();
  const std::vector<int> from_fixed = {pb::STATUS_INVESTIGATING, pb::STATUS_FIXING,
                                       pb::STATUS_POSTMORTEM};
  EXPECT_EQ(allowed(fixed.response), from_fixed);
  auto got = GetIncident(get);
  ASSERT_TRUE(got.ok()) << got.status.error_message();
  EXPECT_EQ(allowed(got.response), from_fixed);
  EXPECT_THAT(needing_message(got.response),
              ElementsAre(pb::STATUS_INVESTIGATING, pb::STATUS_FIXING));
  pb::ListIncidentsRequest list;
  auto listed = ListIncidents(list);
  ASSERT_TRUE(listed.ok()) << listed.status.error_message();
  ASSERT_EQ(listed.response.incidents_size(), 1);
  EXPECT_EQ(allowed(listed.response.incidents(0)), from_fixed);

  auto postmortem = MoveTo(opened.id(), pb::STATUS_POSTMORTEM);
  ASSERT_TRUE(postmortem.ok()) << postmortem.status.error_message();
  EXPECT_THAT(allowed(postmortem.response), ElementsAre(pb::STATUS_CLOSED));
  auto closed = MoveTo(opened.id(), pb::STATUS_CLOSED);
  ASSERT_TRUE(closed.ok()) << closed.status.error_message();
  EXPECT_THAT(allowed(closed.response), ::testing::IsEmpty());
  auto final_state = GetIncident(get);
  ASSERT_TRUE(final_state.ok()) << final_state.status.error_message();
  EXPECT_EQ(final_state.response.status(), pb::STATUS_CLOSED);
  EXPECT_THAT(allowed(final_state.response), ::testing::IsEmpty());
  EXPECT_THAT(needing_message(final_state.response), ::testing::IsEmpty());
}

TEST_F(LifecycleTest, ClosedIncidentRefusesChangesAndNotes) {
  pb::Incident incident = MustOpen("Done");
  pb::CloseIncidentRequest close;
  close.set_id(incident.id());
  close.set_actor("bob");
  close.set_reason(pb::CLOSE_REASON_NOT_AN_INCIDENT);
  ASSERT_TRUE(CloseIncident(close).ok());
  auto again = CloseIncident(close);
  EXPECT_EQ(again.status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(again.status.error_message(), "incident #1 is already closed");
  pb::UpdateIncidentRequest update;
  update.set_id(incident.id());
  update.set_actor("bob");
  update.set_title("renamed");
  EXPECT_EQ(UpdateIncident(update).status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  pb::AddTimelineEntryRequest note;
  note.set_incident_id(incident.id());
  note.set_actor("bob");
  note.set_text("late");
  EXPECT_EQ(AddTimelineEntry(note).status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
}

TEST_F(LifecycleTest, RolesNotesAndDetailsAreOnTheTimeline) {
  pb::Incident incident = MustOpen("Queue backlog");
  pb::UpdateIncidentRequest update;
  update.set_id(incident.id());
  update.set_actor("alice");
  update.set_commander("carol");
  update.set_communication_lead("dave");
  update.set_severity(pb::SEVERITY_SEV1);
  auto updated = UpdateIncident(update);
  ASSERT_TRUE(updated.ok()) << updated.status.error_message();
  EXPECT_EQ(updated.response.roles().commander(), "carol");
  EXPECT_EQ(updated.response.severity(), pb::SEVERITY_SEV1);
  EXPECT_THAT(updated.response.participants(), ElementsAre("alice", "carol", "dave"));

  pb::AddTimelineEntryRequest note;
  note.set_incident_id(incident.id());
  note.set_actor("carol");
  note.set_text("Scaled consumers to 20");
  auto added = AddTimelineEntry(note);
  ASSERT_TRUE(added.ok()) << added.status.error_message();
  EXPECT_GT(added.response.id(), 0);
  EXPECT_EQ(added.response.kind(), "note");
  EXPECT_EQ(added.response.incident_id(), incident.id());
  EXPECT_THAT(Kinds(Timeline(incident.id())),
              ElementsAre("opened", "severity", "role", "role", "note"));
}

TEST_F(LifecycleTest, ListDomainsReturnsTheConfiguredOnes) {
  auto domains = ListDomains(pb::ListDomainsRequest());
  ASSERT_TRUE(domains.ok());
  std::vector<std::string> names;
  for (const auto& d : domains.response.domains()) names.push_back(d.name());
  EXPECT_THAT(names, ElementsAre("payment", "search", "main-website", "backoffice"));
}

}  // namespace
}  // namespace ff::testing
