// RetryPolicy: when a failed delivery is tried again, or given up.
//
// Exponential backoff with equal jitter: attempt n waits a uniformly random
// time in [d/2, d], d = min(max_backoff, initial_backoff * 2^(n-1)); a
// Retry-After the outside system sent is a floor. Permanent errors (see
// IsRetryable) and the max_attempts-th failure end the delivery as dead.
// Immutable; thread-safe given a per-thread random generator.
#ifndef FF_SERVER_OUTBOX_RETRY_POLICY_H_
#define FF_SERVER_OUTBOX_RETRY_POLICY_H_

#include <optional>

#include "absl/random/bit_gen_ref.h"
#include "absl/random/random.h"
#include "absl/status/status.h"
#include "absl/time/time.h"

namespace ff {

struct RetryPolicy {
  absl::Duration initial_backoff = absl::Seconds(1);
  absl::Duration max_backoff = absl::Minutes(5);
  int max_attempts = 12;

  // Backoff returns the jittered wait after failed attempt `attempt` (1-based).
  absl::Duration Backoff(int attempt, absl::BitGenRef random) const;
  // NextAttempt returns when to try again after failed attempt `attempt`
  // ended with `error`, or nullopt when the delivery is dead.
  std::optional<absl::Time> NextAttempt(const absl::Status& error, int attempt, absl::Time now,
                                        absl::BitGenRef random) const;
};

}  // namespace ff

#endif  // FF_SERVER_OUTBOX_RETRY_POLICY_H_
