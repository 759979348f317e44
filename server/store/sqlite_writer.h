// SqliteWriter: the write connection of SqliteStore, its prepared statements
// and the WriteSteps they make. Not thread-safe: SqliteStore serialises every
// use under its write mutex, inside a WriteTransaction.
#ifndef FF_SERVER_STORE_SQLITE_WRITER_H_
#define FF_SERVER_STORE_SQLITE_WRITER_H_

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "SQLiteCpp/Database.h"
#include "SQLiteCpp/Statement.h"
#include "absl/status/statusor.h"
#include "server/store/outbox_store.h"
#include "server/store/store.h"
#include "server/store/write_steps.h"

namespace ff {

class SqliteWriter final : public WriteSteps {
 public:
  explicit SqliteWriter(std::unique_ptr<SQLite::Database> db);

  SQLite::Database& db() { return *db_; }

  // WriteSteps. Failures throw SQLite::Exception (see FromSqlite).
  absl::StatusOr<pb::Incident> SelectIncident(int64_t id) override;
  absl::StatusOr<std::optional<pb::Incident>> FindOpenByDedupKey(const std::string& key) override;
  absl::StatusOr<std::optional<int64_t>> InsertIncident(const pb::Incident& incident) override;
  absl::StatusOr<bool> UpdateIncident(const pb::Incident& incident,
                                      int64_t previous_version) override;
  absl::StatusOr<pb::FollowUp> SelectFollowUp(int64_t id) override;
  absl::StatusOr<int64_t> InsertFollowUp(const pb::FollowUp& follow_up) override;
  absl::Status UpdateFollowUp(const pb::FollowUp& follow_up) override;
  absl::StatusOr<int64_t> InsertEntry(const pb::TimelineEntry& entry) override;
  absl::Status InsertEvent(pb::IncidentEvent& event, const std::string& snapshot,
                           absl::Time at) override;
  absl::Status InsertDeliveries(const pb::IncidentEvent& event,
                                const std::vector<std::string>& notifiers, absl::Time at) override;
  absl::StatusOr<bool> OnceKeySeen(int64_t incident_id, const std::string& key) override;
  absl::Status MarkOnce(int64_t sequence, const std::string& key) override;
  absl::StatusOr<std::optional<DeliveryHead>> SelectDelivery(int64_t id) override;
  absl::Status SetDelivered(int64_t id, absl::Time now) override;
  absl::Status WakeSuccessors(int64_t incident_id, const std::string& notifier,
                              absl::Time now) override;
  absl::Status SetRetried(int64_t id, absl::Time now) override;

 private:
  std::unique_ptr<SQLite::Database> db_;
  SQLite::Statement select_;
  SQLite::Statement find_dedup_;
  SQLite::Statement insert_;
  SQLite::Statement update_;
  SQLite::Statement insert_entry_;
  SQLite::Statement insert_event_;
  SQLite::Statement insert_delivery_;
};

// WriteTransaction is BEGIN IMMEDIATE … COMMIT, rolled back unless committed.
class WriteTransaction {
 public:
  explicit WriteTransaction(SQLite::Database& db) : db_(db) { db_.exec("BEGIN IMMEDIATE"); }
  ~WriteTransaction();
  WriteTransaction(const WriteTransaction&) = delete;
  WriteTransaction& operator=(const WriteTransaction&) = delete;
  void Commit();

 private:
  SQLite::Database& db_;
  bool open_ = true;
};

// FromSqlite maps a SQLite failure to the status the service reports: a busy
// or locked database, a full disk or an I/O error is UNAVAILABLE (retry the
// call), anything else INTERNAL.
absl::Status FromSqlite(const std::exception& e, absl::string_view what);

}  // namespace ff

#endif  // FF_SERVER_STORE_SQLITE_WRITER_H_
