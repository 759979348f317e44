// SlackNotifier driven with constructed deliveries against FakeSlack.
#include "server/notifiers/slack/slack_notifier.h"

#include <map>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "clients/http/curl_http_client.h"
#include "clients/http/rate_budget.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "server/core/follow_ups.h"
#include "server/core/reminder_policy.h"
#include "server/core/workflow.h"
#include "tests/testing/fake_clock.h"
#include "tests/testing/fake_slack.h"
#include "tests/testing/status_matchers.h"

namespace ff {
namespace {

using json = nlohmann::json;
using ::ff::testing::FakeSlack;
using ::ff::testing::IsOk;
using ::ff::testing::StatusIs;
using ::testing::HasSubstr;
using ::testing::Optional;
using ::testing::UnorderedElementsAre;

constexpr char kWorkspace[] = "https://acme.slack.com";
constexpr char kInstallation[] = "0123456789abcdef";

class SlackNotifierTest : public ::testing::Test {
 protected:
  SlackNotifierTest()
      : domains_({DomainConfig{"payment", "Payments", {"@payment-oncall", "carol@example.com"}}}) {
    global_ = slack_.AddChannel("incidents");
    slack_.AddUser("U0000ALICE", "alice@example.com");
    slack_.AddUser("U00000BOB", "bob@example.com");
    slack_.AddUser("U000CAROL", "carol@example.com");
    slack_.AddUser("U0000DAVE", "dave@example.com");
    slack_.AddUserGroup("S0PAY", "payment-oncall", {"U0000DAVE"});
    notifier_ = Make(Config()).value();
  }

  json Config() {
    return {{"base_url", slack_.api_url()},
            {"global_channel", global_},
            {"workspace_url", kWorkspace},
            {"timeout_ms", 5000}};
  }
  NotifierEnv Env(std::string token) {
    NotifierEnv env;
    env.http = http_.get();
    env.clock = &clock_;
    env.domains = &domains_;
    env.installation_id = kInstallation;
    env.getenv = [token](const std::string& name) -> std::optional<std::string> {
      if (name == "SLACK_BOT_TOKEN" && !token.empty()) return token;
      return std::nullopt;
    };
    return env;
  }
  absl::StatusOr<std::unique_ptr<Notifier>> Make(const json& config, std::string token = "") {
    return MakeSlackNotifierFactory()->Create(config, Env(token.empty() ? slack_.token() : token));
  }

  static pb::Incident Incident() {
    pb::Incident incident;
    incident.set_id(42);
    incident.set_title("Checkout fails");
    incident.set_description("500s on /pay");
    incident.set_domain("payment");
    incident.set_severity(pb::SEVERITY_SEV2);
    incident.set_status(pb::STATUS_OPEN);
    incident.set_reporter("alice@example.com");
    incident.mutable_roles()->set_commander("U00000BOB");
    incident.add_participants("alice@example.com");
    incident.add_participants("U00000BOB");
    return incident;
  }
  // Delivery of `type` for `incident`; `current` gets the stored channel link
  // once opened has run (as the outbox would store it).
  Delivery Make(absl::string_view type, const pb::Incident& incident, const std::string& text,
                int64_t sequence) {
    Delivery delivery;
    delivery.id = sequence * 10;
    delivery.notifier = "slack";
    delivery.event.set_type(std::string(type));
    *delivery.event.mutable_incident() = incident;
    delivery.event.mutable_entry()->set_text(text);
    delivery.event.mutable_entry()->set_actor("bob@example.com");
    delivery.event.set_sequence(sequence);
    delivery.current = incident;
    for (const pb::Link* link : {&channel_link_, &summary_link_}) {
      if (link->kind().empty()) continue;
      *delivery.current.add_links() = *link;
      *delivery.event.mutable_incident()->add_links() = *link;
    }
    // As the outbox does: what an attempt records, the next one reads.
    delivery.progress = progress_[delivery.id];
    delivery.record_progress = [this, id = delivery.id](const json& progress) {
      progress_[id] = progress;
      return absl::OkStatus();
    };
    // Deliveries come a few seconds apart: Slack's per-channel post budget
    // (one a second) has room again.
    clock_.Advance(absl::Seconds(2));
    return delivery;
  }
  // Again is `delivery` as its next attempt sees it.
  Delivery Again(Delivery delivery) {
    delivery.progress = progress_[delivery.id];
    delivery.attempt++;
    return delivery;
  }
  // Open runs incident.opened and keeps the channel and summary links.
  void Open() { KeepLinks(notifier_->Deliver(Make(kEventOpened, Incident(), "Opened", 1))); }
  // KeepLinks keeps the links an opened delivery stores, as the outbox would.
  void KeepLinks(const absl::StatusOr<DeliveryResult>& result) {
    ASSERT_THAT(result, IsOk());
    ASSERT_EQ(result->links.size(), 2u);
    channel_link_ = result->links[0];
    summary_link_ = result->links[1];
  }
  FakeSlack::Channel Channel() { return *slack_.ChannelById(channel_link_.external_id()); }
  // Summary is the channel's live summary as it reads now.
  FakeSlack::Message Summary() {
    return *slack_.MessageAt(channel_link_.external_id(), summary_link_.external_id());
  }
  size_t GlobalPosts() { return slack_.ChannelById(global_)->messages.size(); }

