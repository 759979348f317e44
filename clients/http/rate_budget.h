// RateBudget: the calls one outside system allows, shared by every worker
// that calls it, so a burst of incidents is paced to the system's published
// limits instead of hammering it into HTTP 429s.
//
// A budget has buckets named by the caller: usually an API method
// ("conversations.create"), optionally narrowed to a scope the limit applies
// to ("chat.postMessage" per channel: bucket "chat.postMessage", scope the
// channel id). Each bucket's limit is `calls` per sliding `window`, the way
// the outside systems count (Slack's tiers: 20 per minute, …). Take() either
// takes a slot now or says how long until one frees; Pause() stops a bucket
// for everyone until a Retry-After has passed. A bucket without a limit is
// never paced (but can be paused). Buckets never hold each other up.
//
// A caller that must wait returns BudgetWait(...) from its delivery: the
// outbox then defers the delivery to that time without counting an attempt
// (waiting for budget is not a failure) and other deliveries go meanwhile.
//
// Thread-safe.
#ifndef FF_CLIENTS_HTTP_RATE_BUDGET_H_
#define FF_CLIENTS_HTTP_RATE_BUDGET_H_

#include <algorithm>
#include <cstdint>
#include <deque>
#include <map>
#include <string>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/clock.h"

namespace ff {

// BudgetCaller is who takes slots on this thread: a delivery, and its
// priority (lower goes first: the incident's severity). Set for the length of
// a delivery with ScopedBudgetCaller; without one a caller has no identity
// and the lowest priority.
struct BudgetCaller {
  int64_t id = 0;
  int priority = 1 << 30;
};

// ScopedBudgetCaller makes `caller` this thread's caller until it goes out
// of scope. Not copyable; one per thread at a time.
class ScopedBudgetCaller {
 public:
  explicit ScopedBudgetCaller(BudgetCaller caller);
  ~ScopedBudgetCaller();
  ScopedBudgetCaller(const ScopedBudgetCaller&) = delete;
  ScopedBudgetCaller& operator=(const ScopedBudgetCaller&) = delete;

 private:
  BudgetCaller previous_;
};

struct RateLimit {
  int calls = 0;  // per window; 0: unlimited
  absl::Duration window = absl::Minutes(1);
};

class RateBudget {
 public:
  // MarginFor is how much later than `window` says a slot leaves it: the
  // other side counts a call when it arrives, a little after we sent it.
  // A hundredth of the window, from 50 ms to 500 ms.
  static absl::Duration MarginFor(absl::Duration window) {
    return std::clamp(window / 100, absl::Milliseconds(50), absl::Milliseconds(500));
  }

  // `limits` by bucket name. REQUIRES: `clock` outlives the budget.
  RateBudget(const Clock* clock, std::map<std::string, RateLimit> limits);

  // Take takes a slot of `bucket` (narrowed to `scope`, when the limit is
  // per scope) and returns zero, or takes nothing and returns how long until
  // a slot frees or the bucket's pause ends. A caller told to wait is
  // remembered (until a little after its wait) with its priority: while it
  // waits, callers of lower priority get no slot before it has taken one, so
  // when a bucket is the bottleneck the most severe incidents go first.
  absl::Duration Take(const std::string& bucket, const std::string& scope = "");
  // Peek is how long Take would make a caller wait now, taking nothing: a
  // caller about to record that it starts a step checks first.
  absl::Duration Peek(const std::string& bucket, const std::string& scope = "");
  // Pause stops `bucket` (every scope of it when `scope` is empty) for
  // everyone until `until` — after a 429 with Retry-After.
  void Pause(const std::string& bucket, const std::string& scope, absl::Time until);
  // PauseFor is Pause until now + `delay`.
  void PauseFor(const std::string& bucket, const std::string& scope, absl::Duration delay) {
    Pause(bucket, scope, clock_->Now() + delay);
  }

  // The limit of `bucket` (calls 0 when it has none).
  RateLimit LimitOf(const std::string& bucket) const;

 private:
  struct Waiter {
    int priority;
    absl::Time expires;  // forgotten after: it went elsewhere
  };
  struct Window {
    std::deque<absl::Time> taken;  // oldest first
    absl::Time paused_until = absl::InfinitePast();
    std::map<int64_t, Waiter> waiting;  // by caller id
  };
  // SlotWait returns how long until `window` has a free slot under `limit`,
  // dropping the slots that left the window.
  static absl::Duration SlotWait(Window& window, const RateLimit& limit, absl::Time now);
  // Outranked is true when someone of better priority than `caller` waits
  // for `window` (expired waiters are dropped).
  static bool Outranked(Window& window, const BudgetCaller& caller, absl::Time now);
  // WaitLocked is Take's answer; `take` takes the slot when there is one.
  absl::Duration WaitLocked(const std::string& bucket, const std::string& scope, absl::Time now,
                            bool take) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Forget drops scopes that hold nothing, so per-channel buckets of closed
  // incidents do not accumulate.
  void Forget(absl::Time now) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const Clock* clock_;
  const std::map<std::string, RateLimit> limits_;
  absl::Mutex mu_;
  std::map<std::pair<std::string, std::string>, Window> windows_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, absl::Time> bucket_paused_until_ ABSL_GUARDED_BY(mu_);
  int takes_since_forget_ ABSL_GUARDED_BY(mu_) = 0;
};

// BudgetWait is the status of a call not made because its budget is spent:
// RESOURCE_EXHAUSTED naming `what`, with RetryAfterOf() = `wait`.
absl::Status BudgetWait(absl::string_view what, absl::Duration wait);
// IsBudgetWait is true for a BudgetWait status (nothing was sent).
bool IsBudgetWait(const absl::Status& status);

}  // namespace ff

#endif  // FF_CLIENTS_HTTP_RATE_BUDGET_H_
