#include "tests/testing/memory_store.h"

#include <algorithm>
#include <utility>

#include "common/status_macros.h"
#include "server/core/time_util.h"

namespace ff::testing {

void MemoryStore::SetCommitObserver(CommitObserver observer) {
  absl::MutexLock lock(&mu_);
  observer_ = std::move(observer);
}

std::vector<pb::IncidentEvent> MemoryStore::Record(const pb::Incident& incident,
                                                   const std::vector<ChangeRecord>& records) {
  std::vector<pb::IncidentEvent> events;
  for (const ChangeRecord& record : records) {
    pb::IncidentEvent event;
    event.set_type(record.event_type);
    *event.mutable_incident() = incident;
    pb::TimelineEntry* entry = event.mutable_entry();
    *entry = record.entry;
    entry->set_incident_id(incident.id());
    entry->set_id(static_cast<int64_t>(entries_.size()) + 1);
    entries_.push_back(*entry);
    event.set_sequence(next_sequence_++);
    events.push_back(std::move(event));
  }
  return events;
}

absl::StatusOr<Committed> MemoryStore::Open(const Change& change) {
  absl::MutexLock lock(&mu_);
  const std::string& key = change.incident.dedup_key();
  for (const auto& [id, incident] : incidents_) {
    if (!key.empty() && incident.dedup_key() == key && incident.status() != pb::STATUS_CLOSED) {
      return Committed{incident, {}, false};
    }
  }
  Committed committed;
  committed.incident = change.incident;
  committed.incident.set_id(incidents_.empty() ? 1 : incidents_.rbegin()->first + 1);
  incidents_[committed.incident.id()] = committed.incident;
  committed.events = Record(committed.incident, change.records);
  committed.created = true;
  if (observer_) observer_(committed);
  return committed;
}

absl::StatusOr<Committed> MemoryStore::Mutate(int64_t id, const Mutation& mutation) {
  absl::MutexLock lock(&mu_);
  auto it = incidents_.find(id);
  if (it == incidents_.end()) return NotFoundIncident(id);
  FF_ASSIGN_OR_RETURN(Change change, mutation(it->second));
  if (change.records.empty()) return Committed{it->second, {}, false};
  it->second = change.incident;
  Committed committed{change.incident, Record(change.incident, change.records), false};
  if (observer_) observer_(committed);
  return committed;
}

absl::StatusOr<pb::Incident> MemoryStore::Get(int64_t id) {
  absl::MutexLock lock(&mu_);
  auto it = incidents_.find(id);
  if (it == incidents_.end()) return NotFoundIncident(id);
  return it->second;
}

absl::StatusOr<IncidentPage> MemoryStore::List(const IncidentFilter& filter, int32_t limit,
                                               int64_t before_id) {
  absl::MutexLock lock(&mu_);
  IncidentPage page;
  for (auto it = incidents_.rbegin(); it != incidents_.rend(); ++it) {
    if (before_id > 0 && it->first >= before_id) continue;
    if (!MatchesFilter(it->second, filter)) continue;
    if (page.incidents.size() == static_cast<size_t>(limit)) {
      page.next_before_id = page.incidents.back().id();
      break;
    }
    page.incidents.push_back(it->second);
  }
  return page;
}

absl::StatusOr<std::vector<pb::TimelineEntry>> MemoryStore::Timeline(int64_t id) {
  absl::MutexLock lock(&mu_);
  if (incidents_.count(id) == 0) return NotFoundIncident(id);
  std::vector<pb::TimelineEntry> out;
  for (const pb::TimelineEntry& e : entries_) {
    if (e.incident_id() == id) out.push_back(e);
  }
  std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    return ToUnixMicros(a.time()) < ToUnixMicros(b.time());
  });
  return out;
}

}  // namespace ff::testing
