// MemoryStore: a Store and OutboxStore kept in memory, the fake the contract
// suites hold SqliteStore and PgStore to. Same semantics, no durability: its
// writes run the shared StoreTransaction and outbox rules over MemoryTables,
// through the same GroupCommit (so asynchronous writes are answered from
// another thread, as the real stores answer them), each write all or nothing.
// Deliveries are not claimed (one dispatcher). Thread-safe.
#ifndef FF_TESTS_TESTING_MEMORY_STORE_H_
#define FF_TESTS_TESTING_MEMORY_STORE_H_

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "server/store/group_commit.h"
#include "server/store/grouped_writes.h"
#include "server/store/outbox_rules.h"
#include "server/store/outbox_store.h"
#include "server/store/store.h"
#include "server/store/store_transaction.h"
#include "tests/testing/memory_tables.h"

namespace ff::testing {

class MemoryStore final : public Store, public OutboxStore {
 public:
  MemoryStore();
  ~MemoryStore() override;

  absl::StatusOr<Committed> Open(const Change& change) override;
  absl::StatusOr<Committed> Mutate(int64_t id, const Mutation& mutation) override;
  void OpenAsync(Change change, CommitDone done) override;
  void MutateAsync(int64_t id, Mutation mutation, CommitDone done) override;
  absl::StatusOr<pb::Incident> Get(int64_t id) override;
  absl::StatusOr<int64_t> ListInto(const IncidentFilter& filter, int32_t limit, int64_t before_id,
                                   google::protobuf::RepeatedPtrField<pb::Incident>* out) override;
  absl::StatusOr<std::vector<pb::TimelineEntry>> Timeline(int64_t id) override;
  absl::StatusOr<Committed> WriteFollowUp(const FollowUpTarget& target,
                                          const FollowUpMutation& mutation) override;
  void WriteFollowUpAsync(FollowUpTarget target, FollowUpMutation mutation,
                          CommitDone done) override;
  absl::StatusOr<pb::FollowUp> GetFollowUp(int64_t id) override;
  absl::StatusOr<FollowUpPage> ListFollowUps(const FollowUpFilter& filter, int32_t limit,
                                             int64_t after_id) override;
  absl::StatusOr<FollowUpTotals> CountFollowUps(const std::string& today) override;
  void SetCommitObserver(CommitObserver observer) override;

  // OutboxStore (memory_outbox.cc).
  void SetOutboxRouter(OutboxRouter router) override;
  absl::StatusOr<std::vector<DueDelivery>> DueDeliveries(absl::Time now, int limit) override;
  absl::StatusOr<std::optional<absl::Time>> NextDueTime() override;
  absl::StatusOr<std::string> InstallationId() override;
  absl::StatusOr<StoredDelivery> LoadDelivery(int64_t id, bool with_timeline) override;
  absl::Status MarkDelivered(int64_t id, const WriteBack& write_back, absl::Time now) override;
  absl::Status MarkFailed(int64_t id, const std::string& error, std::optional<absl::Time> retry_at,
                          absl::Time now) override;
  absl::Status SaveProgress(int64_t id, const std::string& progress, absl::Time now) override;
  absl::Status Defer(int64_t id, absl::Time until, const std::string& reason,
                     absl::Time now) override;
  absl::StatusOr<std::vector<pb::Delivery>> ListDeliveries(const DeliveryFilter& filter,
                                                           int32_t limit,
                                                           int64_t before_id) override;
  absl::StatusOr<bool> RecordOnce(int64_t id, const OnceDecision& decide, absl::Time now) override;
  absl::StatusOr<pb::Delivery> RetryDelivery(int64_t id, const Audit& by, absl::Time now) override;

 private:
  static constexpr size_t kMaxGroup = 128;

  // CommitGroup is the GroupCommit runner: every member on a copy of the
  // tables, kept only when it succeeds; then the observer.
  std::vector<absl::StatusOr<Committed>> CommitGroup(
      const std::vector<const GroupCommit::Body*>& bodies);
  // Transaction is the shared logic of a write over the running group's
  // working tables. REQUIRES: called by a group member (the runner holds
  // mu_ while the members run).
  StoreTransaction Transaction();
  // PendingDeliveries are the pending rows as the due rules see them.
  std::vector<PendingDelivery> PendingDeliveries() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // ChangePending runs `change` on pending delivery `id`, or explains why it
  // is not pending.
  absl::Status ChangePending(int64_t id, const std::function<void(MemoryDelivery&)>& change)
      ABSL_LOCKS_EXCLUDED(mu_);

  absl::Mutex mu_;
  MemoryTables tables_ ABSL_GUARDED_BY(mu_);
  std::optional<MemoryWriteSteps> steps_ ABSL_GUARDED_BY(mu_);  // the running group's
  OutboxRouter router_ ABSL_GUARDED_BY(mu_);
  CommitObserver observer_ ABSL_GUARDED_BY(mu_);
  const std::string installation_id_;
  GroupedWrites writes_;  // last: its runner uses the members above
};

}  // namespace ff::testing

#endif  // FF_TESTS_TESTING_MEMORY_STORE_H_
