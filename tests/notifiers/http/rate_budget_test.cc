#include "clients/http/rate_budget.h"

#include <string>

#include "clients/http/http_client.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/fake_clock.h"

namespace ff {
namespace {

using ::testing::Optional;

const absl::Duration kSpan = absl::Minutes(1) + RateBudget::MarginFor(absl::Minutes(1));

class RateBudgetTest : public ::testing::Test {
 protected:
  ::ff::testing::FakeClock clock_{absl::FromUnixSeconds(1767225600)};
  RateBudget budget_{&clock_,
                     {{"conversations.create", {20, absl::Minutes(1)}},
                      {"chat.postMessage", {1, absl::Seconds(1)}}}};
};

TEST_F(RateBudgetTest, SlidingWindowAllowsTheLimitThenSaysWhenTheOldestLeaves) {
  for (int i = 0; i < 20; ++i) {
    EXPECT_EQ(budget_.Take("conversations.create"), absl::ZeroDuration()) << i;
    clock_.Advance(absl::Seconds(1));
  }
  // 20 taken at t = 0..19 s: the 21st waits for the first to leave the window.
  EXPECT_EQ(budget_.Take("conversations.create"), kSpan - absl::Seconds(20));
  clock_.Advance(kSpan - absl::Seconds(20));
  EXPECT_EQ(budget_.Take("conversations.create"), absl::ZeroDuration());
  // The next slot is the second call's, one second later.
  EXPECT_EQ(budget_.Take("conversations.create"), absl::Seconds(1));
}

TEST_F(RateBudgetTest, ScopesAndBucketsAreIndependent) {
  EXPECT_EQ(budget_.Take("chat.postMessage", "C1"), absl::ZeroDuration());
  EXPECT_GT(budget_.Take("chat.postMessage", "C1"), absl::ZeroDuration());
  EXPECT_EQ(budget_.Take("chat.postMessage", "C2"), absl::ZeroDuration());
  for (int i = 0; i < 20; ++i) budget_.Take("conversations.create");
  EXPECT_GT(budget_.Take("conversations.create"), absl::ZeroDuration());
  EXPECT_EQ(budget_.Take("chat.postMessage", "C3"), absl::ZeroDuration());
  // A bucket without a limit is never paced.
  for (int i = 0; i < 1000; ++i)
    EXPECT_EQ(budget_.Take("users.lookupByEmail"), absl::ZeroDuration());
}

TEST_F(RateBudgetTest, PauseStopsEveryCallerOfTheBucketOnly) {
  budget_.Pause("conversations.create", "", clock_.Now() + absl::Seconds(30));
  EXPECT_EQ(budget_.Take("conversations.create"), absl::Seconds(30));
  EXPECT_EQ(budget_.Take("users.lookupByEmail"), absl::ZeroDuration());
  budget_.Pause("chat.postMessage", "C1", clock_.Now() + absl::Seconds(5));
  EXPECT_EQ(budget_.Take("chat.postMessage", "C1"), absl::Seconds(5));
  EXPECT_EQ(budget_.Take("chat.postMessage", "C2"), absl::ZeroDuration());
  clock_.Advance(absl::Seconds(30));
  EXPECT_EQ(budget_.Take("conversations.create"), absl::ZeroDuration());
  // A shorter pause never shortens a longer one.
  budget_.Pause("conversations.create", "", clock_.Now() + absl::Seconds(10));
  budget_.Pause("conversations.create", "", clock_.Now() + absl::Seconds(2));
  EXPECT_EQ(budget_.Take("conversations.create"), absl::Seconds(10));
}

TEST_F(RateBudgetTest, ManyScopesAreForgottenOnceEmpty) {
  // Thousands of channels over time: the budget must not keep them all.
  for (int i = 0; i < 5000; ++i) {
    EXPECT_EQ(budget_.Take("chat.postMessage", "C" + std::to_string(i)), absl::ZeroDuration());
    clock_.Advance(absl::Milliseconds(10));
  }
  // Each channel still has its own second.
  EXPECT_GT(budget_.Take("chat.postMessage", "C4999"), absl::ZeroDuration());
}

TEST_F(RateBudgetTest, WhileAMoreSevereCallerWaitsTheFreeSlotIsKeptForIt) {
  for (int i = 0; i < 20; ++i) budget_.Take("conversations.create");
  absl::Duration wait;
  {
    ScopedBudgetCaller sev1({/*id=*/7, /*priority=*/1});
    wait = budget_.Take("conversations.create");
    EXPECT_GT(wait, absl::ZeroDuration());
  }
  clock_.Advance(wait);
  {
    // A SEV5 delivery comes first to the free slot: it waits for the SEV1.
    ScopedBudgetCaller sev5({/*id=*/8, /*priority=*/5});
    EXPECT_GT(budget_.Take("conversations.create"), absl::ZeroDuration());
  }
  {
    ScopedBudgetCaller sev1({7, 1});
    EXPECT_EQ(budget_.Take("conversations.create"), absl::ZeroDuration());
  }
  // Once the SEV1 is served the next free slot is anyone's.
  clock_.Advance(absl::Seconds(1));
  ScopedBudgetCaller sev5({8, 5});
  EXPECT_EQ(budget_.Take("conversations.create"), absl::ZeroDuration());
}

TEST_F(RateBudgetTest, AWaiterThatNeverComesBackIsForgotten) {
  for (int i = 0; i < 20; ++i) budget_.Take("conversations.create");
  absl::Duration wait;
  {
    ScopedBudgetCaller sev1({7, 1});
    wait = budget_.Take("conversations.create");
  }
  // The SEV1 delivery went elsewhere (it died, another replica took it).
  clock_.Advance(wait + absl::Seconds(11));
  ScopedBudgetCaller sev5({8, 5});
  EXPECT_EQ(budget_.Take("conversations.create"), absl::ZeroDuration());
}

TEST(BudgetWaitTest, CarriesTheWaitAndIsToldApartFromA429) {
  absl::Status wait = BudgetWait("slack conversations.create", absl::Seconds(7));
  EXPECT_EQ(wait.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(wait.message(), "waiting for the slack conversations.create rate budget");
  EXPECT_THAT(RetryAfterOf(wait), Optional(absl::Seconds(7)));
  EXPECT_TRUE(IsBudgetWait(wait));
  EXPECT_FALSE(IsBudgetWait(WithRetryAfter(absl::ResourceExhaustedError("429"), absl::Seconds(7))));
  EXPECT_FALSE(MayHaveTakenEffect(wait));
}

}  // namespace
}  // namespace ff
