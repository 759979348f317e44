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
        incident_(db,
                  "INSERT INTO incidents (title, description, domain, severity, status, reporter, "
                  "commander, occurred_at, created_at, updated_at, investigating_at, "
                  "closed_at, close_reason, version) "
                  "VALUES (?, ?, ?, ?, ?, 'seed', ?, ?, ?, ?, ?, ?, ?, ?)"),
        entry_(db,
               "INSERT INTO timeline (incident_id, time, kind, actor, text) "
               "VALUES (?, ?, ?, 'seed', ?)") {}

  // Insert stores incident number `n` with `entries` timeline entries.
  void Insert(int64_t n, int entries, int64_t now_us) {
    const int status = 1 + static_cast<int>(n % kStatusCount);
    const int64_t at = now_us - (1000000 - n % 1000000) * 1000;
    incident_.reset();
    incident_.bind(1, absl::StrCat("Seeded incident ", n, ": checkout latency above SLO"));
    incident_.bind(2, "Synthetic incident written by ff-seed-db for benchmarks.");
    incident_.bind(3, kDomains[n % kDomains.size()]);
    incident_.bind(4, 1 + static_cast<int>(n % 5));
    incident_.bind(5, status);
    incident_.bind(6, status > 1 ? "alice" : "");
    incident_.bind(7, at);
    incident_.bind(8, at);
    incident_.bind(9, at + 1000);
    if (status > 1)
      incident_.bind(10, at + 500);
    else
      incident_.bind(10);
    if (status == kStatusCount)
      incident_.bind(11, at + 1000);
    else
      incident_.bind(11);
    incident_.bind(12, status == kStatusCount ? 2 : 0);  // closed as a mistake
    incident_.bind(13, static_cast<int64_t>(entries));
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
