#include "server/store/pg_writer.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/status_macros.h"
#include "server/core/time_util.h"
#include "server/store/pg_codec.h"

namespace ff::pg_writer {
namespace {

absl::Status InsertDeliveries(PgConnection& tx, const pb::IncidentEvent& event,
                              const OutboxRouter& router, int64_t at) {
  if (!router) return absl::OkStatus();
  std::vector<std::string> notifiers = router(event);
  if (notifiers.empty()) return absl::OkStatus();
  // One statement for every interested notifier: $1 sequence, $2 incident,
  // $3 time, then a name each.
  PgParams params;
  params.Int(event.sequence()).Int(event.incident().id()).Int(at);
  std::vector<std::string> rows;
  for (std::string& name : notifiers) {
    params.Text(std::move(name));
    rows.push_back(absl::StrCat("($1::bigint, $2::bigint, $", params.size(),
                                "::text, 1, $3::bigint, $3::bigint, $3::bigint)"));
  }
  return tx
      .Exec(absl::StrCat("INSERT INTO deliveries (event_sequence, incident_id, notifier, state, "
                         "next_attempt_at, created_at, updated_at) VALUES ",
                         absl::StrJoin(rows, ", ")),
            params)
      .status();
}

}  // namespace

absl::StatusOr<pb::Incident> Select(PgConnection& tx, int64_t id) {
  FF_ASSIGN_OR_RETURN(PgResult r, tx.Exec(absl::StrCat("SELECT ", kPgIncidentColumns,
                                                       " FROM incidents WHERE id = $1 FOR UPDATE"),
                                          PgParams().Int(id)));
  if (r.rows() == 0) return NotFoundIncident(id);
  return ReadPgIncident(r, 0);
}

absl::StatusOr<std::optional<pb::Incident>> FindOpenByDedupKey(PgConnection& tx,
                                                               const std::string& key) {
  FF_ASSIGN_OR_RETURN(PgResult r,
                      tx.Exec(absl::StrCat("SELECT ", kPgIncidentColumns,
                                           " FROM incidents WHERE dedup_key = $1 AND status <> ",
                                           static_cast<int>(pb::STATUS_CLOSED)),
                              PgParams().Text(key)));
  if (r.rows() == 0) return std::optional<pb::Incident>();
  return std::optional<pb::Incident>(ReadPgIncident(r, 0));
}

absl::StatusOr<std::optional<int64_t>> Insert(PgConnection& tx, const pb::Incident& incident) {
  FF_ASSIGN_OR_RETURN(PgResult next, tx.Exec("SELECT COALESCE(MAX(id), 0) + 1 FROM incidents"));
  PgParams params;
  AddIncident(params, incident);
  params.Int(next.Int(0, 0));
  // The unique index on open dedup keys backs up the check Open makes first.
  FF_ASSIGN_OR_RETURN(
      PgResult inserted,
      tx.Exec(absl::StrCat("INSERT INTO incidents ", kPgIncidentInsert,
                           " ON CONFLICT (dedup_key) WHERE dedup_key <> '' AND status <> 6 "
                           "DO NOTHING RETURNING id"),
              params));
  if (inserted.rows() == 0) return std::optional<int64_t>();
  return std::optional<int64_t>(inserted.Int(0, 0));
}

absl::StatusOr<bool> Update(PgConnection& tx, const pb::Incident& incident,
                            int64_t previous_version) {
  PgParams params;
  AddIncident(params, incident);
  params.Int(incident.id()).Int(previous_version);
  FF_ASSIGN_OR_RETURN(PgResult r,
                      tx.Exec(absl::StrCat("UPDATE incidents SET ", kPgIncidentAssignments,
                                           " WHERE id = $24 AND version = $25"),
                              params));
  return r.affected() == 1;
}

absl::StatusOr<std::vector<pb::IncidentEvent>> Record(PgConnection& tx,
                                                      const pb::Incident& incident,
                                                      const std::vector<ChangeRecord>& records,
                                                      const OutboxRouter& router,
                                                      std::optional<absl::Time> when) {
  std::vector<pb::IncidentEvent> events;
  const std::string snapshot = incident.SerializeAsString();
  const int64_t at = when ? absl::ToUnixMicros(*when) : ToUnixMicros(incident.updated_at());
  for (const ChangeRecord& record : records) {
    pb::IncidentEvent event;
    event.set_type(record.event_type);
    *event.mutable_incident() = incident;
    pb::TimelineEntry* entry = event.mutable_entry();
    *entry = record.entry;
    entry->set_incident_id(incident.id());
    // The entry and its event in one round trip.
    FF_ASSIGN_OR_RETURN(
        PgResult r,
        tx.Exec("WITH entry AS (INSERT INTO timeline (incident_id, time, kind, actor, text, via) "
                "VALUES ($1::bigint, $2::bigint, $3::text, $4::text, $5::text, $10::text) "
                "RETURNING id) "
                "INSERT INTO events (sequence, incident_id, type, entry_id, incident_version, "
                "created_at, incident) SELECT (SELECT COALESCE(MAX(sequence), 0) + 1 FROM "
                "events), $1::bigint, $6::text, entry.id, $7::bigint, $8::bigint, $9::bytea "
                "FROM entry RETURNING sequence, entry_id",
                PgParams()
                    .Int(incident.id())
                    .Int(ToUnixMicros(entry->time()))
                    .Text(entry->kind())
                    .Text(entry->actor())
                    .Text(entry->text())
                    .Text(record.event_type)
                    .Int(incident.version())
                    .Int(at)
                    .Bytes(snapshot)
                    .Text(entry->via())));
    event.set_sequence(r.Int(0, 0));
    entry->set_id(r.Int(0, 1));
    FF_RETURN_IF_ERROR(InsertDeliveries(tx, event, router, at));
    events.push_back(std::move(event));
  }
  return events;
}

}  // namespace ff::pg_writer
