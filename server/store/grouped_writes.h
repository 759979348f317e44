// GroupedWrites: the writes a backend commits in groups (GroupCommit), each
// running the shared StoreTransaction over the steps of the group's
// transaction. A backend supplies the group runner (its transaction and
// savepoints) and how to begin a StoreTransaction inside it; Store's
// blocking and asynchronous writes then read the same in every backend.
// Thread-safe (as GroupCommit).
#ifndef FF_SERVER_STORE_GROUPED_WRITES_H_
#define FF_SERVER_STORE_GROUPED_WRITES_H_

#include <cstdint>
#include <functional>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "server/store/group_commit.h"
#include "server/store/outbox_store.h"
#include "server/store/store.h"
#include "server/store/store_transaction.h"

namespace ff {

class GroupedWrites {
 public:
  // Begin returns a StoreTransaction over the running group's transaction;
  // it is called only by members, while `runner` runs them.
  using Begin = std::function<StoreTransaction()>;

  // `runner` and `begin` must stay usable until this object is destroyed
  // (which waits for every submitted write).
  GroupedWrites(GroupCommit::GroupRunner runner, size_t max_group, Begin begin)
      : begin_(std::move(begin)), group_(std::move(runner), max_group) {}

  // Store::Open, Store::OpenAsync, Store::Mutate and Store::MutateAsync.
  absl::StatusOr<Committed> Open(const Change& change);
  void OpenAsync(Change change, CommitDone done);
  absl::StatusOr<Committed> Mutate(int64_t id, const Mutation& mutation);
  void MutateAsync(int64_t id, Mutation mutation, CommitDone done);
  // Store::WriteFollowUp and Store::WriteFollowUpAsync.
  absl::StatusOr<Committed> WriteFollowUp(const FollowUpTarget& target,
                                          const FollowUpMutation& mutation);
  void WriteFollowUpAsync(FollowUpTarget target, FollowUpMutation mutation, CommitDone done);
  // OutboxStore::RecordOnce and OutboxStore::MarkDelivered.
  absl::StatusOr<bool> RecordOnce(int64_t id, const OnceDecision& decide, absl::Time now);
  absl::Status MarkDelivered(int64_t id, const WriteBack& write_back, absl::Time now);

  // Groups committed so far, and writes waiting for a group.
  int64_t groups() { return group_.groups(); }
  size_t waiting() { return group_.waiting(); }

 private:
  const Begin begin_;
  GroupCommit group_;  // last: its members use begin_
};

}  // namespace ff

#endif  // FF_SERVER_STORE_GROUPED_WRITES_H_
