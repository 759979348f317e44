// An alert storm against a Slack that enforces its published rate limits:
// 30 incidents opened within seconds, each moved to INVESTIGATING, while the
// fake answers anything over Slack's tiers with 429 + Retry-After, in sliding
// 60 s windows, exactly as Slack does. The outbox must pace itself: every
// channel made once, every post made once, nothing dead, at most one 429 per
// method per window. Runs on SQLite and PostgreSQL (see CMakeLists.txt).
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "tests/e2e/notifications_fixture.h"

namespace ff::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::SizeIs;

constexpr int kIncidents = 30;
const absl::Duration kWindow = absl::Seconds(60);

class StormTest : public NotificationsTest {
 protected:
  void SetUp() override {
    world_.SetSecretsInEnvironment();
    nlohmann::json config = world_.Config();
    // Slack alone: the storm is about its tiers.
    config["notifiers"] = {{"slack", config["notifiers"]["slack"]}};
    std::ofstream(dir_.File("ff.json")) << config.dump(2);
    slack_.EnforceRateLimits(kWindow);
    StartServer({"--config", dir_.File("ff.json")});
  }
};

TEST_F(StormTest, ThirtyIncidentsAreAnnouncedOnceEachWithinSlacksTiers) {
  const absl::Time start = absl::Now();
  std::vector<pb::Incident> opened;
  for (int i = 1; i <= kIncidents; ++i) {
    opened.push_back(
        MustOpen(absl::StrCat("Storm ", i), i % 10 == 0 ? pb::SEVERITY_SEV1 : pb::SEVERITY_SEV3));
  }
  for (const pb::Incident& incident : opened) {
    ASSERT_TRUE(MoveTo(incident.id(), pb::STATUS_INVESTIGATING).ok());
  }
  ASSERT_LT(absl::Now() - start, absl::Seconds(10)) << "the storm itself was too slow to start";
  // The tiers allow it all in about a minute; give it three.
  ASSERT_TRUE(WaitForOutbox(absl::Minutes(3)));
  const absl::Duration took = absl::Now() - start;
  EXPECT_EQ(DeadDeliveries(), 0);

  // Every channel made exactly once, under its own name.
  EXPECT_EQ(slack_.CallCount("conversations.create"), kIncidents);
  for (const pb::Incident& incident : opened) {
    pb::GetIncidentRequest get;
    get.set_id(incident.id());
    auto got = GetIncident(get);
    ASSERT_TRUE(got.ok());
    std::string channel_id;
    for (const pb::Link& link : got.response.links()) {
      if (link.kind() == "slack_channel") channel_id = link.external_id();
    }
    auto channel = slack_.ChannelById(channel_id);
    ASSERT_TRUE(channel.has_value()) << "#" << incident.id();
    EXPECT_TRUE(absl::StartsWith(channel->name, absl::StrCat("inc-", incident.id(), "-")));
    // The summary and the status post, once each; the summary pinned and
    // edited in place.
    ASSERT_THAT(channel->messages, SizeIs(2)) << channel->name;
    ASSERT_THAT(channel->pins, SizeIs(1)) << channel->name;
    EXPECT_EQ(channel->pins[0].ts, channel->messages[0].ts);
    EXPECT_THAT(channel->messages[0].text, HasSubstr(absl::StrCat("Storm ", incident.id())));
    EXPECT_THAT(channel->messages[1].text, HasSubstr("OPEN → INVESTIGATING"));
  }
  // One headline per incident in the global channel (INVESTIGATING is not
  // copied there), none twice.
  auto global = slack_.ChannelById(world_.global_channel);
  ASSERT_TRUE(global.has_value());
  EXPECT_THAT(global->messages, SizeIs(kIncidents));
  std::set<std::string> keys;
  for (const auto& message : global->messages) {
    keys.insert(message.metadata["event_payload"].value("key", ""));
  }
  EXPECT_THAT(keys, SizeIs(kIncidents));
  // Paced ahead of time: at most one 429 per method per window, and no
  // history read (no answer was lost).
  const int windows = static_cast<int>(absl::Ceil(took, kWindow) / kWindow);
  for (const char* method :
       {"conversations.create", "conversations.setPurpose", "conversations.setTopic",
        "conversations.invite", "chat.postMessage", "users.lookupByEmail", "chat.update",
        "pins.add", "conversations.info"}) {
    EXPECT_LE(slack_.RateLimited(method), windows) << method;
  }
  EXPECT_EQ(slack_.CallCount("conversations.history"), 0);
}

}  // namespace
}  // namespace ff::testing
