#include "adapters/web/incident_json.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace ff::web {
namespace {

google::protobuf::Timestamp At(int64_t seconds) {
  google::protobuf::Timestamp t;
  t.set_seconds(seconds);
  return t;
}

pb::TimelineEntry Entry(int64_t seconds, const std::string& kind, const std::string& text) {
  pb::TimelineEntry entry;
  *entry.mutable_time() = At(seconds);
  entry.set_kind(kind);
  entry.set_text(text);
  return entry;
}

constexpr int64_t kOpened = 1717000000;  // 2024-05-29T16:26:40Z

TEST(IncidentJsonTest, UsesApiNamesAndNullForUnsetTimes) {
  pb::Incident incident;
  incident.set_id(7);
  incident.set_severity(pb::SEVERITY_SEV2);
  incident.set_status(pb::STATUS_INVESTIGATING);
  *incident.mutable_created_at() = At(kOpened);
  incident.mutable_roles()->set_commander("alice");
  pb::Link* link = incident.add_links();
  link->set_kind("slack_channel");
  link->set_url("https://acme.slack.com/archives/C1");

  nlohmann::json json = IncidentJson(incident);
  EXPECT_EQ(json["id"], 7);
  EXPECT_EQ(json["severity"], "sev2");
  EXPECT_EQ(json["status"], "investigating");
  EXPECT_EQ(json["created_at"], "2024-05-29T16:26:40Z");
  EXPECT_TRUE(json["closed_at"].is_null());
  EXPECT_TRUE(json["close_reason"].is_null());
  EXPECT_EQ(json["roles"]["commander"], "alice");
  EXPECT_EQ(json["links"][0]["kind"], "slack_channel");
}

TEST(IncidentJsonTest, CloseReasonIsTheVocabularysWord) {
  pb::Incident incident;
  incident.set_status(pb::STATUS_CLOSED);
  incident.set_close_reason(pb::CLOSE_REASON_NOT_AN_INCIDENT);
  incident.mutable_roles()->set_communication_lead("carol");
  nlohmann::json json = IncidentJson(incident);
  EXPECT_EQ(json["status"], "closed");
  EXPECT_EQ(json["close_reason"], "not-an-incident");
  EXPECT_EQ(json["roles"],
            (nlohmann::json{
                {"commander", ""}, {"communication_lead", "carol"}, {"operations_lead", ""}}));
}

// What the pages label things with: every value in order, and for each role
// its key in an incident's "roles".
TEST(VocabularyJsonTest, ListsEveryTermInOrder) {
  nlohmann::json vocabulary = VocabularyJson();
  ASSERT_EQ(vocabulary["statuses"].size(), 6u);
  EXPECT_EQ(vocabulary["statuses"][1], (nlohmann::json{{"word", "investigating"},
                                                       {"label", "Investigating"},
                                                       {"meaning", "looking for a root cause"}}));
  ASSERT_EQ(vocabulary["severities"].size(), 5u);
  EXPECT_EQ(vocabulary["severities"][1]["word"], "sev2");
  EXPECT_EQ(vocabulary["severities"][1]["label"], "SEV2");
  EXPECT_EQ(vocabulary["severities"][1]["meaning"], "major, impacting customers");
  ASSERT_EQ(vocabulary["close_reasons"].size(), 4u);
  EXPECT_EQ(vocabulary["close_reasons"][3]["word"], "not-an-incident");
  EXPECT_EQ(vocabulary["close_reasons"][3]["label"], "Not an incident");
  ASSERT_EQ(vocabulary["roles"].size(), 3u);
  EXPECT_EQ(vocabulary["roles"][1]["word"], "communication-lead");
  EXPECT_EQ(vocabulary["roles"][1]["label"], "Communication lead");
  EXPECT_EQ(vocabulary["roles"][1]["field"], "communication_lead");
}

TEST(StatusPeriodsTest, FollowsStatusEntriesIncludingGoingBack) {
  pb::Incident incident;
  *incident.mutable_created_at() = At(kOpened);
  std::vector<pb::TimelineEntry> timeline = {
      Entry(kOpened, "opened", "Opened SEV2 incident in payment: x"),
      Entry(kOpened + 60, "status", "status OPEN → INVESTIGATING"),
      Entry(kOpened + 70, "note", "looking at the → FIXED dashboards"),  // not a status entry
      Entry(kOpened + 160, "status", "status INVESTIGATING → FIXING: pool exhausted"),
      Entry(kOpened + 200, "status", "status FIXING → INVESTIGATING: wrong root cause"),
      Entry(kOpened + 300, "status", "status INVESTIGATING → FIXED"),
      Entry(kOpened + 400, "closed", "Closed (RESOLVED)"),
  };
  std::vector<StatusPeriod> periods = StatusPeriods(incident, timeline);
  ASSERT_EQ(periods.size(), 6u);
  EXPECT_EQ(periods[0].status, pb::STATUS_OPEN);
  EXPECT_EQ(periods[3].status, pb::STATUS_INVESTIGATING);
  EXPECT_EQ(periods[5].status, pb::STATUS_CLOSED);
  EXPECT_EQ(periods[5].end, absl::InfiniteFuture());

  nlohmann::json spent = TimeInStatusJson(periods);
  ASSERT_EQ(spent.size(), 4u);  // open, investigating, fixing, fixed; closed is not timed
  EXPECT_EQ(spent[0], (nlohmann::json{{"status", "open"}, {"seconds", 60}, {"since", nullptr}}));
  EXPECT_EQ(spent[1]["status"], "investigating");
  EXPECT_EQ(spent[1]["seconds"], 100 + 100);
  EXPECT_EQ(spent[2]["status"], "fixing");
  EXPECT_EQ(spent[2]["seconds"], 40);
  EXPECT_EQ(spent[3]["status"], "fixed");
  EXPECT_EQ(spent[3]["seconds"], 100);
}

TEST(StatusPeriodsTest, CurrentStatusHasASinceAndReopenCounts) {
  pb::Incident incident;
  *incident.mutable_created_at() = At(kOpened);
  std::vector<pb::TimelineEntry> timeline = {
      Entry(kOpened + 10, "status", "status OPEN → FIXED"),
      Entry(kOpened + 30, "status", "Reopened: status FIXED → FIXING: errors are back"),
  };
  nlohmann::json spent = TimeInStatusJson(StatusPeriods(incident, timeline));
  ASSERT_EQ(spent.size(), 3u);
  EXPECT_EQ(spent[1]["status"], "fixing");
  EXPECT_EQ(spent[1]["seconds"], 0);
  EXPECT_EQ(spent[1]["since"], "2024-05-29T16:27:10Z");
  EXPECT_EQ(spent[2]["status"], "fixed");
  EXPECT_EQ(spent[2]["seconds"], 20);
}

}  // namespace
}  // namespace ff::web
