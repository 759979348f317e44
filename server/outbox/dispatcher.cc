#include "server/outbox/dispatcher.h"

#include <algorithm>
#include <chrono>
#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "clients/http/rate_budget.h"
#include "server/logging/log.h"
#include "spdlog/spdlog.h"

namespace ff {

// Lane is one notifier's queue and workers.
struct Dispatcher::Lane {
  Notifier* notifier;
  absl::Mutex mu;
  std::deque<DueDelivery> queue ABSL_GUARDED_BY(mu);
  bool stopping ABSL_GUARDED_BY(mu) = false;
};

Dispatcher::Dispatcher(OutboxStore* store, const std::vector<Notifier*>& notifiers,
                       const Clock* clock, Options options)
    : store_(store), clock_(clock), options_(std::move(options)) {
  for (Notifier* notifier : notifiers) {
    auto lane = std::make_unique<Lane>();
    lane->notifier = notifier;
    lanes_[std::string(notifier->name())] = std::move(lane);
  }
}

Dispatcher::~Dispatcher() { Stop(); }

void Dispatcher::Start() {
  for (auto& [name, lane] : lanes_) {
    for (int i = 0; i < options_.workers_per_notifier; ++i) {
      workers_.emplace_back([this, l = lane.get()] { WorkLoop(l); });
    }
  }
  scheduler_ = std::thread([this] { ScheduleLoop(); });
}

void Dispatcher::Wake() {
  absl::MutexLock lock(&mu_);
  woken_ = true;
}

void Dispatcher::Stop() {
  {
    absl::MutexLock lock(&mu_);
    if (stopping_) return;
    stopping_ = true;
  }
  if (scheduler_.joinable()) scheduler_.join();
  for (auto& [name, lane] : lanes_) {
    absl::MutexLock lock(&lane->mu);
    lane->stopping = true;
  }
  for (std::thread& worker : workers_) worker.join();
  workers_.clear();
}

absl::Duration Dispatcher::TimeUntilNextDue() {
  absl::StatusOr<std::optional<absl::Time>> next = store_->NextDueTime();
  if (!next.ok() || !next->has_value()) return options_.idle_poll;
  absl::Duration wait = **next - clock_->Now();
  return std::clamp(wait, absl::ZeroDuration(), options_.idle_poll);
}

void Dispatcher::ScheduleLoop() {
  while (true) {
    const int handed = Schedule();
    absl::Duration wait = TimeUntilNextDue();
    // What is due is already in flight or waiting for its predecessor: only
    // a finished delivery (which wakes us) can change that. Polling the store
    // meanwhile would spin.
    if (handed == 0 && wait <= absl::ZeroDuration()) wait = options_.idle_poll;
    absl::MutexLock lock(&mu_);
    auto wake = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return woken_ || stopping_; };
    mu_.AwaitWithTimeout(absl::Condition(&wake), wait);
    if (stopping_) return;
    woken_ = false;
  }
}

int Dispatcher::Schedule() {
  absl::StatusOr<std::vector<DueDelivery>> due =
      store_->DueDeliveries(clock_->Now(), options_.batch);
  if (!due.ok()) {
    spdlog::warn("outbox: cannot read due deliveries: {}", std::string(due.status().message()));
    return 0;
  }
  int handed = 0;
  for (const DueDelivery& d : *due) {
    auto lane = lanes_.find(d.notifier);
    if (lane == lanes_.end()) {
      // Configured once, removed since: nobody can deliver it.
      (void)store_->MarkFailed(d.id, absl::StrCat("notifier ", d.notifier, " is not configured"),
                               std::nullopt, clock_->Now());
      continue;
    }
    {
      absl::MutexLock lock(&mu_);
      auto [flying, inserted] = in_flight_.emplace(Key{d.incident_id, d.notifier}, d.id);
      if (!inserted) {
        if (flying->second != d.id) waiting_[flying->first] = d;
        continue;
      }
    }
    absl::MutexLock lock(&lane->second->mu);
    lane->second->queue.push_back(d);
    ++handed;
  }
  return handed;
}

void Dispatcher::WorkLoop(Lane* lane) {
  while (true) {
    DueDelivery due;
    {
      absl::MutexLock lock(&lane->mu);
      auto ready = [lane]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(lane->mu) {
        return !lane->queue.empty() || lane->stopping;
      };
      lane->mu.Await(absl::Condition(&ready));
      if (lane->queue.empty()) return;  // stopping, nothing left
      due = std::move(lane->queue.front());
      lane->queue.pop_front();
    }
    Deliver(lane->notifier, due);
    Finished(lane, due);
  }
}

