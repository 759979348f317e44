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

TEST(IncidentJsonTest, DurationRunsFromOccurredUntilFixed) {
  pb::Incident incident;
  incident.set_status(pb::STATUS_INVESTIGATING);
  *incident.mutable_created_at() = At(kOpened);
  *incident.mutable_occurred_at() = At(kOpened - 600);
  nlohmann::json json = IncidentJson(incident);
  EXPECT_EQ(json["phase"], "responding");
  EXPECT_EQ(json["needs_commander"], true);
  EXPECT_EQ(
      json["duration"],
      (nlohmann::json{{"from", "2024-05-29T16:16:40Z"}, {"until", nullptr}, {"ended", nullptr}}));

  incident.set_status(pb::STATUS_POSTMORTEM);
  *incident.mutable_fixed_at() = At(kOpened + 7440);  // 2h 14m after it occurred
  json = IncidentJson(incident);
  EXPECT_EQ(json["phase"], "resolved");
  EXPECT_EQ(json["needs_commander"], false);
  EXPECT_EQ(json["duration"]["until"], "2024-05-29T18:30:40Z");
  EXPECT_EQ(json["duration"]["ended"], "fixed");
}

TEST(IncidentJsonTest, DurationOfAnIncidentClosedUnfixedEndsWhenClosed) {
  pb::Incident incident;
  incident.set_status(pb::STATUS_CLOSED);
  *incident.mutable_created_at() = At(kOpened);
  *incident.mutable_closed_at() = At(kOpened + 120);
  nlohmann::json json = IncidentJson(incident);
  EXPECT_EQ(json["phase"], "closed");
  EXPECT_EQ(json["duration"], (nlohmann::json{{"from", "2024-05-29T16:26:40Z"},
                                              {"until", "2024-05-29T16:28:40Z"},
                                              {"ended", "closed"}}));
}

pb::TimelineEntry Notice(int64_t seconds, const std::string& notifier, const std::string& text) {
  pb::TimelineEntry entry = Entry(seconds, "notification", text);
  entry.set_actor(notifier);
  return entry;
}

TEST(IncidentJsonTest, NotifierEntriesAreNoticesOperatorRetriesAreNot) {
  EXPECT_EQ(TimelineEntryJson(Notice(kOpened, "datadog", "Datadog notebook: x"))["notice"], true);
  EXPECT_EQ(
      TimelineEntryJson(Entry(kOpened, "delivery", "Retried the slack notification"))["notice"],
      false);
  EXPECT_EQ(TimelineEntryJson(Entry(kOpened, "note", "Slack #inc-1: invited 2 people"))["notice"],
            false);
}

TEST(IncidentJsonTest, NameLinksNamesTheSlackChannelFromTheSlackNotifiersNotices) {
  pb::Incident incident;
  pb::Link* channel = incident.add_links();
  channel->set_kind("slack_channel");
  channel->set_external_id("C0INC168");
  pb::Link* page = incident.add_links();
  page->set_kind("postmortem");
  page->set_external_id("98765");
  std::vector<pb::TimelineEntry> timeline = {
      Notice(kOpened, "slack", "Slack #inc-12-checkout-502: invited 3 people"),
      Entry(kOpened + 1, "note", "Slack #not-from-the-notifier: invited 1 person"),
      Notice(kOpened + 2, "pagerduty", "On call for payment: Dana"),
      Notice(kOpened + 3, "slack", "Slack #inc-12-checkout-renamed: invited 1 person"),
      Notice(kOpened + 4, "slack", "Participants added: bob@example.com"),
  };
  nlohmann::json json = IncidentJson(incident);
  EXPECT_TRUE(json["links"][0]["name"].is_null());
  NameLinks(timeline, json);
  EXPECT_EQ(json["links"][0]["name"], "#inc-12-checkout-renamed");
  EXPECT_TRUE(json["links"][1]["name"].is_null());

  timeline.push_back(
      Notice(kOpened + 5, "slack", "Slack channel #inc-12-checkout-renamed archived"));
  json = IncidentJson(incident);
  NameLinks(timeline, json);
  EXPECT_EQ(json["links"][0]["name"], "#inc-12-checkout-renamed");
}

