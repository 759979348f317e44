// FakeSlack's incident-room methods hold to Slack's contract: chat.update,
// pins, bookmarks, ephemeral messages, views and Block Kit validation, each
// through raw Web API calls.
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/notifiers/slack/fake_slack_fixture.h"
#include "tests/testing/fake_slack.h"

namespace ff::testing {
namespace {

using json = nlohmann::json;
using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::Ge;
using ::testing::IsEmpty;
using ::testing::Le;

json Section(const std::string& text) {
  return {{"type", "section"}, {"text", {{"type", "mrkdwn"}, {"text", text}}}};
}
json Home() { return {{"type", "home"}, {"blocks", json::array({Section("Your incidents")})}}; }

using FakeSlackRoomTest = FakeSlackTest;

TEST_F(FakeSlackRoomTest, UpdatesTheBotsMessageAndCountsEdits) {
  std::string id = slack_.AddChannel("inc-12-checkout");
  json posted =
      Call("chat.postMessage",
           {{"channel", id}, {"text", "#12 OPEN"}, {"blocks", json::array({Section("OPEN")})}});
  ASSERT_EQ(posted["ok"], true) << posted;
  std::string ts = posted["ts"];
  json updated = Call("chat.update", {{"channel", id},
                                      {"ts", ts},
                                      {"text", "#12 FIXED"},
                                      {"blocks", json::array({Section("FIXED")})}});
  ASSERT_EQ(updated["ok"], true) << updated;
  EXPECT_EQ(updated["channel"], id);
  EXPECT_EQ(updated["ts"], ts);
  EXPECT_EQ(updated["text"], "#12 FIXED");
  // Text alone keeps the blocks, as Slack does.
  ASSERT_EQ(Call("chat.update", {{"channel", id}, {"ts", ts}, {"text", "#12 FIXED (2)"}})["ok"],
            true);
  std::optional<FakeSlack::Message> message = slack_.MessageAt(id, ts);
  ASSERT_TRUE(message.has_value());
  EXPECT_EQ(message->text, "#12 FIXED (2)");
  EXPECT_EQ(message->blocks, json::array({Section("FIXED")}));
  EXPECT_EQ(message->edits, 2);
  EXPECT_EQ(slack_.ChannelById(id)->messages.size(), 1u);
  json history = Call("conversations.history", {{"channel", id}});
  EXPECT_EQ(history["messages"][0]["blocks"], json::array({Section("FIXED")}));
  EXPECT_EQ(history["messages"][0]["edited"]["user"], FakeSlack::kBotUserId);
}

TEST_F(FakeSlackRoomTest, UpdateRefusesMissingAndOthersMessages) {
  slack_.AddUser("U0000ALICE", "alice@example.com");
  std::string id = slack_.AddChannel("inc-12-checkout");
  std::string theirs = slack_.AddMessageBy(id, "U0000ALICE", "I think it is the database");
  EXPECT_EQ(Call("chat.update", {{"channel", id}, {"ts", theirs}, {"text", "x"}}),
            Error("cant_update_message"));
  EXPECT_EQ(Call("chat.update", {{"channel", id}, {"ts", "1767225600.999999"}, {"text", "x"}}),
            Error("message_not_found"));
  EXPECT_EQ(Call("chat.update", {{"channel", "C404"}, {"ts", theirs}, {"text", "x"}}),
            Error("channel_not_found"));
  std::string ours = slack_.AddMessage(id, "summary");
  EXPECT_EQ(Call("chat.update", {{"channel", id}, {"ts", ours}}), Error("no_text"));
  EXPECT_EQ(slack_.MessageAt(id, ours)->edits, 0);
  EXPECT_EQ(slack_.MessageAt(id, theirs)->text, "I think it is the database");
}

TEST_F(FakeSlackRoomTest, InvalidBlocksAreRefusedWithSlacksExplanation) {
  std::string id = slack_.AddChannel("c");
  json too_long = Call(
      "chat.postMessage",
      {{"channel", id}, {"text", "x"}, {"blocks", json::array({Section(std::string(3001, 'a'))})}});
  EXPECT_EQ(too_long["ok"], false);
  EXPECT_EQ(too_long["error"], "invalid_blocks");
  EXPECT_EQ(too_long["errors"],
            json::array({"must be less than 3001 characters [json-pointer:/blocks/0/text/text]"}));
  EXPECT_EQ(too_long["response_metadata"]["messages"],
            json::array({"[ERROR] must be less than 3001 characters "
                         "[json-pointer:/blocks/0/text/text]"}));
  EXPECT_EQ(Call("chat.postMessage", {{"channel", id}, {"text", "x"}, {"blocks", "[not json"}}),
            Error("invalid_blocks_format"));
  EXPECT_TRUE(slack_.ChannelById(id)->messages.empty());
  // Forms carry blocks as a JSON string, validated the same way.
  json form = Form("chat.postMessage",
                   "channel=" + id + "&text=x&blocks=%5B%7B%22type%22%3A%22bogus%22%7D%5D",
                   "Bearer " + slack_.token());
  EXPECT_EQ(form["error"], "invalid_blocks");

  std::string ts = slack_.AddMessage(id, "summary");
  json bad_block = {{"type", "x"}};
  json bad_update =
      Call("chat.update", {{"channel", id}, {"ts", ts}, {"blocks", json::array({bad_block})}});
  EXPECT_EQ(bad_update["error"], "invalid_blocks");
  EXPECT_EQ(slack_.MessageAt(id, ts)->edits, 0);
}

TEST_F(FakeSlackRoomTest, PinsOnceAndListsNewestFirst) {
  std::string id = slack_.AddChannel("inc-12-checkout");
  std::string first = slack_.AddMessage(id, "summary");
  std::string second = slack_.AddMessage(id, "postmortem");
  EXPECT_EQ(Call("pins.add", {{"channel", id}, {"timestamp", first}}), json({{"ok", true}}));
  EXPECT_EQ(Call("pins.add", {{"channel", id}, {"timestamp", first}}), Error("already_pinned"));
  EXPECT_EQ(Call("pins.add", {{"channel", id}, {"timestamp", second}})["ok"], true);
  EXPECT_EQ(Call("pins.add", {{"channel", id}, {"timestamp", "1767225600.999999"}}),
            Error("message_not_found"));
  EXPECT_EQ(Call("pins.add", {{"channel", id}}), Error("no_item_specified"));
  EXPECT_EQ(Call("pins.add", {{"channel", "C404"}, {"timestamp", first}}),
            Error("channel_not_found"));
  json listed = Call("pins.list", {{"channel", id}});
  ASSERT_EQ(listed["ok"], true) << listed;
  ASSERT_EQ(listed["items"].size(), 2u);
  EXPECT_EQ(listed["items"][0]["type"], "message");
  EXPECT_EQ(listed["items"][0]["message"]["ts"], second);
  EXPECT_EQ(listed["items"][1]["message"]["text"], "summary");
  EXPECT_EQ(listed["items"][1]["created_by"], FakeSlack::kBotUserId);
  ASSERT_EQ(slack_.ChannelById(id)->pins.size(), 2u);
  EXPECT_EQ(slack_.ChannelById(id)->pins[1].ts, first);
}

TEST_F(FakeSlackRoomTest, BookmarksLinksOnly) {
  std::string id = slack_.AddChannel("inc-12-checkout");
  json added = Call("bookmarks.add", {{"channel_id", id},
                                      {"title", "Call"},
                                      {"type", "link"},
                                      {"link", "https://zoom.example/j/1"}});
  ASSERT_EQ(added["ok"], true) << added;
  EXPECT_EQ(added["bookmark"]["title"], "Call");
  EXPECT_EQ(added["bookmark"]["channel_id"], id);
  EXPECT_EQ(added["bookmark"]["type"], "link");
  json base = {{"channel_id", id}, {"title", "t"}, {"type", "link"}, {"link", "https://x.example"}};
  auto with = [&](const std::string& key, const std::string& value) {
    json args = base;
    args[key] = value;
    return Call("bookmarks.add", args);
  };
  EXPECT_EQ(with("type", "message"), Error("invalid_bookmark_type"));
  EXPECT_EQ(with("link", "zoom.example/j/1"), Error("invalid_link"));
  EXPECT_EQ(with("title", ""), Error("invalid_arguments"));
  EXPECT_EQ(with("channel_id", "C404"), Error("channel_not_found"));
  EXPECT_EQ(Call("bookmarks.add", {{"channel", id}, {"title", "t"}, {"type", "link"}}),
            Error("channel_not_found"));  // the argument is channel_id
  for (int i = 1; i < 100; ++i) ASSERT_EQ(with("title", absl::StrCat("b", i))["ok"], true) << i;
  EXPECT_EQ(with("title", "one too many"), Error("too_many_bookmarks"));
  json listed = Call("bookmarks.list", {{"channel_id", id}});
  ASSERT_EQ(listed["bookmarks"].size(), 100u);
  EXPECT_EQ(listed["bookmarks"][0]["link"], "https://zoom.example/j/1");
  EXPECT_EQ(slack_.ChannelById(id)->bookmarks[0].title, "Call");
}

TEST_F(FakeSlackRoomTest, EphemeralsReachMembersOnlyAndAreKeptPerUser) {
  slack_.AddUser("U0000ALICE", "alice@example.com");
  slack_.AddUser("U00000BOB", "bob@example.com");
  std::string id = slack_.AddChannel("inc-12-checkout");
  ASSERT_TRUE(slack_.AddMember(id, "U0000ALICE"));
  EXPECT_FALSE(slack_.AddMember("C404", "U0000ALICE"));
  json sent = Call("chat.postEphemeral", {{"channel", id},
                                          {"user", "U0000ALICE"},
                                          {"text", "Refused"},
                                          {"blocks", json::array({Section("*Refused*")})}});
  ASSERT_EQ(sent["ok"], true) << sent;
  EXPECT_EQ(Call("chat.postEphemeral", {{"channel", id}, {"user", "U00000BOB"}, {"text", "x"}}),
            Error("user_not_in_channel"));
  json bad_block = {{"type", "x"}};
  EXPECT_EQ(Call("chat.postEphemeral", {{"channel", id},
                                        {"user", "U0000ALICE"},
                                        {"blocks", json::array({bad_block})}})["error"],
            "invalid_blocks");
  std::vector<FakeSlack::Ephemeral> alice = slack_.EphemeralsFor("U0000ALICE");
  ASSERT_EQ(alice.size(), 1u);
  EXPECT_EQ(alice[0].channel, id);
  EXPECT_EQ(alice[0].text, "Refused");
  EXPECT_EQ(alice[0].blocks, json::array({Section("*Refused*")}));
  EXPECT_THAT(slack_.EphemeralsFor("U00000BOB"), IsEmpty());
  EXPECT_TRUE(slack_.ChannelById(id)->messages.empty());  // nobody else sees it
}

TEST_F(FakeSlackRoomTest, PublishesHomeTabsPerUser) {
  slack_.AddUser("U0000ALICE", "alice@example.com");
  json published = Call("views.publish", {{"user_id", "U0000ALICE"}, {"view", Home()}});
  ASSERT_EQ(published["ok"], true) << published;
  std::string view_id = published["view"]["id"];
  std::string hash = published["view"]["hash"];
  std::optional<json> home = slack_.HomeView("U0000ALICE");
  ASSERT_TRUE(home.has_value());
  EXPECT_EQ((*home)["blocks"], Home()["blocks"]);
  EXPECT_FALSE(slack_.HomeView("U00000BOB").has_value());

  json again = Call("views.publish", {{"user_id", "U0000ALICE"}, {"view", Home()}, {"hash", hash}});
  ASSERT_EQ(again["ok"], true) << again;
  EXPECT_EQ(again["view"]["id"], view_id);  // the same tab, a new hash
  EXPECT_EQ(Call("views.publish", {{"user_id", "U0000ALICE"}, {"view", Home()}, {"hash", hash}}),
            Error("hash_conflict"));
  json unknown = Call("views.publish", {{"user_id", "U404"}, {"view", Home()}});
  EXPECT_EQ(unknown["error"], "invalid_arguments");
  EXPECT_EQ(unknown["response_metadata"]["messages"], json::array({"invalid `user_id`"}));
  json modal = {{"type", "modal"},
                {"title", {{"type", "plain_text"}, {"text", "t"}}},
                {"callback_id", "c"},
                {"blocks", json::array()}};
  json wrong = Call("views.publish", {{"user_id", "U0000ALICE"}, {"view", modal}});
  EXPECT_EQ(wrong["response_metadata"]["messages"],
            json::array({"[ERROR] must be home [json-pointer:/view/type]"}));
}

TEST_F(FakeSlackRoomTest, OpensAndUpdatesModalsWithValidation) {
  json modal = {{"type", "modal"},
                {"callback_id", "ff_update_incident"},
                {"title", {{"type", "plain_text"}, {"text", "Update #12"}}},
                {"blocks", json::array({Section("status")})}};
  json opened = Call("views.open", {{"trigger_id", slack_.IssueTrigger()}, {"view", modal}});
  ASSERT_EQ(opened["ok"], true) << opened;
  std::string view_id = opened["view"]["id"];
  json long_title = modal;
  long_title["title"]["text"] = std::string(25, 't');
  json refused = Call("views.open", {{"trigger_id", slack_.IssueTrigger()}, {"view", long_title}});
  EXPECT_EQ(refused["error"], "invalid_arguments");
  EXPECT_EQ(
      refused["response_metadata"]["messages"],
      json::array({"[ERROR] must be less than 25 characters [json-pointer:/view/title/text]"}));

  json changed = modal;
  changed["blocks"] = json::array({Section("FIXED")});
  json updated = Call("views.update", {{"view_id", view_id}, {"view", changed}});
  ASSERT_EQ(updated["ok"], true) << updated;
  EXPECT_EQ(slack_.OpenedViews().back()["blocks"], changed["blocks"]);
  EXPECT_EQ(Call("views.update", {{"view_id", view_id}, {"view", modal}, {"hash", "stale.1"}}),
            Error("hash_conflict"));
  EXPECT_EQ(Call("views.update", {{"view_id", "V404"}, {"view", modal}}), Error("not_found"));
  EXPECT_EQ(Call("views.update", {{"view_id", view_id}, {"view", long_title}})["error"],
            "invalid_arguments");
}

TEST_F(FakeSlackRoomTest, ResponseUrlsCheckBlocksToo) {
  auto respond = [&](const json& message) {
    HttpRequest request;
    request.method = "POST";
    request.url = slack_.ResponseUrl("cmd1");
    request.headers.emplace_back("Content-Type", "application/json");
    request.body = message.dump();
    request.timeout = absl::Seconds(5);
    absl::StatusOr<HttpResponse> response = client_->Send(request);
    EXPECT_THAT(response, IsOk());
    return response.ok() ? *response : HttpResponse{};
  };
  HttpResponse refused = respond({{"blocks", json::array({Section(std::string(3001, 'x'))})}});
  EXPECT_EQ(refused.status, 400);
  EXPECT_EQ(refused.body, "invalid_blocks");
  HttpResponse taken =
      respond({{"text", "#12"}, {"blocks", json::array({Section("*#12* FIXED")})}});
  EXPECT_EQ(taken.status, 200);
  ASSERT_EQ(slack_.Responses().size(), 1u);
  EXPECT_EQ(slack_.Responses()[0]["blocks"], json::array({Section("*#12* FIXED")}));
}

// Tiers of the room's methods, with a window no machine outlasts.
TEST_F(FakeSlackRoomTest, EnforcesTheRoomMethodsTiers) {
  slack_.EnforceRateLimits(absl::Minutes(10));
  std::string id = slack_.AddChannel("c");
  std::vector<std::string> ts;
  for (int i = 0; i < 21; ++i) ts.push_back(slack_.AddMessage(id, absl::StrCat(i)));
  for (int i = 0; i < 20; ++i) {
    ASSERT_EQ(Call("pins.add", {{"channel", id}, {"timestamp", ts[i]}})["ok"], true) << i;
  }
  EXPECT_THAT(Limited("pins.add", {{"channel", id}, {"timestamp", ts[20]}}), AllOf(Ge(1), Le(600)));
  for (int i = 0; i < 50; ++i) {
    ASSERT_EQ(Call("chat.update", {{"channel", id}, {"ts", ts[0]}, {"text", "x"}})["ok"], true);
  }
  EXPECT_THAT(Limited("chat.update", {{"channel", id}, {"ts", ts[0]}, {"text", "x"}}),
              AllOf(Ge(1), Le(600)));
  slack_.AddUser("U0000ALICE", "alice@example.com");
  for (int i = 0; i < 100; ++i) {
    ASSERT_EQ(Call("views.publish", {{"user_id", "U0000ALICE"}, {"view", Home()}})["ok"], true);
  }
  EXPECT_THAT(Limited("views.publish", {{"user_id", "U0000ALICE"}, {"view", Home()}}),
              AllOf(Ge(1), Le(600)));
  EXPECT_EQ(slack_.MessageAt(id, ts[0])->edits, 50);
  EXPECT_EQ(slack_.RateLimitedTotal(), 3);
}

}  // namespace
}  // namespace ff::testing
