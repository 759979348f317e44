// The incident channel as a room, through the real firefighterd and the fake
// Slack (which checks every Block Kit payload): one pinned summary edited in
// place, a topic that follows the incident, and people named as mentions.
#include <cstdlib>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "tests/e2e/notifications_fixture.h"

namespace ff::testing {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

std::string LinkOf(const pb::Incident& incident, const std::string& kind) {
  for (const auto& link : incident.links()) {
    if (link.kind() == kind) return link.external_id();
  }
  return "";
}

// MarkerKey is the key of the marker a chat.postMessage call carried.
std::string MarkerKey(const RecordedRequest& request) {
  nlohmann::json body = nlohmann::json::parse(request.body, nullptr, false);
  if (body.is_discarded() || !body.contains("metadata")) return "";
  return body["metadata"]["event_payload"].value("key", "");
}

// RoomDump is `channel` with the workspace's user names, as the room renderer
// (tests/slack/room_render/room_html.js) reads it.
nlohmann::json RoomDump(const FakeSlack::Channel& channel,
                        const std::map<std::string, std::string>& users) {
  nlohmann::json messages = nlohmann::json::array();
  for (const FakeSlack::Message& message : channel.messages) {
    messages.push_back({{"ts", message.ts},
                        {"user", message.user},
                        {"bot", message.user == FakeSlack::kBotUserId},
                        {"text", message.text},
                        {"blocks", message.blocks},
                        {"edits", message.edits}});
  }
  nlohmann::json bookmarks = nlohmann::json::array();
  for (const FakeSlack::Bookmark& bookmark : channel.bookmarks) {
    bookmarks.push_back({{"title", bookmark.title}, {"url", bookmark.link}});
  }
  nlohmann::json pins = nlohmann::json::array();
  for (const FakeSlack::Pin& pin : channel.pins) pins.push_back(pin.ts);
  return {{"channel",
           {{"name", channel.name},
            {"topic", channel.topic},
            {"bookmarks", bookmarks},
            {"pins", pins},
            {"members", channel.members},
            {"messages", messages}}},
          {"users", users}};
}

class SlackRoomTest : public NotificationsTest {
 protected:
  // Update applies `request` to incident `id` as alice, failing the test
  // when the core refuses it.
  void Update(int64_t id, pb::UpdateIncidentRequest request) {
    request.set_id(id);
    request.set_actor("alice@example.com");
    auto updated = UpdateIncident(request);
    ASSERT_TRUE(updated.ok()) << updated.status.error_message();
  }
};

TEST_F(SlackRoomTest, OneSummaryIsPinnedAndEditedAsTheIncidentMoves) {
  slack_.AddUser("U2", "dana@example.com");
  pb::OpenIncidentRequest open = OpenRequest("Checkout fails", pb::SEVERITY_SEV3);
  open.set_reporter("alice@example.com");
  open.set_description("Card payments answer 502 since the 14:00 release.");
  auto opened = OpenIncident(open);
  ASSERT_TRUE(opened.ok()) << opened.status.error_message();
  const int64_t id = opened.response.id();
  ASSERT_TRUE(WaitForOutbox());

  pb::UpdateIncidentRequest step;
  step.set_status(pb::STATUS_INVESTIGATING);
  Update(id, step);
  step.Clear();
  step.set_commander("dana@example.com");
  Update(id, step);
  step.Clear();
  step.set_operations_lead("carol@example.com");
  Update(id, step);
  step.Clear();
  step.set_severity(pb::SEVERITY_SEV1);
  Update(id, step);
  step.Clear();
  step.set_status(pb::STATUS_FIXED);
  Update(id, step);
  pb::AddTimelineEntryRequest note;
  note.set_incident_id(id);
  note.set_actor("alice@example.com");
  note.set_text("Rolled back to 2024.11.2; card payments succeed again");
  auto noted = AddTimelineEntry(note);
  ASSERT_TRUE(noted.ok()) << noted.status.error_message();
  ASSERT_TRUE(WaitForOutbox(absl::Seconds(60)));
  EXPECT_EQ(DeadDeliveries(), 0);

  pb::GetIncidentRequest get;
  get.set_id(id);
  auto incident = GetIncident(get);
  ASSERT_TRUE(incident.ok());
  const std::string channel_id = LinkOf(incident.response, "slack_channel");
  const std::string summary_ts = LinkOf(incident.response, "slack_summary");
  auto channel = slack_.ChannelById(channel_id);
  ASSERT_TRUE(channel.has_value());

  // Exactly one summary: posted once, pinned, edited in place.
  ASSERT_EQ(channel->pins.size(), 1u);
  EXPECT_EQ(channel->pins[0].ts, summary_ts);
  int summary_posts = 0;
  for (const RecordedRequest& post : slack_.CallsOf("chat.postMessage")) {
    if (MarkerKey(post) == absl::StrCat("summary:", id)) ++summary_posts;
  }
  EXPECT_EQ(summary_posts, 1);
  EXPECT_GE(slack_.CallCount("chat.update"), 1);
  auto summary = slack_.MessageAt(channel_id, summary_ts);
  ASSERT_TRUE(summary.has_value());
  EXPECT_GE(summary->edits, 1);
  const std::string shown = summary->blocks.dump();
  EXPECT_THAT(shown, HasSubstr("*Severity*\\nSEV1"));
  EXPECT_THAT(shown, HasSubstr("*Status*\\nFIXED"));
  EXPECT_THAT(shown, HasSubstr("*Commander*\\n<@U2>"));
  EXPECT_THAT(summary->text, HasSubstr("SEV1 FIXED"));

  // The topic follows: status · severity · commander.
  EXPECT_THAT(channel->topic, StartsWith("FIXED · SEV1 · <@U2>"));

  // The new commander was told, and invited.
  std::vector<std::string> posts = ChannelTexts(channel_id);
  EXPECT_THAT(posts, Contains(HasSubstr("<@U2> is now incident commander")));
  EXPECT_THAT(channel->members, Contains("U2"));

  // Nobody Slack knows is named by their email, in the room or the global
  // channel.
  for (const std::string& where : {channel_id, global_channel_}) {
    auto room = slack_.ChannelById(where);
    ASSERT_TRUE(room.has_value()) << where;
    for (const auto& message : room->messages) {
      const std::string all = message.text + message.blocks.dump();
      EXPECT_THAT(all, Not(HasSubstr("dana@example.com"))) << all;
      EXPECT_THAT(all, Not(HasSubstr("alice@example.com"))) << all;
    }
  }
  EXPECT_THAT(channel->topic, Not(HasSubstr("@example.com")));

  // The room for docs/slack.md's picture, when asked for (the slack_room_*
  // tests render it).
  if (const char* dump = std::getenv("FF_SLACK_ROOM_DUMP")) {
    std::ofstream out(dump);
    out << RoomDump(*channel, slack_.UserNames()).dump(2);
    ASSERT_TRUE(out.good()) << "cannot write " << dump;
  }
}

}  // namespace
}  // namespace ff::testing