  FakeSlack slack_;
  std::unique_ptr<CurlHttpClient> http_ = CurlHttpClient::Create();
  ::ff::testing::FakeClock clock_;
  DomainCatalog domains_;
  std::string global_;
  std::unique_ptr<Notifier> notifier_;
  pb::Link channel_link_;
  pb::Link summary_link_;
  std::map<int64_t, json> progress_;  // by delivery id, as the outbox keeps it
};

TEST_F(SlackNotifierTest, InterestedInTheEventsItActsOn) {
  EXPECT_EQ(notifier_->name(), "slack");
  pb::IncidentEvent event;
  // Every change the live summary shows.
  for (absl::string_view type :
       {kEventOpened, kEventStatusChanged, kEventSeverityChanged, kEventRolesChanged,
        kEventDetailsChanged, kEventParticipantsChanged, kEventClosed, kEventReminder}) {
    event.set_type(std::string(type));
    EXPECT_TRUE(notifier_->Interested(event)) << type;
  }
  // A person's note is the summary's latest update; a notifier's is not.
  event.set_type(std::string(kEventEntryAdded));
  event.mutable_entry()->set_kind("note");
  EXPECT_TRUE(notifier_->Interested(event));
  event.mutable_entry()->set_kind("notification");
  EXPECT_FALSE(notifier_->Interested(event));
  event.set_type(std::string(kEventLinksChanged));
  pb::Link* link = event.mutable_incident()->add_links();
  link->set_kind("slack_channel");
  event.mutable_entry()->set_actor("slack");
  EXPECT_FALSE(notifier_->Interested(event));  // its own links are not news
  link->set_kind("pagerduty");
  event.mutable_entry()->set_actor("pagerduty");
  EXPECT_TRUE(notifier_->Interested(event));  // shown in the summary
  link->set_kind("postmortem");
  event.mutable_entry()->set_actor("confluence");
  EXPECT_TRUE(notifier_->Interested(event));
}

TEST_F(SlackNotifierTest, OpenedCreatesChannelInvitesAndAnnounces) {
  absl::StatusOr<DeliveryResult> result =
      notifier_->Deliver(Make(kEventOpened, Incident(), "Opened", 1));
  ASSERT_THAT(result, IsOk());
  std::optional<FakeSlack::Channel> channel = slack_.ChannelByName("inc-42-payment-checkout-fails");
  ASSERT_TRUE(channel.has_value());
  ASSERT_EQ(result->links.size(), 2u);
  EXPECT_EQ(result->links[0].kind(), "slack_channel");
  EXPECT_EQ(result->links[0].external_id(), channel->id);
  EXPECT_EQ(result->links[0].url(), absl::StrCat(kWorkspace, "/archives/", channel->id));
  EXPECT_TRUE(result->participants.empty());
  EXPECT_EQ(result->note, "Slack #inc-42-payment-checkout-fails: invited 4 people");
  EXPECT_EQ(channel->topic, "OPEN · SEV2 · <@U00000BOB> — #42 Checkout fails");
  // Reporter (email), commander (id), domain group and domain email.
  EXPECT_THAT(channel->members, UnorderedElementsAre(FakeSlack::kBotUserId, "U0000ALICE",
                                                     "U00000BOB", "U000CAROL", "U0000DAVE"));
  // The opening post is the live summary, pinned, and its ts is stored.
  ASSERT_EQ(channel->messages.size(), 1u);
  const FakeSlack::Message& summary = channel->messages[0];
  EXPECT_EQ(summary.text, "#42 SEV2 OPEN — Checkout fails");
  EXPECT_THAT(summary.blocks.dump(), HasSubstr("500s on /pay"));
  EXPECT_THAT(summary.blocks.dump(), HasSubstr("*Commander*\\n<@U00000BOB>"));
  ASSERT_EQ(channel->pins.size(), 1u);
  EXPECT_EQ(channel->pins[0].ts, summary.ts);
  EXPECT_EQ(result->links[1].kind(), "slack_summary");
  EXPECT_EQ(result->links[1].external_id(), summary.ts);
  EXPECT_EQ(result->links[1].url(), absl::StrCat(kWorkspace, "/archives/", channel->id, "/p",
                                                 absl::StrReplaceAll(summary.ts, {{".", ""}})));
  ASSERT_EQ(GlobalPosts(), 1u);
  EXPECT_THAT(slack_.ChannelById(global_)->messages[0].text,
              HasSubstr(absl::StrCat("join <#", channel->id, "|inc-42-payment-checkout-fails>")));
  // Every call is authenticated with the bot token and goes to /api/<method>.
  for (const auto& request : slack_.requests()) {
    EXPECT_EQ(request.Header("Authorization"), "Bearer " + slack_.token()) << request.path;
  }
  ASSERT_EQ(slack_.CallsOf("conversations.create").size(), 1u);
  json create = json::parse(slack_.CallsOf("conversations.create")[0].body);
  EXPECT_EQ(create, json({{"name", "inc-42-payment-checkout-fails"}, {"is_private", false}}));
  ASSERT_EQ(slack_.CallsOf("conversations.invite").size(), 1u);
  EXPECT_EQ(json::parse(slack_.CallsOf("conversations.invite")[0].body)["users"],
            "U00000BOB,U0000ALICE,U0000DAVE,U000CAROL");
  // The channel says whose it is; each post carries our marker.
  EXPECT_EQ(channel->purpose, "FireFighter incident #42 (ff:0123456789abcdef)");
  EXPECT_EQ(channel->messages[0].metadata["event_payload"],
            json({{"key", "summary:42"}, {"installation", kInstallation}}));
  EXPECT_EQ(slack_.ChannelById(global_)->messages[0].metadata["event_payload"],
            json({{"key", "event:1:global"}, {"installation", kInstallation}}));
  // A first attempt never reads the history.
  EXPECT_TRUE(slack_.CallsOf("conversations.history").empty());
}

TEST_F(SlackNotifierTest, OpenedTwiceReusesTheChannelAndPostsOnce) {
  Delivery delivery = Make(kEventOpened, Incident(), "Opened", 1);
  absl::StatusOr<DeliveryResult> first = notifier_->Deliver(delivery);
  ASSERT_THAT(first, IsOk());
  // Delivered, but the outcome was not stored: the same delivery again.
  absl::StatusOr<DeliveryResult> second = notifier_->Deliver(Again(delivery));
  ASSERT_THAT(second, IsOk());
  ASSERT_EQ(second->links.size(), 2u);
  EXPECT_EQ(second->links[0].external_id(), first->links[0].external_id());
  EXPECT_EQ(second->links[1].external_id(), first->links[1].external_id());
  EXPECT_EQ(slack_.channels().size(), 2u);  // global + incident
  EXPECT_EQ(slack_.ChannelById(first->links[0].external_id())->messages.size(), 1u);
  EXPECT_EQ(GlobalPosts(), 1u);
  EXPECT_EQ(second->note, "Slack #inc-42-payment-checkout-fails: invited 4 people");
  // Every step was recorded: the second attempt called nothing.
  EXPECT_EQ(slack_.CallsOf("conversations.create").size(), 1u);
  EXPECT_EQ(slack_.CallsOf("conversations.invite").size(), 1u);
  EXPECT_EQ(slack_.CallsOf("pins.add").size(), 1u);
  EXPECT_TRUE(slack_.CallsOf("conversations.history").empty());
}

TEST_F(SlackNotifierTest, RetryResumesAtTheStepThatFailed) {
  slack_.Deny("conversations.setTopic");
  Delivery delivery = Make(kEventOpened, Incident(), "Opened", 1);
  EXPECT_THAT(notifier_->Deliver(delivery),
              StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("setTopic")));
  slack_.Allow("conversations.setTopic");
  ASSERT_THAT(notifier_->Deliver(Again(delivery)), IsOk());
  // The channel and its purpose were made once; the topic was tried twice.
  EXPECT_EQ(slack_.CallsOf("conversations.create").size(), 1u);
  EXPECT_EQ(slack_.CallsOf("conversations.setPurpose").size(), 1u);
  EXPECT_EQ(slack_.CallsOf("conversations.setTopic").size(), 2u);
  EXPECT_EQ(slack_.CallsOf("chat.postMessage").size(), 2u);
  EXPECT_TRUE(slack_.CallsOf("conversations.list").empty());
  EXPECT_TRUE(slack_.CallsOf("conversations.history").empty());
  EXPECT_EQ(slack_.channels().size(), 2u);
}

TEST_F(SlackNotifierTest, LostAnswerIsLookedUpInTheHistoryOnce) {
  json config = Config();
  config["timeout_ms"] = 300;
  notifier_ = Make(config).value();
  Delivery delivery = Make(kEventOpened, Incident(), "Opened", 1);
  absl::StatusOr<DeliveryResult> opened = notifier_->Deliver(delivery);
  ASSERT_THAT(opened, IsOk());
  ASSERT_EQ(opened->links.size(), 2u);
  summary_link_ = opened->links[1];
  const std::string channel =
      slack_.CallsOf("conversations.create").empty()
          ? ""
          : json::parse(slack_.CallsOf("conversations.create")[0].body).value("name", "");
  EXPECT_EQ(channel, "inc-42-payment-checkout-fails");

  pb::Incident incident = Incident();
  incident.set_status(pb::STATUS_INVESTIGATING);
  channel_link_.set_kind("slack_channel");
  channel_link_.set_external_id(slack_.ChannelByName(channel)->id);
  Delivery status = Make(kEventStatusChanged, incident, "status OPEN → INVESTIGATING", 2);
  // The post hangs past the timeout: Slack posts it, we never hear back.
  slack_.HangNext(1, absl::Seconds(1));
  EXPECT_THAT(notifier_->Deliver(status), StatusIs(absl::StatusCode::kDeadlineExceeded));
  for (int i = 0; i < 500 && Channel().messages.size() < 2; ++i) {
    absl::SleepFor(absl::Milliseconds(10));  // until the fake has finished the hung post
  }
  ASSERT_EQ(Channel().messages.size(), 2u);
  clock_.Advance(absl::Seconds(2));
  ASSERT_THAT(notifier_->Deliver(Again(status)), IsOk());
  // The retry looked for its marker, found the post, and did not post again.
  EXPECT_EQ(slack_.CallsOf("conversations.history").size(), 1u);
  EXPECT_EQ(Channel().messages.size(), 2u);
  // A further retry knows it is done without looking.
  ASSERT_THAT(notifier_->Deliver(Again(status)), IsOk());
  EXPECT_EQ(slack_.CallsOf("conversations.history").size(), 1u);
}

TEST_F(SlackNotifierTest, AnotherInstallationsChannelIsNeverUsed) {
  // Staging, say, opened its own #42 in the same workspace earlier.
  const std::string theirs = slack_.AddChannel("inc-42-payment-checkout-fails");
  absl::StatusOr<DeliveryResult> result =
      notifier_->Deliver(Make(kEventOpened, Incident(), "Opened", 1));
  ASSERT_THAT(result, IsOk());
  std::optional<FakeSlack::Channel> ours =
      slack_.ChannelByName("inc-42-payment-checkout-fails-0123");
  ASSERT_TRUE(ours.has_value());
  EXPECT_EQ(result->links[0].external_id(), ours->id);
  EXPECT_EQ(ours->messages.size(), 1u);
  // Theirs is untouched: no topic, no post, no invite, not archived.
  KeepLinks(result);
  pb::Incident incident = Incident();
  incident.set_status(pb::STATUS_CLOSED);
  ASSERT_THAT(notifier_->Deliver(Make(kEventClosed, incident, "Closed", 2)), IsOk());
  FakeSlack::Channel old = *slack_.ChannelById(theirs);
  EXPECT_TRUE(old.messages.empty());
  EXPECT_EQ(old.topic, "");
  EXPECT_FALSE(old.archived);
  EXPECT_THAT(old.members, UnorderedElementsAre(FakeSlack::kBotUserId));
  EXPECT_TRUE(slack_.ChannelById(ours->id)->archived);
}

TEST_F(SlackNotifierTest, OpenedNamesPeopleSlackDoesNotKnow) {
  pb::Incident incident = Incident();
  incident.set_reporter("nobody@example.com");
  incident.clear_participants();
  incident.add_participants("zed");
  absl::StatusOr<DeliveryResult> result =
      notifier_->Deliver(Make(kEventOpened, incident, "Opened", 1));
  ASSERT_THAT(result, IsOk());
  EXPECT_EQ(result->note,
            "Slack #inc-42-payment-checkout-fails: invited 3 people; not found in Slack: "
            "nobody@example.com, zed");
}

TEST_F(SlackNotifierTest, StatusChangePostsAndCopiesFixedToGlobal) {
  Open();
  pb::Incident incident = Incident();
  incident.set_status(pb::STATUS_INVESTIGATING);
  ASSERT_THAT(
      notifier_->Deliver(Make(kEventStatusChanged, incident, "status OPEN → INVESTIGATING", 2)),
      IsOk());
  EXPECT_EQ(Channel().messages.size(), 2u);
  EXPECT_EQ(Channel().messages[1].text, ":memo: status OPEN → INVESTIGATING (by <@U00000BOB>)");
  EXPECT_EQ(GlobalPosts(), 1u);

  incident.set_status(pb::STATUS_FIXED);
  Delivery fixed = Make(kEventStatusChanged, incident, "status INVESTIGATING → FIXED", 3);
  absl::StatusOr<DeliveryResult> result = notifier_->Deliver(fixed);
  ASSERT_THAT(result, IsOk());
  EXPECT_TRUE(result->links.empty());
  EXPECT_EQ(result->note, "");
  ASSERT_EQ(GlobalPosts(), 2u);
  EXPECT_THAT(slack_.ChannelById(global_)->messages[1].text, HasSubstr("is FIXED"));
  // Redelivered: nothing posted twice.
  ASSERT_THAT(notifier_->Deliver(Again(fixed)), IsOk());
  EXPECT_EQ(Channel().messages.size(), 3u);
  EXPECT_EQ(GlobalPosts(), 2u);
}

TEST_F(SlackNotifierTest, SeverityRaisedToMajorReachesGlobal) {
  Open();
  pb::Incident incident = Incident();
  incident.set_severity(pb::SEVERITY_SEV1);
  ASSERT_THAT(notifier_->Deliver(Make(kEventSeverityChanged, incident, "Severity SEV2 → SEV1", 2)),
              IsOk());
  EXPECT_EQ(GlobalPosts(), 2u);
  EXPECT_THAT(slack_.ChannelById(global_)->messages[1].text, HasSubstr("was raised to SEV1"));
  incident.set_severity(pb::SEVERITY_SEV2);
  ASSERT_THAT(notifier_->Deliver(Make(kEventSeverityChanged, incident, "Severity SEV1 → SEV2", 3)),
              IsOk());
  EXPECT_EQ(GlobalPosts(), 2u);  // lowered: the channel only
  EXPECT_EQ(Channel().messages.size(), 3u);
}

TEST_F(SlackNotifierTest, ReminderMentionsTheCommanderInTheChannelOnce) {
  Open();
  Delivery reminder = Make(kEventReminder, Incident(), "Reminder: no update for 30m", 2);
  absl::StatusOr<DeliveryResult> result = notifier_->Deliver(reminder);
  ASSERT_THAT(result, IsOk());
  EXPECT_EQ(result->note, "");  // a reminder changes nothing on the incident
  ASSERT_EQ(Channel().messages.size(), 2u);
  EXPECT_THAT(Channel().messages[1].text,
              HasSubstr("<@U00000BOB> *#42* Reminder: no update for 30m"));
  EXPECT_EQ(GlobalPosts(), 1u);                              // the channel's business only
  ASSERT_THAT(notifier_->Deliver(Again(reminder)), IsOk());  // redelivered: not twice
  EXPECT_EQ(Channel().messages.size(), 2u);
}

TEST_F(SlackNotifierTest, ReminderWithoutACommanderAddressesTheChannel) {
  Open();
  pb::Incident incident = Incident();
  incident.mutable_roles()->clear_commander();
  ASSERT_THAT(notifier_->Deliver(Make(kEventReminder, incident, "Reminder: in POSTMORTEM", 2)),
              IsOk());
  EXPECT_THAT(Channel().messages[1].text, HasSubstr("<!here> *#42* Reminder: in POSTMORTEM"));
  incident.mutable_roles()->set_commander("alice@example.com");  // looked up by email
  ASSERT_THAT(notifier_->Deliver(Make(kEventReminder, incident, "Reminder: again", 3)), IsOk());
  EXPECT_THAT(Channel().messages[2].text, HasSubstr("<@U0000ALICE> *#42* Reminder: again"));
}

TEST_F(SlackNotifierTest, RolesAndParticipantsAreInvited) {
  slack_.AddUser("U00000EVE", "eve@example.com");
  slack_.AddUser("U00FRANK", "frank@example.com");
  Open();
  pb::Incident incident = Incident();
  incident.mutable_roles()->set_operations_lead("eve@example.com");
  absl::StatusOr<DeliveryResult> roles =
      notifier_->Deliver(Make(kEventRolesChanged, incident, "operations lead: eve@example.com", 2));
  ASSERT_THAT(roles, IsOk());
  EXPECT_EQ(roles->note, "Slack #inc-42-payment-checkout-fails: invited 1 person");
  EXPECT_EQ(Channel().messages.size(), 2u);

  incident.add_participants("frank@example.com");
  absl::StatusOr<DeliveryResult> participants =
      notifier_->Deliver(Make(kEventParticipantsChanged, incident, "", 3));
  ASSERT_THAT(participants, IsOk());
  EXPECT_EQ(participants->note, "Slack #inc-42-payment-checkout-fails: invited 1 person");
  EXPECT_EQ(Channel().messages.size(), 2u);  // invites only
  EXPECT_THAT(Channel().members,
              UnorderedElementsAre(FakeSlack::kBotUserId, "U0000ALICE", "U00000BOB", "U000CAROL",
                                   "U0000DAVE", "U00000EVE", "U00FRANK"));
}

TEST_F(SlackNotifierTest, NewLinksArePostedOnce) {
  Open();
  pb::Incident incident = Incident();
  pb::Link* notebook = incident.add_links();
  notebook->set_kind("datadog_notebook");
  notebook->set_url("https://app.datadoghq.com/notebook/1");
  pb::Link* call = incident.add_links();
  call->set_kind("call");
  call->set_url("https://zoom.us/j/123");
  Delivery call_added = Make(kEventLinksChanged, incident, "links", 2);
  call_added.event.mutable_entry()->set_actor("meeting");
  ASSERT_THAT(notifier_->Deliver(call_added), IsOk());
  ASSERT_EQ(Channel().messages.size(), 2u);
  EXPECT_THAT(Channel().messages[1].text,
              HasSubstr("Incident call for *#42*: https://zoom.us/j/123"));
  // A later event lists the call again, with a new postmortem page.
  pb::Link* postmortem = incident.add_links();
  postmortem->set_kind("postmortem");
  postmortem->set_url("https://acme.atlassian.net/wiki/pages/9");
  Delivery page_added = Make(kEventLinksChanged, incident, "links", 3);
  page_added.event.mutable_entry()->set_actor("confluence");
  ASSERT_THAT(notifier_->Deliver(page_added), IsOk());
  ASSERT_EQ(Channel().messages.size(), 3u);
  EXPECT_THAT(Channel().messages[2].text, HasSubstr("Postmortem page"));
  EXPECT_EQ(GlobalPosts(), 1u);
  // The link that came with another notifier's news is not posted again.
  Delivery channel_linked = Make(kEventLinksChanged, incident, "links", 4);
  channel_linked.event.mutable_entry()->set_actor("slack");
  EXPECT_FALSE(notifier_->Interested(channel_linked.event));
}

TEST_F(SlackNotifierTest, ClosedPostsPostmortemThenArchivesIdempotently) {
  Open();
  pb::Incident incident = Incident();
  incident.set_status(pb::STATUS_CLOSED);
  pb::Link* postmortem = incident.add_links();
  postmortem->set_kind("postmortem");
  postmortem->set_url("https://acme.atlassian.net/wiki/pages/9");
  Delivery closed = Make(kEventClosed, incident, "Closed (resolved)", 5);
  absl::StatusOr<DeliveryResult> result = notifier_->Deliver(closed);
  ASSERT_THAT(result, IsOk());
  EXPECT_EQ(result->note, "Slack channel #inc-42-payment-checkout-fails archived");
  EXPECT_TRUE(Channel().archived);
  ASSERT_EQ(Channel().messages.size(), 2u);
  EXPECT_THAT(Channel().messages[1].text,
              HasSubstr("Postmortem: https://acme.atlassian.net/wiki/pages/9"));
  // The archive's outcome was not recorded: already_archived is success.
  progress_[closed.id]["done"].erase("archive");
  ASSERT_THAT(notifier_->Deliver(Again(closed)), IsOk());
  EXPECT_EQ(slack_.CallsOf("conversations.archive").size(), 2u);
  EXPECT_EQ(Channel().messages.size(), 2u);
}

TEST_F(SlackNotifierTest, TheSummaryIsEditedInPlaceOnEveryChange) {
  Open();
  const std::string ts = summary_link_.external_id();
  pb::Incident incident = Incident();
  incident.set_status(pb::STATUS_INVESTIGATING);
  ASSERT_THAT(
      notifier_->Deliver(Make(kEventStatusChanged, incident, "status OPEN → INVESTIGATING", 2)),
      IsOk());
  EXPECT_THAT(Summary().blocks.dump(), HasSubstr("*Status*\\nINVESTIGATING"));
  EXPECT_EQ(Channel().topic, "INVESTIGATING · SEV2 · <@U00000BOB> — #42 Checkout fails");
  incident.set_severity(pb::SEVERITY_SEV1);
  ASSERT_THAT(notifier_->Deliver(Make(kEventSeverityChanged, incident, "Severity SEV2 → SEV1", 3)),
              IsOk());
  EXPECT_THAT(Summary().blocks.dump(),
              HasSubstr("*Severity*\\nSEV1 — critical, with liaison to the executive committee"));
  // A note is the latest update, with its author as a mention.
  Delivery note = Make(kEventEntryAdded, incident, "Rolled back to v41", 4);
  note.event.mutable_entry()->set_kind("note");
  note.event.mutable_entry()->set_actor("alice@example.com");
  ASSERT_THAT(notifier_->Deliver(note), IsOk());
  EXPECT_THAT(Summary().blocks.dump(),
              HasSubstr("*Latest:* Rolled back to v41 — <@U0000ALICE>, <!date^"));
  // A title change edits it and the topic too.
  incident.set_title("Checkout fails for cards");
  ASSERT_THAT(notifier_->Deliver(Make(kEventDetailsChanged, incident, "Title changed", 5)), IsOk());
  EXPECT_THAT(Summary().blocks[0].dump(), HasSubstr("#42 Checkout fails for cards"));
  EXPECT_EQ(Channel().topic, "INVESTIGATING · SEV1 · <@U00000BOB> — #42 Checkout fails for cards");
  // Still the one summary, pinned, edited four times; the note and the title
  // change were not posted as lines of their own.
  EXPECT_EQ(Summary().ts, ts);
  EXPECT_EQ(Summary().edits, 4);
  EXPECT_EQ(slack_.CallCount("chat.update"), 4);
  EXPECT_EQ(slack_.CallCount("pins.add"), 1);
  ASSERT_EQ(Channel().pins.size(), 1u);
  EXPECT_EQ(Channel().pins[0].ts, ts);
  EXPECT_EQ(Channel().messages.size(), 3u);  // the summary, the status and severity lines
  // The note did not set the topic: only changes that alter it do.
  EXPECT_EQ(slack_.CallCount("conversations.setTopic"), 4);
  // A change the topic does not show reads it and leaves it.
  incident.set_description("Only card payments");
  ASSERT_THAT(notifier_->Deliver(Make(kEventDetailsChanged, incident, "Description changed", 6)),
              IsOk());
  EXPECT_THAT(Summary().blocks.dump(), HasSubstr(">Only card payments"));
  EXPECT_EQ(slack_.CallCount("conversations.setTopic"), 4);
  EXPECT_EQ(slack_.CallCount("conversations.info"), 4);
}

// FollowUp is a follow-up of incident 42 in `status`, overdue or not.
pb::FollowUp FollowUp(int64_t id, pb::FollowUpStatus status, bool overdue = false) {
  pb::FollowUp follow_up;
  follow_up.set_id(id);
  follow_up.set_incident_id(42);
  follow_up.set_title("Rotate the keys");
  follow_up.set_status(status);
  follow_up.set_overdue(overdue);
  return follow_up;
}

TEST_F(SlackNotifierTest, FollowUpsAreCountedInTheSummaryOfAnIncidentInProgress) {
  EXPECT_TRUE(notifier_->NeedsFollowUps());
  Open();
  const size_t lines = Channel().messages.size();
  Delivery added = Make(kEventFollowUpAdded, Incident(), "Follow-up FU-3 added", 2);
  added.event.mutable_entry()->set_kind("followup");
  ASSERT_TRUE(notifier_->Interested(added.event));
  added.follow_ups = {FollowUp(1, pb::FOLLOW_UP_STATUS_OPEN, /*overdue=*/true),
                      FollowUp(2, pb::FOLLOW_UP_STATUS_DONE),
                      FollowUp(3, pb::FOLLOW_UP_STATUS_OPEN),
                      FollowUp(4, pb::FOLLOW_UP_STATUS_CANCELLED)};
  ASSERT_THAT(notifier_->Deliver(added), IsOk());
  EXPECT_THAT(Summary().blocks.dump(), HasSubstr("*Follow-ups*\\n2 open (1 overdue) · 1 done"));
  // The summary is edited; nothing is posted and the topic is left alone.
  EXPECT_EQ(Summary().edits, 1);
  EXPECT_EQ(Channel().messages.size(), lines);
  EXPECT_EQ(slack_.CallCount("conversations.info"), 0);
  // Done: the counts follow.
  Delivery updated = Make(kEventFollowUpUpdated, Incident(), "Follow-up FU-1 done", 3);
  updated.follow_ups = added.follow_ups;
  updated.follow_ups[0].set_status(pb::FOLLOW_UP_STATUS_DONE);
  updated.follow_ups[0].set_overdue(false);
  ASSERT_TRUE(notifier_->Interested(updated.event));
  ASSERT_THAT(notifier_->Deliver(updated), IsOk());
  EXPECT_THAT(Summary().blocks.dump(), HasSubstr("*Follow-ups*\\n1 open · 2 done"));
  EXPECT_EQ(Summary().edits, 2);
  // A closed incident's channel is archived: its follow-ups are not news.
  updated.event.mutable_incident()->set_status(pb::STATUS_CLOSED);
  EXPECT_FALSE(notifier_->Interested(updated.event));
  updated.event.set_type(std::string(kEventFollowUpTrackerLinked));
  updated.event.mutable_incident()->set_status(pb::STATUS_FIXED);
  EXPECT_FALSE(notifier_->Interested(updated.event));  // the counts did not change
}

TEST_F(SlackNotifierTest, ARoleHolderIsMentionedToldAndInvited) {
  slack_.AddUser("U00000EVE", "eve@example.com");
  Open();
  pb::Incident incident = Incident();
  incident.mutable_roles()->set_commander("eve@example.com");
  Delivery roles =
      Make(kEventRolesChanged, incident, "Commander: eve@example.com (was U00000BOB)", 2);
  roles.event.mutable_entry()->set_actor("alice@example.com");
  absl::StatusOr<DeliveryResult> result = notifier_->Deliver(roles);
  ASSERT_THAT(result, IsOk());
  ASSERT_EQ(Channel().messages.size(), 2u);
  EXPECT_EQ(Channel().messages[1].text,
            ":bust_in_silhouette: <@U00000EVE> is now incident commander (was <@U00000BOB>) "
            "(by <@U0000ALICE>)");
  EXPECT_THAT(Channel().members, ::testing::Contains("U00000EVE"));
  EXPECT_THAT(Summary().blocks.dump(), HasSubstr("*Commander*\\n<@U00000EVE>"));
  EXPECT_EQ(Channel().topic, "OPEN · SEV2 · <@U00000EVE> — #42 Checkout fails");
  // No email of someone Slack knows appears in anything the bot posted.
  for (const FakeSlack::Message& message : Channel().messages) {
    EXPECT_THAT(message.text + message.blocks.dump(), ::testing::Not(HasSubstr("@example.com")))
        << message.text;
  }
  // A person Slack does not know is named by their email.
  incident.mutable_roles()->set_communication_lead("zoe@example.com");
  ASSERT_THAT(notifier_->Deliver(
                  Make(kEventRolesChanged, incident, "Communication lead: zoe@example.com", 3)),
              IsOk());
  EXPECT_EQ(Channel().messages[2].text,
            ":bust_in_silhouette: zoe@example.com is now communication lead (by <@U00000BOB>)");
  // Each email was asked of Slack once: the directory remembers.
  EXPECT_EQ(slack_.CallCount("users.lookupByEmail"), 5);  // alice, bob, carol, eve, zoe
}

TEST_F(SlackNotifierTest, DashboardCallAndPostmortemAreBookmarkedOnce) {
  json config = Config();
  config["dashboard_url"] = "https://ff.example.com/";
  notifier_ = Make(config).value();
  Open();
  std::vector<FakeSlack::Bookmark> marks = Channel().bookmarks;
  ASSERT_EQ(marks.size(), 1u);
  EXPECT_EQ(marks[0].title, "Dashboard");
  EXPECT_EQ(marks[0].link, "https://ff.example.com/incidents/42");
  // The summary's URL button opens the same page.
  const json buttons = Summary().blocks.back();
  EXPECT_EQ(buttons["block_id"], "ff_summary_actions");
  ASSERT_EQ(buttons["elements"].size(), 4u);
  EXPECT_EQ(buttons["elements"][3]["action_id"], "ff_open_dashboard");
  EXPECT_EQ(buttons["elements"][3]["url"], "https://ff.example.com/incidents/42");
  for (const json& button : buttons["elements"]) EXPECT_EQ(button["value"], "42");

  pb::Incident incident = Incident();
  pb::Link* call = incident.add_links();
  call->set_kind("call");
  call->set_url("https://zoom.us/j/123");
  Delivery call_added = Make(kEventLinksChanged, incident, "links", 2);
  call_added.event.mutable_entry()->set_actor("meeting");
  ASSERT_THAT(notifier_->Deliver(call_added), IsOk());
  ASSERT_THAT(notifier_->Deliver(Again(call_added)), IsOk());  // redelivered
  pb::Link* pagerduty = incident.add_links();
  pagerduty->set_kind("pagerduty");
  pagerduty->set_url("https://acme.pagerduty.com/incidents/P1");
  Delivery paged = Make(kEventLinksChanged, incident, "links", 3);
  paged.event.mutable_entry()->set_actor("pagerduty");
  ASSERT_THAT(notifier_->Deliver(paged), IsOk());
  marks = Channel().bookmarks;
  ASSERT_EQ(marks.size(), 2u);  // not PagerDuty's: that is in the summary
  EXPECT_EQ(marks[1].title, "Incident call");
  EXPECT_EQ(marks[1].link, "https://zoom.us/j/123");
  EXPECT_THAT(Summary().blocks.dump(),
              HasSubstr("*Links:* <https://ff.example.com/incidents/42|Dashboard> · "
                        "<https://zoom.us/j/123|Call> · "
                        "<https://acme.pagerduty.com/incidents/P1|PagerDuty>"));
  EXPECT_EQ(slack_.CallCount("bookmarks.add"), 2);
}

TEST_F(SlackNotifierTest, ALostSummaryPostIsFoundByItsMarker) {
  json config = Config();
  config["timeout_ms"] = 300;
  notifier_ = Make(config).value();
  Delivery delivery = Make(kEventOpened, Incident(), "Opened", 1);
  // Channel, purpose, topic, invite answer; the summary's post hangs: Slack
  // posts it, we never hear back.
  slack_.Deny("chat.postMessage");
  EXPECT_THAT(notifier_->Deliver(delivery), StatusIs(absl::StatusCode::kPermissionDenied));
  slack_.Allow("chat.postMessage");
  slack_.HangNext(1, absl::Seconds(1));
  clock_.Advance(absl::Seconds(2));
  EXPECT_THAT(notifier_->Deliver(Again(delivery)), StatusIs(absl::StatusCode::kDeadlineExceeded));
  const std::string channel = slack_.ChannelByName("inc-42-payment-checkout-fails")->id;
  for (int i = 0; i < 500 && slack_.ChannelById(channel)->messages.empty(); ++i) {
    absl::SleepFor(absl::Milliseconds(10));  // until the fake has finished the hung post
  }
  clock_.Advance(absl::Seconds(2));
  absl::StatusOr<DeliveryResult> result = notifier_->Deliver(Again(delivery));
  ASSERT_THAT(result, IsOk());
  std::optional<FakeSlack::Channel> made = slack_.ChannelById(channel);
  ASSERT_EQ(made->messages.size(), 1u);
  ASSERT_EQ(result->links.size(), 2u);
  EXPECT_EQ(result->links[1].external_id(), made->messages[0].ts);
  EXPECT_EQ(made->pins.size(), 1u);
  EXPECT_EQ(slack_.CallCount("conversations.history"), 1);
}

TEST_F(SlackNotifierTest, AChannelWithoutASummaryGetsOneOnItsNextChange) {
  Open();
  summary_link_.Clear();  // a channel made before the room had a summary
  pb::Incident incident = Incident();
  incident.set_status(pb::STATUS_FIXING);
  absl::StatusOr<DeliveryResult> result =
      notifier_->Deliver(Make(kEventStatusChanged, incident, "status OPEN → FIXING", 2));
  ASSERT_THAT(result, IsOk());
  // Looked for by its marker, found (the one posted at open), not posted
  // again: its link is stored now.
  ASSERT_EQ(result->links.size(), 1u);
  EXPECT_EQ(result->links[0].kind(), "slack_summary");
  EXPECT_EQ(result->links[0].external_id(), Channel().messages[0].ts);
  EXPECT_EQ(Channel().messages.size(), 2u);
  EXPECT_EQ(slack_.CallCount("conversations.history"), 1);
}

TEST_F(SlackNotifierTest, LaterEventWaitsForTheChannelWithoutUsingAnAttempt) {
  // Not even a channel by the incident's name is taken for ours: only the
  // link the opened delivery stores.
  slack_.AddChannel("inc-42-payment-checkout-fails");
  const size_t before = slack_.requests().size();
  pb::Incident incident = Incident();
  incident.set_status(pb::STATUS_FIXING);
  absl::StatusOr<DeliveryResult> result =
      notifier_->Deliver(Make(kEventStatusChanged, incident, "status OPEN → FIXING", 2));
  EXPECT_THAT(result, StatusIs(absl::StatusCode::kResourceExhausted,
                               HasSubstr("Slack channel of incident #42")));
  EXPECT_TRUE(IsBudgetWait(result.status()));
  EXPECT_THAT(RetryAfterOf(result.status()), Optional(absl::Minutes(1)));
  EXPECT_EQ(slack_.requests().size(), before);
  // Once the opened delivery has made it, the same delivery goes through.
  Open();
  ASSERT_THAT(notifier_->Deliver(Make(kEventStatusChanged, incident, "status OPEN → FIXING", 2)),
              IsOk());
  EXPECT_EQ(Channel().messages.size(), 2u);
}

TEST_F(SlackNotifierTest, CallsArePacedToTheBudgetWithoutSending) {
  json config = Config();
  config["rate_limits"] = {{"conversations.create", 2}};
  notifier_ = Make(config).value();
  for (int id = 1; id <= 2; ++id) {
    pb::Incident incident = Incident();
    incident.set_id(id);
    ASSERT_THAT(notifier_->Deliver(Make(kEventOpened, incident, "Opened", id)), IsOk());
  }
  pb::Incident third = Incident();
  third.set_id(3);
  Delivery delivery = Make(kEventOpened, third, "Opened", 3);
  absl::StatusOr<DeliveryResult> result = notifier_->Deliver(delivery);
  EXPECT_THAT(result, StatusIs(absl::StatusCode::kResourceExhausted,
                               HasSubstr("slack conversations.create rate budget")));
  EXPECT_TRUE(IsBudgetWait(result.status()));
  // The first create was 6 s ago (three deliveries, 2 s apart).
  EXPECT_THAT(
      RetryAfterOf(result.status()),
      Optional(absl::Minutes(1) + RateBudget::MarginFor(absl::Minutes(1)) - absl::Seconds(4)));
  EXPECT_EQ(slack_.CallsOf("conversations.create").size(), 2u);
  clock_.Advance(absl::Minutes(1));
  ASSERT_THAT(notifier_->Deliver(Again(delivery)), IsOk());
  EXPECT_EQ(slack_.CallsOf("conversations.create").size(), 3u);
}

TEST_F(SlackNotifierTest, RateLimitPausesTheMethodForEveryDelivery) {
  slack_.RateLimitNext(1, 7);
  Delivery delivery = Make(kEventOpened, Incident(), "Opened", 1);
  absl::StatusOr<DeliveryResult> result = notifier_->Deliver(delivery);
  EXPECT_THAT(result, StatusIs(absl::StatusCode::kResourceExhausted, HasSubstr("ratelimited")));
  EXPECT_THAT(RetryAfterOf(result.status()), Optional(absl::Seconds(7)));
  EXPECT_TRUE(IsRetryable(result.status()));
  EXPECT_FALSE(IsBudgetWait(result.status()));  // a 429 was a real attempt
  // Another incident's delivery does not call the paused method meanwhile.
  pb::Incident other = Incident();
  other.set_id(43);
  Delivery second = Make(kEventOpened, other, "Opened", 2);
  absl::StatusOr<DeliveryResult> waiting = notifier_->Deliver(second);
  EXPECT_TRUE(IsBudgetWait(waiting.status())) << waiting.status();
  EXPECT_EQ(slack_.CallsOf("conversations.create").size(), 1u);
  clock_.Advance(absl::Seconds(7));
  ASSERT_THAT(notifier_->Deliver(Again(delivery)), IsOk());
  clock_.Advance(absl::Seconds(2));  // the global channel's post budget
  ASSERT_THAT(notifier_->Deliver(Again(second)), IsOk());
  EXPECT_EQ(slack_.channels().size(), 3u);
}

TEST_F(SlackNotifierTest, ServerErrorIsUnavailable) {
  slack_.FailNext(1, 500);
  absl::StatusOr<DeliveryResult> result =
      notifier_->Deliver(Make(kEventOpened, Incident(), "Opened", 1));
  EXPECT_THAT(result, StatusIs(absl::StatusCode::kUnavailable));
  EXPECT_TRUE(IsRetryable(result.status()));
}

TEST_F(SlackNotifierTest, HangPastTimeoutIsDeadlineExceeded) {
  json config = Config();
  config["timeout_ms"] = 300;
  std::unique_ptr<Notifier> notifier = Make(config).value();
  slack_.HangNext(1, absl::Seconds(2));
  absl::StatusOr<DeliveryResult> result =
      notifier->Deliver(Make(kEventOpened, Incident(), "Opened", 1));
  EXPECT_THAT(result, StatusIs(absl::StatusCode::kDeadlineExceeded));
  EXPECT_TRUE(IsRetryable(result.status()));
}

TEST_F(SlackNotifierTest, RefusedConnectionIsUnavailable) {
  Open();  // the fake's listener is surely running before Refuse
  slack_.Refuse();
  absl::StatusOr<DeliveryResult> result =
      notifier_->Deliver(Make(kEventClosed, Incident(), "Closed (resolved)", 2));
  EXPECT_THAT(result, StatusIs(absl::StatusCode::kUnavailable));
  slack_.Heal();
  EXPECT_THAT(notifier_->Deliver(Make(kEventClosed, Incident(), "Closed (resolved)", 3)), IsOk());
}

TEST_F(SlackNotifierTest, BadTokenIsUnauthenticatedAndMissingScopeDenied) {
  std::unique_ptr<Notifier> notifier = Make(Config(), "xoxb-revoked").value();
  absl::StatusOr<DeliveryResult> result =
      notifier->Deliver(Make(kEventOpened, Incident(), "Opened", 1));
  EXPECT_THAT(result, StatusIs(absl::StatusCode::kUnauthenticated, HasSubstr("invalid_auth")));
  EXPECT_FALSE(IsRetryable(result.status()));
  EXPECT_THAT(result.status().message(), ::testing::Not(HasSubstr("xoxb")));

  slack_.Deny("conversations.create");
  result = notifier_->Deliver(Make(kEventOpened, Incident(), "Opened", 1));
  EXPECT_THAT(result, StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("missing_scope")));
  EXPECT_FALSE(IsRetryable(result.status()));
}

