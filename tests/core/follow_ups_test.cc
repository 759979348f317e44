// FollowUpRules: due dates (parsing, defaults per severity, the past judged
// in the configured zone), updates, versions and the timeline text.
#include "server/core/follow_ups.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/core/time_util.h"
#include "tests/testing/status_matchers.h"

namespace ff {
namespace {

using ::ff::testing::IsOk;
using ::ff::testing::StatusIs;
using ::testing::HasSubstr;

// 2026-03-10 23:30 UTC: already 2026-03-11 in Europe/Paris.
const absl::Time kNow = absl::FromUnixSeconds(1773185400);

pb::Incident Incident(pb::Severity severity) {
  pb::Incident incident;
  incident.set_id(7);
  incident.set_severity(severity);
  return incident;
}

pb::AddFollowUpRequest Add(const std::string& title) {
  pb::AddFollowUpRequest r;
  r.set_incident_id(7);
  r.set_actor(" alice ");
  r.set_title(title);
  return r;
}

TEST(DueDate, ParsesOnlyRealCalendarDates) {
  EXPECT_THAT(ParseDueDate("due_date", "2026-02-28"), IsOk());
  EXPECT_EQ(FormatDueDate(*ParseDueDate("due_date", "2028-02-29")), "2028-02-29");
  for (const char* bad : {"2026-02-29", "2026-2-3", "2026-02-03T00:00", "26-02-03", "", "tomorrow",
                          "2026-13-01", "２０２６-01-01"}) {
    EXPECT_THAT(ParseDueDate("due_date", bad),
                StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("due_date must be")))
        << bad;
  }
  EXPECT_THAT(
      ParseDueDate("due_date", std::string(300, '9')),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("not \"99999999999999999999…\"")));
}

TEST(FollowUpRules, DefaultDueDateIsPerSeverityCountedInTheZone) {
  FollowUpSettings settings;
  settings.due_days[pb::SEVERITY_SEV1] = 14;
  auto sev1 = FollowUpRules::Add(settings, Incident(pb::SEVERITY_SEV1), Add("t"), kNow);
  ASSERT_THAT(sev1, IsOk());
  EXPECT_EQ(sev1->follow_up.due_date(), "2026-03-24");
  auto sev2 = FollowUpRules::Add(settings, Incident(pb::SEVERITY_SEV2), Add("t"), kNow);
  ASSERT_THAT(sev2, IsOk());
  EXPECT_EQ(sev2->follow_up.due_date(), "");
  ASSERT_TRUE(absl::LoadTimeZone("Europe/Paris", &settings.zone));
  EXPECT_EQ(FollowUpRules::Add(settings, Incident(pb::SEVERITY_SEV1), Add("t"), kNow)
                ->follow_up.due_date(),
            "2026-03-25");
  auto none = Add("t");
  none.set_due_date("");
  EXPECT_EQ(
      FollowUpRules::Add(settings, Incident(pb::SEVERITY_SEV1), none, kNow)->follow_up.due_date(),
      "");
}

TEST(FollowUpRules, APastDueDateIsRefusedWhereverTodayIs) {
  FollowUpSettings utc;
  auto today = Add("t");
  today.set_due_date("2026-03-10");
  EXPECT_THAT(FollowUpRules::Add(utc, Incident(pb::SEVERITY_SEV2), today, kNow), IsOk());
  FollowUpSettings paris;
  ASSERT_TRUE(absl::LoadTimeZone("Europe/Paris", &paris.zone));
  EXPECT_THAT(FollowUpRules::Add(paris, Incident(pb::SEVERITY_SEV2), today, kNow),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "due_date 2026-03-10 is in the past (today is 2026-03-11)"));
}

