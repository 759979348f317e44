#include "server/events/event_bus.h"

#include <algorithm>

namespace ff {

Subscription::Result Subscription::Next(pb::IncidentEvent* out, absl::Duration timeout) {
  absl::MutexLock lock(&mu_);
  auto ready = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return !queue_.empty() || closed_ || overflowed_;
  };
  mu_.AwaitWithTimeout(absl::Condition(&ready), timeout);
  if (overflowed_) return Result::kOverflow;
  if (!queue_.empty()) {
    *out = std::move(queue_.front());
    queue_.pop_front();
    return Result::kEvent;
  }
  return closed_ ? Result::kClosed : Result::kTimeout;
}

void Subscription::Push(const pb::IncidentEvent& event) {
  absl::MutexLock lock(&mu_);
  if (closed_ || overflowed_) return;
  if (queue_.size() >= limit_) {
    overflowed_ = true;
    queue_.clear();
    return;
  }
  queue_.push_back(event);
}

void Subscription::Close() {
  absl::MutexLock lock(&mu_);
  closed_ = true;
}

std::shared_ptr<Subscription> EventBus::Subscribe(IncidentFilter filter) {
  auto subscription = std::make_shared<Subscription>(std::move(filter), queue_limit_);
  absl::MutexLock lock(&mu_);
  if (closed_) {
    subscription->Close();
  } else {
    subscribers_.push_back(subscription);
  }
  return subscription;
}

void EventBus::Unsubscribe(const std::shared_ptr<Subscription>& subscription) {
  absl::MutexLock lock(&mu_);
  subscribers_.erase(std::remove(subscribers_.begin(), subscribers_.end(), subscription),
                     subscribers_.end());
}

void EventBus::Publish(const Committed& committed) {
  if (committed.events.empty()) return;
  absl::MutexLock lock(&mu_);
  for (const auto& subscriber : subscribers_) {
    if (!MatchesFilter(committed.incident, subscriber->filter_)) continue;
    for (const pb::IncidentEvent& event : committed.events) subscriber->Push(event);
  }
}

void EventBus::Close() {
  absl::MutexLock lock(&mu_);
  closed_ = true;
  for (const auto& subscriber : subscribers_) subscriber->Close();
  subscribers_.clear();
}

size_t EventBus::subscriber_count() {
  absl::MutexLock lock(&mu_);
  return subscribers_.size();
}

}  // namespace ff
