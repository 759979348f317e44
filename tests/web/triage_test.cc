#include "adapters/web/triage.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace ff::web {
namespace {

constexpr int64_t kOpened = 1717000000;  // 2024-05-29T16:26:40Z

pb::Incident Incident(int64_t id, pb::Severity severity, pb::Status status,
                      const std::string& commander, int64_t created = kOpened) {
  pb::Incident incident;
  incident.set_id(id);
  incident.set_severity(severity);
  incident.set_status(status);
  incident.mutable_roles()->set_commander(commander);
  incident.mutable_created_at()->set_seconds(created);
  return incident;
}

std::vector<int64_t> Ids(const std::vector<pb::Incident>& incidents) {
  std::vector<int64_t> ids;
  for (const pb::Incident& incident : incidents) ids.push_back(incident.id());
  return ids;
}

TEST(TriageTest, PhasesGroupTheStatuses) {
  EXPECT_EQ(PhaseOf(pb::STATUS_OPEN), Phase::kResponding);
  EXPECT_EQ(PhaseOf(pb::STATUS_INVESTIGATING), Phase::kResponding);
  EXPECT_EQ(PhaseOf(pb::STATUS_FIXING), Phase::kResponding);
  EXPECT_EQ(PhaseOf(pb::STATUS_FIXED), Phase::kResolved);
  EXPECT_EQ(PhaseOf(pb::STATUS_POSTMORTEM), Phase::kResolved);
  EXPECT_EQ(PhaseOf(pb::STATUS_CLOSED), Phase::kClosed);
  EXPECT_EQ(PhaseWord(Phase::kResponding), "responding");
  EXPECT_EQ(PhaseWord(Phase::kResolved), "resolved");
  EXPECT_EQ(PhaseWord(Phase::kClosed), "closed");
}

TEST(TriageTest, OnlyARespondingIncidentWithoutCommanderNeedsOne) {
  EXPECT_TRUE(NeedsCommander(Incident(1, pb::SEVERITY_SEV2, pb::STATUS_OPEN, "")));
  EXPECT_TRUE(NeedsCommander(Incident(1, pb::SEVERITY_SEV2, pb::STATUS_FIXING, "")));
  EXPECT_FALSE(NeedsCommander(Incident(1, pb::SEVERITY_SEV2, pb::STATUS_OPEN, "alice")));
  EXPECT_FALSE(NeedsCommander(Incident(1, pb::SEVERITY_SEV2, pb::STATUS_FIXED, "")));
  EXPECT_FALSE(NeedsCommander(Incident(1, pb::SEVERITY_SEV2, pb::STATUS_POSTMORTEM, "")));
}

// The case of issue 19: a fixed SEV1 and two SEV2 in postmortem were listed
// above an open SEV2 nobody commands.
TEST(TriageTest, UnattendedOpenIncidentComesBeforeMoreSevereResolvedOnes) {
  std::vector<pb::Incident> incidents = {
      Incident(1, pb::SEVERITY_SEV1, pb::STATUS_FIXED, "alice", kOpened + 10),
      Incident(2, pb::SEVERITY_SEV2, pb::STATUS_POSTMORTEM, "bob", kOpened + 20),
      Incident(3, pb::SEVERITY_SEV2, pb::STATUS_POSTMORTEM, "carol", kOpened + 30),
      Incident(4, pb::SEVERITY_SEV2, pb::STATUS_OPEN, "", kOpened + 5),
  };
  SortForTriage(incidents);
  EXPECT_EQ(Ids(incidents), (std::vector<int64_t>{4, 1, 3, 2}));
}

TEST(TriageTest, ThenSeverityThenPhaseThenNewestFirst) {
  std::vector<pb::Incident> incidents = {
      Incident(1, pb::SEVERITY_SEV3, pb::STATUS_OPEN, ""),
      Incident(2, pb::SEVERITY_SEV1, pb::STATUS_FIXED, "alice"),
      Incident(3, pb::SEVERITY_SEV1, pb::STATUS_INVESTIGATING, "alice", kOpened - 60),
      Incident(4, pb::SEVERITY_SEV1, pb::STATUS_FIXING, "bob", kOpened + 60),
      Incident(5, pb::SEVERITY_SEV1, pb::STATUS_OPEN, ""),
      Incident(6, pb::SEVERITY_SEV2, pb::STATUS_FIXING, "carol"),
      Incident(7, pb::SEVERITY_SEV2, pb::STATUS_FIXING, "carol"),  // same time: higher id first
  };
  SortForTriage(incidents);
  // Unattended (5 SEV1, 1 SEV3), then SEV1 responding newest first (4, 3),
  // SEV1 resolved (2), then SEV2 (7 before 6).
  EXPECT_EQ(Ids(incidents), (std::vector<int64_t>{5, 1, 4, 3, 2, 7, 6}));
}

TEST(TriageTest, DurationStopsWhenFixed) {
  pb::Incident incident = Incident(1, pb::SEVERITY_SEV2, pb::STATUS_POSTMORTEM, "alice");
  incident.mutable_fixed_at()->set_seconds(kOpened + 8040);
  std::optional<DurationEnd> end = DurationEndOf(incident);
  ASSERT_TRUE(end.has_value());
  EXPECT_EQ(end->at, absl::FromUnixSeconds(kOpened + 8040));
  EXPECT_EQ(end->reached, pb::STATUS_FIXED);

  // Closed later: still the time it was fixed.
  incident.set_status(pb::STATUS_CLOSED);
  incident.mutable_closed_at()->set_seconds(kOpened + 86400);
  end = DurationEndOf(incident);
  ASSERT_TRUE(end.has_value());
  EXPECT_EQ(end->at, absl::FromUnixSeconds(kOpened + 8040));
  EXPECT_EQ(end->reached, pb::STATUS_FIXED);
}

TEST(TriageTest, DurationStopsWhenClosedWithoutAFix) {
  pb::Incident incident = Incident(1, pb::SEVERITY_SEV4, pb::STATUS_CLOSED, "");
  incident.mutable_closed_at()->set_seconds(kOpened + 120);
  std::optional<DurationEnd> end = DurationEndOf(incident);
  ASSERT_TRUE(end.has_value());
  EXPECT_EQ(end->at, absl::FromUnixSeconds(kOpened + 120));
  EXPECT_EQ(end->reached, pb::STATUS_CLOSED);
}

TEST(TriageTest, DurationRunsUntilFixed) {
  // Reopened after a fix: the core cleared fixed_at, so it runs again.
  pb::Incident incident = Incident(1, pb::SEVERITY_SEV2, pb::STATUS_FIXING, "alice");
  EXPECT_FALSE(DurationEndOf(incident).has_value());
}

}  // namespace
}  // namespace ff::web