TEST(FollowUpRules, AddBuildsTheRecordAndItsEntry) {
  auto r = Add("  Add a retry budget ");
  r.set_owner(" ann@example.com ");
  r.set_description("why");
  auto added = FollowUpRules::Add(FollowUpSettings(), Incident(pb::SEVERITY_SEV2), r, kNow);
  ASSERT_THAT(added, IsOk());
  const pb::FollowUp& f = added->follow_up;
  EXPECT_EQ(f.id(), 0);
  EXPECT_EQ(f.incident_id(), 7);
  EXPECT_EQ(f.title(), "Add a retry budget");
  EXPECT_EQ(f.owner(), "ann@example.com");
  EXPECT_EQ(f.created_by(), "alice");
  EXPECT_EQ(f.status(), pb::FOLLOW_UP_STATUS_OPEN);
  EXPECT_EQ(f.version(), 1);
  EXPECT_EQ(FromTimestamp(f.created_at()), kNow);
  ASSERT_EQ(added->records.size(), 1u);
  EXPECT_EQ(added->records[0].event_type, kEventFollowUpAdded);
  EXPECT_EQ(added->records[0].entry.kind(), "followup");
  EXPECT_EQ(added->records[0].entry.text(), "added: Add a retry budget (owner ann@example.com)");
}

TEST(FollowUpRules, UpdateChecksTheVersionAndSaysWhatChanged) {
  auto added =
      FollowUpRules::Add(FollowUpSettings(), Incident(pb::SEVERITY_SEV2), Add("Draft"), kNow);
  ASSERT_THAT(added, IsOk());
  pb::FollowUp current = added->follow_up;
  current.set_id(3);
  pb::UpdateFollowUpRequest r;
  r.set_id(3);
  r.set_actor("bob");
  r.set_expected_version(2);
  r.set_status(pb::FOLLOW_UP_STATUS_DONE);
  EXPECT_THAT(FollowUpRules::Update(FollowUpSettings(), current, r, kNow),
              StatusIs(absl::StatusCode::kAborted,
                       "FU-3 is at version 1, not the expected 2: reload and retry"));
  r.set_expected_version(1);
  r.set_owner("carol@example.com");
  auto done = FollowUpRules::Update(FollowUpSettings(), current, r, kNow + absl::Hours(1));
  ASSERT_THAT(done, IsOk());
  EXPECT_EQ(done->follow_up.version(), 2);
  EXPECT_EQ(FromTimestamp(done->follow_up.closed_at()), kNow + absl::Hours(1));
  ASSERT_EQ(done->records.size(), 1u);
  EXPECT_EQ(done->records[0].entry.text(),
            "Follow-up FU-3 (Draft): status done, owner carol@example.com");
  // A past due date that is already the follow-up's is no change to refuse.
  current.set_due_date("2026-01-01");
  pb::UpdateFollowUpRequest keep;
  keep.set_id(3);
  keep.set_actor("bob");
  keep.set_due_date("2026-01-01");
  auto kept = FollowUpRules::Update(FollowUpSettings(), current, keep, kNow);
  ASSERT_THAT(kept, IsOk());
  EXPECT_TRUE(kept->records.empty());
}

TEST(FollowUpRules, OverdueIsOpenAndDueBeforeToday) {
  pb::FollowUp f;
  f.set_status(pb::FOLLOW_UP_STATUS_OPEN);
  const absl::CivilDay today(2026, 3, 10);
  EXPECT_FALSE(IsOverdue(f, today)) << "no due date";
  f.set_due_date("2026-03-10");
  EXPECT_FALSE(IsOverdue(f, today));
  f.set_due_date("2026-03-09");
  EXPECT_TRUE(IsOverdue(f, today));
  f.set_status(pb::FOLLOW_UP_STATUS_DONE);
  EXPECT_FALSE(IsOverdue(f, today));
}

TEST(FollowUpRules, LinkTrackerOnceWithoutAVersionBump) {
  pb::FollowUp f;
  f.set_id(4);
  f.set_incident_id(7);
  f.set_version(3);
  FollowUpChange linked = FollowUpRules::LinkTracker(f, "OPS-1", "https://x/browse/OPS-1", kNow);
  EXPECT_EQ(linked.follow_up.tracker_key(), "OPS-1");
  EXPECT_EQ(linked.follow_up.version(), 3);
  ASSERT_EQ(linked.records.size(), 1u);
  EXPECT_EQ(linked.records[0].event_type, kEventFollowUpTrackerLinked);
  EXPECT_TRUE(FollowUpRules::LinkTracker(linked.follow_up, "OPS-1", "https://x/browse/OPS-1", kNow)
                  .records.empty());
}

}  // namespace
}  // namespace ff
