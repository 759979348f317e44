#include "server/store/sqlite_codec.h"

#include <string>

#include "server/core/time_util.h"
#include "server/store/incident_json.h"

namespace ff {

const char kIncidentColumns[] =
    "id, title, description, domain, severity, status, reporter, commander, "
    "communication_lead, operations_lead, participants, trigger_oncall, dedup_key, links, "
    "occurred_at, created_at, updated_at, investigating_at, fixing_at, fixed_at, "
    "postmortem_at, closed_at, close_reason, version";

const char kIncidentAssignments[] =
    "title = ?, description = ?, domain = ?, severity = ?, status = ?, reporter = ?, "
    "commander = ?, communication_lead = ?, operations_lead = ?, participants = ?, "
    "trigger_oncall = ?, dedup_key = ?, links = ?, occurred_at = ?, created_at = ?, "
    "updated_at = ?, investigating_at = ?, fixing_at = ?, fixed_at = ?, postmortem_at = ?, "
    "closed_at = ?, close_reason = ?, version = ?";

const char kIncidentInsert[] =
    "(title, description, domain, severity, status, reporter, commander, "
    "communication_lead, operations_lead, participants, trigger_oncall, dedup_key, links, "
    "occurred_at, created_at, updated_at, investigating_at, fixing_at, fixed_at, "
    "postmortem_at, closed_at, close_reason, version) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

const char kEntryColumns[] = "id, incident_id, time, kind, actor, text, via";

namespace {

void BindTime(SQLite::Statement& s, int index, bool present,
              const google::protobuf::Timestamp& ts) {
  if (present) {
    s.bind(index, static_cast<int64_t>(ToUnixMicros(ts)));
  } else {
    s.bind(index);  // NULL
  }
}

void ReadTime(SQLite::Statement& s, int column, google::protobuf::Timestamp* out) {
  SQLite::Column c = s.getColumn(column);
  if (!c.isNull()) *out = FromUnixMicros(c.getInt64());
}

}  // namespace

void BindIncident(SQLite::Statement& s, const pb::Incident& i) {
  s.bind(1, i.title());
  s.bind(2, i.description());
  s.bind(3, i.domain());
  s.bind(4, static_cast<int>(i.severity()));
  s.bind(5, static_cast<int>(i.status()));
  s.bind(6, i.reporter());
  s.bind(7, i.roles().commander());
  s.bind(8, i.roles().communication_lead());
  s.bind(9, i.roles().operations_lead());
  s.bind(10, ParticipantsJson(i));
  s.bind(11, i.trigger_oncall() ? 1 : 0);
  s.bind(12, i.dedup_key());
  s.bind(13, LinksJson(i));
  s.bind(14, static_cast<int64_t>(ToUnixMicros(i.occurred_at())));
  s.bind(15, static_cast<int64_t>(ToUnixMicros(i.created_at())));
  s.bind(16, static_cast<int64_t>(ToUnixMicros(i.updated_at())));
  BindTime(s, 17, i.has_investigating_at(), i.investigating_at());
  BindTime(s, 18, i.has_fixing_at(), i.fixing_at());
  BindTime(s, 19, i.has_fixed_at(), i.fixed_at());
  BindTime(s, 20, i.has_postmortem_at(), i.postmortem_at());
  BindTime(s, 21, i.has_closed_at(), i.closed_at());
  s.bind(22, static_cast<int>(i.close_reason()));
  s.bind(23, static_cast<int64_t>(i.version()));
}

pb::Incident ReadIncident(SQLite::Statement& s) {
  pb::Incident i;
  i.set_id(s.getColumn(0).getInt64());
  i.set_title(s.getColumn(1).getString());
  i.set_description(s.getColumn(2).getString());
  i.set_domain(s.getColumn(3).getString());
  i.set_severity(static_cast<pb::Severity>(s.getColumn(4).getInt()));
  i.set_status(static_cast<pb::Status>(s.getColumn(5).getInt()));
  i.set_reporter(s.getColumn(6).getString());
  i.mutable_roles()->set_commander(s.getColumn(7).getString());
  i.mutable_roles()->set_communication_lead(s.getColumn(8).getString());
  i.mutable_roles()->set_operations_lead(s.getColumn(9).getString());
  ReadJsonLists(s.getColumn(10).getString(), s.getColumn(13).getString(), i);
  i.set_trigger_oncall(s.getColumn(11).getInt() != 0);
  i.set_dedup_key(s.getColumn(12).getString());
  ReadTime(s, 14, i.mutable_occurred_at());
  ReadTime(s, 15, i.mutable_created_at());
  ReadTime(s, 16, i.mutable_updated_at());
  if (!s.getColumn(17).isNull()) ReadTime(s, 17, i.mutable_investigating_at());
  if (!s.getColumn(18).isNull()) ReadTime(s, 18, i.mutable_fixing_at());
  if (!s.getColumn(19).isNull()) ReadTime(s, 19, i.mutable_fixed_at());
  if (!s.getColumn(20).isNull()) ReadTime(s, 20, i.mutable_postmortem_at());
  if (!s.getColumn(21).isNull()) ReadTime(s, 21, i.mutable_closed_at());
  i.set_close_reason(static_cast<pb::CloseReason>(s.getColumn(22).getInt()));
  i.set_version(s.getColumn(23).getInt64());
  return i;
}

pb::TimelineEntry ReadEntry(SQLite::Statement& s) {
  pb::TimelineEntry e;
  e.set_id(s.getColumn(0).getInt64());
  e.set_incident_id(s.getColumn(1).getInt64());
  *e.mutable_time() = FromUnixMicros(s.getColumn(2).getInt64());
  e.set_kind(s.getColumn(3).getString());
  e.set_actor(s.getColumn(4).getString());
  e.set_text(s.getColumn(5).getString());
  e.set_via(s.getColumn(6).getString());
  return e;
}

pb::FollowUp ReadFollowUp(SQLite::Statement& q, int column) {
  pb::FollowUp follow_up;
  SQLite::Column record = q.getColumn(column + 1);
  follow_up.ParseFromArray(record.getBlob(), record.getBytes());
  follow_up.set_id(q.getColumn(column).getInt64());
  return follow_up;
}

}  // namespace ff
