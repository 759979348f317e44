// The Slack notifier's pure text: channel names, topics, people, severity.
#include "server/notifiers/slack/slack_messages.h"

#include <regex>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/block_kit.h"

namespace ff {
namespace {

using json = nlohmann::json;
using ::testing::HasSubstr;
using ::testing::Not;

pb::Incident MakeIncident(int64_t id, const std::string& domain, const std::string& title) {
  pb::Incident incident;
  incident.set_id(id);
  incident.set_domain(domain);
  incident.set_title(title);
  incident.set_severity(pb::SEVERITY_SEV2);
  incident.set_status(pb::STATUS_OPEN);
  return incident;
}

TEST(IncidentChannelNameTest, SlugsTheTitle) {
  EXPECT_EQ(IncidentChannelName(MakeIncident(42, "payment", "Checkout fails: 500s on /pay!")),
            "inc-42-payment-checkout-fails-500s-on-pay");
  EXPECT_EQ(IncidentChannelName(MakeIncident(7, "", "Héllo  Wörld")), "inc-7-h-llo-w-rld");
  EXPECT_EQ(IncidentChannelName(MakeIncident(8, "search", "!!!")), "inc-8-search");
}

TEST(IncidentChannelNameTest, FitsSlackRulesForLongTitles) {
  std::string name = IncidentChannelName(
      MakeIncident(123456, "main-website", std::string(60, 'a') + " " + std::string(60, 'b')));
  EXPECT_LE(name.size(), 80u);
  EXPECT_TRUE(std::regex_match(name, std::regex("^[a-z0-9_-]{1,80}$"))) << name;
  EXPECT_NE(name.back(), '-');
  // A cut that lands on a separator drops it.
  std::string cut = IncidentChannelName(
      MakeIncident(1, "d", std::string(73, 'a') + " tail"));  // "inc-1-d-" is 8 chars
  EXPECT_EQ(cut, "inc-1-d-" + std::string(72, 'a'));
}

TEST(ChannelTopicTest, IsStatusSeverityCommanderWithinLimit) {
  EXPECT_EQ(ChannelTopic(MakeIncident(42, "payment", "Checkout fails"), "<@U2>"),
            "OPEN · SEV2 · <@U2> — #42 Checkout fails");
  EXPECT_EQ(ChannelTopic(MakeIncident(42, "payment", "Checkout fails"), ""),
            "OPEN · SEV2 · no commander — #42 Checkout fails");
  std::string topic = ChannelTopic(MakeIncident(1, "d", std::string(300, 'x')), "<@U2>");
  EXPECT_LE(topic.size(), 250u);
  EXPECT_EQ(topic.substr(topic.size() - 3), "...");
}

TEST(ClassifyPersonTest, SortsIdsEmailsGroupsAndNames) {
  EXPECT_EQ(ClassifyPerson("U012AB3CD").kind, SlackPerson::Kind::kUserId);
  EXPECT_EQ(ClassifyPerson("W012A3CDE").kind, SlackPerson::Kind::kUserId);
  SlackPerson email = ClassifyPerson(" alice@example.com ");
  EXPECT_EQ(email.kind, SlackPerson::Kind::kEmail);
  EXPECT_EQ(email.value, "alice@example.com");
  SlackPerson group = ClassifyPerson("@payment-oncall");
  EXPECT_EQ(group.kind, SlackPerson::Kind::kUserGroup);
  EXPECT_EQ(group.value, "payment-oncall");
  EXPECT_EQ(ClassifyPerson("alice").kind, SlackPerson::Kind::kUnknown);
  EXPECT_EQ(ClassifyPerson("Ursula").kind, SlackPerson::Kind::kUnknown);
  EXPECT_EQ(ClassifyPerson("alice@").kind, SlackPerson::Kind::kUnknown);
}

TEST(SlackEscapeTest, EscapesControlCharacters) {
  EXPECT_EQ(SlackEscape("a < b && c > d"), "a &lt; b &amp;&amp; c &gt; d");
}

TEST(SeverityRaisedToMajorTest, ReadsTheEntry) {
  pb::IncidentEvent event;
  event.mutable_incident()->set_severity(pb::SEVERITY_SEV1);
  event.mutable_entry()->set_text("Severity SEV3 → SEV1");
  EXPECT_TRUE(SeverityRaisedToMajor(event));
  event.mutable_incident()->set_severity(pb::SEVERITY_SEV2);
  event.mutable_entry()->set_text("Severity SEV1 → SEV2");
  EXPECT_FALSE(SeverityRaisedToMajor(event));  // lowered
  event.mutable_incident()->set_severity(pb::SEVERITY_SEV3);
  event.mutable_entry()->set_text("Severity SEV4 → SEV3");
  EXPECT_FALSE(SeverityRaisedToMajor(event));  // not major
  event.mutable_incident()->set_severity(pb::SEVERITY_SEV2);
  event.mutable_entry()->set_text("something else");
  EXPECT_TRUE(SeverityRaisedToMajor(event));
}

// The summary of a SEV1 incident at FIXED with roles, links and a note.
pb::Incident Fixed() {
  pb::Incident incident = MakeIncident(12, "payment", "Checkout <fails> & 500s");
  incident.set_severity(pb::SEVERITY_SEV1);
  incident.set_status(pb::STATUS_FIXED);
  incident.set_description("Cards declined\nsince 10:00");
  incident.mutable_roles()->set_commander("bob@example.com");
  incident.mutable_roles()->set_operations_lead("zoe@example.com");
  incident.mutable_created_at()->set_seconds(1'800'000'000);
  incident.mutable_fixed_at()->set_seconds(1'800'000'000 + 2 * 3600 + 5 * 60);
  for (auto [kind, url] : {std::pair{"pagerduty", "https://acme.pagerduty.com/incidents/P1"},
                           {"slack_channel", "https://acme.slack.com/archives/C1"},
                           {"call", "https://zoom.us/j/1"},
                           {"datadog_notebook", "https://app.datadoghq.com/notebook/7"}}) {
    pb::Link* link = incident.add_links();
    link->set_kind(kind);
    link->set_url(url);
  }
  return incident;
}

SummaryContext Context(const pb::TimelineEntry* latest) {
  SummaryContext context;
  context.latest = latest;
  context.now = absl::FromUnixSeconds(1'800'000'000 + 9 * 3600);
  context.mentions = {{"bob@example.com", "<@U2>"}, {"alice@example.com", "<@U1>"}};
  return context;
}

TEST(SummaryBlocksTest, ShowsTheIncidentAsItStands) {
  pb::TimelineEntry note;
  note.set_text("Rolled back; alice@example.com watches");
  note.set_actor("alice@example.com");
  note.mutable_time()->set_seconds(1'800'003'600);
  json blocks = SummaryBlocks(Fixed(), Context(&note));
  EXPECT_TRUE(::ff::testing::MessageBlockProblems(blocks).empty()) << ::testing::PrintToString(
      ::ff::testing::SlackErrorLines(::ff::testing::MessageBlockProblems(blocks)));
  EXPECT_EQ(blocks[0],
            json({{"type", "header"},
                  {"text", {{"type", "plain_text"}, {"text", "#12 Checkout <fails> & 500s"}}}}));
  std::vector<std::string> facts;
  for (const json& field : blocks[1]["fields"]) facts.push_back(field["text"]);
  EXPECT_THAT(facts, ::testing::ElementsAre(
                         "*Severity*\nSEV1 — critical, with liaison to the executive committee",
                         "*Status*\nFIXED", "*Domain*\npayment",
                         "*Lasted*\n2h 5m (since <!date^1800000000^{date_short} {time}|"
                         "2027-01-15 08:00 UTC>)",
                         "*Commander*\n<@U2>", "*Communication lead*\n_nobody_",
                         "*Operations lead*\nzoe@example.com"));
  EXPECT_EQ(blocks[2]["text"]["text"], ">Cards declined\n>since 10:00");
  EXPECT_EQ(blocks[3]["text"]["text"],
            "*Links:* <https://zoom.us/j/1|Call> · "
            "<https://acme.pagerduty.com/incidents/P1|PagerDuty> · "
            "<https://app.datadoghq.com/notebook/7|Datadog notebook>");
  EXPECT_EQ(blocks[4]["type"], "context");
  EXPECT_EQ(blocks[4]["elements"][0]["text"],
            "*Latest:* Rolled back; <@U1> watches — <@U1>, "
            "<!date^1800003600^{date_short} {time}|2027-01-15 09:00 UTC>");
  // Buttons carry the incident id; no dashboard button without its address.
  const json& actions = blocks[5];
  EXPECT_EQ(actions["block_id"], "ff_summary_actions");
  std::vector<std::string> ids;
  for (const json& button : actions["elements"]) {
    ids.push_back(button["action_id"]);
    EXPECT_EQ(button["value"], "12");
  }
  EXPECT_THAT(ids, ::testing::ElementsAre("ff_update", "ff_commander_me", "ff_add_note"));
  EXPECT_EQ(blocks.size(), 6u);
}

TEST(SummaryBlocksTest, OpenForUntilFixedAndUserTextIsEscaped) {
  pb::Incident incident = Fixed();
  incident.set_status(pb::STATUS_INVESTIGATING);
  incident.clear_fixed_at();
  incident.clear_links();
  incident.set_domain("<!channel>");
  incident.set_description(std::string(5000, '&'));
  SummaryContext context = Context(nullptr);
  context.dashboard_url = "https://ff.example.com";
  json blocks = SummaryBlocks(incident, context);
  EXPECT_TRUE(::ff::testing::MessageBlockProblems(blocks).empty());
  EXPECT_THAT(blocks[1]["fields"][2]["text"].get<std::string>(), HasSubstr("&lt;!channel&gt;"));
  EXPECT_THAT(blocks[1]["fields"][3]["text"].get<std::string>(), HasSubstr("*Open for*\n9h 0m"));
  EXPECT_LE(blocks[2]["text"]["text"].get<std::string>().size(), 3000u);
  // The dashboard is a link and a URL button; no latest update without one.
  EXPECT_EQ(blocks[3]["text"]["text"], "*Links:* <https://ff.example.com/incidents/12|Dashboard>");
  const json& open = blocks.back()["elements"].back();
  EXPECT_EQ(open["action_id"], "ff_open_dashboard");
  EXPECT_EQ(open["url"], "https://ff.example.com/incidents/12");
  EXPECT_EQ(blocks.size(), 5u);
  EXPECT_THAT(blocks.dump(), Not(HasSubstr("<!channel>")));
}

TEST(SummaryBlocksTest, CountsTheFollowUpsWhenThereAreAny) {
  auto follow_up = [](pb::FollowUpStatus status, bool overdue) {
    pb::FollowUp made;
    made.set_status(status);
    made.set_overdue(overdue);
    return made;
  };
  std::vector<pb::FollowUp> follow_ups;
  EXPECT_EQ(FollowUpCounts(follow_ups), "");
  follow_ups.push_back(follow_up(pb::FOLLOW_UP_STATUS_CANCELLED, false));
  EXPECT_EQ(FollowUpCounts(follow_ups), "");  // nothing to do, nothing done
  follow_ups.push_back(follow_up(pb::FOLLOW_UP_STATUS_DONE, false));
  EXPECT_EQ(FollowUpCounts(follow_ups), "0 open · 1 done");
  follow_ups.push_back(follow_up(pb::FOLLOW_UP_STATUS_OPEN, true));
  follow_ups.push_back(follow_up(pb::FOLLOW_UP_STATUS_OPEN, false));
  EXPECT_EQ(FollowUpCounts(follow_ups), "2 open (1 overdue) · 1 done");

  SummaryContext context = Context(nullptr);
  json without = SummaryBlocks(Fixed(), context);
  context.follow_ups = &follow_ups;
  json with = SummaryBlocks(Fixed(), context);
  EXPECT_TRUE(::ff::testing::MessageBlockProblems(with).empty());
  ASSERT_EQ(with[1]["fields"].size(), without[1]["fields"].size() + 1);
  EXPECT_EQ(with[1]["fields"].back()["text"], "*Follow-ups*\n2 open (1 overdue) · 1 done");
  follow_ups.clear();
  EXPECT_EQ(SummaryBlocks(Fixed(), context), without);
}

TEST(RoleMessageTest, MentionsTheNewHolder) {
  pb::IncidentEvent event;
  event.mutable_entry()->set_text("Commander: bob@example.com (was carol@example.com)");
  event.mutable_entry()->set_actor("alice@example.com");
  Mentions mentions = {{"bob@example.com", "<@U2>"}, {"alice@example.com", "<@U1>"}};
  EXPECT_EQ(RoleMessage(event, mentions),
            ":bust_in_silhouette: <@U2> is now incident commander (was carol@example.com) "
            "(by <@U1>)");
  event.mutable_entry()->set_text("Operations lead: nobody (was bob@example.com)");
  EXPECT_EQ(RoleMessage(event, mentions),
            ":bust_in_silhouette: Nobody is operations lead now (was <@U2>) (by <@U1>)");
  event.mutable_entry()->set_text("roles shuffled by bob@example.com");
  EXPECT_EQ(RoleMessage(event, mentions), ":memo: roles shuffled by <@U2> (by <@U1>)");
}

TEST(PeopleOfTest, ListsEveryoneAnEventNamesOnce) {
  pb::IncidentEvent event;
  event.mutable_entry()->set_text("Commander: bob@example.com (was carol@example.com).");
  event.mutable_entry()->set_actor("alice@example.com");
  pb::Incident incident = Fixed();
  incident.set_reporter("alice@example.com");
  EXPECT_THAT(PeopleOf(event, incident),
              ::testing::ElementsAre("alice@example.com", "bob@example.com", "zoe@example.com",
                                     "carol@example.com"));
}

TEST(DurationTextTest, ReadsLikeAClock) {
  EXPECT_EQ(DurationText(absl::Seconds(59)), "0m");
  EXPECT_EQ(DurationText(absl::Minutes(7)), "7m");
  EXPECT_EQ(DurationText(absl::Minutes(125)), "2h 5m");
  EXPECT_EQ(DurationText(absl::Hours(76)), "3d 4h");
  EXPECT_EQ(DurationText(-absl::Minutes(3)), "0m");
}

}  // namespace
}  // namespace ff
