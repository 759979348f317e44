#include "server/outbox/retry_policy.h"

#include <algorithm>

#include "clients/http/http_client.h"

namespace ff {

absl::Duration RetryPolicy::Backoff(int attempt, absl::BitGenRef random) const {
  absl::Duration delay = initial_backoff;
  for (int i = 1; i < attempt && delay < max_backoff; ++i) delay *= 2;
  delay = std::min(delay, max_backoff);
  double fraction = absl::Uniform(random, 0.5, 1.0);
  return delay * fraction;
}

std::optional<absl::Time> RetryPolicy::NextAttempt(const absl::Status& error, int attempt,
                                                   absl::Time now, absl::BitGenRef random) const {
  if (!IsRetryable(error) || attempt >= max_attempts) return std::nullopt;
  absl::Duration wait = Backoff(attempt, random);
  if (std::optional<absl::Duration> floor = RetryAfterOf(error)) wait = std::max(wait, *floor);
  return now + wait;
}

}  // namespace ff
