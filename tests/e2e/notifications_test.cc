// The seed scenario through the real firefighterd and every outside fake:
// what each system was told, in order, exactly once — also when they fail.
#include <signal.h>

#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "clients/http/curl_http_client.h"
#include "gmock/gmock.h"
#include "tests/e2e/notifications_fixture.h"

namespace ff::testing {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::MatchesRegex;
using ::testing::SizeIs;

// RunSeedScenario drives one SEV2 incident through its whole life. With
// `settle`, it lets the opening's notifications finish first, and the
// postmortem's before the close, as in a real incident, where minutes pass
// between steps (the on-call person is then in the channel, and the
// postmortem page linked there, before it is archived).
void RunSeedScenario(NotificationsTest& t, int64_t* id, bool settle = false) {
  pb::OpenIncidentRequest open =
      NotificationsTest::OpenRequest("Checkout fails", pb::SEVERITY_SEV2);
  open.set_reporter("alice@example.com");
  open.set_trigger_oncall(true);
  auto opened = t.OpenIncident(open);
  ASSERT_TRUE(opened.ok()) << opened.status.error_message();
  *id = opened.response.id();
  if (settle) {
    ASSERT_TRUE(t.WaitForOutbox());
  }
  pb::UpdateIncidentRequest roles;
  roles.set_id(*id);
  roles.set_actor("alice@example.com");
  roles.set_commander("carol@example.com");
  ASSERT_TRUE(t.UpdateIncident(roles).ok());
  for (pb::Status next :
       {pb::STATUS_INVESTIGATING, pb::STATUS_FIXING, pb::STATUS_FIXED, pb::STATUS_POSTMORTEM}) {
    auto moved = t.MoveTo(*id, next);
    ASSERT_TRUE(moved.ok()) << moved.status.error_message();
  }
  if (settle) {
    ASSERT_TRUE(t.WaitForOutbox());
  }
  pb::CloseIncidentRequest close;
  close.set_id(*id);
  close.set_actor("carol@example.com");
  ASSERT_TRUE(t.CloseIncident(close).ok());
}

std::string LinkOf(const pb::Incident& incident, const std::string& kind) {
  for (const auto& link : incident.links()) {
    if (link.kind() == kind) return link.external_id();
  }
  return "";
}

// ExpectToldOnce checks every fake heard of the incident exactly as it
// should, once each. With `settled` (the opening's notifications finished
// before the next step), the on-call person PagerDuty named and the Zoom link
// reach the Slack channel; when systems were down until after the close, that
// news arrives once the channel is archived and is not posted.
void ExpectToldOnce(NotificationsTest& t, int64_t id, bool settled = true) {
  pb::GetIncidentRequest get;
  get.set_id(id);
  auto incident = t.GetIncident(get);
  ASSERT_TRUE(incident.ok());
  // Slack: one channel, everyone invited, the story posted in order, archived.
  std::string channel_id = LinkOf(incident.response, "slack_channel");
  ASSERT_FALSE(channel_id.empty());
  auto channel = t.slack_.ChannelById(channel_id);
  ASSERT_TRUE(channel.has_value());
  EXPECT_TRUE(absl::StartsWith(channel->name, "inc-1-payment-checkout-fails")) << channel->name;
  EXPECT_TRUE(channel->archived);
  EXPECT_THAT(channel->members, Contains("U0ALICE"));
  EXPECT_THAT(channel->members, Contains("U0CAROL"));
  if (settled) {
    EXPECT_THAT(channel->members, Contains("U0JANE"));  // on call, from PagerDuty
  }
  EXPECT_EQ(t.slack_.CallsOf("conversations.create").size(), 1u);
  std::vector<std::string> posts = t.ChannelTexts(channel_id);
  auto position = [&](const std::string& needle) {
    auto it = std::find_if(posts.begin(), posts.end(),
                           [&](const std::string& p) { return absl::StrContains(p, needle); });
    return it == posts.end() ? -1 : static_cast<int>(it - posts.begin());
  };
  int investigating = position("INVESTIGATING"), fixing = position("FIXING"),
      fixed = position("FIXED"), postmortem = position("POSTMORTEM");
  EXPECT_GE(investigating, 0);
  EXPECT_LT(investigating, fixing);
  EXPECT_LT(fixing, fixed);
  EXPECT_LT(fixed, postmortem);
  std::vector<std::string> global = t.ChannelTexts(t.global_channel_);
  ASSERT_THAT(global, SizeIs(2)) << "the summary and the FIXED copy only";
  EXPECT_THAT(global[1], HasSubstr("FIXED"));
  // PagerDuty: one alert, triggered once, resolved; its dedup key carries the
  // installation id and the incident's link names it.
  std::string dedup_key = LinkOf(incident.response, "pagerduty");
  EXPECT_THAT(dedup_key, MatchesRegex("firefighter-[0-9a-f]{16}-incident-1"));
  auto alert = t.pagerduty_.alert(dedup_key);
  ASSERT_TRUE(alert.has_value());
  EXPECT_EQ(alert->triggers, 1);
  EXPECT_FALSE(alert->open);
  EXPECT_EQ(alert->routing_key, kRoutingKey);
  EXPECT_EQ(t.pagerduty_.alerts_opened(), 1);
  int resolves = 0;
  for (const auto& r : t.pagerduty_.requests()) {
    resolves += absl::StrContains(r.body, R"("event_action":"resolve")") ? 1 : 0;
  }
  EXPECT_EQ(resolves, 2) << "one at FIXED, one at close";
  EXPECT_THAT(incident.response.participants(), Contains("jane@example.com"));
  // Datadog: opened, four status changes, closed; one notebook.
  auto events = t.datadog_.events();
  ASSERT_THAT(events, SizeIs(6));
  for (const auto& event : events) {
    EXPECT_THAT(event["tags"].dump(), HasSubstr("incident:1"));
    EXPECT_THAT(event["tags"].dump(), HasSubstr("severity:sev2"));
    EXPECT_THAT(event["tags"].dump(), HasSubstr("domain:payment"));
  }
  EXPECT_THAT(t.datadog_.notebooks(), SizeIs(1));
  EXPECT_FALSE(LinkOf(incident.response, "datadog_notebook").empty());
  // Statuspage: one incident, resolved at the end.
  auto published = t.statuspage_.incidents();
  ASSERT_THAT(published, SizeIs(1));
  EXPECT_EQ(published[0]["status"], "resolved");
  EXPECT_EQ(LinkOf(incident.response, "statuspage"), published[0]["id"]);
  // Zoom: one call for the SEV2, its link posted in the channel once.
  ASSERT_THAT(t.zoom_.meetings(), SizeIs(1));
  std::string join_url = t.zoom_.meetings()[0]["join_url"];
  if (settled) {
    EXPECT_EQ(std::count_if(posts.begin(), posts.end(),
                            [&](const std::string& p) { return absl::StrContains(p, join_url); }),
              1);
  }
  // Confluence: the month folder and one postmortem page with the timeline.
  int postmortem_pages = 0;
  for (const auto& page : t.confluence_.pages()) {
    if (!absl::StrContains(page.title, "Postmortem #1")) continue;
    ++postmortem_pages;
    EXPECT_THAT(page.body, HasSubstr("Checkout fails"));
    EXPECT_THAT(page.body, HasSubstr("status FIXING → FIXED"));
    EXPECT_THAT(page.body, HasSubstr("carol@example.com"));
  }
  EXPECT_EQ(postmortem_pages, 1);
  EXPECT_FALSE(LinkOf(incident.response, "postmortem").empty());
  EXPECT_GE(position("Postmortem"), 0) << "the page link is posted in the channel";
  // Calendar: one postmortem meeting with the attendees.
  auto meetings = t.calendar_.events("primary");
  ASSERT_THAT(meetings, SizeIs(1));
  EXPECT_THAT(meetings[0]["attendees"].dump(), HasSubstr("alice@example.com"));
  EXPECT_THAT(meetings[0]["attendees"].dump(), HasSubstr("carol@example.com"));
  EXPECT_FALSE(LinkOf(incident.response, "postmortem_meeting").empty());
  // Nothing left behind.
  EXPECT_EQ(t.DeadDeliveries(), 0);
}

TEST_F(NotificationsTest, SeedScenarioTellsEverySystemOnceInOrder) {
  int64_t id = 0;
  RunSeedScenario(*this, &id, /*settle=*/true);
  ASSERT_TRUE(WaitForOutbox());
  ExpectToldOnce(*this, id);
}

TEST_F(NotificationsTest, FailingSystemsHealAndEveryNotificationArrivesOnce) {
  slack_.FailNext(3, 500);
  pagerduty_.FailNext(2, 429, 1);
  datadog_.HangNext(2, absl::Milliseconds(1500));  // past the 1 s timeout
  statuspage_.Refuse();
  int64_t id = 0;
  RunSeedScenario(*this, &id);  // every RPC answers normally meanwhile
  EXPECT_GT(Deliveries(pb::DELIVERY_STATE_PENDING).response.deliveries_size(), 0);
  statuspage_.Heal();
  ASSERT_TRUE(WaitForOutbox());
  EXPECT_EQ(slack_.faulted(), 3);
  EXPECT_EQ(pagerduty_.faulted(), 2);
  ExpectToldOnce(*this, id, /*settled=*/false);
}

TEST_F(NotificationsTest, KillNineWithDeliveriesPendingLosesAndRepeatsNothing) {
  slack_.Refuse();
  pagerduty_.Refuse();
  datadog_.Refuse();
  statuspage_.Refuse();
  int64_t id = 0;
  RunSeedScenario(*this, &id);
  server_->Kill();
  slack_.Heal();
  pagerduty_.Heal();
  datadog_.Heal();
  statuspage_.Heal();
  StartServer({"--config", dir_.File("ff.json")});
  ASSERT_TRUE(WaitForOutbox());
  ExpectToldOnce(*this, id, /*settled=*/false);
}

TEST_F(NotificationsTest, AHangingSystemDelaysNeitherRpcsNorOtherSystems) {
  // Long enough that a loaded machine (two suites, PostgreSQL clusters
  // starting) still does all of the below inside it.
  slack_.HangNext(1, absl::Seconds(10));
  pb::Incident incident = MustOpen("Slow Slack");
  // Datadog hears of the opening while Slack's first call still hangs.
  absl::Time deadline = absl::Now() + absl::Seconds(8);
  while (datadog_.events().empty() && absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(10));
  }
  EXPECT_THAT(datadog_.events(), SizeIs(1));
  // RPCs go on as usual.
  for (int i = 0; i < 20; ++i) {
    pb::AddTimelineEntryRequest note;
    note.set_incident_id(incident.id());
    note.set_actor("bob");
    note.set_text("still looking " + std::to_string(i));
    ASSERT_TRUE(AddTimelineEntry(note).ok());
  }
  EXPECT_EQ(slack_.hanging(), 1) << "all of that happened while Slack hung";
}

