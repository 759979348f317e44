#include "tests/testing/scripted_notifier.h"

#include <utility>

namespace ff::testing {

bool ScriptedNotifier::Interested(const pb::IncidentEvent& event) const {
  return event_types_.empty() || event_types_.count(event.type()) > 0;
}

absl::StatusOr<DeliveryResult> ScriptedNotifier::Deliver(const Delivery& delivery) {
  absl::MutexLock lock(&mu_);
  calls_.push_back({delivery.id, delivery.event.incident().id(), delivery.event.type(),
                    delivery.attempt, delivery.current});
  int64_t incident = delivery.event.incident().id();
  auto released = [this, incident]()
                      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return held_.count(incident) == 0; };
  mu_.Await(absl::Condition(&released));
  if (!failures_.empty()) {
    absl::Status failure = failures_.front();
    failures_.pop_front();
    return failure;
  }
  auto result = results_.find(delivery.event.type());
  return result == results_.end() ? DeliveryResult{} : result->second;
}

void ScriptedNotifier::FailWith(std::vector<absl::Status> failures) {
  absl::MutexLock lock(&mu_);
  failures_.assign(failures.begin(), failures.end());
}

void ScriptedNotifier::HoldIncident(int64_t incident_id) {
  absl::MutexLock lock(&mu_);
  held_.insert(incident_id);
}

void ScriptedNotifier::Release() {
  absl::MutexLock lock(&mu_);
  held_.clear();
}

void ScriptedNotifier::ResultFor(const std::string& event_type, DeliveryResult result) {
  absl::MutexLock lock(&mu_);
  results_[event_type] = std::move(result);
}

std::vector<NotifierCall> ScriptedNotifier::calls() {
  absl::MutexLock lock(&mu_);
  return calls_;
}

bool ScriptedNotifier::WaitForCalls(size_t n, absl::Duration timeout) {
  absl::MutexLock lock(&mu_);
  auto enough = [this, n]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return calls_.size() >= n; };
  return mu_.AwaitWithTimeout(absl::Condition(&enough), timeout);
}

}  // namespace ff::testing
