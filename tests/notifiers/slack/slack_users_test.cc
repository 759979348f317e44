// SlackUserDirectory against the FakeSlack: how often it asks Slack, what
// it keeps and for how long, and that it spends the client's budget.
#include "clients/slack/slack_users.h"

#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "clients/http/curl_http_client.h"
#include "clients/http/rate_budget.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/fake_clock.h"
#include "tests/testing/fake_slack.h"
#include "tests/testing/status_matchers.h"

namespace ff {
namespace {

using ::ff::testing::FakeClock;
using ::ff::testing::FakeSlack;
using ::ff::testing::IsOk;
using ::ff::testing::StatusIs;

using Answer = absl::StatusOr<std::optional<std::string>>;

class SlackUsersTest : public ::testing::Test {
 protected:
  SlackUsersTest() { slack_.AddUser("U0000ALICE", "alice@example.com", "Alice Liddell"); }

  std::unique_ptr<CurlHttpClient> http_ = CurlHttpClient::Create();
  FakeSlack slack_;
  FakeClock clock_;
  SlackClient client_{http_.get(), slack_.api_url(), slack_.token(), absl::Seconds(5)};
};

TEST_F(SlackUsersTest, FoundIdsAreKeptForAnHour) {
  SlackUserDirectory users(&client_, &clock_);
  EXPECT_EQ(users.IdForEmail("alice@example.com"), Answer(std::string("U0000ALICE")));
  EXPECT_EQ(users.IdForEmail("Alice@Example.com "), Answer(std::string("U0000ALICE")));
  EXPECT_EQ(slack_.CallCount("users.lookupByEmail"), 1);
  clock_.Advance(absl::Minutes(59));
  EXPECT_EQ(users.IdForEmail("alice@example.com"), Answer(std::string("U0000ALICE")));
  EXPECT_EQ(slack_.CallCount("users.lookupByEmail"), 1);
  clock_.Advance(absl::Minutes(1));
  EXPECT_EQ(users.IdForEmail("alice@example.com"), Answer(std::string("U0000ALICE")));
  EXPECT_EQ(slack_.CallCount("users.lookupByEmail"), 2);
}

TEST_F(SlackUsersTest, UnknownEmailsAreKeptForLessTime) {
  SlackUserDirectory users(&client_, &clock_);
  EXPECT_EQ(users.IdForEmail("carol@example.com"), Answer(std::nullopt));
  clock_.Advance(absl::Minutes(4));
  EXPECT_EQ(users.IdForEmail("carol@example.com"), Answer(std::nullopt));
  EXPECT_EQ(slack_.CallCount("users.lookupByEmail"), 1);
  // Carol joins the workspace: seen once the negative answer expires.
  slack_.AddUser("U000CAROL", "carol@example.com");
  clock_.Advance(absl::Minutes(1));
  EXPECT_EQ(users.IdForEmail("carol@example.com"), Answer(std::string("U000CAROL")));
  EXPECT_EQ(slack_.CallCount("users.lookupByEmail"), 2);
}

TEST_F(SlackUsersTest, ErrorsAreNotKept) {
  SlackUserDirectory users(&client_, &clock_);
  slack_.Deny("users.lookupByEmail");
  EXPECT_THAT(
      users.IdForEmail("alice@example.com"),
      StatusIs(absl::StatusCode::kPermissionDenied, "slack users.lookupByEmail: missing_scope"));
  slack_.Allow("users.lookupByEmail");
  EXPECT_EQ(users.IdForEmail("alice@example.com"), Answer(std::string("U0000ALICE")));
  EXPECT_EQ(slack_.CallCount("users.lookupByEmail"), 2);
}

TEST_F(SlackUsersTest, ForgetAsksAgain) {
  SlackUserDirectory users(&client_, &clock_);
  ASSERT_THAT(users.IdForEmail("alice@example.com"), IsOk());
  users.Forget("ALICE@example.com");
  ASSERT_THAT(users.IdForEmail("alice@example.com"), IsOk());
  EXPECT_EQ(slack_.CallCount("users.lookupByEmail"), 2);
}

TEST_F(SlackUsersTest, KeepsAtMostMaxEntriesDroppingTheSoonestToExpire) {
  SlackUserDirectory::Options options;
  options.max_entries = 2;
  SlackUserDirectory users(&client_, &clock_, options);
  ASSERT_THAT(users.IdForEmail("alice@example.com"), IsOk());  // expires in 1 h
  ASSERT_THAT(users.IdForEmail("x@example.com"), IsOk());      // unknown: 5 min
  ASSERT_THAT(users.IdForEmail("y@example.com"), IsOk());      // drops x
  ASSERT_THAT(users.IdForEmail("alice@example.com"), IsOk());
  ASSERT_THAT(users.IdForEmail("y@example.com"), IsOk());
  EXPECT_EQ(slack_.CallCount("users.lookupByEmail"), 3);
  ASSERT_THAT(users.IdForEmail("x@example.com"), IsOk());
  EXPECT_EQ(slack_.CallCount("users.lookupByEmail"), 4);
}

// Look-ups spend users.lookupByEmail's Tier 3 budget; cached answers spend
// nothing, and a spent budget is the caller's to handle.
TEST_F(SlackUsersTest, SpendsTheClientsBudget) {
  RateBudget budget(&clock_, SlackRateLimits());
  SlackClient budgeted(http_.get(), slack_.api_url(), slack_.token(), absl::Seconds(5), &budget);
  SlackUserDirectory users(&budgeted, &clock_);
  for (int i = 0; i < 50; ++i) {
    ASSERT_THAT(users.IdForEmail(absl::StrCat("user", i, "@example.com")), IsOk()) << i;
  }
  Answer spent = users.IdForEmail("alice@example.com");
  EXPECT_TRUE(IsBudgetWait(spent.status())) << spent.status();
  EXPECT_EQ(users.IdForEmail("user7@example.com"), Answer(std::nullopt));  // cached
  EXPECT_EQ(slack_.CallCount("users.lookupByEmail"), 50);
}

TEST_F(SlackUsersTest, ManyThreadsShareOneDirectory) {
  SlackUserDirectory users(&client_, &clock_);
  std::vector<std::thread> threads;
  std::vector<Answer> answers(8, Answer(std::nullopt));
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] { answers[t] = users.IdForEmail("alice@example.com"); });
  }
  for (std::thread& thread : threads) thread.join();
  for (const Answer& answer : answers) EXPECT_EQ(answer, Answer(std::string("U0000ALICE")));
  EXPECT_GE(slack_.CallCount("users.lookupByEmail"), 1);
  EXPECT_LE(slack_.CallCount("users.lookupByEmail"), 8);
  EXPECT_EQ(users.IdForEmail("alice@example.com"), Answer(std::string("U0000ALICE")));
}

}  // namespace
}  // namespace ff
