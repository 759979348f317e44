// PgStore: the Store on a PostgreSQL database that several firefighterd
// replicas share (through libpq).
//
// Writes that store incidents or events take one transaction-scoped advisory
// lock (kPgWriteLock), shared by every replica: incident ids and event
// sequences are then assigned MAX + 1, gapless and in commit order, the
// dedup_key check cannot race, and an expected_version check holds across
// replicas. Within a replica, concurrent writes share one transaction (group
// commit, as SqliteStore), each member in its own savepoint, so a replica
// holds the lock once per group rather than once per write. Reads use the
// pool and never wait for the lock.
//
// The outbox half claims deliveries for a lease (claimed_by,
// claim_expires_at) with SELECT … FOR UPDATE SKIP LOCKED: every replica may
// dispatch, each delivery goes to one, and the claims of a replica that died
// are taken over once their lease expires.
//
// The commit observer sees the commits of every replica (PgEventFeed).
//
// A database that cannot be reached makes calls fail at once with
// UNAVAILABLE; the pool reconnects on later calls. Thread-safe.
#ifndef FF_SERVER_STORE_PG_STORE_H_
#define FF_SERVER_STORE_PG_STORE_H_

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "server/store/group_commit.h"
#include "server/store/grouped_writes.h"
#include "server/store/outbox_store.h"
#include "server/store/pg_connection.h"
#include "server/store/pg_event_feed.h"
#include "server/store/pg_writer.h"
#include "server/store/read_pool.h"
#include "server/store/store.h"
#include "server/store/store_transaction.h"

namespace ff {

struct PgStoreOptions {
  int pool_size = 8;  // connections to the database, at most (at least 2)
  // How long a claimed delivery stays this replica's: longer than any
  // notifier's call may take, or a slow delivery could be made twice.
  absl::Duration claim_lease = absl::Seconds(60);
  // Names this replica in claimed_by; empty: "HOST/PID". A replica that
  // starts on the host of a dead one so named takes its claims back at once
  // instead of waiting out their lease.
  std::string replica;
};

class PgStore final : public Store, public OutboxStore {
 public:
  // Create connects to `uri` (postgresql://…) and upgrades the schema.
  // INVALID_ARGUMENT for a malformed URI or options; UNAVAILABLE when the
  // database cannot be reached; FAILED_PRECONDITION for a schema newer than
  // this binary.
  static absl::StatusOr<std::unique_ptr<PgStore>> Create(const std::string& uri,
                                                         PgStoreOptions options);
  ~PgStore() override;

  absl::StatusOr<Committed> Open(const Change& change) override;
  absl::StatusOr<Committed> Mutate(int64_t id, const Mutation& mutation) override;
  void OpenAsync(Change change, CommitDone done) override;
  void MutateAsync(int64_t id, Mutation mutation, CommitDone done) override;
  absl::StatusOr<pb::Incident> Get(int64_t id) override;
  absl::StatusOr<int64_t> ListInto(const IncidentFilter& filter, int32_t limit, int64_t before_id,
                                   google::protobuf::RepeatedPtrField<pb::Incident>* out) override;
  absl::StatusOr<int64_t> ListRecords(const IncidentFilter& filter, int32_t limit,
                                      int64_t before_id,
                                      absl::FunctionRef<void(const IncidentRecord&)> each) override;
  // Reads wait on the database's round trips: they run on reads_ (one
  // thread per pooled connection), never on the caller's thread.
  void RunRead(std::function<void()> read) override { reads_.Run(std::move(read)); }
  absl::StatusOr<std::vector<pb::TimelineEntry>> Timeline(int64_t id) override;
  absl::StatusOr<Committed> WriteFollowUp(const FollowUpTarget& target,
                                          const FollowUpMutation& mutation) override;
  void WriteFollowUpAsync(FollowUpTarget target, FollowUpMutation mutation,
                          CommitDone done) override;
  absl::StatusOr<pb::FollowUp> GetFollowUp(int64_t id) override;
  absl::StatusOr<FollowUpPage> ListFollowUps(const FollowUpFilter& filter, int32_t limit,
                                             int64_t after_id) override;
  absl::StatusOr<FollowUpTotals> CountFollowUps(const std::string& today) override;
  // Also starts following the other replicas' commits.
  void SetCommitObserver(CommitObserver observer) override;

  // OutboxStore (pg_outbox.cc).
  void SetOutboxRouter(OutboxRouter router) override;
  // Claims what it returns for options.claim_lease.
  absl::StatusOr<std::vector<DueDelivery>> DueDeliveries(absl::Time now, int limit) override;
  // Counts a claimed delivery from its claim's expiry.
  absl::StatusOr<std::optional<absl::Time>> NextDueTime() override;
  absl::StatusOr<StoredDelivery> LoadDelivery(int64_t id, bool with_timeline) override;
  absl::StatusOr<std::string> InstallationId() override;
  absl::Status SaveProgress(int64_t id, const std::string& progress, absl::Time now) override;
  absl::Status Defer(int64_t id, absl::Time until, const std::string& reason,
                     absl::Time now) override;
  absl::Status MarkDelivered(int64_t id, const WriteBack& write_back, absl::Time now) override;
  absl::Status MarkFailed(int64_t id, const std::string& error, std::optional<absl::Time> retry_at,
                          absl::Time now) override;
  absl::StatusOr<std::vector<pb::Delivery>> ListDeliveries(const DeliveryFilter& filter,
                                                           int32_t limit,
                                                           int64_t before_id) override;
  absl::StatusOr<pb::Delivery> RetryDelivery(int64_t id, const Audit& by, absl::Time now) override;
  absl::StatusOr<bool> RecordOnce(int64_t id, const OnceDecision& decide, absl::Time now) override;

 private:
  static constexpr size_t kMaxGroup = 128;

  PgStore(const std::string& uri, PgStoreOptions options, int64_t watermark);
  // CommitGroup is the GroupCommit runner: one transaction under the write
  // lock, a savepoint per member when there are several, then the feed.
  std::vector<absl::StatusOr<Committed>> CommitGroup(
      const std::vector<const GroupCommit::Body*>& bodies);
  // RunMembers runs each body on `tx`, isolating failures in savepoints.
  std::vector<absl::StatusOr<Committed>> RunMembers(
      PgConnection& tx, const std::vector<const GroupCommit::Body*>& bodies);
  // Transaction is the shared logic of a write over the running group's
  // connection. REQUIRES: called by a group member (steps_ set).
  StoreTransaction Transaction();
  // ReleaseDeadClaims frees the claims of processes of this host that are
  // gone (a replica restarted after a crash).
  absl::Status ReleaseDeadClaims();
  absl::Status NotPending(PgConnection& conn, int64_t id);

  PgStoreOptions options_;
  PgPool pool_;
  ReadPool reads_;  // after pool_: its reads use it until they are done
  PgEventFeed feed_;
  OutboxRouter router_;                // set before the first write
  std::optional<PgWriteSteps> steps_;  // the running group's (runner only)
  GroupedWrites writes_;               // last: its runner uses the members above
};

}  // namespace ff

#endif  // FF_SERVER_STORE_PG_STORE_H_
