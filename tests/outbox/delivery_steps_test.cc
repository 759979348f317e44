#include "server/notifiers/delivery_steps.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/status_matchers.h"

namespace ff {
namespace {

using json = nlohmann::json;
using ::ff::testing::StatusIs;

// Attempts shares one delivery's stored progress between attempts, as the
// outbox does, and counts the recordings.
struct Attempts {
  json stored = json::object();
  int recorded = 0;
  Delivery Next() {
    Delivery delivery;
    delivery.progress = stored;
    delivery.record_progress = [this](const json& progress) {
      stored = progress;
      ++recorded;
      return absl::OkStatus();
    };
    return delivery;
  }
};

TEST(DeliveryStepsTest, RetryResumesAtTheStepThatFailed) {
  Attempts attempts;
  std::vector<std::string> calls;
  auto step = [&](const std::string& name, absl::Status outcome) {
    return [&calls, name, outcome](bool) -> absl::StatusOr<json> {
      calls.push_back(name);
      if (!outcome.ok()) return outcome;
      return json(name + "-result");
    };
  };
  {
    Delivery first = attempts.Next();
    DeliverySteps steps(first);
    ASSERT_TRUE(steps.Run("create", step("create", absl::OkStatus())).ok());
    EXPECT_THAT(steps.Run("topic", step("topic", absl::ResourceExhaustedError("429"))).status(),
                StatusIs(absl::StatusCode::kResourceExhausted));
  }
  Delivery second = attempts.Next();
  DeliverySteps steps(second);
  absl::StatusOr<json> created = steps.Run("create", step("create", absl::OkStatus()));
  ASSERT_TRUE(created.ok());
  EXPECT_EQ(*created, json("create-result"));
  ASSERT_TRUE(steps.Run("topic", step("topic", absl::OkStatus())).ok());
  EXPECT_THAT(calls, ::testing::ElementsAre("create", "topic", "topic"));
}

TEST(DeliveryStepsTest, LostOutcomeIsInDoubtOnTheNextAttemptOnly) {
  Attempts attempts;
  std::vector<bool> doubts;
  auto post = [&](absl::Status outcome) {
    return [&doubts, outcome](bool in_doubt) -> absl::StatusOr<json> {
      doubts.push_back(in_doubt);
      if (!outcome.ok()) return outcome;
      return json("ts");
    };
  };
  {
    Delivery first = attempts.Next();
    DeliverySteps steps(first);
    EXPECT_THAT(steps.Run("post", post(absl::DeadlineExceededError("timeout"))).status(),
                StatusIs(absl::StatusCode::kDeadlineExceeded));
  }
  {
    Delivery second = attempts.Next();
    DeliverySteps steps(second);
    EXPECT_THAT(steps.Run("post", post(absl::InvalidArgumentError("refused"))).status(),
                StatusIs(absl::StatusCode::kInvalidArgument));
  }
  Delivery third = attempts.Next();
  DeliverySteps steps(third);
  ASSERT_TRUE(steps.Run("post", post(absl::OkStatus())).ok());
  // First: a fresh call; second: after a lost answer; third: after a refusal.
  EXPECT_THAT(doubts, ::testing::ElementsAre(false, true, false));
  EXPECT_NE(steps.Done("post"), nullptr);
}

TEST(DeliveryStepsTest, CrashDuringTheCallLeavesTheStepInDoubt) {
  Attempts attempts;
  json at_crash;
  {
    Delivery first = attempts.Next();
    DeliverySteps steps(first);
    ASSERT_TRUE(steps
                    .Run("create",
                         [&](bool) -> absl::StatusOr<json> {
                           at_crash = attempts.stored;  // the process dies here
                           return json("C1");
                         })
                    .ok());
  }
  attempts.stored = at_crash;  // what survived the kill -9
  EXPECT_EQ(attempts.stored.value("started", ""), "create");
  Delivery second = attempts.Next();
  DeliverySteps steps(second);
  bool doubted = false;
  ASSERT_TRUE(steps
                  .Run("create",
                       [&](bool in_doubt) -> absl::StatusOr<json> {
                         doubted = in_doubt;
                         return json("C1");
                       })
                  .ok());
  EXPECT_TRUE(doubted);
}

TEST(DeliveryStepsTest, UnguardedStepRecordsOnlyItsResult) {
  Attempts attempts;
  Delivery delivery = attempts.Next();
  DeliverySteps steps(delivery);
  ASSERT_TRUE(steps
                  .Run(
                      "topic", [](bool) -> absl::StatusOr<json> { return json(true); },
                      /*guarded=*/false)
                  .ok());
  EXPECT_EQ(attempts.recorded, 1);
  EXPECT_EQ(attempts.stored["done"]["topic"], json(true));
}

TEST(DeliveryStepsTest, FailingToRecordProgressFailsTheStep) {
  Delivery delivery;
  delivery.record_progress = [](const json&) { return absl::UnavailableError("database busy"); };
  DeliverySteps steps(delivery);
  bool called = false;
  absl::StatusOr<json> result = steps.Run("post", [&](bool) -> absl::StatusOr<json> {
    called = true;
    return json("ts");
  });
  EXPECT_THAT(result.status(), StatusIs(absl::StatusCode::kUnavailable));
  EXPECT_FALSE(called);  // never post what could not be marked as started
}

}  // namespace
}  // namespace ff
