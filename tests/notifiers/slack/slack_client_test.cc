// SlackClient's calls for the incident room against the validating FakeSlack:
// what each sends, what Slack's refusals become, and the budget buckets.
#include "clients/slack/slack_client.h"

#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "clients/http/curl_http_client.h"
#include "clients/http/rate_budget.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/testing/fake_clock.h"
#include "tests/testing/fake_slack.h"
#include "tests/testing/status_matchers.h"

namespace ff {
namespace {

using json = nlohmann::json;
using ::ff::testing::FakeClock;
using ::ff::testing::FakeSlack;
using ::ff::testing::IsOk;
using ::ff::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

json Section(const std::string& text) {
  return {{"type", "section"}, {"text", {{"type", "mrkdwn"}, {"text", text}}}};
}

class SlackClientTest : public ::testing::Test {
 protected:
  SlackClient Client(RateBudget* budget = nullptr) {
    return SlackClient(http_.get(), slack_.api_url(), slack_.token(), absl::Seconds(5), budget);
  }

  FakeSlack slack_;
  std::unique_ptr<CurlHttpClient> http_ = CurlHttpClient::Create();
  SlackMarker marker_{"incident-12/summary", "fedcba9876543210"};
};

TEST_F(SlackClientTest, PostsBlocksThenEditsThemInPlace) {
  SlackClient slack = Client();
  std::string channel = slack_.AddChannel("inc-12-checkout");
  absl::StatusOr<std::string> ts =
      slack.PostMessage(channel, "#12 OPEN", json::array({Section("*OPEN*")}), marker_);
  ASSERT_THAT(ts, IsOk());
  EXPECT_THAT(slack.UpdateMessage(channel, *ts, "#12 FIXED", json::array({Section("*FIXED*")})),
              IsOk());
  std::optional<FakeSlack::Message> message = slack_.MessageAt(channel, *ts);
  ASSERT_TRUE(message.has_value());
  EXPECT_EQ(message->text, "#12 FIXED");
  EXPECT_EQ(message->blocks, json::array({Section("*FIXED*")}));
  EXPECT_EQ(message->edits, 1);
  EXPECT_EQ(message->metadata["event_payload"]["key"], "incident-12/summary");
  // The text-only post still works, and carries no blocks.
  absl::StatusOr<std::string> plain = slack.PostMessage(channel, "note", marker_);
  ASSERT_THAT(plain, IsOk());
  EXPECT_TRUE(slack_.MessageAt(channel, *plain)->blocks.is_null());
}

TEST_F(SlackClientTest, EditRefusalsHaveTheirCodes) {
  SlackClient slack = Client();
  slack_.AddUser("U0000ALICE", "alice@example.com");
  std::string channel = slack_.AddChannel("inc-12-checkout");
  std::string theirs = slack_.AddMessageBy(channel, "U0000ALICE", "hello");
  EXPECT_THAT(
      slack.UpdateMessage(channel, theirs, "x", nullptr),
      StatusIs(absl::StatusCode::kPermissionDenied, "slack chat.update: cant_update_message"));
  EXPECT_THAT(slack.UpdateMessage(channel, "1767225600.999999", "x", nullptr),
              StatusIs(absl::StatusCode::kNotFound, "slack chat.update: message_not_found"));
  EXPECT_THAT(
      slack.PostMessage(channel, "x", json::array({Section(std::string(3001, 'a'))}), marker_),
      StatusIs(absl::StatusCode::kInvalidArgument,
               "slack chat.postMessage: invalid_blocks ([ERROR] must be less than 3001 characters "
               "[json-pointer:/blocks/0/text/text])"));
}

TEST_F(SlackClientTest, PinsOnceAndListsPins) {
  SlackClient slack = Client();
  std::string channel = slack_.AddChannel("inc-12-checkout");
  std::string ts = slack_.AddMessage(channel, "summary");
  EXPECT_THAT(slack.Pin(channel, ts), IsOk());
  EXPECT_THAT(slack.Pin(channel, ts), IsOk());  // already pinned is what we wanted
  EXPECT_EQ(slack_.CallCount("pins.add"), 2);
  absl::StatusOr<std::vector<std::string>> pinned = slack.PinnedMessages(channel);
  ASSERT_THAT(pinned, IsOk());
  EXPECT_THAT(*pinned, ElementsAre(ts));
  EXPECT_THAT(slack.Pin(channel, "1767225600.999999"),
              StatusIs(absl::StatusCode::kNotFound, "slack pins.add: message_not_found"));
}

TEST_F(SlackClientTest, AddsAndListsBookmarks) {
  SlackClient slack = Client();
  std::string channel = slack_.AddChannel("inc-12-checkout");
  absl::StatusOr<SlackBookmark> call =
      slack.AddBookmark(channel, "Call", "https://zoom.example/j/1");
  ASSERT_THAT(call, IsOk());
  EXPECT_FALSE(call->id.empty());
  EXPECT_EQ(call->title, "Call");
  absl::StatusOr<std::vector<SlackBookmark>> listed = slack.Bookmarks(channel);
  ASSERT_THAT(listed, IsOk());
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0].id, call->id);
  EXPECT_EQ((*listed)[0].link, "https://zoom.example/j/1");
  EXPECT_THAT(slack.AddBookmark(channel, "Doc", "docs.example/pm"),
              StatusIs(absl::StatusCode::kInvalidArgument, "slack bookmarks.add: invalid_link"));
  for (int i = 1; i < 100; ++i)
    ASSERT_THAT(slack.AddBookmark(channel, "b", "https://x.example"), IsOk());
  EXPECT_THAT(
      slack.AddBookmark(channel, "b", "https://x.example"),
      StatusIs(absl::StatusCode::kFailedPrecondition, "slack bookmarks.add: too_many_bookmarks"));
}

