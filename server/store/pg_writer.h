// The statements with which PgStore writes an incident change. Each runs on
// the connection of the write transaction it is handed, which must hold the
// write lock (kPgWriteLock): ids and sequences are taken as MAX + 1 under
// it. Stateless; thread-compatible.
#ifndef FF_SERVER_STORE_PG_WRITER_H_
#define FF_SERVER_STORE_PG_WRITER_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "server/store/outbox_store.h"
#include "server/store/pg_connection.h"
#include "server/store/store.h"

namespace ff::pg_writer {

// Select reads incident `id` (locking its row); NOT_FOUND when absent.
absl::StatusOr<pb::Incident> Select(PgConnection& tx, int64_t id);
// FindOpenByDedupKey returns the non-closed incident holding `key`, if any.
absl::StatusOr<std::optional<pb::Incident>> FindOpenByDedupKey(PgConnection& tx,
                                                               const std::string& key);
// Insert stores a new incident with the next id and returns it, or nothing
// when a non-closed incident already holds its dedup_key.
absl::StatusOr<std::optional<int64_t>> Insert(PgConnection& tx, const pb::Incident& incident);
// Update writes `incident` over version `previous_version`; false when the
// row is no longer at that version.
absl::StatusOr<bool> Update(PgConnection& tx, const pb::Incident& incident,
                            int64_t previous_version);
// Record stores the records' timeline entries, their events (with the
// incident snapshot and the next sequences) and one delivery per notifier
// `router` names. Events are dated, and deliveries due, at `when` (default:
// incident.updated_at).
absl::StatusOr<std::vector<pb::IncidentEvent>> Record(
    PgConnection& tx, const pb::Incident& incident, const std::vector<ChangeRecord>& records,
    const OutboxRouter& router, std::optional<absl::Time> when = std::nullopt);

}  // namespace ff::pg_writer

#endif  // FF_SERVER_STORE_PG_WRITER_H_
