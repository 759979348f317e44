// MemoryStore's OutboxStore half: the delivery rows, kept by the shared
// outbox rules.
#include <algorithm>
#include <utility>

#include "common/status_macros.h"
#include "server/store/outbox_rules.h"
#include "tests/testing/memory_store.h"

namespace ff::testing {

void MemoryStore::SetOutboxRouter(OutboxRouter router) {
  absl::MutexLock lock(&mu_);
  router_ = std::move(router);
}

std::vector<PendingDelivery> MemoryStore::PendingDeliveries() {
  std::vector<PendingDelivery> pending;
  for (const auto& [id, d] : tables_.deliveries) {
    if (d.state != pb::DELIVERY_STATE_PENDING) continue;
    const int64_t severity = tables_.incidents.at(d.incident_id).severity();
    pending.push_back({{d.id, d.incident_id, d.notifier}, {severity, d.next_attempt_at, d.id}});
  }
  return pending;
}

absl::StatusOr<std::vector<DueDelivery>> MemoryStore::DueDeliveries(absl::Time now, int limit) {
  absl::MutexLock lock(&mu_);
  return PickDue(PendingDeliveries(), now, limit);
}

absl::StatusOr<std::optional<absl::Time>> MemoryStore::NextDueTime() {
  absl::MutexLock lock(&mu_);
  return NextDue(PendingDeliveries());
}

absl::StatusOr<std::string> MemoryStore::InstallationId() { return installation_id_; }

absl::StatusOr<StoredDelivery> MemoryStore::LoadDelivery(int64_t id, bool with_timeline) {
  absl::MutexLock lock(&mu_);
  auto it = tables_.deliveries.find(id);
  if (it == tables_.deliveries.end()) return NotFoundDelivery(id);
  const MemoryDelivery& d = it->second;
  StoredDelivery out;
  out.id = d.id;
  out.notifier = d.notifier;
  out.state = d.state;
  out.next_attempt_at = d.next_attempt_at;
  out.attempts = d.attempts;
  out.event = tables_.events.at(d.event_sequence).event;
  out.progress = d.progress;
  auto current = tables_.incidents.find(d.incident_id);
  if (current == tables_.incidents.end()) return NotFoundIncident(d.incident_id);
  out.current = current->second;
  if (with_timeline) out.timeline = tables_.Timeline(d.incident_id);
  return out;
}

absl::Status MemoryStore::MarkDelivered(int64_t id, const WriteBack& write_back, absl::Time now) {
  // Through the group: a write-back stores events, which need the write lock.
  return writes_.MarkDelivered(id, write_back, now);
}

absl::Status MemoryStore::MarkFailed(int64_t id, const std::string& error,
                                     std::optional<absl::Time> retry_at, absl::Time now) {
  const AttemptOutcome failed = FailedAttempt(error, retry_at, now);
  absl::Status changed = ChangePending(id, [&](MemoryDelivery& d) {
    d.state = failed.state;
    ++d.attempts;
    d.last_error = failed.last_error;
    d.next_attempt_at = failed.next_attempt_at;
    d.updated_at = now;
  });
  // As the SQL stores: an attempt of a delivery no longer pending is dropped.
  if (absl::IsFailedPrecondition(changed) || absl::IsNotFound(changed)) return absl::OkStatus();
  return changed;
}

absl::Status MemoryStore::SaveProgress(int64_t id, const std::string& progress, absl::Time now) {
  return ChangePending(id, [&](MemoryDelivery& d) {
    d.progress = progress;
    d.updated_at = now;
  });
}

absl::Status MemoryStore::Defer(int64_t id, absl::Time until, const std::string& reason,
                                absl::Time now) {
  const AttemptOutcome deferred = DeferredAttempt(reason, until);
  return ChangePending(id, [&](MemoryDelivery& d) {
    d.last_error = deferred.last_error;
    d.next_attempt_at = deferred.next_attempt_at;
    d.updated_at = now;
  });
}

absl::Status MemoryStore::ChangePending(int64_t id,
                                        const std::function<void(MemoryDelivery&)>& change) {
  absl::MutexLock lock(&mu_);
  auto it = tables_.deliveries.find(id);
  if (it == tables_.deliveries.end() || it->second.state != pb::DELIVERY_STATE_PENDING) {
    return NotPendingDelivery(id, it != tables_.deliveries.end());
  }
  change(it->second);
  return absl::OkStatus();
}

absl::StatusOr<std::vector<pb::Delivery>> MemoryStore::ListDeliveries(const DeliveryFilter& filter,
                                                                      int32_t limit,
                                                                      int64_t before_id) {
  absl::MutexLock lock(&mu_);
  std::vector<pb::Delivery> out;
  for (auto it = tables_.deliveries.rbegin(); it != tables_.deliveries.rend(); ++it) {
    if (out.size() >= static_cast<size_t>(std::max(limit, 0))) break;
    const MemoryDelivery& d = it->second;
    if (before_id > 0 && d.id >= before_id) continue;
    if (filter.incident_id > 0 && d.incident_id != filter.incident_id) continue;
    if (!filter.notifier.empty() && d.notifier != filter.notifier) continue;
    if (!filter.states.empty() &&
        std::find(filter.states.begin(), filter.states.end(), d.state) == filter.states.end()) {
      continue;
    }
    out.push_back(tables_.Listed(d));
  }
  return out;
}

absl::StatusOr<bool> MemoryStore::RecordOnce(int64_t id, const OnceDecision& decide,
                                             absl::Time now) {
  return writes_.RecordOnce(id, decide, now);
}

absl::StatusOr<pb::Delivery> MemoryStore::RetryDelivery(int64_t id, const Audit& by,
                                                        absl::Time now) {
  {
    absl::MutexLock lock(&mu_);
    MemoryTables working = tables_;
    MemoryWriteSteps steps(working);
    FF_RETURN_IF_ERROR(StoreTransaction(steps, router_).RetryDelivery(id, by, now));
    tables_ = std::move(working);
  }
  return FindDelivery(*this, id);
}

}  // namespace ff::testing
