#include "server/store/pg_codec.h"

#include <string>

#include "server/core/time_util.h"
#include "server/store/incident_json.h"
#include "server/store/store.h"

namespace ff {

const char kPgIncidentColumns[] =
    "id, title, description, domain, severity, status, reporter, commander, "
    "communication_lead, operations_lead, participants, trigger_oncall, dedup_key, links, "
    "occurred_at, created_at, updated_at, investigating_at, fixing_at, fixed_at, "
    "postmortem_at, closed_at, close_reason, version";

const char kPgIncidentAssignments[] =
    "title = $1, description = $2, domain = $3, severity = $4, status = $5, reporter = $6, "
    "commander = $7, communication_lead = $8, operations_lead = $9, participants = $10, "
    "trigger_oncall = $11, dedup_key = $12, links = $13, occurred_at = $14, created_at = $15, "
    "updated_at = $16, investigating_at = $17, fixing_at = $18, fixed_at = $19, "
    "postmortem_at = $20, closed_at = $21, close_reason = $22, version = $23, record = $24, "
    "record_version = $25";

const char kPgIncidentInsert[] =
    "(id, title, description, domain, severity, status, reporter, commander, "
    "communication_lead, operations_lead, participants, trigger_oncall, dedup_key, links, "
    "occurred_at, created_at, updated_at, investigating_at, fixing_at, fixed_at, "
    "postmortem_at, closed_at, close_reason, version, record, record_version) "
    "VALUES ($26, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, "
    "$18, $19, $20, $21, $22, $23, $24, $25)";

const char kPgEntryColumns[] = "id, incident_id, time, kind, actor, text, via";

namespace {

void AddTime(PgParams& p, bool present, const google::protobuf::Timestamp& ts) {
  if (present) {
    p.Int(ToUnixMicros(ts));
  } else {
    p.Null();
  }
}

void ReadTime(const PgResult& r, int row, int column, google::protobuf::Timestamp* out) {
  *out = FromUnixMicros(r.Int(row, column));
}

}  // namespace

void AddIncident(PgParams& p, const pb::Incident& i) {
  p.Text(i.title()).Text(i.description()).Text(i.domain());
  p.Int(i.severity()).Int(i.status()).Text(i.reporter());
  p.Text(i.roles().commander())
      .Text(i.roles().communication_lead())
      .Text(i.roles().operations_lead());
  p.Text(ParticipantsJson(i)).Text(i.trigger_oncall() ? "true" : "false").Text(i.dedup_key());
  p.Text(LinksJson(i));
  p.Int(ToUnixMicros(i.occurred_at()))
      .Int(ToUnixMicros(i.created_at()))
      .Int(ToUnixMicros(i.updated_at()));
  AddTime(p, i.has_investigating_at(), i.investigating_at());
  AddTime(p, i.has_fixing_at(), i.fixing_at());
  AddTime(p, i.has_fixed_at(), i.fixed_at());
  AddTime(p, i.has_postmortem_at(), i.postmortem_at());
  AddTime(p, i.has_closed_at(), i.closed_at());
  p.Int(i.close_reason()).Int(i.version());
  p.Bytes(StoredRecordOf(i)).Int(i.version());
}

pb::Incident ReadPgIncident(const PgResult& r, int row) {
  pb::Incident i;
  ReadPgIncident(r, row, &i);
  return i;
}

void ReadPgIncident(const PgResult& r, int row, pb::Incident* out) {
  pb::Incident& i = *out;
  i.set_id(r.Int(row, 0));
  i.set_title(r.Text(row, 1));
  i.set_description(r.Text(row, 2));
  i.set_domain(r.Text(row, 3));
  i.set_severity(static_cast<pb::Severity>(r.Int(row, 4)));
  i.set_status(static_cast<pb::Status>(r.Int(row, 5)));
  i.set_reporter(r.Text(row, 6));
  i.mutable_roles()->set_commander(r.Text(row, 7));
  i.mutable_roles()->set_communication_lead(r.Text(row, 8));
  i.mutable_roles()->set_operations_lead(r.Text(row, 9));
  ReadJsonLists(r.Text(row, 10), r.Text(row, 13), i);
  i.set_trigger_oncall(r.Text(row, 11) == "t");
  i.set_dedup_key(r.Text(row, 12));
  ReadTime(r, row, 14, i.mutable_occurred_at());
  ReadTime(r, row, 15, i.mutable_created_at());
  ReadTime(r, row, 16, i.mutable_updated_at());
  if (!r.IsNull(row, 17)) ReadTime(r, row, 17, i.mutable_investigating_at());
  if (!r.IsNull(row, 18)) ReadTime(r, row, 18, i.mutable_fixing_at());
  if (!r.IsNull(row, 19)) ReadTime(r, row, 19, i.mutable_fixed_at());
  if (!r.IsNull(row, 20)) ReadTime(r, row, 20, i.mutable_postmortem_at());
  if (!r.IsNull(row, 21)) ReadTime(r, row, 21, i.mutable_closed_at());
  i.set_close_reason(static_cast<pb::CloseReason>(r.Int(row, 22)));
  i.set_version(r.Int(row, 23));
}

pb::FollowUp ReadPgFollowUp(const PgResult& r, int row, int column) {
  pb::FollowUp follow_up;
  follow_up.ParseFromString(r.Bytes(row, column + 1));
  follow_up.set_id(r.Int(row, column));
  return follow_up;
}

pb::TimelineEntry ReadPgEntry(const PgResult& r, int row, int column) {
  pb::TimelineEntry e;
  e.set_id(r.Int(row, column));
  e.set_incident_id(r.Int(row, column + 1));
  *e.mutable_time() = FromUnixMicros(r.Int(row, column + 2));
  e.set_kind(r.Text(row, column + 3));
  e.set_actor(r.Text(row, column + 4));
  e.set_text(r.Text(row, column + 5));
  e.set_via(r.Text(row, column + 6));
  return e;
}

}  // namespace ff
