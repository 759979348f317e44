// The PostgreSQL schema as an ordered list of migrations, and the advisory
// lock keys the replicas share.
//
// The table ff_schema holds how many migrations a database has had. Every
// replica migrates at start-up under a session advisory lock, so replicas
// starting together apply each migration once: the first takes the lock and
// migrates, the others wait and then find nothing to do. Each migration
// commits with its version bump. Migrations are append-only: never edit one
// that has shipped.
#ifndef FF_SERVER_STORE_PG_SCHEMA_H_
#define FF_SERVER_STORE_PG_SCHEMA_H_

#include <cstdint>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "server/store/pg_connection.h"

namespace ff {

// Advisory lock keys ("ff" and a number): held while migrating, and by every
// transaction that stores incidents or events (see PgStore).
inline constexpr int64_t kPgMigrationLock = 0x6666000000000001;
inline constexpr int64_t kPgWriteLock = 0x6666000000000002;

// PgMigrations()[i] takes a database from version i to i + 1.
const std::vector<absl::string_view>& PgMigrations();

// MigratePg upgrades the database behind `conn` to the latest migration. It
// lengthens the session's timeouts: use a connection of its own.
// FAILED_PRECONDITION when it is newer than this binary knows; UNAVAILABLE
// when the database cannot be reached; INTERNAL when a migration fails (the
// database keeps its previous version).
absl::Status MigratePg(PgConnection& conn);

// PgSchemaVersion returns how many migrations the database has had.
absl::StatusOr<int> PgSchemaVersion(PgConnection& conn);

}  // namespace ff

#endif  // FF_SERVER_STORE_PG_SCHEMA_H_
