#include "server/store/pg_writer.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/status_macros.h"
#include "server/core/time_util.h"
#include "server/store/outbox_sql.h"
#include "server/store/pg_codec.h"
#include "server/store/store.h"

namespace ff {

absl::StatusOr<pb::Incident> PgWriteSteps::SelectIncident(int64_t id) {
  FF_ASSIGN_OR_RETURN(PgResult r, tx_.Exec(absl::StrCat("SELECT ", kPgIncidentColumns,
                                                        " FROM incidents WHERE id = $1 FOR UPDATE"),
                                           PgParams().Int(id)));
  if (r.rows() == 0) return NotFoundIncident(id);
  return ReadPgIncident(r, 0);
}

absl::StatusOr<std::optional<pb::Incident>> PgWriteSteps::FindOpenByDedupKey(
    const std::string& key) {
  FF_ASSIGN_OR_RETURN(PgResult r,
                      tx_.Exec(absl::StrCat("SELECT ", kPgIncidentColumns,
                                            " FROM incidents WHERE dedup_key = $1 AND status <> ",
                                            static_cast<int>(pb::STATUS_CLOSED)),
                               PgParams().Text(key)));
  if (r.rows() == 0) return std::optional<pb::Incident>();
  return std::optional<pb::Incident>(ReadPgIncident(r, 0));
}

absl::StatusOr<std::optional<int64_t>> PgWriteSteps::InsertIncident(const pb::Incident& incident) {
  FF_ASSIGN_OR_RETURN(PgResult next, tx_.Exec("SELECT COALESCE(MAX(id), 0) + 1 FROM incidents"));
  PgParams params;
  AddIncident(params, incident);
  params.Int(next.Int(0, 0));
  // The unique index on open dedup keys backs up the check Open makes first.
  FF_ASSIGN_OR_RETURN(
      PgResult inserted,
      tx_.Exec(absl::StrCat("INSERT INTO incidents ", kPgIncidentInsert,
                            " ON CONFLICT (dedup_key) WHERE dedup_key <> '' AND status <> 6 "
                            "DO NOTHING RETURNING id"),
               params));
  if (inserted.rows() == 0) return std::optional<int64_t>();
  return std::optional<int64_t>(inserted.Int(0, 0));
}

absl::StatusOr<bool> PgWriteSteps::UpdateIncident(const pb::Incident& incident,
                                                  int64_t previous_version) {
  PgParams params;
  AddIncident(params, incident);
  params.Int(incident.id()).Int(previous_version);
  FF_ASSIGN_OR_RETURN(PgResult r,
                      tx_.Exec(absl::StrCat("UPDATE incidents SET ", kPgIncidentAssignments,
                                            " WHERE id = $26 AND version = $27"),
                               params));
  return r.affected() == 1;
}

absl::StatusOr<pb::FollowUp> PgWriteSteps::SelectFollowUp(int64_t id) {
  FF_ASSIGN_OR_RETURN(
      PgResult r,
      tx_.Exec("SELECT id, record FROM follow_ups WHERE id = $1 FOR UPDATE", PgParams().Int(id)));
  if (r.rows() == 0) return NotFoundFollowUp(id);
  return ReadPgFollowUp(r, 0);
}

absl::StatusOr<int64_t> PgWriteSteps::InsertFollowUp(const pb::FollowUp& follow_up) {
  FF_ASSIGN_OR_RETURN(PgResult r,
                      tx_.Exec("INSERT INTO follow_ups (incident_id, owner, status, due_date, "
                               "record) VALUES ($1, $2, $3, $4, $5) RETURNING id",
                               PgParams()
                                   .Int(follow_up.incident_id())
                                   .Text(follow_up.owner())
                                   .Int(follow_up.status())
                                   .Text(follow_up.due_date())
                                   .Bytes(follow_up.SerializeAsString())));
  return r.Int(0, 0);
}

absl::Status PgWriteSteps::UpdateFollowUp(const pb::FollowUp& follow_up) {
  return tx_
      .Exec(
          "UPDATE follow_ups SET owner = $2, status = $3, due_date = $4, record = $5 "
          "WHERE id = $1",
          PgParams()
              .Int(follow_up.id())
              .Text(follow_up.owner())
              .Int(follow_up.status())
              .Text(follow_up.due_date())
              .Bytes(follow_up.SerializeAsString()))
      .status();
}

absl::StatusOr<int64_t> PgWriteSteps::InsertEntry(const pb::TimelineEntry& entry) {
  FF_ASSIGN_OR_RETURN(PgResult r, tx_.Exec("INSERT INTO timeline (incident_id, time, kind, actor, "
                                           "text, via) VALUES ($1, $2, $3, $4, $5, $6) "
                                           "RETURNING id",
                                           PgParams()
                                               .Int(entry.incident_id())
                                               .Int(ToUnixMicros(entry.time()))
                                               .Text(entry.kind())
                                               .Text(entry.actor())
                                               .Text(entry.text())
                                               .Text(entry.via())));
  return r.Int(0, 0);
}

absl::Status PgWriteSteps::InsertEvent(pb::IncidentEvent& event, const std::string& snapshot,
                                       absl::Time at) {
  pb::TimelineEntry* entry = event.mutable_entry();
  // The entry and its event in one round trip.
  FF_ASSIGN_OR_RETURN(
      PgResult r,
      tx_.Exec("WITH entry AS (INSERT INTO timeline (incident_id, time, kind, actor, text, via) "
               "VALUES ($1::bigint, $2::bigint, $3::text, $4::text, $5::text, $10::text) "
               "RETURNING id) "
               "INSERT INTO events (sequence, incident_id, type, entry_id, incident_version, "
               "created_at, incident, follow_up) SELECT (SELECT COALESCE(MAX(sequence), 0) + 1 "
               "FROM events), $1::bigint, $6::text, entry.id, $7::bigint, $8::bigint, $9::bytea, "
               "NULLIF($11::bytea, ''::bytea) FROM entry RETURNING sequence, entry_id",
               PgParams()
                   .Int(event.incident().id())
                   .Int(ToUnixMicros(entry->time()))
                   .Text(entry->kind())
                   .Text(entry->actor())
                   .Text(entry->text())
                   .Text(event.type())
                   .Int(event.incident().version())
                   .Int(absl::ToUnixMicros(at))
                   .Bytes(snapshot)
                   .Text(entry->via())
                   .Bytes(event.has_follow_up() ? event.follow_up().SerializeAsString() : "")));
  event.set_sequence(r.Int(0, 0));
  entry->set_id(r.Int(0, 1));
  return absl::OkStatus();
}

absl::Status PgWriteSteps::InsertDeliveries(const pb::IncidentEvent& event,
                                            const std::vector<std::string>& notifiers,
                                            absl::Time at) {
  if (notifiers.empty()) return absl::OkStatus();
  // One statement for every interested notifier: $1 sequence, $2 incident,
  // $3 time, then a name each.
  PgParams params;
  params.Int(event.sequence()).Int(event.incident().id()).Int(absl::ToUnixMicros(at));
  std::vector<std::string> rows;
  for (const std::string& name : notifiers) {
    params.Text(name);
    rows.push_back(absl::StrCat("($1::bigint, $2::bigint, $", params.size(),
                                "::text, 1, $3::bigint, $3::bigint, $3::bigint)"));
  }
  return tx_
      .Exec(absl::StrCat("INSERT INTO deliveries (event_sequence, incident_id, notifier, state, "
                         "next_attempt_at, created_at, updated_at) VALUES ",
                         absl::StrJoin(rows, ", ")),
            params)
      .status();
}

absl::StatusOr<bool> PgWriteSteps::OnceKeySeen(int64_t incident_id, const std::string& key) {
  FF_ASSIGN_OR_RETURN(PgResult seen,
                      tx_.Exec("SELECT 1 FROM events WHERE incident_id = $1 AND once_key = $2",
                               PgParams().Int(incident_id).Text(key)));
  return seen.rows() > 0;
}

absl::Status PgWriteSteps::MarkOnce(int64_t sequence, const std::string& key) {
  return tx_
      .Exec("UPDATE events SET once_key = $1 WHERE sequence = $2",
            PgParams().Text(key).Int(sequence))
      .status();
}

absl::StatusOr<std::optional<DeliveryHead>> PgWriteSteps::SelectDelivery(int64_t id) {
  FF_ASSIGN_OR_RETURN(PgResult r, tx_.Exec("SELECT incident_id, state, notifier, last_error FROM "
                                           "deliveries WHERE id = $1 FOR UPDATE",
                                           PgParams().Int(id)));
  if (r.rows() == 0) return std::optional<DeliveryHead>();
  return std::optional<DeliveryHead>(DeliveryHead{
      r.Int(0, 0), static_cast<pb::DeliveryState>(r.Int(0, 1)), r.Text(0, 2), r.Text(0, 3)});
}

absl::Status PgWriteSteps::SetDelivered(int64_t id, absl::Time now) {
  return tx_
      .Exec(
          "UPDATE deliveries SET state = 2, attempts = attempts + 1, last_error = '', "
          "delivered_at = $2, updated_at = $2, claimed_by = '', claim_expires_at = 0 "
          "WHERE id = $1",
          PgParams().Int(id).Int(absl::ToUnixMicros(now)))
      .status();
}

absl::Status PgWriteSteps::WakeSuccessors(int64_t incident_id, const std::string& notifier,
                                          absl::Time now) {
  return tx_
      .Exec(absl::StrCat(kWakeSuccessors, "$1 WHERE ", kSuccessorsOf,
                         "d.incident_id = $2 AND d.notifier = $3 AND d.next_attempt_at > $1"),
            PgParams().Int(absl::ToUnixMicros(now)).Int(incident_id).Text(notifier))
      .status();
}

absl::Status PgWriteSteps::SetRetried(int64_t id, absl::Time now) {
  return tx_
      .Exec(
          "UPDATE deliveries SET state = 1, next_attempt_at = $2, updated_at = $2, "
          "claimed_by = '', claim_expires_at = 0 WHERE id = $1",
          PgParams().Int(id).Int(absl::ToUnixMicros(now)))
      .status();
}

}  // namespace ff
