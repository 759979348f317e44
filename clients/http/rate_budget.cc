#include "clients/http/rate_budget.h"

#include <algorithm>

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"
#include "clients/http/http_client.h"

namespace ff {
namespace {

constexpr char kBudgetPayload[] = "type.firefighter/budget-wait";
constexpr int kForgetEvery = 1000;
// A caller outranked for a free slot looks again after this.
constexpr absl::Duration kOutrankedRetry = absl::Milliseconds(200);
// A waiter that has not come back this long after its wait is forgotten.
constexpr absl::Duration kWaiterGrace = absl::Seconds(10);

thread_local BudgetCaller tls_caller;

}  // namespace

ScopedBudgetCaller::ScopedBudgetCaller(BudgetCaller caller) : previous_(tls_caller) {
  tls_caller = caller;
}

ScopedBudgetCaller::~ScopedBudgetCaller() { tls_caller = previous_; }

RateBudget::RateBudget(const Clock* clock, std::map<std::string, RateLimit> limits)
    : clock_(clock), limits_(std::move(limits)) {}

RateLimit RateBudget::LimitOf(const std::string& bucket) const {
  auto it = limits_.find(bucket);
  return it == limits_.end() ? RateLimit{} : it->second;
}

absl::Duration RateBudget::Take(const std::string& bucket, const std::string& scope) {
  const absl::Time now = clock_->Now();
  absl::MutexLock lock(&mu_);
  if (++takes_since_forget_ >= kForgetEvery) Forget(now);
  return WaitLocked(bucket, scope, now, /*take=*/true);
}

absl::Duration RateBudget::Peek(const std::string& bucket, const std::string& scope) {
  const absl::Time now = clock_->Now();
  absl::MutexLock lock(&mu_);
  return WaitLocked(bucket, scope, now, /*take=*/false);
}

absl::Duration RateBudget::SlotWait(Window& window, const RateLimit& limit, absl::Time now) {
  if (limit.calls <= 0) return absl::ZeroDuration();
  const absl::Duration span = limit.window + MarginFor(limit.window);
  while (!window.taken.empty() && window.taken.front() + span <= now) window.taken.pop_front();
  if (static_cast<int>(window.taken.size()) < limit.calls) return absl::ZeroDuration();
  return window.taken.front() + span - now;
}

bool RateBudget::Outranked(Window& window, const BudgetCaller& caller, absl::Time now) {
  bool outranked = false;
  for (auto it = window.waiting.begin(); it != window.waiting.end();) {
    if (it->second.expires <= now) {
      it = window.waiting.erase(it);
      continue;
    }
    if (it->first != caller.id && it->second.priority < caller.priority) outranked = true;
    ++it;
  }
  return outranked;
}

absl::Duration RateBudget::WaitLocked(const std::string& bucket, const std::string& scope,
                                      absl::Time now, bool take) {
  const RateLimit limit = LimitOf(bucket);
  const BudgetCaller& caller = tls_caller;
  absl::Time paused_until = absl::InfinitePast();
  if (auto it = bucket_paused_until_.find(bucket); it != bucket_paused_until_.end()) {
    paused_until = it->second;
  }
  Window& window = windows_[{bucket, scope}];
  paused_until = std::max(paused_until, window.paused_until);
  absl::Duration wait = paused_until > now ? paused_until - now : SlotWait(window, limit, now);
  // A free slot goes to a better-placed waiter first; try again shortly.
  if (wait == absl::ZeroDuration() && limit.calls > 0 && Outranked(window, caller, now)) {
    wait = kOutrankedRetry;
  }
  if (wait > absl::ZeroDuration()) {
    if (caller.id != 0) {
      window.waiting[caller.id] = {caller.priority, now + wait + kWaiterGrace};
    }
    return wait;
  }
  if (take) {
    if (limit.calls > 0) window.taken.push_back(now);
    window.waiting.erase(caller.id);
  }
  return absl::ZeroDuration();
}

void RateBudget::Pause(const std::string& bucket, const std::string& scope, absl::Time until) {
  absl::MutexLock lock(&mu_);
  absl::Time& paused =
      scope.empty() ? bucket_paused_until_[bucket] : windows_[{bucket, scope}].paused_until;
  paused = std::max(paused, until);
}

void RateBudget::Forget(absl::Time now) {
  takes_since_forget_ = 0;
  for (auto it = windows_.begin(); it != windows_.end();) {
    Window& window = it->second;
    SlotWait(window, LimitOf(it->first.first), now);  // drops slots that left the window
    const bool idle = window.taken.empty() && window.paused_until <= now &&
                      !Outranked(window, BudgetCaller{}, now) && window.waiting.empty();
    it = idle ? windows_.erase(it) : std::next(it);
  }
}

absl::Status BudgetWait(absl::string_view what, absl::Duration wait) {
  absl::Status status = WithRetryAfter(
      absl::ResourceExhaustedError(absl::StrCat("waiting for the ", what, " rate budget")), wait);
  status.SetPayload(kBudgetPayload, absl::Cord("1"));
  return status;
}

bool IsBudgetWait(const absl::Status& status) {
  return status.GetPayload(kBudgetPayload).has_value();
}

}  // namespace ff