void Dispatcher::Finished(Lane* lane, const DueDelivery& due) {
  std::optional<DueDelivery> next;
  {
    absl::MutexLock lock(&mu_);
    const Key key{due.incident_id, due.notifier};
    woken_ = true;  // its successor may be due now
    auto waiting = waiting_.find(key);
    if (waiting == waiting_.end()) {
      in_flight_.erase(key);
      return;
    }
    next = std::move(waiting->second);
    waiting_.erase(waiting);
    in_flight_[key] = next->id;
  }
  absl::MutexLock lock(&lane->mu);
  lane->queue.push_back(*std::move(next));
}

void Dispatcher::Deliver(Notifier* notifier, const DueDelivery& due) {
  thread_local absl::BitGen random;
  absl::StatusOr<StoredDelivery> stored = store_->LoadDelivery(due.id, notifier->NeedsTimeline());
  if (!stored.ok()) {
    spdlog::warn("outbox: cannot load delivery {}: {}", due.id,
                 std::string(stored.status().message()));
    (void)store_->MarkFailed(due.id, std::string(stored.status().message()),
                             clock_->Now() + options_.retry.initial_backoff, clock_->Now());
    return;
  }
  // The scheduler's list may be older than this delivery's last outcome:
  // one that was delivered, or rescheduled, since must not run now.
  if (stored->state != pb::DELIVERY_STATE_PENDING || stored->next_attempt_at > clock_->Now()) {
    return;
  }
  Delivery delivery{stored->id,
                    stored->notifier,
                    std::move(stored->event),
                    std::move(stored->current),
                    std::move(stored->timeline),
                    stored->attempts + 1};
  if (!stored->progress.empty()) {
    delivery.progress = nlohmann::json::parse(stored->progress, nullptr, false);
    if (!delivery.progress.is_object()) delivery.progress = nlohmann::json::object();
  }
  delivery.record_progress = [this, id = due.id](const nlohmann::json& progress) {
    return store_->SaveProgress(id, progress.dump(), clock_->Now());
  };
  if (notifier->NeedsFollowUps() && options_.follow_ups) {
    absl::StatusOr<std::vector<pb::FollowUp>> follow_ups =
        options_.follow_ups(delivery.current.id());
    if (!follow_ups.ok()) {
      (void)store_->MarkFailed(due.id, std::string(follow_ups.status().message()),
                               clock_->Now() + options_.retry.initial_backoff, clock_->Now());
      return;
    }
    delivery.follow_ups = *std::move(follow_ups);
  }
  const auto started = std::chrono::steady_clock::now();
  absl::StatusOr<DeliveryResult> result = notifier->Deliver(delivery);
  absl::Time now = clock_->Now();
  // One line per attempt; the error is the notifier's status, which names
  // the outside API's answer, never a credential.
  auto report = [&](spdlog::level::level_enum level, absl::string_view outcome) {
    nlohmann::json fields = {
        {"notifier", std::string(notifier->name())},
        {"delivery", due.id},
        {"incident", due.incident_id},
        {"event_type", delivery.event.type()},
        {"attempt", delivery.attempt},
        {"result", std::string(outcome)},
        {"latency_ms",
         absl::ToDoubleMilliseconds(absl::FromChrono(std::chrono::steady_clock::now() - started))}};
    if (!result.ok()) fields["error"] = result.status().ToString();
    LogEvent(level, "delivery", fields);
    if (options_.on_attempt) options_.on_attempt(notifier->name(), outcome);
  };
  if (result.ok()) {
    report(spdlog::level::info, "delivered");
    WriteBack write_back{std::move(result->links), std::move(result->participants),
                         std::move(result->note), std::string(notifier->name()),
                         std::move(result->trackers)};
    absl::Status recorded = store_->MarkDelivered(due.id, write_back, now);
    if (!recorded.ok()) {
      spdlog::error("outbox: delivery {} succeeded but was not recorded: {}", due.id,
                    std::string(recorded.message()));
    }
    return;
  }
  if (IsBudgetWait(result.status())) {
    // Waiting for an outside system's rate budget is no attempt: the
    // delivery goes back to the store, due when the budget has room.
    report(spdlog::level::debug, "deferred");
    absl::Duration wait = RetryAfterOf(result.status()).value_or(absl::Seconds(1));
    (void)store_->Defer(due.id, now + wait, std::string(result.status().message()), now);
    return;
  }
  std::optional<absl::Time> retry_at =
      options_.retry.NextAttempt(result.status(), delivery.attempt, now, random);
  std::string error = std::string(result.status().ToString());
  report(spdlog::level::warn, retry_at ? "retry" : "dead");
  (void)store_->MarkFailed(due.id, error, retry_at, now);
}

}  // namespace ff
