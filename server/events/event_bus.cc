#include "server/events/event_bus.h"

#include <algorithm>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace ff {

Subscription::~Subscription() {
  absl::MutexLock lock(&mu_);
  DropQueue();
}

Subscription::Result Subscription::Next(pb::IncidentEvent* out, absl::Duration timeout) {
  absl::MutexLock lock(&mu_);
  auto ready = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return !queue_.empty() || closed_ || overflowed_;
  };
  mu_.AwaitWithTimeout(absl::Condition(&ready), timeout);
  if (overflowed_) return Result::kOverflow;
  if (!queue_.empty()) {
    *out = std::move(queue_.front().first);
    queued_bytes_->fetch_sub(queue_.front().second);
    queue_.pop_front();
    return Result::kEvent;
  }
  return closed_ ? Result::kClosed : Result::kTimeout;
}

void Subscription::Push(const pb::IncidentEvent& event, int64_t bytes) {
  absl::MutexLock lock(&mu_);
  if (closed_ || overflowed_) return;
  // A watcher that keeps up (nothing queued) always gets the event; one
  // that is behind is cut off rather than pass its limit or the budget.
  const bool over_budget = !queue_.empty() && queued_bytes_->load() + bytes > buffer_bytes_;
  if (queue_.size() >= limit_ || over_budget) {
    overflowed_ = true;
    DropQueue();
    return;
  }
  queue_.emplace_back(event, bytes);
  queued_bytes_->fetch_add(bytes);
}

void Subscription::DropQueue() {
  for (const auto& [event, bytes] : queue_) queued_bytes_->fetch_sub(bytes);
  queue_.clear();
}

void Subscription::Close() {
  absl::MutexLock lock(&mu_);
  closed_ = true;
}

std::shared_ptr<Subscription> EventBus::Add(IncidentFilter filter, std::string principal) {
  auto subscription =
      std::make_shared<Subscription>(std::move(filter), limits_.queue_events, limits_.buffer_bytes,
                                     queued_bytes_, std::move(principal));
  if (closed_) {
    subscription->Close();
  } else {
    subscribers_.push_back(subscription);
  }
  return subscription;
}

std::shared_ptr<Subscription> EventBus::Subscribe(IncidentFilter filter) {
  absl::MutexLock lock(&mu_);
  return Add(std::move(filter), "");
}

absl::StatusOr<std::shared_ptr<Subscription>> EventBus::Watch(IncidentFilter filter,
                                                              const std::string& principal) {
  absl::MutexLock lock(&mu_);
  if (streams_ >= limits_.max_streams) {
    return absl::ResourceExhaustedError(absl::StrCat(
        "too many watch streams: ", streams_, " are open (watch_max_streams); try again later"));
  }
  size_t& mine = streams_by_principal_[principal];
  if (mine >= limits_.max_streams_per_principal) {
    return absl::ResourceExhaustedError(
        absl::StrCat("too many watch streams for this caller: ", mine,
                     " are open (watch_max_streams_per_principal); close one first"));
  }
  ++mine;
  ++streams_;
  return Add(std::move(filter), absl::StrCat("watch:", principal));
}

void EventBus::Unsubscribe(const std::shared_ptr<Subscription>& subscription) {
  absl::MutexLock lock(&mu_);
  auto it = std::find(subscribers_.begin(), subscribers_.end(), subscription);
  if (it == subscribers_.end()) return;
  subscribers_.erase(it);
  absl::string_view principal = subscription->principal_;
  if (absl::ConsumePrefix(&principal, "watch:")) {
    --streams_;
    auto count = streams_by_principal_.find(std::string(principal));
    if (count != streams_by_principal_.end() && --count->second == 0) {
      streams_by_principal_.erase(count);
    }
  }
}

void EventBus::Publish(const Committed& committed) {
  if (committed.events.empty()) return;
  std::vector<int64_t> sizes;
  sizes.reserve(committed.events.size());
  for (const pb::IncidentEvent& event : committed.events) {
    sizes.push_back(static_cast<int64_t>(event.ByteSizeLong()));
  }
  absl::MutexLock lock(&mu_);
  for (const auto& subscriber : subscribers_) {
    if (!MatchesFilter(committed.incident, subscriber->filter_)) continue;
    for (size_t i = 0; i < committed.events.size(); ++i) {
      subscriber->Push(committed.events[i], sizes[i]);
    }
  }
}

void EventBus::Close() {
  absl::MutexLock lock(&mu_);
  closed_ = true;
  for (const auto& subscriber : subscribers_) subscriber->Close();
  subscribers_.clear();
  streams_ = 0;
  streams_by_principal_.clear();
}

size_t EventBus::subscriber_count() {
  absl::MutexLock lock(&mu_);
  return subscribers_.size();
}

}  // namespace ff
