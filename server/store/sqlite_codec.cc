#include "server/store/sqlite_codec.h"

#include <string>

#include "absl/strings/string_view.h"
#include "server/core/time_util.h"
#include "server/store/incident_json.h"
#include "server/store/store.h"

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
    "closed_at = ?, close_reason = ?, version = ?, record = ?, record_version = ?";

const char kIncidentInsert[] =
    "(title, description, domain, severity, status, reporter, commander, "
    "communication_lead, operations_lead, participants, trigger_oncall, dedup_key, links, "
    "occurred_at, created_at, updated_at, investigating_at, fixing_at, fixed_at, "
    "postmortem_at, closed_at, close_reason, version, record, record_version) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

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

// ReadTime sets the timestamp `field()` returns from column `column`; a NULL
// column leaves the field absent (field() is not called).
template <typename Field>
void ReadTime(SQLite::Statement& s, int column, Field field) {
  SQLite::Column c = s.getColumn(column);
  if (!c.isNull()) SetUnixMicros(c.getInt64(), field());
}

// TextOf is column `column`'s text, valid until the statement steps again.
absl::string_view TextOf(SQLite::Statement& s, int column) {
  SQLite::Column c = s.getColumn(column);
  const char* text = c.getText();  // text first, then its length (SQLite's order)
  return absl::string_view(text, static_cast<size_t>(c.getBytes()));
}

// SetText hands column `column`'s text to `set` as (pointer, length): the
// field is filled straight from SQLite's buffer, on the message's arena if
// it has one, with no string in between. An empty text leaves it unset.
template <typename Setter>
void SetText(SQLite::Statement& s, int column, Setter set) {
  absl::string_view text = TextOf(s, column);
  if (!text.empty()) set(text.data(), text.size());
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
  const std::string record = StoredRecordOf(i);
  s.bind(24, record.data(), static_cast<int>(record.size()));  // SQLite copies it
  s.bind(25, static_cast<int64_t>(i.version()));
}

pb::Incident ReadIncident(SQLite::Statement& s) {
  pb::Incident i;
  ReadIncident(s, &i);
  return i;
}

void ReadIncident(SQLite::Statement& s, pb::Incident* out) {
  // Each column is fetched once: a SQLite::Column costs a shared pointer copy.
  pb::Incident& i = *out;
  i.set_id(s.getColumn(0).getInt64());
  SetText(s, 1, [&](auto... v) { i.set_title(v...); });
  SetText(s, 2, [&](auto... v) { i.set_description(v...); });
  SetText(s, 3, [&](auto... v) { i.set_domain(v...); });
  i.set_severity(static_cast<pb::Severity>(s.getColumn(4).getInt()));
  i.set_status(static_cast<pb::Status>(s.getColumn(5).getInt()));
  SetText(s, 6, [&](auto... v) { i.set_reporter(v...); });
  pb::Roles* roles = i.mutable_roles();
  SetText(s, 7, [&](auto... v) { roles->set_commander(v...); });
  SetText(s, 8, [&](auto... v) { roles->set_communication_lead(v...); });
  SetText(s, 9, [&](auto... v) { roles->set_operations_lead(v...); });
  ReadJsonLists(TextOf(s, 10), TextOf(s, 13), i);
  i.set_trigger_oncall(s.getColumn(11).getInt() != 0);
  SetText(s, 12, [&](auto... v) { i.set_dedup_key(v...); });
  ReadTime(s, 14, [&] { return i.mutable_occurred_at(); });
  ReadTime(s, 15, [&] { return i.mutable_created_at(); });
  ReadTime(s, 16, [&] { return i.mutable_updated_at(); });
  ReadTime(s, 17, [&] { return i.mutable_investigating_at(); });
  ReadTime(s, 18, [&] { return i.mutable_fixing_at(); });
  ReadTime(s, 19, [&] { return i.mutable_fixed_at(); });
  ReadTime(s, 20, [&] { return i.mutable_postmortem_at(); });
  ReadTime(s, 21, [&] { return i.mutable_closed_at(); });
  i.set_close_reason(static_cast<pb::CloseReason>(s.getColumn(22).getInt()));
  i.set_version(s.getColumn(23).getInt64());
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