TEST_F(SlackNotifierTest, FactoryNamesTheBadKey) {
  EXPECT_EQ(MakeSlackNotifierFactory()->name(), "slack");
  auto expect_error = [this](json config, const std::string& message, std::string token = "") {
    EXPECT_THAT(MakeSlackNotifierFactory()->Create(config, Env(token)),
                StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr(message)))
        << config;
  };
  json missing = Config();
  missing.erase("global_channel");
  expect_error(missing, "config: notifiers.slack.global_channel is required", "t");
  json bad_channel = Config();
  bad_channel["global_channel"] = "#incidents";
  expect_error(bad_channel, "config: notifiers.slack.global_channel must be a Slack channel id",
               "t");
  json bad_url = Config();
  bad_url["base_url"] = "slack.com/api";
  expect_error(bad_url, "config: notifiers.slack.base_url must be an http or https URL", "t");
  json bad_dashboard = Config();
  bad_dashboard["dashboard_url"] = "ff.example.com";
  expect_error(bad_dashboard, "config: notifiers.slack.dashboard_url must be an http", "t");
  json bad_workspace = Config();
  bad_workspace["workspace_url"] = "acme";
  expect_error(bad_workspace, "config: notifiers.slack.workspace_url must be an http", "t");
  expect_error(Config(),
               "config: notifiers.slack.bot_token_env names environment variable "
               "SLACK_BOT_TOKEN, which is not set");
  json other_env = Config();
  other_env["bot_token_env"] = "OTHER_TOKEN";
  expect_error(other_env, "OTHER_TOKEN, which is not set", "t");
  json unknown = Config();
  unknown["chanel"] = "C1";
  expect_error(unknown, "config: notifiers.slack.chanel is not a known key", "t");
  json timeout = Config();
  timeout["timeout_ms"] = 0;
  expect_error(timeout, "config: notifiers.slack.timeout_ms must be an integer", "t");
  json limits = Config();
  limits["rate_limits"] = {{"conversations.creat", 20}};
  expect_error(limits,
               "config: notifiers.slack.rate_limits.conversations.creat is not a "
               "rate-limited method",
               "t");
  limits["rate_limits"] = {{"conversations.create", -1}};
  expect_error(limits,
               "config: notifiers.slack.rate_limits.conversations.create must be a "
               "whole number of calls per minute",
               "t");
  limits["rate_limits"] = {{"chat.postMessage", {{"calls", 1}, {"window", 1}}}};
  expect_error(limits,
               "config: notifiers.slack.rate_limits.chat.postMessage.window is not a "
               "known key",
               "t");
  limits["rate_limits"] = {{"chat.postMessage", {{"calls", 2}, {"window_s", 1}}},
                           {"conversations.create", 0}};
  EXPECT_THAT(MakeSlackNotifierFactory()->Create(limits, Env("t")), IsOk());
  NotifierEnv anonymous = Env("t");
  anonymous.installation_id.clear();
  EXPECT_THAT(MakeSlackNotifierFactory()->Create(Config(), anonymous),
              StatusIs(absl::StatusCode::kInternal, "notifiers.slack: no installation id"));
  // Only global_channel is required; the rest has defaults.
  EXPECT_THAT(MakeSlackNotifierFactory()->Create({{"global_channel", "C0123ABCD"}}, Env("t")),
              IsOk());
}

}  // namespace
}  // namespace ff