TEST(IncidentJsonTest, APostmortemPageIsNamedByTheTitleItsLinkCarries) {
  pb::Incident incident;
  pb::Link* page = incident.add_links();
  page->set_kind("postmortem");
  page->set_url(
      "https://acme.atlassian.net/wiki/spaces/ENG/pages/98765/Postmortem+12+Checkout+fails");
  pb::Link* other = incident.add_links();
  other->set_kind("call");
  other->set_url("https://zoom.us/j/123456?pwd=x");
  nlohmann::json json = IncidentJson(incident);
  EXPECT_EQ(json["links"][0]["name"], "Postmortem 12 Checkout fails");
  EXPECT_TRUE(json["links"][1]["name"].is_null());

  EXPECT_EQ(ConfluencePageTitle("https://x/wiki/spaces/K/pages/1/Caf%C3%A9+down?focused=1"),
            "Café down");
  EXPECT_TRUE(ConfluencePageTitle("https://x/wiki/spaces/K/pages/1").is_null());
  EXPECT_TRUE(ConfluencePageTitle("https://x/wiki/spaces/K/pages/abc/Title").is_null());
  EXPECT_TRUE(ConfluencePageTitle("https://x/wiki/spaces/K/pages/1/%zz").is_null());
  EXPECT_TRUE(ConfluencePageTitle("https://x/wiki/spaces/K/pages/1/+++").is_null());
}

TEST(IncidentJsonTest, NameLinksLeavesTheChannelUnnamedWithoutANotice) {
  pb::Incident incident;
  incident.add_links()->set_kind("slack_channel");
  nlohmann::json json = IncidentJson(incident);
  NameLinks({Notice(kOpened, "slack", "Slack #: invited 0 people")}, json);
  EXPECT_TRUE(json["links"][0]["name"].is_null());
}

// What the pages label things with: every value in order, and for each role
// its key in an incident's "roles".
TEST(VocabularyJsonTest, ListsEveryTermInOrder) {
  nlohmann::json vocabulary = VocabularyJson();
  ASSERT_EQ(vocabulary["statuses"].size(), 6u);
  EXPECT_EQ(vocabulary["statuses"][1], (nlohmann::json{{"word", "investigating"},
                                                       {"label", "Investigating"},
                                                       {"meaning", "looking for a root cause"},
                                                       {"phase", "responding"}}));
  EXPECT_EQ(vocabulary["statuses"][3]["phase"], "resolved");
  EXPECT_EQ(vocabulary["statuses"][5]["phase"], "closed");
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
  ASSERT_EQ(vocabulary["follow_up_statuses"].size(), 3u);
  EXPECT_EQ(vocabulary["follow_up_statuses"][2]["word"], "cancelled");
  EXPECT_EQ(vocabulary["follow_up_statuses"][2]["label"], "Cancelled");
}

TEST(FollowUpJsonTest, WordsRefAndNullsForWhatIsNotThere) {
  pb::FollowUp follow_up;
  follow_up.set_id(7);
  follow_up.set_incident_id(3);
  follow_up.set_title("Alert on pool saturation");
  follow_up.set_owner("bob@example.com");
  follow_up.set_status(pb::FOLLOW_UP_STATUS_OPEN);
  follow_up.set_overdue(true);
  follow_up.set_due_date("2026-01-31");
  follow_up.set_version(2);
  follow_up.set_created_by("alice@example.com");
  *follow_up.mutable_created_at() = At(kOpened);
  nlohmann::json json = FollowUpJson(follow_up);
  EXPECT_EQ(json["id"], 7);
  EXPECT_EQ(json["ref"], "FU-7");
  EXPECT_EQ(json["incident_id"], 3);
  EXPECT_EQ(json["status"], "open");
  EXPECT_EQ(json["overdue"], true);
  EXPECT_EQ(json["due_date"], "2026-01-31");
  EXPECT_EQ(json["owner"], "bob@example.com");
  EXPECT_TRUE(json["tracker_key"].is_null());
  EXPECT_TRUE(json["tracker_url"].is_null());
  EXPECT_TRUE(json["closed_at"].is_null());
  EXPECT_EQ(json["created_at"], TimeJson(At(kOpened)));
  EXPECT_EQ(json["version"], 2);

  follow_up.set_status(pb::FOLLOW_UP_STATUS_DONE);
  follow_up.set_due_date("");
  follow_up.set_tracker_key("OPS-12");
  follow_up.set_tracker_url("https://acme.atlassian.net/browse/OPS-12");
  json = FollowUpJson(follow_up);
  EXPECT_EQ(json["status"], "done");
  EXPECT_TRUE(json["due_date"].is_null());
  EXPECT_EQ(json["tracker_key"], "OPS-12");
  EXPECT_EQ(json["tracker_url"], "https://acme.atlassian.net/browse/OPS-12");
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
