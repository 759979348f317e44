#include "server/outbox/retry_policy.h"

#include "clients/http/http_client.h"
#include "gtest/gtest.h"

namespace ff {
namespace {

const absl::Time kNow = absl::FromUnixSeconds(1767225600);

TEST(RetryPolicy, BackoffDoublesWithinJitterUpToTheCap) {
  RetryPolicy policy{absl::Seconds(1), absl::Seconds(10), 12};
  absl::BitGen random;
  for (int attempt = 1; attempt <= 8; ++attempt) {
    absl::Duration cap = std::min(absl::Seconds(1 << (attempt - 1)), absl::Seconds(10));
    for (int i = 0; i < 50; ++i) {
      absl::Duration wait = policy.Backoff(attempt, random);
      EXPECT_GE(wait, cap / 2) << "attempt " << attempt;
      EXPECT_LE(wait, cap) << "attempt " << attempt;
    }
  }
}

TEST(RetryPolicy, RetryAfterIsAFloor) {
  RetryPolicy policy{absl::Milliseconds(10), absl::Seconds(1), 12};
  absl::BitGen random;
  absl::Status limited = WithRetryAfter(absl::ResourceExhaustedError("429"), absl::Seconds(30));
  std::optional<absl::Time> next = policy.NextAttempt(limited, 1, kNow, random);
  ASSERT_TRUE(next.has_value());
  EXPECT_EQ(*next, kNow + absl::Seconds(30));
}

TEST(RetryPolicy, PermanentErrorsAndTheLastAttemptAreDead) {
  RetryPolicy policy{absl::Seconds(1), absl::Seconds(10), 3};
  absl::BitGen random;
  EXPECT_FALSE(policy.NextAttempt(absl::UnauthenticatedError("bad token"), 1, kNow, random));
  EXPECT_FALSE(policy.NextAttempt(absl::InvalidArgumentError("400"), 1, kNow, random));
  EXPECT_TRUE(policy.NextAttempt(absl::UnavailableError("503"), 2, kNow, random));
  EXPECT_FALSE(policy.NextAttempt(absl::UnavailableError("503"), 3, kNow, random));
  EXPECT_TRUE(policy.NextAttempt(absl::DeadlineExceededError("slow"), 1, kNow, random));
}

}  // namespace
}  // namespace ff
