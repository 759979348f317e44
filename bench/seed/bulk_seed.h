// BulkSeedDatabase: fills a FireFighter SQLite database with synthetic
// incidents and their timelines, fast, for benchmark setup only.
//
// It bypasses firefighterd: it applies the store's own schema migrations
// (server/store/sqlite_schema.h) and then inserts rows in large transactions
// with synchronous=OFF, so a million incidents take seconds instead of a
// million fsyncs. No domain events or deliveries are written: seeded incidents
// never notify anyone. Never use it on a database a server has open.
// Thread-compatible: one call at a time per database file.
#ifndef FF_BENCH_SEED_BULK_SEED_H_
#define FF_BENCH_SEED_BULK_SEED_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"

namespace ff::bench {

struct BulkSeedOptions {
  int64_t incidents = 1000;
  int entries_per_incident = 3;  // "opened", a status change, a note
  int64_t rows_per_transaction = 20000;
};

// BulkSeedDatabase appends `options.incidents` incidents to the database at
// `path`, creating and migrating it when absent. Statuses cycle through every
// status from OPEN to CLOSED, so a one-status filter matches 1/6 of the rows
// spread over the whole id range. UNAVAILABLE when the file cannot be opened,
// INTERNAL when an insert fails.
absl::Status BulkSeedDatabase(const std::string& path, const BulkSeedOptions& options);

}  // namespace ff::bench

#endif  // FF_BENCH_SEED_BULK_SEED_H_
