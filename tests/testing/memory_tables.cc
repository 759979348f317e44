#include "tests/testing/memory_tables.h"

#include <algorithm>
#include <tuple>
#include <utility>

#include "absl/strings/str_cat.h"
#include "server/core/time_util.h"
#include "server/store/store.h"

namespace ff::testing {
namespace {

// MissingRow is what a database says of a row that a foreign key or an
// UPDATE expected: a broken invariant.
absl::Status MissingRow(absl::string_view table, int64_t id) {
  return absl::InternalError(absl::StrCat("no row ", id, " in ", table));
}

}  // namespace

std::vector<pb::TimelineEntry> MemoryTables::Timeline(int64_t id) const {
  std::vector<pb::TimelineEntry> out;
  for (const auto& [entry_id, entry] : entries) {
    if (entry.incident_id() == id) out.push_back(entry);
  }
  std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    return std::make_tuple(ToUnixMicros(a.time()), a.id()) <
           std::make_tuple(ToUnixMicros(b.time()), b.id());
  });
  return out;
}

pb::Delivery MemoryTables::Listed(const MemoryDelivery& d) const {
  pb::Delivery out;
  out.set_id(d.id);
  out.set_incident_id(d.incident_id);
  out.set_notifier(d.notifier);
  out.set_event_type(events.at(d.event_sequence).event.type());
  out.set_event_sequence(d.event_sequence);
  out.set_state(d.state);
  out.set_attempts(d.attempts);
  out.set_last_error(d.last_error);
  if (d.state == pb::DELIVERY_STATE_PENDING)
    *out.mutable_next_attempt_at() = ToTimestamp(d.next_attempt_at);
  *out.mutable_created_at() = ToTimestamp(d.created_at);
  *out.mutable_updated_at() = ToTimestamp(d.updated_at);
  if (d.delivered_at) *out.mutable_delivered_at() = ToTimestamp(*d.delivered_at);
  return out;
}

absl::StatusOr<pb::Incident> MemoryWriteSteps::SelectIncident(int64_t id) {
  auto it = t_.incidents.find(id);
  if (it == t_.incidents.end()) return NotFoundIncident(id);
  return it->second;
}

absl::StatusOr<std::optional<pb::Incident>> MemoryWriteSteps::FindOpenByDedupKey(
    const std::string& key) {
  for (const auto& [id, incident] : t_.incidents) {
    if (incident.dedup_key() == key && incident.status() != pb::STATUS_CLOSED)
      return std::optional<pb::Incident>(incident);
  }
  return std::optional<pb::Incident>();
}

absl::StatusOr<std::optional<int64_t>> MemoryWriteSteps::InsertIncident(
    const pb::Incident& incident) {
  // The unique index on open dedup keys.
  if (!incident.dedup_key().empty() && incident.status() != pb::STATUS_CLOSED) {
    absl::StatusOr<std::optional<pb::Incident>> holder = FindOpenByDedupKey(incident.dedup_key());
    if (!holder.ok() || holder->has_value()) return std::optional<int64_t>();
  }
  pb::Incident& stored = t_.incidents[++t_.last_incident];
  stored = incident;
  stored.set_id(t_.last_incident);
  stored.mutable_roles();  // as the databases read it back: present, if empty
  return std::optional<int64_t>(t_.last_incident);
}

absl::StatusOr<bool> MemoryWriteSteps::UpdateIncident(const pb::Incident& incident,
                                                      int64_t previous_version) {
  auto it = t_.incidents.find(incident.id());
  if (it == t_.incidents.end() || it->second.version() != previous_version) return false;
  it->second = incident;
  it->second.mutable_roles();  // as in InsertIncident
  return true;
}

absl::StatusOr<pb::FollowUp> MemoryWriteSteps::SelectFollowUp(int64_t id) {
  auto it = t_.follow_ups.find(id);
  if (it == t_.follow_ups.end()) return NotFoundFollowUp(id);
  return it->second;
}

absl::StatusOr<int64_t> MemoryWriteSteps::InsertFollowUp(const pb::FollowUp& follow_up) {
  if (t_.incidents.count(follow_up.incident_id()) == 0) {
    return MissingRow("incidents", follow_up.incident_id());
  }
  pb::FollowUp& stored = t_.follow_ups[++t_.last_follow_up];
  stored = follow_up;
  stored.set_id(t_.last_follow_up);
  return t_.last_follow_up;
}

