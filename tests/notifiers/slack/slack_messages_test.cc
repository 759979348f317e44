// The Slack notifier's pure text: channel names, topics, people, severity.
#include "server/notifiers/slack/slack_messages.h"

#include <regex>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace ff {
namespace {

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

TEST(ChannelTopicTest, SummarisesWithinLimit) {
  EXPECT_EQ(ChannelTopic(MakeIncident(42, "payment", "Checkout fails")),
            "#42 SEV2 OPEN — Checkout fails");
  std::string topic = ChannelTopic(MakeIncident(1, "d", std::string(300, 'x')));
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

}  // namespace
}  // namespace ff
