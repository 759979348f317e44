#include "tests/testing/memory_store.h"

#include <random>
#include <utility>

#include "absl/strings/str_format.h"

namespace ff::testing {
namespace {

// NewInstallationId is 16 lower-case hex digits, as the SQL stores make.
std::string NewInstallationId() {
  std::random_device seed;
  std::mt19937_64 random(static_cast<uint64_t>(seed()) << 32 | seed());
  return absl::StrFormat("%016x", random());
}

}  // namespace

MemoryStore::MemoryStore()
    : installation_id_(NewInstallationId()),
      writes_(
          [this](const std::vector<const GroupCommit::Body*>& bodies) {
            return CommitGroup(bodies);
          },
          kMaxGroup, [this] { return Transaction(); }) {}

MemoryStore::~MemoryStore() = default;

void MemoryStore::SetCommitObserver(CommitObserver observer) {
  absl::MutexLock lock(&mu_);
  observer_ = std::move(observer);
}

StoreTransaction MemoryStore::Transaction() { return StoreTransaction(*steps_, router_); }

std::vector<absl::StatusOr<Committed>> MemoryStore::CommitGroup(
    const std::vector<const GroupCommit::Body*>& bodies) {
  absl::MutexLock lock(&mu_);
  MemoryTables working = tables_;
  steps_.emplace(working);
  std::vector<absl::StatusOr<Committed>> results;
  for (const GroupCommit::Body* body : bodies) {
    MemoryTables savepoint = working;
    results.push_back((*body)());
    if (!results.back().ok()) working = std::move(savepoint);
  }
  steps_.reset();
  tables_ = std::move(working);
  for (const auto& result : results) {
    if (observer_ && result.ok() && !result->events.empty()) observer_(*result);
  }
  return results;
}

absl::StatusOr<Committed> MemoryStore::Open(const Change& change) { return writes_.Open(change); }

void MemoryStore::OpenAsync(Change change, CommitDone done) {
  writes_.OpenAsync(std::move(change), std::move(done));
}

absl::StatusOr<Committed> MemoryStore::Mutate(int64_t id, const Mutation& mutation) {
  return writes_.Mutate(id, mutation);
}

void MemoryStore::MutateAsync(int64_t id, Mutation mutation, CommitDone done) {
  writes_.MutateAsync(id, std::move(mutation), std::move(done));
}

absl::StatusOr<pb::Incident> MemoryStore::Get(int64_t id) {
  absl::MutexLock lock(&mu_);
  auto it = tables_.incidents.find(id);
  if (it == tables_.incidents.end()) return NotFoundIncident(id);
  return it->second;
}

absl::StatusOr<int64_t> MemoryStore::ListInto(
    const IncidentFilter& filter, int32_t limit, int64_t before_id,
    google::protobuf::RepeatedPtrField<pb::Incident>* out) {
  absl::MutexLock lock(&mu_);
  const int first = out->size();
  for (auto it = tables_.incidents.rbegin(); it != tables_.incidents.rend(); ++it) {
    if (before_id > 0 && it->first >= before_id) continue;
    if (!MatchesFilter(it->second, filter)) continue;
    *out->Add() = it->second;
    if (out->size() - first > limit) break;
  }
  return TrimIncidentPage(out, first, limit);
}

absl::StatusOr<std::vector<pb::TimelineEntry>> MemoryStore::Timeline(int64_t id) {
  absl::MutexLock lock(&mu_);
  if (tables_.incidents.count(id) == 0) return NotFoundIncident(id);
  return tables_.Timeline(id);
}

absl::StatusOr<Committed> MemoryStore::WriteFollowUp(const FollowUpTarget& target,
                                                     const FollowUpMutation& mutation) {
  return writes_.WriteFollowUp(target, mutation);
}

void MemoryStore::WriteFollowUpAsync(FollowUpTarget target, FollowUpMutation mutation,
                                     CommitDone done) {
  writes_.WriteFollowUpAsync(target, std::move(mutation), std::move(done));
}

absl::StatusOr<pb::FollowUp> MemoryStore::GetFollowUp(int64_t id) {
  absl::MutexLock lock(&mu_);
  auto it = tables_.follow_ups.find(id);
  if (it == tables_.follow_ups.end()) return NotFoundFollowUp(id);
  return it->second;
}

absl::StatusOr<FollowUpPage> MemoryStore::ListFollowUps(const FollowUpFilter& filter, int32_t limit,
                                                        int64_t after_id) {
  absl::MutexLock lock(&mu_);
  FollowUpPage page;
  for (auto it = tables_.follow_ups.upper_bound(after_id); it != tables_.follow_ups.end(); ++it) {
    if (!MatchesFollowUpFilter(it->second, filter)) continue;
    page.follow_ups.push_back(it->second);
    if (page.follow_ups.size() > static_cast<size_t>(limit)) break;
  }
  TrimFollowUpPage(page, limit);
  return page;
}

absl::StatusOr<FollowUpTotals> MemoryStore::CountFollowUps(const std::string& today) {
  absl::MutexLock lock(&mu_);
  FollowUpTotals totals;
  for (const auto& [id, f] : tables_.follow_ups) {
    if (f.status() != pb::FOLLOW_UP_STATUS_OPEN) continue;
    ++totals.open;
    if (!f.due_date().empty() && f.due_date() < today) ++totals.overdue;
  }
  return totals;
}

}  // namespace ff::testing
