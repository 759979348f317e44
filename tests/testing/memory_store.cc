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

absl::StatusOr<IncidentPage> MemoryStore::List(const IncidentFilter& filter, int32_t limit,
                                               int64_t before_id) {
  absl::MutexLock lock(&mu_);
  IncidentPage page;
  for (auto it = tables_.incidents.rbegin(); it != tables_.incidents.rend(); ++it) {
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
  if (tables_.incidents.count(id) == 0) return NotFoundIncident(id);
  return tables_.Timeline(id);
}

}  // namespace ff::testing
