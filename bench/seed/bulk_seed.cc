#include "bench/seed/bulk_seed.h"

#include <algorithm>
#include <array>
#include <memory>

#include "SQLiteCpp/Database.h"
#include "SQLiteCpp/Exception.h"
#include "SQLiteCpp/Statement.h"
#include "SQLiteCpp/Transaction.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "server/core/time_util.h"
#include "server/store/sqlite_codec.h"
#include "server/store/sqlite_schema.h"

namespace ff::bench {
namespace {

constexpr std::array<const char*, 4> kDomains = {"payment", "search", "main-website", "backoffice"};
constexpr int kStatusCount = 6;  // STATUS_OPEN (1) … STATUS_CLOSED (6)

// Inserter holds the prepared statements of one seeding run.
class Inserter {
 public:
  explicit Inserter(SQLite::Database& db)
      : db_(db),
        // The service's own statement and binding: the seeded rows carry
        // what every write stores, their record included.
        incident_(db, absl::StrCat("INSERT INTO incidents ", kIncidentInsert)),
        entry_(db,
               "INSERT INTO timeline (incident_id, time, kind, actor, text) "
               "VALUES (?, ?, ?, 'seed', ?)") {}

  // Insert stores incident number `n` with `entries` timeline entries.
  void Insert(int64_t n, int entries, int64_t now_us) {
    const int status = 1 + static_cast<int>(n % kStatusCount);
    const int64_t at = now_us - (1000000 - n % 1000000) * 1000;
    pb::Incident incident;
    incident.set_title(absl::StrCat("Seeded incident ", n, ": checkout latency above SLO"));
    incident.set_description("Synthetic incident written by ff-seed-db for benchmarks.");
    incident.set_domain(kDomains[n % kDomains.size()]);
    incident.set_severity(static_cast<pb::Severity>(1 + n % 5));
    incident.set_status(static_cast<pb::Status>(status));
    incident.set_reporter("seed");
    if (status > 1) incident.mutable_roles()->set_commander("alice");
    *incident.mutable_occurred_at() = FromUnixMicros(at);
    *incident.mutable_created_at() = FromUnixMicros(at);
    *incident.mutable_updated_at() = FromUnixMicros(at + 1000);
    if (status > 1) *incident.mutable_investigating_at() = FromUnixMicros(at + 500);
    if (status == kStatusCount) {
      *incident.mutable_closed_at() = FromUnixMicros(at + 1000);
      incident.set_close_reason(pb::CLOSE_REASON_MISTAKE);
    }
    incident.set_version(entries);
    incident_.reset();
    BindIncident(incident_, incident);
    incident_.exec();
    const int64_t id = db_.getLastInsertRowid();
    for (int e = 0; e < entries; ++e) InsertEntry(id, at + e, e);
  }

 private:
  void InsertEntry(int64_t id, int64_t time, int e) {
    static constexpr std::array<const char*, 3> kKinds = {"opened", "status", "note"};
    entry_.reset();
    entry_.bind(1, id);
    entry_.bind(2, time);
    entry_.bind(3, kKinds[e < 2 ? e : 2]);
    entry_.bind(4, absl::StrCat("seeded timeline entry ", e));
    entry_.exec();
  }

  SQLite::Database& db_;
  SQLite::Statement incident_;
  SQLite::Statement entry_;
};

}  // namespace

absl::Status BulkSeedDatabase(const std::string& path, const BulkSeedOptions& options) {
  std::unique_ptr<SQLite::Database> db;
  try {
    db = std::make_unique<SQLite::Database>(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    db->exec("PRAGMA journal_mode = WAL");
    db->exec("PRAGMA synchronous = OFF");  // setup only: a crash just means reseeding
  } catch (const SQLite::Exception& e) {
    return absl::UnavailableError(absl::StrCat("cannot open ", path, ": ", e.what()));
  }
  if (absl::Status s = MigrateSqlite(*db); !s.ok()) return s;
  const int64_t now_us = absl::ToUnixMicros(absl::Now());
  try {
    Inserter inserter(*db);
    for (int64_t n = 0; n < options.incidents;) {
      SQLite::Transaction txn(*db);
      const int64_t end = std::min(options.incidents, n + options.rows_per_transaction);
      for (; n < end; ++n) inserter.Insert(n, options.entries_per_incident, now_us);
      txn.commit();
    }
    db->exec("PRAGMA wal_checkpoint(TRUNCATE)");
  } catch (const SQLite::Exception& e) {
    return absl::InternalError(absl::StrCat("seeding ", path, " failed: ", e.what()));
  }
  return absl::OkStatus();
}

}  // namespace ff::bench
