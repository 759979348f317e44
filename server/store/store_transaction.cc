#include "server/store/store_transaction.h"

#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "server/core/time_util.h"
#include "server/store/event_builder.h"
#include "server/store/outbox_rules.h"
#include "server/store/write_back.h"

namespace ff {

absl::StatusOr<std::vector<pb::IncidentEvent>> StoreTransaction::Record(
    const pb::Incident& incident, const std::vector<ChangeRecord>& records,
    std::optional<absl::Time> when, const pb::FollowUp* follow_up) {
  std::vector<pb::IncidentEvent> events;
  const std::string snapshot = incident.SerializeAsString();
  const absl::Time at = EventTime(incident, when);
  for (const ChangeRecord& record : records) {
    pb::IncidentEvent event = BuildEvent(incident, record);
    if (follow_up != nullptr) *event.mutable_follow_up() = *follow_up;
    FF_RETURN_IF_ERROR(steps_.InsertEvent(event, snapshot, at));
    if (router_) FF_RETURN_IF_ERROR(steps_.InsertDeliveries(event, router_(event), at));
    events.push_back(std::move(event));
  }
  return events;
}

absl::StatusOr<Committed> StoreTransaction::Open(const Change& change) {
  const std::string& key = change.incident.dedup_key();
  if (!key.empty()) {
    FF_ASSIGN_OR_RETURN(std::optional<pb::Incident> existing, steps_.FindOpenByDedupKey(key));
    if (existing) return Committed{*std::move(existing), {}, false};
  }
  FF_ASSIGN_OR_RETURN(std::optional<int64_t> id, steps_.InsertIncident(change.incident));
  if (!id) {  // a backend without a write lock: the index's answer
    FF_ASSIGN_OR_RETURN(std::optional<pb::Incident> holder, steps_.FindOpenByDedupKey(key));
    if (!holder) return absl::AbortedError("dedup_key conflict; retry the call");
    return Committed{*std::move(holder), {}, false};
  }
  Committed committed;
  committed.incident = change.incident;
  committed.incident.set_id(*id);
  FF_ASSIGN_OR_RETURN(committed.events, Record(committed.incident, change.records, std::nullopt));
  committed.created = true;
  return committed;
}

absl::StatusOr<Committed> StoreTransaction::Mutate(int64_t id, const Mutation& mutation) {
  FF_ASSIGN_OR_RETURN(pb::Incident current, steps_.SelectIncident(id));
  FF_ASSIGN_OR_RETURN(Change change, mutation(current));
  if (change.records.empty()) return Committed{std::move(current), {}, false};
  FF_ASSIGN_OR_RETURN(bool updated, steps_.UpdateIncident(change.incident, current.version()));
  if (!updated) {
    return absl::InternalError(absl::StrCat("incident #", id, " changed under the write lock"));
  }
  FF_ASSIGN_OR_RETURN(std::vector<pb::IncidentEvent> events,
                      Record(change.incident, change.records, std::nullopt));
  return Committed{change.incident, std::move(events), false};
}

absl::StatusOr<Committed> StoreTransaction::WriteFollowUp(const FollowUpTarget& target,
                                                          const FollowUpMutation& mutation) {
  std::optional<pb::FollowUp> current;
  int64_t incident_id = target.incident_id;
  if (target.follow_up_id != 0) {
    FF_ASSIGN_OR_RETURN(current, steps_.SelectFollowUp(target.follow_up_id));
    incident_id = current->incident_id();
  }
  FF_ASSIGN_OR_RETURN(pb::Incident incident, steps_.SelectIncident(incident_id));
  FF_ASSIGN_OR_RETURN(FollowUpChange change, mutation(incident, current ? &*current : nullptr));
  Committed committed{std::move(incident), {}, false, std::move(change.follow_up)};
  if (change.records.empty()) return committed;
  if (current) {
    FF_RETURN_IF_ERROR(steps_.UpdateFollowUp(committed.follow_up));
  } else {
    FF_ASSIGN_OR_RETURN(int64_t id, steps_.InsertFollowUp(committed.follow_up));
    committed.follow_up.set_id(id);
    // The entry written with it names it: "Follow-up FU-7 added: …"
    // (FollowUpRules::Add leaves the prefix to the store).
    for (ChangeRecord& record : change.records) {
      record.entry.set_text(absl::StrCat("Follow-up FU-", id, " ", record.entry.text()));
    }
  }
  const absl::Time at = FromTimestamp(committed.follow_up.updated_at());
  FF_ASSIGN_OR_RETURN(committed.events,
                      Record(committed.incident, change.records, at, &committed.follow_up));
  return committed;
}

absl::StatusOr<Committed> StoreTransaction::RecordOnce(int64_t id, const OnceDecision& decide,
                                                       absl::Time now) {
  FF_ASSIGN_OR_RETURN(pb::Incident incident, steps_.SelectIncident(id));
  std::optional<OnceRecord> once = decide(incident);
  if (!once) return Committed{std::move(incident), {}, false};
  FF_ASSIGN_OR_RETURN(bool seen, steps_.OnceKeySeen(id, once->key));
  if (seen) return Committed{std::move(incident), {}, false};
  std::optional<pb::FollowUp> follow_up;
  if (once->follow_up) {
    FF_ASSIGN_OR_RETURN(follow_up, steps_.SelectFollowUp(once->follow_up->id()));
    if (follow_up->status() != pb::FOLLOW_UP_STATUS_OPEN ||
        follow_up->due_date() != once->follow_up->due_date()) {
      return Committed{std::move(incident), {}, false};  // done or moved since
    }
  }
  // The incident is recorded as it stands: background work is no update.
  FF_ASSIGN_OR_RETURN(std::vector<pb::IncidentEvent> events,
                      Record(incident, {once->record}, now, follow_up ? &*follow_up : nullptr));
  FF_RETURN_IF_ERROR(steps_.MarkOnce(events.back().sequence(), once->key));
  return Committed{std::move(incident), std::move(events), false};
}

absl::StatusOr<Committed> StoreTransaction::MarkDelivered(int64_t id, const WriteBack& write_back,
                                                          absl::Time now) {
  FF_ASSIGN_OR_RETURN(std::optional<DeliveryHead> delivery, steps_.SelectDelivery(id));
  if (!delivery) return NotFoundDelivery(id);
  if (delivery->state != pb::DELIVERY_STATE_PENDING) return Committed();
  FF_RETURN_IF_ERROR(steps_.SetDelivered(id, now));
  FF_RETURN_IF_ERROR(steps_.WakeSuccessors(delivery->incident_id, delivery->notifier, now));
  FF_ASSIGN_OR_RETURN(pb::Incident incident, steps_.SelectIncident(delivery->incident_id));
  FF_ASSIGN_OR_RETURN(std::vector<pb::IncidentEvent> tracked,
                      LinkTrackers(incident, write_back.trackers, now));
  std::vector<ChangeRecord> records = ApplyWriteBack(incident, write_back, now);
  if (records.empty()) return Committed{std::move(incident), std::move(tracked), false};
  *incident.mutable_updated_at() = ToTimestamp(now);
  // Same version: background work never invalidates a client's
  // expected_version (see OutboxStore::MarkDelivered).
  FF_ASSIGN_OR_RETURN(bool updated, steps_.UpdateIncident(incident, incident.version()));
  if (!updated) return absl::InternalError("incident changed under the write lock");
  FF_ASSIGN_OR_RETURN(std::vector<pb::IncidentEvent> events,
                      Record(incident, records, std::nullopt));
  tracked.insert(tracked.end(), events.begin(), events.end());
  return Committed{std::move(incident), std::move(tracked), false};
}

absl::StatusOr<std::vector<pb::IncidentEvent>> StoreTransaction::LinkTrackers(
    const pb::Incident& incident, const std::vector<TrackerLink>& trackers, absl::Time now) {
  std::vector<pb::IncidentEvent> events;
  for (const TrackerLink& tracker : trackers) {
    absl::StatusOr<pb::FollowUp> current = steps_.SelectFollowUp(tracker.follow_up_id);
    if (absl::IsNotFound(current.status())) continue;
    FF_RETURN_IF_ERROR(current.status());
    if (current->incident_id() != incident.id()) continue;  // not this delivery's to set
    FollowUpChange change = FollowUpRules::LinkTracker(*current, tracker.key, tracker.url, now);
    if (change.records.empty()) continue;
    FF_RETURN_IF_ERROR(steps_.UpdateFollowUp(change.follow_up));
    FF_ASSIGN_OR_RETURN(std::vector<pb::IncidentEvent> linked,
                        Record(incident, change.records, now, &change.follow_up));
    events.insert(events.end(), linked.begin(), linked.end());
  }
  return events;
}

absl::Status StoreTransaction::RetryDelivery(int64_t id, const Audit& by, absl::Time now) {
  FF_ASSIGN_OR_RETURN(std::optional<DeliveryHead> delivery, steps_.SelectDelivery(id));
  if (!delivery) return NotFoundDelivery(id);
  FF_RETURN_IF_ERROR(CheckRetryable(id, delivery->state));
  FF_RETURN_IF_ERROR(steps_.SetRetried(id, now));
  // Who retried it, on the incident's timeline: no event, no version bump.
  return steps_
      .InsertEntry(
          RetryEntry(delivery->incident_id, id, delivery->notifier, delivery->last_error, by, now))
      .status();
}

}  // namespace ff