TEST_F(NotificationsTest, DeadDeliveryIsListedAndRetried) {
  slack_.Deny("conversations.create");  // a token without the scope: permanent
  pb::Incident incident = MustOpen("No scope");
  // The opening dies; later Slack news (the call link, the on-call person)
  // waits for the channel instead of dying with it.
  auto settled = [this] {
    auto pending = Deliveries(pb::DELIVERY_STATE_PENDING);
    if (!pending.ok()) return false;
    bool waits = false;
    for (const pb::Delivery& d : pending.response.deliveries()) {
      if (d.notifier() != "slack") return false;
      waits = waits || absl::StrContains(d.last_error(), "Slack channel of incident #1");
    }
    return waits && DeadDeliveries() == 1;
  };
  for (int i = 0; i < 1500 && !settled(); ++i) absl::SleepFor(absl::Milliseconds(20));
  ASSERT_TRUE(settled()) << Deliveries(pb::DELIVERY_STATE_PENDING).response.DebugString();
  auto dead = Deliveries(pb::DELIVERY_STATE_DEAD);
  ASSERT_TRUE(dead.ok());
  ASSERT_EQ(dead.response.deliveries_size(), 1);
  const pb::Delivery& opened = dead.response.deliveries(0);
  EXPECT_EQ(opened.notifier(), "slack");
  EXPECT_EQ(opened.event_type(), "incident.opened");
  EXPECT_THAT(opened.last_error(), HasSubstr("missing_scope"));
  auto waiting = Deliveries(pb::DELIVERY_STATE_PENDING);
  ASSERT_GE(waiting.response.deliveries_size(), 1);
  for (const pb::Delivery& d : waiting.response.deliveries()) {
    EXPECT_EQ(d.notifier(), "slack");
    EXPECT_EQ(d.attempts(), 0) << "waiting is no attempt";
  }

  slack_.Allow("conversations.create");  // the scope was granted
  for (auto it = dead.response.deliveries().rbegin(); it != dead.response.deliveries().rend();
       ++it) {
    pb::RetryDeliveryRequest retry;
    retry.set_id(it->id());
    retry.set_actor("ops-oncall");
    auto retried = RetryDelivery(retry);
    ASSERT_TRUE(retried.ok()) << retried.status.error_message();
    EXPECT_EQ(retried.response.state(), pb::DELIVERY_STATE_PENDING);
  }
  ASSERT_TRUE(WaitForOutbox());
  EXPECT_EQ(DeadDeliveries(), 0);
  auto channel = slack_.ChannelByName("inc-1-payment-no-scope");
  ASSERT_TRUE(channel.has_value());
  EXPECT_THAT(channel->members, Contains("U0JANE"));
  pb::RetryDeliveryRequest again_request;
  again_request.set_id(opened.id());
  auto again = RetryDelivery(again_request);
  EXPECT_EQ(again.status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  // Each retry is on the incident's timeline, by whom, in its own words; the
  // refused one is not.
  pb::ListTimelineRequest timeline_request;
  timeline_request.set_incident_id(incident.id());
  auto timeline = ListTimeline(timeline_request);
  ASSERT_TRUE(timeline.ok());
  int retries = 0;
  for (const pb::TimelineEntry& entry : timeline.response.entries()) {
    if (entry.kind() != "delivery") continue;
    ++retries;
    EXPECT_EQ(entry.actor(), "ops-oncall");
    EXPECT_THAT(entry.text(), HasSubstr("Retried the slack notification (delivery "));
  }
  EXPECT_EQ(retries, dead.response.deliveries_size());
}

}  // namespace
// Another FireFighter installation (staging, a restored backup) left its
// objects for incident #1 in the same accounts; a fresh database's incident
// #1, run to CLOSED, gets its own of each and changes none of the old ones.
TEST_F(NotificationsTest, AnotherInstallationsLeftoversAreNeverAdoptedOrChanged) {
  const std::string theirs_id = "fedcba9876543210";
  FakeSlack::ChannelSeed seed;
  seed.created = 1700000000;
  seed.purpose = absl::StrCat("FireFighter incident #1 (ff:", theirs_id, ")");
  seed.topic = "their topic";
  const std::string their_channel = slack_.AddChannel("inc-1-payment-checkout-fails", seed);
  slack_.AddMessage(their_channel, "their summary",
                    {{"event_type", "firefighter_delivery"},
                     {"event_payload", {{"key", "event:1:channel"}, {"installation", theirs_id}}}});
  // PagerDuty: their alert for #1 is open, under the old dedup key.
  {
    auto http = CurlHttpClient::Create();
    HttpRequest trigger;
    trigger.method = "POST";
    trigger.url = absl::StrCat(pagerduty_.base_url(), "/v2/enqueue");
    trigger.headers = {{"Content-Type", "application/json"}};
    trigger.body =
        nlohmann::json{
            {"routing_key", kRoutingKey},
            {"event_action", "trigger"},
            {"dedup_key", "firefighter-incident-1"},
            {"payload",
             {{"summary", "their #1"}, {"source", "firefighter"}, {"severity", "error"}}}}
            .dump();
    auto answer = http->Send(trigger);
    ASSERT_TRUE(answer.ok() && answer->status == 202);
  }
  auto their_notebook = datadog_.PlantNotebook(
      {{"data",
        {{"type", "notebooks"},
         {"attributes",
          {{"name", absl::StrCat("Incident #1: Checkout fails [ff-", theirs_id, "-1]")},
           {"time", {{"live_span", "4h"}}},
           {"cells",
            {{{"type", "notebook_cells"},
              {"attributes", {{"definition", {{"type", "markdown"}, {"text", "old"}}}}}}}}}}}}});
  auto their_event = datadog_.PlantEvent({{"title", "Incident #1 opened: their"},
                                          {"text", "t"},
                                          {"tags", {"incident:1", "firefighter_event:1"}}});
  auto their_status =
      statuspage_.Plant({{"incident",
                          {{"name", "Checkout fails"},
                           {"status", "investigating"},
                           {"impact_override", "major"},
                           {"metadata", {{"firefighter", {{"incident_id", "1"}}}}}}}});
  auto their_call = zoom_.Plant(
      {{"topic", "Incident #1: Checkout fails"}, {"type", 2}, {"agenda", "SEV2 incident."}});
  auto their_meeting =
      calendar_.Plant("primary", {{"id", "firefighterpm1"},
                                  {"summary", "Postmortem: #1 Checkout fails"},
                                  {"start", {{"dateTime", "2025-03-04T14:00:00Z"}}},
                                  {"end", {{"dateTime", "2025-03-04T15:00:00Z"}}}});
  ASSERT_TRUE(their_notebook.ok() && their_event.ok() && their_status.ok() && their_call.ok() &&
              their_meeting.ok());
  const std::vector<ConfluencePage> pages_before = confluence_.pages();
  auto their_page = confluence_.PlantPage(
      {{"spaceId", "12345"},
       {"status", "current"},
       {"title", "Postmortem #1: Checkout fails"},
       {"parentId", "67890"},
       {"body", {{"representation", "storage"}, {"value", "<p>their postmortem</p>"}}}},
      {{"firefighter", {{"installation", theirs_id}, {"incident_id", "1"}}}});
  ASSERT_TRUE(their_page.ok()) << their_page.status();

  int64_t id = 0;
  RunSeedScenario(*this, &id, /*settle=*/true);
  ASSERT_EQ(id, 1);
  ASSERT_TRUE(WaitForOutbox());
  EXPECT_EQ(DeadDeliveries(), 0);
  pb::GetIncidentRequest get;
  get.set_id(id);
  auto incident = GetIncident(get);
  ASSERT_TRUE(incident.ok());

  // Slack: our own channel, under a suffixed name; theirs untouched.
  const std::string ours = LinkOf(incident.response, "slack_channel");
  EXPECT_NE(ours, their_channel);
  auto our_channel = slack_.ChannelById(ours);
  ASSERT_TRUE(our_channel.has_value());
  EXPECT_NE(our_channel->name, "inc-1-payment-checkout-fails");
  EXPECT_TRUE(our_channel->archived);
  auto old_channel = slack_.ChannelById(their_channel);
  EXPECT_FALSE(old_channel->archived);
  EXPECT_EQ(old_channel->topic, "their topic");
  ASSERT_THAT(old_channel->messages, SizeIs(1));
  EXPECT_EQ(old_channel->messages[0].text, "their summary");
  // PagerDuty: somebody was paged by our own alert; theirs still open, as it was.
  auto their_alert = pagerduty_.alert("firefighter-incident-1");
  ASSERT_TRUE(their_alert.has_value());
  EXPECT_TRUE(their_alert->open);
  EXPECT_EQ(their_alert->triggers, 1);
  auto our_alert = pagerduty_.alert(LinkOf(incident.response, "pagerduty"));
  ASSERT_TRUE(our_alert.has_value());
  EXPECT_FALSE(our_alert->open);
  // Datadog, Statuspage, Zoom, calendar, Confluence: theirs as they were.
  EXPECT_EQ(datadog_.notebooks().front(), *their_notebook);
  EXPECT_THAT(datadog_.notebooks(), SizeIs(2));
  EXPECT_EQ(datadog_.events().front(), *their_event);
  EXPECT_EQ(statuspage_.incidents().front(), *their_status);
  EXPECT_THAT(statuspage_.incidents(), SizeIs(2));
  EXPECT_EQ(zoom_.meetings().front(), *their_call);
  EXPECT_THAT(zoom_.meetings(), SizeIs(2));
  EXPECT_EQ(calendar_.events("primary").front(), *their_meeting);
  EXPECT_THAT(calendar_.events("primary"), SizeIs(2));
  EXPECT_NE(LinkOf(incident.response, "postmortem_meeting"), "firefighterpm1");
  const std::string our_page = LinkOf(incident.response, "postmortem");
  EXPECT_NE(our_page, *their_page);
  for (const ConfluencePage& page : confluence_.pages()) {
    if (page.id != *their_page) continue;
    EXPECT_EQ(page.body, "<p>their postmortem</p>");
    EXPECT_EQ(page.properties.at("firefighter")["installation"], theirs_id);
  }
}

}  // namespace ff::testing
