#include "clients/http/rate_budget.h"

#include <algorithm>

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"
#include "clients/http/http_client.h"

namespace ff {
namespace {

constexpr char kBudgetPayload[] = "type.firefighter/budget-wait";
constexpr int kForgetEvery = 1000;

}  // namespace

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

absl::Duration RateBudget::WaitLocked(const std::string& bucket, const std::string& scope,
                                      absl::Time now, bool take) {
  const RateLimit limit = LimitOf(bucket);
  absl::Time paused_until = absl::InfinitePast();
  if (auto it = bucket_paused_until_.find(bucket); it != bucket_paused_until_.end()) {
    paused_until = it->second;
  }
  Window& window = windows_[{bucket, scope}];
  paused_until = std::max(paused_until, window.paused_until);
  if (paused_until > now) return paused_until - now;
  if (limit.calls <= 0) return absl::ZeroDuration();
  const absl::Duration span = limit.window + MarginFor(limit.window);
  while (!window.taken.empty() && window.taken.front() + span <= now) window.taken.pop_front();
  if (static_cast<int>(window.taken.size()) >= limit.calls) {
    return window.taken.front() + span - now;
  }
  if (take) window.taken.push_back(now);
  return absl::ZeroDuration();
}

void RateBudget::Pause(const std::string& bucket, const std::string& scope, absl::Time until) {
  absl::MutexLock lock(&mu_);
  absl::Time& paused = scope.empty() ? bucket_paused_until_[bucket]
                                     : windows_[{bucket, scope}].paused_until;
  paused = std::max(paused, until);
}

void RateBudget::Forget(absl::Time now) {
  takes_since_forget_ = 0;
  for (auto it = windows_.begin(); it != windows_.end();) {
    Window& window = it->second;
    const RateLimit limit = LimitOf(it->first.first);
    const absl::Duration span = limit.window + MarginFor(limit.window);
    while (!window.taken.empty() && window.taken.front() + span <= now) window.taken.pop_front();
    it = window.taken.empty() && window.paused_until <= now ? windows_.erase(it) : std::next(it);
  }
}

absl::Status BudgetWait(absl::string_view what, absl::Duration wait) {
  absl::Status status = WithRetryAfter(
      absl::ResourceExhaustedError(absl::StrCat("waiting for the ", what, " rate budget")),
      wait);
  status.SetPayload(kBudgetPayload, absl::Cord("1"));
  return status;
}

bool IsBudgetWait(const absl::Status& status) {
  return status.GetPayload(kBudgetPayload).has_value();
}

}  // namespace ff
