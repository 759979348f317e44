// SqliteStore: the Store on an embedded SQLite database (through SQLiteCpp).
//
// WAL journal with synchronous=FULL: a write that returned OK is on disk and
// survives kill -9 or a power cut. Concurrent writes are grouped (group
// commit): one BEGIN IMMEDIATE … COMMIT, and so one sync, for every write
// queued meanwhile, each member in its own savepoint so one that fails does
// not fail the others; no caller is answered before its group is durable.
// Reads use a small pool of reader connections and never wait for the writer.
// Thread-safe.
#ifndef FF_SERVER_STORE_SQLITE_STORE_H_
#define FF_SERVER_STORE_SQLITE_STORE_H_

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "SQLiteCpp/Database.h"
#include "SQLiteCpp/Statement.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "server/store/group_commit.h"
#include "server/store/grouped_writes.h"
#include "server/store/outbox_store.h"
#include "server/store/store.h"
#include "server/store/store_transaction.h"

namespace ff {

class SqliteWriter;

class SqliteStore final : public Store, public OutboxStore {
 public:
  // Create opens (creating if absent) the database at `path`, checks it
  // (PRAGMA quick_check: it reads every page once) and upgrades its schema.
  // FAILED_PRECONDITION for a database newer than this binary, a file this
  // process may not write (SQLite would quietly open it read-only and fail
  // every write) or one that fails quick_check; UNAVAILABLE when the file
  // cannot be opened or is not a database. Messages name the file.
  static absl::StatusOr<std::unique_ptr<SqliteStore>> Create(const std::string& path);
  ~SqliteStore() override;

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

  // Groups committed so far (one transaction and sync each).
  int64_t group_commits() { return writes_.groups(); }
  size_t writes_waiting() { return writes_.waiting(); }

  // OutboxStore (sqlite_outbox.cc).
  void SetOutboxRouter(OutboxRouter router) override;
  absl::StatusOr<std::vector<DueDelivery>> DueDeliveries(absl::Time now, int limit) override;
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
  absl::StatusOr<bool> RecordOnce(int64_t id, const OnceDecision& decide, absl::Time now) override;
  absl::StatusOr<pb::Delivery> RetryDelivery(int64_t id, const Audit& by, absl::Time now) override;

 private:
  // Reader is a pooled read connection with the statements prepared on it
  // (a page read's query is parsed once per connection, not once per call).
  struct Reader {
    std::unique_ptr<SQLite::Database> db;
    absl::flat_hash_map<std::string, std::unique_ptr<SQLite::Statement>> statements;
  };
  // ReaderLease returns its connection to the pool when it goes out of scope,
  // after resetting every statement it used: a statement left stepped would
  // hold its read snapshot open, and the next lease would read the past.
  class ReaderLease {
   public:
    ReaderLease(SqliteStore* store, std::unique_ptr<Reader> reader)
        : store_(store), reader_(std::move(reader)) {}
    ~ReaderLease();
    ReaderLease(const ReaderLease&) = delete;
    ReaderLease& operator=(const ReaderLease&) = delete;
    SQLite::Database& operator*() { return *reader_->db; }
    // Prepared returns this connection's statement for `sql`, prepared on
    // first use, with no bindings. Throws SQLite::Exception like Statement.
    SQLite::Statement& Prepared(const std::string& sql);

   private:
    SqliteStore* store_;
    std::unique_ptr<Reader> reader_;
    std::vector<SQLite::Statement*> used_;
  };

  static constexpr size_t kMaxGroup = 128;

  SqliteStore(std::string path, std::unique_ptr<SqliteWriter> writer);
  // Transaction is the shared logic of a write over the writer.
  // REQUIRES: write_mu_ held, inside a WriteTransaction.
  StoreTransaction Transaction();

  // CommitGroup is the GroupCommit runner: one transaction, a savepoint per
  // member, then the observer for each member that committed.
  std::vector<absl::StatusOr<Committed>> CommitGroup(
      const std::vector<const GroupCommit::Body*>& bodies);
  // Commit runs the observer for a committed write. REQUIRES: write_mu_ held.
  void Notify(const Committed& committed) {
    if (observer_ && !committed.events.empty()) observer_(committed);
  }
  absl::StatusOr<std::unique_ptr<Reader>> AcquireReader();
  void ReleaseReader(std::unique_ptr<Reader> reader);

  const std::string path_;
  std::mutex write_mu_;  // one write transaction at a time
  std::unique_ptr<SqliteWriter> writer_;
  OutboxRouter router_;  // under write_mu_
  CommitObserver observer_;
  GroupedWrites writes_;  // after writer_: its runner uses it

  absl::Mutex readers_mu_;
  std::vector<std::unique_ptr<Reader>> idle_readers_ ABSL_GUARDED_BY(readers_mu_);
};

}  // namespace ff

#endif  // FF_SERVER_STORE_SQLITE_STORE_H_
