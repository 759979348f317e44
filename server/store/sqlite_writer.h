// SqliteWriter: the write connection of SqliteStore and its prepared
// statements. Not thread-safe: SqliteStore serialises every use under its
// write mutex, inside a WriteTransaction.
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

namespace ff {

class SqliteWriter {
 public:
  explicit SqliteWriter(std::unique_ptr<SQLite::Database> db);

  SQLite::Database& db() { return *db_; }
  void set_router(OutboxRouter router) { router_ = std::move(router); }

  // Select reads incident `id`; NOT_FOUND when absent.
  absl::StatusOr<pb::Incident> Select(int64_t id);
  // FindOpenByDedupKey returns the non-closed incident holding `key`, if any.
  std::optional<pb::Incident> FindOpenByDedupKey(const std::string& key);
  // Insert stores a new incident and returns its id.
  int64_t Insert(const pb::Incident& incident);
  // Update writes `incident` over version `previous_version`; false when the
  // row moved on (impossible under the write lock: a broken invariant).
  bool Update(const pb::Incident& incident, int64_t previous_version);
  // Record stores the records' timeline entries, their events (with the
  // incident snapshot) and one delivery per notifier the router names. Events
  // are dated, and deliveries due, at `at` (default: incident.updated_at).
  std::vector<pb::IncidentEvent> Record(const pb::Incident& incident,
                                        const std::vector<ChangeRecord>& records,
                                        std::optional<absl::Time> at = std::nullopt);

 private:
  void InsertDeliveries(const pb::IncidentEvent& event, int64_t at_micros);

  std::unique_ptr<SQLite::Database> db_;
  OutboxRouter router_;
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
