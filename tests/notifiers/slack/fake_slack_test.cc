// FakeSlack validates like Slack's Web API (EXTERNAL_APIS.md §1e, §7.4):
// requests copied from the contract, sent through the real CurlHttpClient.
#include "tests/testing/fake_slack.h"

#include <string>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "clients/http/curl_http_client.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/notifiers/slack/fake_slack_fixture.h"
#include "tests/testing/status_matchers.h"

namespace ff::testing {
namespace {

using json = nlohmann::json;
using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::Ge;
using ::testing::Le;
using ::testing::Optional;

TEST_F(FakeSlackTest, CreatesChannelAndRefusesTakenName) {
  json created = Call("conversations.create", {{"name", "inc-1-payment-checkout"}});
  ASSERT_EQ(created["ok"], true) << created;
  std::string id = created["channel"]["id"];
  EXPECT_EQ(created["channel"]["name"], "inc-1-payment-checkout");
  EXPECT_EQ(created["channel"]["is_archived"], false);
  EXPECT_EQ(Call("conversations.create", {{"name", "inc-1-payment-checkout"}}),
            Error("name_taken"));
  std::optional<FakeSlack::Channel> channel = slack_.ChannelByName("inc-1-payment-checkout");
  ASSERT_TRUE(channel.has_value());
  EXPECT_EQ(channel->id, id);
  EXPECT_THAT(channel->members, ElementsAre(FakeSlack::kBotUserId));
  EXPECT_EQ(slack_.channels().size(), 1u);
}

TEST_F(FakeSlackTest, EnforcesChannelNameRules) {
  EXPECT_EQ(Call("conversations.create", {{"name", "Inc-1"}}), Error("invalid_name_specials"));
  EXPECT_EQ(Call("conversations.create", {{"name", "inc 1"}}), Error("invalid_name_specials"));
  EXPECT_EQ(Call("conversations.create", {{"name", std::string(81, 'a')}}),
            Error("invalid_name_maxlength"));
  EXPECT_EQ(Call("conversations.create", {{"name", ""}}), Error("invalid_name_required"));
  EXPECT_EQ(Call("conversations.create", json::object()), Error("invalid_name_required"));
  EXPECT_EQ(Call("conversations.create", {{"name", "-_-"}}), Error("invalid_name_punctuation"));
  EXPECT_EQ(Call("conversations.create", {{"name", std::string(80, 'a')}})["ok"], true);
  EXPECT_EQ(slack_.channels().size(), 1u);
}

TEST_F(FakeSlackTest, ChecksAuthentication) {
  json args = {{"name", "x"}};
  std::string type = "application/json; charset=utf-8";
  EXPECT_EQ(json::parse(Send("conversations.create", args.dump(), type, "").body),
            Error("not_authed"));
  EXPECT_EQ(json::parse(Send("conversations.create", args.dump(), type, "Bearer xoxb-wrong").body),
            Error("invalid_auth"));
  EXPECT_EQ(
      json::parse(Send("conversations.create", args.dump(), type, "Basic " + slack_.token()).body),
      Error("invalid_auth"));
  // A JSON body cannot carry the token: only forms and queries can.
  json with_token = {{"name", "x"}, {"token", slack_.token()}};
  EXPECT_EQ(json::parse(Send("conversations.create", with_token.dump(), type, "").body),
            Error("not_authed"));
  EXPECT_EQ(Form("conversations.create", "name=from-form&token=" + slack_.token())["ok"], true);
  EXPECT_TRUE(slack_.ChannelByName("from-form").has_value());
  EXPECT_TRUE(slack_.channels().size() == 1u);
}

TEST_F(FakeSlackTest, RejectsUnknownMethodAndBadBodies) {
  HttpResponse unknown =
      Send("conversations.explode", "{}", "application/json", "Bearer " + slack_.token());
  EXPECT_EQ(unknown.status, 404);
  EXPECT_EQ(json::parse(unknown.body)["error"], "unknown_method");
  std::string auth = "Bearer " + slack_.token();
  EXPECT_EQ(json::parse(Send("chat.postMessage", "{", "application/json", auth).body),
            Error("invalid_json"));
  EXPECT_EQ(json::parse(Send("chat.postMessage", "[1]", "application/json", auth).body),
            Error("json_not_object"));
  EXPECT_EQ(json::parse(Send("chat.postMessage", "channel=C1", "text/plain", auth).body),
            Error("invalid_post_type"));
}

TEST_F(FakeSlackTest, PostsMessagesWithMetadataInFormOrJson) {
  std::string id = slack_.AddChannel("general-incidents");
  json posted = Call("chat.postMessage",
                     {{"channel", id},
                      {"text", "hello"},
                      {"metadata", {{"event_type", "t"}, {"event_payload", {{"key", "k1"}}}}}});
  ASSERT_EQ(posted["ok"], true) << posted;
  EXPECT_EQ(posted["channel"], id);
  EXPECT_EQ(posted["message"]["text"], "hello");
  // Form encoding carries JSON-typed arguments as JSON strings.
  json form = Form("chat.postMessage",
                   "channel=" + id + "&text=second&metadata=%7B%22event_type%22%3A%22t%22%2C" +
                       "%22event_payload%22%3A%7B%22key%22%3A%22k2%22%7D%7D",
                   "Bearer " + slack_.token());
  ASSERT_EQ(form["ok"], true) << form;
  std::optional<FakeSlack::Channel> channel = slack_.ChannelById(id);
  ASSERT_EQ(channel->messages.size(), 2u);
  EXPECT_EQ(channel->messages[1].metadata["event_payload"]["key"], "k2");

  EXPECT_EQ(Call("chat.postMessage", {{"channel", "C404"}, {"text", "x"}}),
            Error("channel_not_found"));
  EXPECT_EQ(Call("chat.postMessage", {{"text", "x"}}), Error("channel_not_found"));
  EXPECT_EQ(Call("chat.postMessage", {{"channel", id}}), Error("no_text"));
  EXPECT_EQ(Call("chat.postMessage", {{"channel", id}, {"text", "x"}, {"metadata", {{"a", 1}}}}),
            Error("invalid_metadata_format"));
  EXPECT_EQ(slack_.ChannelById(id)->messages.size(), 2u);
}

TEST_F(FakeSlackTest, HistoryIsNewestFirstAndShowsMetadataOnlyWhenAsked) {
  std::string id = slack_.AddChannel("c");
  for (int i = 0; i < 3; ++i) {
    json meta = {{"event_type", "t"}, {"event_payload", {{"key", std::to_string(i)}}}};
    ASSERT_EQ(Call("chat.postMessage",
                   {{"channel", id}, {"text", std::to_string(i)}, {"metadata", meta}})["ok"],
              true);
  }
  json page = Call("conversations.history", {{"channel", id}, {"limit", 2}});
  ASSERT_EQ(page["messages"].size(), 2u);
  EXPECT_EQ(page["messages"][0]["text"], "2");
  EXPECT_FALSE(page["messages"][0].contains("metadata"));
  EXPECT_EQ(page["has_more"], true);
  json rest = Call("conversations.history", {{"channel", id},
                                             {"limit", 2},
                                             {"include_all_metadata", true},
                                             {"cursor", page["response_metadata"]["next_cursor"]}});
  ASSERT_EQ(rest["messages"].size(), 1u);
  EXPECT_EQ(rest["messages"][0]["metadata"]["event_payload"]["key"], "0");
  EXPECT_EQ(rest["has_more"], false);
  EXPECT_EQ(Call("conversations.history", {{"channel", id}, {"cursor", "bogus!"}}),
            Error("invalid_cursor"));
}

TEST_F(FakeSlackTest, InviteHonoursForceAndAlreadyInChannel) {
  slack_.AddUser("U0000ALICE", "alice@example.com");
  slack_.AddUser("U00000BOB", "bob@example.com");
  std::string id = slack_.AddChannel("c");
  EXPECT_EQ(Call("conversations.invite", {{"channel", id}, {"users", "U0000ALICE"}})["ok"], true);
  EXPECT_EQ(Call("conversations.invite", {{"channel", id}, {"users", "U0000ALICE"}}),
            Error("already_in_channel"));
  // Without force one bad user fails the call and nobody is added.
  EXPECT_EQ(Call("conversations.invite", {{"channel", id}, {"users", "U00000BOB,UNKNOWN01"}}),
            Error("user_not_found"));
  EXPECT_EQ(slack_.ChannelById(id)->members.size(), 2u);
  json forced =
      Call("conversations.invite",
           {{"channel", id}, {"users", "U00000BOB,UNKNOWN01,U0000ALICE"}, {"force", true}});
  ASSERT_EQ(forced["ok"], true) << forced;
  ASSERT_EQ(forced["errors"].size(), 2u);
  EXPECT_EQ(forced["errors"][0]["error"], "user_not_found");
  EXPECT_EQ(forced["errors"][1]["error"], "already_in_channel");
  EXPECT_THAT(slack_.ChannelById(id)->members,
              ElementsAre(FakeSlack::kBotUserId, "U0000ALICE", "U00000BOB"));
  json none =
      Call("conversations.invite", {{"channel", id}, {"users", "U0000ALICE"}, {"force", true}});
  EXPECT_EQ(none["error"], "already_in_channel");
  EXPECT_EQ(Call("conversations.invite", {{"channel", id}}), Error("no_user"));
  EXPECT_EQ(Call("conversations.invite", {{"channel", id}, {"users", FakeSlack::kBotUserId}}),
            Error("cant_invite_self"));
}

TEST_F(FakeSlackTest, LooksUpUsersAndGroups) {
  slack_.AddUser("U0000ALICE", "alice@example.com");
  slack_.AddUserGroup("S0PAY", "payment-oncall", {"U0000ALICE"});
  json found = Call("users.lookupByEmail", {{"email", "Alice@Example.com"}});
  EXPECT_EQ(found["user"]["id"], "U0000ALICE");
  EXPECT_EQ(Call("users.lookupByEmail", {{"email", "nobody@example.com"}}),
            Error("users_not_found"));
  json groups = Call("usergroups.list", {{"include_users", true}});
  ASSERT_EQ(groups["usergroups"].size(), 1u);
  EXPECT_EQ(groups["usergroups"][0]["handle"], "payment-oncall");
  EXPECT_EQ(groups["usergroups"][0]["users"], json::array({"U0000ALICE"}));
  EXPECT_FALSE(Call("usergroups.list", json::object())["usergroups"][0].contains("users"));
}

TEST_F(FakeSlackTest, ListsPagesAndArchivesOnce) {
  std::string a = slack_.AddChannel("a");
  slack_.AddChannel("b");
  json first = Call("conversations.list", {{"limit", 1}});
  ASSERT_EQ(first["channels"].size(), 1u);
  std::string cursor = first["response_metadata"]["next_cursor"];
  ASSERT_FALSE(cursor.empty());
  json second = Call("conversations.list", {{"limit", 1}, {"cursor", cursor}});
  EXPECT_EQ(second["channels"][0]["name"], "b");
  EXPECT_EQ(second["response_metadata"]["next_cursor"], "");

  EXPECT_EQ(Call("conversations.setTopic", {{"channel", a}, {"topic", "SEV1"}})["ok"], true);
  EXPECT_EQ(Call("conversations.setTopic", {{"channel", a}, {"topic", std::string(251, 'x')}}),
            Error("too_long"));
  EXPECT_EQ(slack_.ChannelById(a)->topic, "SEV1");
  EXPECT_EQ(Call("conversations.archive", {{"channel", a}}), json({{"ok", true}}));
  EXPECT_EQ(Call("conversations.archive", {{"channel", a}}), Error("already_archived"));
  EXPECT_EQ(Call("chat.postMessage", {{"channel", a}, {"text", "x"}}), Error("is_archived"));
  EXPECT_EQ(Call("conversations.list", {{"exclude_archived", true}})["channels"].size(), 1u);
  EXPECT_EQ(Call("conversations.create", {{"name", "a"}}), Error("name_taken"));
}

TEST_F(FakeSlackTest, FaultsRateLimitAndServerError) {
  slack_.RateLimitNext(1, 7);
  HttpResponse limited =
      Send("conversations.list", "{}", "application/json", "Bearer " + slack_.token());
  EXPECT_EQ(limited.status, 429);
  EXPECT_THAT(limited.Header("retry-after"), Optional(std::string("7")));
  EXPECT_EQ(json::parse(limited.body), Error("ratelimited"));
  EXPECT_EQ(Call("conversations.list", json::object())["ok"], true);  // only the next one
  EXPECT_EQ(slack_.RateLimited("conversations.list"), 1);

  slack_.FailNext(1, 500);
  HttpResponse failed =
      Send("conversations.list", "{}", "application/json", "Bearer " + slack_.token());
  EXPECT_EQ(failed.status, 500);
  slack_.Deny("chat.postMessage");
  EXPECT_EQ(Call("chat.postMessage", {{"channel", "C1"}, {"text", "x"}})["error"], "missing_scope");
}

TEST_F(FakeSlackTest, ChannelsShowCreatorCreatedTopicAndPurpose) {
  int64_t before = absl::ToUnixSeconds(absl::Now());
  json created = Call("conversations.create", {{"name", "inc-3-db"}});
  ASSERT_EQ(created["ok"], true) << created;
  std::string id = created["channel"]["id"];
  EXPECT_EQ(created["channel"]["creator"], FakeSlack::kBotUserId);
  EXPECT_GE(created["channel"]["created"].get<int64_t>(), before);
  json unset = {{"value", ""}, {"creator", ""}, {"last_set", 0}};
  EXPECT_EQ(created["channel"]["topic"], unset);
  EXPECT_EQ(created["channel"]["purpose"], unset);

  json topic = Call("conversations.setTopic", {{"channel", id}, {"topic", "SEV1"}});
  EXPECT_EQ(topic["channel"]["topic"]["value"], "SEV1");
  EXPECT_EQ(topic["channel"]["topic"]["creator"], FakeSlack::kBotUserId);
  EXPECT_GE(topic["channel"]["topic"]["last_set"].get<int64_t>(), before);
  json purpose = Call("conversations.setPurpose", {{"channel", id}, {"purpose", "ff:0123"}});
  ASSERT_EQ(purpose["ok"], true) << purpose;
  json info = Call("conversations.info", {{"channel", id}})["channel"];
  EXPECT_EQ(info["purpose"]["value"], "ff:0123");
  EXPECT_EQ(info["purpose"]["creator"], FakeSlack::kBotUserId);
  EXPECT_GE(info["purpose"]["last_set"].get<int64_t>(), before);
  EXPECT_EQ(Call("conversations.list", json::object())["channels"][0]["purpose"], info["purpose"]);
  EXPECT_EQ(slack_.ChannelById(id)->purpose, "ff:0123");

  // 250 characters are allowed however many bytes they take.
  std::string long_purpose;
  for (int i = 0; i < 250; ++i) long_purpose += "\xC3\xA9";  // é
  EXPECT_EQ(Call("conversations.setPurpose", {{"channel", id}, {"purpose", long_purpose}})["ok"],
            true);
  EXPECT_EQ(Call("conversations.setPurpose", {{"channel", id}, {"purpose", long_purpose + "x"}}),
            Error("too_long"));
  EXPECT_EQ(Call("conversations.setPurpose", {{"channel", "C404"}, {"purpose", "x"}}),
            Error("channel_not_found"));
  ASSERT_EQ(Call("conversations.archive", {{"channel", id}})["ok"], true);
  EXPECT_EQ(Call("conversations.setPurpose", {{"channel", id}, {"purpose", "x"}}),
            Error("is_archived"));
  EXPECT_EQ(slack_.ChannelById(id)->purpose, long_purpose);
}

TEST_F(FakeSlackTest, PlantsAnotherInstallationsChannelAndMessages) {
  FakeSlack::ChannelSeed seed;
  seed.creator = "U0000OTHER";
  seed.created = 1700000000;
  seed.purpose = "ff:fedcba9876543210";
  std::string id = slack_.AddChannel("inc-7-db", seed);
  json info = Call("conversations.info", {{"channel", id}})["channel"];
  EXPECT_EQ(info["creator"], "U0000OTHER");
  EXPECT_EQ(info["created"], 1700000000);
  EXPECT_EQ(info["purpose"], json({{"value", "ff:fedcba9876543210"},
                                   {"creator", "U0000OTHER"},
                                   {"last_set", 1700000000}}));
  EXPECT_EQ(info["topic"]["value"], "");

  json metadata = {{"event_type", "ff_incident"}, {"event_payload", {{"id", "fedcba9876543210"}}}};
  std::string ts = slack_.AddMessage(id, "from staging", metadata);
  EXPECT_FALSE(ts.empty());
  EXPECT_EQ(slack_.AddMessage("C404", "nowhere"), "");
  json history = Call("conversations.history", {{"channel", id}, {"include_all_metadata", true}});
  ASSERT_EQ(history["messages"].size(), 1u) << history;
  EXPECT_EQ(history["messages"][0]["ts"], ts);
  EXPECT_EQ(history["messages"][0]["text"], "from staging");
  EXPECT_EQ(history["messages"][0]["metadata"], metadata);
  // The one-argument AddChannel still makes the bot's own channel.
  EXPECT_EQ(slack_.ChannelById(slack_.AddChannel("mine"))->creator, FakeSlack::kBotUserId);
}

TEST_F(FakeSlackTest, RateLimitsAreOffByDefault) {
  for (int i = 0; i < 25; ++i) {
    ASSERT_EQ(Call("conversations.list", json::object())["ok"], true) << i;
  }
  std::string id = slack_.AddChannel("c");
  for (int i = 0; i < 3; ++i) {
    ASSERT_EQ(Call("chat.postMessage", {{"channel", id}, {"text", "x"}})["ok"], true) << i;
  }
  EXPECT_EQ(slack_.RateLimitedTotal(), 0);
}

// A window of 10 minutes: a burst cannot outlast it, however slow the machine.
TEST_F(FakeSlackTest, EnforcesTiersPerMethod) {
  slack_.EnforceRateLimits(absl::Minutes(10));
  for (int i = 0; i < 20; ++i) {
    ASSERT_EQ(Call("conversations.create", {{"name", absl::StrCat("c", i)}})["ok"], true) << i;
  }
  EXPECT_THAT(Limited("conversations.create", {{"name", "c20"}}), AllOf(Ge(1), Le(600)));
  EXPECT_FALSE(slack_.ChannelByName("c20").has_value());
  // Tier 2 for one method leaves the others alone; Tier 3 allows 50.
  EXPECT_EQ(Call("conversations.list", json::object())["ok"], true);
  std::string c0 = slack_.ChannelByName("c0")->id;
  for (int i = 0; i < 50; ++i) {
    ASSERT_EQ(Call("conversations.info", {{"channel", c0}})["ok"], true) << i;
  }
  EXPECT_THAT(Limited("conversations.info", {{"channel", c0}}), AllOf(Ge(1), Le(600)));

  EXPECT_EQ(slack_.CallCount("conversations.create"), 21);  // the 429 is recorded
  EXPECT_EQ(slack_.CallsOf("conversations.create").back().body, R"({"name":"c20"})");
  EXPECT_EQ(slack_.RateLimited("conversations.create"), 1);
  EXPECT_EQ(slack_.RateLimited("conversations.info"), 1);
  EXPECT_EQ(slack_.RateLimited("conversations.list"), 0);
  EXPECT_EQ(slack_.RateLimitedTotal(), 2);
}

TEST_F(FakeSlackTest, LimitsPostMessagePerChannel) {
  slack_.EnforceRateLimits(absl::Minutes(10));  // 1 post per 10 s per channel
  std::string a = slack_.AddChannel("a");
  std::string b = slack_.AddChannel("b");
  EXPECT_EQ(Call("chat.postMessage", {{"channel", a}, {"text", "1"}})["ok"], true);
  EXPECT_EQ(Call("chat.postMessage", {{"channel", b}, {"text", "1"}})["ok"], true);
  EXPECT_THAT(Limited("chat.postMessage", {{"channel", a}, {"text", "2"}}), AllOf(Ge(1), Le(10)));
  // The channel's name is the same channel.
  EXPECT_THAT(Limited("chat.postMessage", {{"channel", "#a"}, {"text", "2"}}),
              AllOf(Ge(1), Le(10)));
  EXPECT_EQ(slack_.ChannelById(a)->messages.size(), 1u);
  EXPECT_EQ(slack_.ChannelById(b)->messages.size(), 1u);
  EXPECT_EQ(slack_.RateLimited("chat.postMessage"), 2);
  EXPECT_EQ(slack_.CallCount("chat.postMessage"), 4);
}

TEST_F(FakeSlackTest, ChecksAuthBeforeTheLimit) {
  slack_.SetRateLimit("conversations.list", 1);
  std::string type = "application/json";
  for (int i = 0; i < 2; ++i) {
    HttpResponse anonymous = Send("conversations.list", "{}", type, "");
    EXPECT_EQ(anonymous.status, 200);
    EXPECT_EQ(json::parse(anonymous.body), Error("not_authed"));
  }
  EXPECT_EQ(Call("conversations.list", json::object())["ok"], true);  // the first counted call
  EXPECT_THAT(Limited("conversations.list", json::object()), AllOf(Ge(1), Le(60)));
  HttpResponse wrong = Send("conversations.list", "{}", type, "Bearer xoxb-wrong");
  EXPECT_EQ(wrong.status, 200);
  EXPECT_EQ(json::parse(wrong.body), Error("invalid_auth"));
  EXPECT_EQ(slack_.RateLimited("conversations.list"), 1);
}

TEST_F(FakeSlackTest, SetRateLimitOverridesOneMethod) {
  // Without the tiers: only the overridden method is limited.
  slack_.SetRateLimit("usergroups.list", 0);
  EXPECT_EQ(Limited("usergroups.list", json::object()), 60);  // nothing to wait for but the window
  slack_.SetRateLimit("usergroups.list", -1);
  EXPECT_EQ(Call("usergroups.list", json::object())["ok"], true);

  // With them: chat.postMessage limited across channels, create lifted.
  slack_.EnforceRateLimits(absl::Minutes(10));
  slack_.SetRateLimit("chat.postMessage", 2);
  slack_.SetRateLimit("conversations.create", -1);
  for (int i = 0; i < 3; ++i) {
    std::string id = slack_.AddChannel(absl::StrCat("p", i));
    if (i < 2) {
      EXPECT_EQ(Call("chat.postMessage", {{"channel", id}, {"text", "x"}})["ok"], true) << i;
    } else {
      EXPECT_THAT(Limited("chat.postMessage", {{"channel", id}, {"text", "x"}}),
                  AllOf(Ge(1), Le(600)));
    }
  }
  for (int i = 0; i < 25; ++i) {
    ASSERT_EQ(Call("conversations.create", {{"name", absl::StrCat("c", i)}})["ok"], true) << i;
  }
  EXPECT_EQ(slack_.RateLimitedTotal(), 2);
}

// A window of 60 ns (1 ns per channel for chat.postMessage) is over before the
// next call arrives: calls that left the window no longer count.
TEST_F(FakeSlackTest, CallsLeaveTheWindow) {
  slack_.EnforceRateLimits(absl::Nanoseconds(60));
  slack_.SetRateLimit("conversations.list", 1);
  std::string id = slack_.AddChannel("c");
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(Call("chat.postMessage", {{"channel", id}, {"text", "x"}})["ok"], true) << i;
    EXPECT_EQ(Call("conversations.list", json::object())["ok"], true) << i;
  }
  EXPECT_EQ(slack_.RateLimitedTotal(), 0);
}

}  // namespace
}  // namespace ff::testing