TEST_F(SlackClientTest, EphemeralsWithBlocksReachMembers) {
  SlackClient slack = Client();
  slack_.AddUser("U0000ALICE", "alice@example.com");
  slack_.AddUser("U00000BOB", "bob@example.com");
  std::string channel = slack_.AddChannel("inc-12-checkout");
  slack_.AddMember(channel, "U0000ALICE");
  EXPECT_THAT(slack.PostEphemeral(channel, "U0000ALICE", "Refused", json::array({Section("No")})),
              IsOk());
  EXPECT_THAT(slack.PostEphemeral(channel, "U0000ALICE", "plain"), IsOk());
  ASSERT_EQ(slack_.EphemeralsFor("U0000ALICE").size(), 2u);
  EXPECT_EQ(slack_.EphemeralsFor("U0000ALICE")[0].blocks, json::array({Section("No")}));
  EXPECT_THAT(slack.PostEphemeral(channel, "U00000BOB", "x"),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       "slack chat.postEphemeral: user_not_in_channel"));
}

TEST_F(SlackClientTest, OpensUpdatesAndPublishesViews) {
  SlackClient slack = Client();
  slack_.AddUser("U0000ALICE", "alice@example.com");
  json modal = {{"type", "modal"},
                {"callback_id", "ff_update_incident"},
                {"title", {{"type", "plain_text"}, {"text", "Update #12"}}},
                {"blocks", json::array({Section("OPEN")})}};
  ASSERT_THAT(slack.OpenView(slack_.IssueTrigger(), modal), IsOk());
  std::string id = slack_.OpenedViews().back()["id"];
  std::string hash = slack_.OpenedViews().back()["hash"];
  modal["blocks"] = json::array({Section("FIXED")});
  EXPECT_THAT(slack.UpdateView(id, modal, hash), IsOk());
  EXPECT_EQ(slack_.OpenedViews().back()["blocks"], modal["blocks"]);
  EXPECT_THAT(slack.UpdateView(id, modal, hash),
              StatusIs(absl::StatusCode::kAborted, "slack views.update: hash_conflict"));
  EXPECT_THAT(slack.UpdateView("V404", modal),
              StatusIs(absl::StatusCode::kNotFound, "slack views.update: not_found"));
  json home = {{"type", "home"}, {"blocks", json::array({Section("Your incidents")})}};
  EXPECT_THAT(slack.PublishView("U0000ALICE", home), IsOk());
  EXPECT_EQ((*slack_.HomeView("U0000ALICE"))["blocks"], home["blocks"]);
  EXPECT_THAT(slack.PublishView("U0000ALICE", modal),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("slack views.publish: invalid_arguments ([ERROR] must be home")));
}

TEST_F(SlackClientTest, RoomMethodsHaveTheirPublishedTiers) {
  std::map<std::string, RateLimit> limits = SlackRateLimits();
  for (const auto& [method, calls] :
       std::vector<std::pair<std::string, int>>{{"pins.add", 20},
                                                {"pins.list", 20},
                                                {"bookmarks.add", 20},
                                                {"chat.update", 50},
                                                {"bookmarks.list", 50},
                                                {"users.lookupByEmail", 50},
                                                {"chat.postEphemeral", 100},
                                                {"views.open", 100},
                                                {"views.update", 100},
                                                {"views.publish", 100}}) {
    ASSERT_EQ(limits.count(method), 1u) << method;
    EXPECT_EQ(limits[method].calls, calls) << method;
    EXPECT_EQ(limits[method].window, absl::Minutes(1)) << method;
  }
}

// The budget spends chat.update's Tier 3 before Slack would say 429: the
// 51st edit in a minute is not sent, and says how long to wait.
TEST_F(SlackClientTest, EditsWaitForTheirBudgetInsteadOfA429) {
  FakeClock clock;
  RateBudget budget(&clock, SlackRateLimits());
  SlackClient slack = Client(&budget);
  slack_.EnforceRateLimits();
  std::string channel = slack_.AddChannel("inc-12-checkout");
  std::string ts = slack_.AddMessage(channel, "summary");
  for (int i = 0; i < 50; ++i) {
    ASSERT_THAT(slack.UpdateMessage(channel, ts, absl::StrCat("edit ", i), nullptr), IsOk()) << i;
  }
  absl::Status waited = slack.UpdateMessage(channel, ts, "edit 50", nullptr);
  EXPECT_TRUE(IsBudgetWait(waited)) << waited;
  EXPECT_EQ(RetryAfterOf(waited), absl::Minutes(1) + RateBudget::MarginFor(absl::Minutes(1)));
  EXPECT_EQ(slack_.CallCount("chat.update"), 50);
  EXPECT_EQ(slack_.RateLimitedTotal(), 0);
  EXPECT_THAT(slack.Pin(channel, ts), IsOk());  // other buckets are not held up
}

}  // namespace
}  // namespace ff