absl::Status MemoryWriteSteps::UpdateFollowUp(const pb::FollowUp& follow_up) {
  auto it = t_.follow_ups.find(follow_up.id());
  if (it == t_.follow_ups.end()) return MissingRow("follow_ups", follow_up.id());
  it->second = follow_up;
  return absl::OkStatus();
}

absl::StatusOr<int64_t> MemoryWriteSteps::InsertEntry(const pb::TimelineEntry& entry) {
  if (t_.incidents.count(entry.incident_id()) == 0) {
    return MissingRow("incidents", entry.incident_id());
  }
  pb::TimelineEntry& stored = t_.entries[++t_.last_entry];
  stored = entry;
  stored.set_id(t_.last_entry);
  return t_.last_entry;
}

absl::Status MemoryWriteSteps::InsertEvent(pb::IncidentEvent& event, const std::string& snapshot,
                                           absl::Time at) {
  absl::StatusOr<int64_t> entry_id = InsertEntry(event.entry());
  if (!entry_id.ok()) return entry_id.status();
  event.mutable_entry()->set_id(*entry_id);
  event.set_sequence(++t_.last_sequence);
  MemoryEvent& stored = t_.events[event.sequence()];
  stored.event = event;
  // Kept as the SQL stores keep it: serialised.
  if (!stored.event.mutable_incident()->ParseFromString(snapshot)) {
    return absl::InternalError("the incident snapshot does not parse");
  }
  stored.created_at = at;
  return absl::OkStatus();
}

absl::Status MemoryWriteSteps::InsertDeliveries(const pb::IncidentEvent& event,
                                                const std::vector<std::string>& notifiers,
                                                absl::Time at) {
  if (t_.events.count(event.sequence()) == 0) return MissingRow("events", event.sequence());
  for (const std::string& notifier : notifiers) {
    MemoryDelivery& d = t_.deliveries[++t_.last_delivery];
    d.id = t_.last_delivery;
    d.event_sequence = event.sequence();
    d.incident_id = event.incident().id();
    d.notifier = notifier;
    d.next_attempt_at = d.created_at = d.updated_at = at;
  }
  return absl::OkStatus();
}

absl::StatusOr<bool> MemoryWriteSteps::OnceKeySeen(int64_t incident_id, const std::string& key) {
  for (const auto& [sequence, e] : t_.events) {
    if (e.event.incident().id() == incident_id && e.once_key == key) return true;
  }
  return false;
}

absl::Status MemoryWriteSteps::MarkOnce(int64_t sequence, const std::string& key) {
  auto it = t_.events.find(sequence);
  if (it == t_.events.end()) return MissingRow("events", sequence);
  // The unique index on (incident, once_key).
  absl::StatusOr<bool> seen = OnceKeySeen(it->second.event.incident().id(), key);
  if (!seen.ok() || *seen) return absl::InternalError("once_key stored twice");
  it->second.once_key = key;
  return absl::OkStatus();
}

absl::StatusOr<std::optional<DeliveryHead>> MemoryWriteSteps::SelectDelivery(int64_t id) {
  auto it = t_.deliveries.find(id);
  if (it == t_.deliveries.end()) return std::optional<DeliveryHead>();
  const MemoryDelivery& d = it->second;
  return std::optional<DeliveryHead>(
      DeliveryHead{d.incident_id, d.state, d.notifier, d.last_error});
}

absl::Status MemoryWriteSteps::SetDelivered(int64_t id, absl::Time now) {
  auto it = t_.deliveries.find(id);
  if (it == t_.deliveries.end()) return MissingRow("deliveries", id);
  MemoryDelivery& d = it->second;
  d.state = pb::DELIVERY_STATE_DELIVERED;
  ++d.attempts;
  d.last_error.clear();
  d.delivered_at = d.updated_at = now;
  return absl::OkStatus();
}

absl::Status MemoryWriteSteps::WakeSuccessors(int64_t incident_id, const std::string& notifier,
                                              absl::Time now) {
  for (auto& [id, d] : t_.deliveries) {
    if (d.state == pb::DELIVERY_STATE_PENDING && d.incident_id == incident_id &&
        d.notifier == notifier && d.next_attempt_at > now) {
      d.next_attempt_at = now;
    }
  }
  return absl::OkStatus();
}

absl::Status MemoryWriteSteps::SetRetried(int64_t id, absl::Time now) {
  auto it = t_.deliveries.find(id);
  if (it == t_.deliveries.end()) return MissingRow("deliveries", id);
  it->second.state = pb::DELIVERY_STATE_PENDING;
  it->second.next_attempt_at = it->second.updated_at = now;
  return absl::OkStatus();
}

}  // namespace ff::testing
