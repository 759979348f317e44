// The SQLite schema as an ordered list of migrations.
//
// PRAGMA user_version holds how many migrations a database has had. Opening a
// database applies the missing ones, each in its own transaction with its
// version bump, so an old database is upgraded in place and a crash midway
// leaves it at a consistent earlier version. Migrations are append-only: never
// edit one that has shipped.
#ifndef FF_SERVER_STORE_SQLITE_SCHEMA_H_
#define FF_SERVER_STORE_SQLITE_SCHEMA_H_

#include <vector>

#include "SQLiteCpp/Column.h"
#include "SQLiteCpp/Database.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace ff {

// kSqliteMigrations[i] takes a database from version i to i + 1.
const std::vector<absl::string_view>& SqliteMigrations();

// MigrateSqlite upgrades `db` to `target` (default: the latest) migrations.
// FAILED_PRECONDITION when the database is newer than this binary knows;
// INTERNAL when a migration fails (the database keeps its previous version).
absl::Status MigrateSqlite(SQLite::Database& db, int target = -1);

// SqliteSchemaVersion returns the database's PRAGMA user_version.
int SqliteSchemaVersion(SQLite::Database& db);

}  // namespace ff

#endif  // FF_SERVER_STORE_SQLITE_SCHEMA_H_
