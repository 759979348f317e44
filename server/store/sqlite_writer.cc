#include "server/store/sqlite_writer.h"

#include <utility>

#include "SQLiteCpp/Exception.h"
#include "absl/strings/str_cat.h"
#include "server/core/time_util.h"
#include "server/store/sqlite_codec.h"
#include "sqlite3.h"

namespace ff {
namespace {

void Reset(SQLite::Statement& s) {
  s.reset();
  s.clearBindings();
}

}  // namespace

absl::Status FromSqlite(const std::exception& e, absl::string_view what) {
  std::string message = absl::StrCat(what, ": ", e.what());
  const auto* sqlite = dynamic_cast<const SQLite::Exception*>(&e);
  int code = sqlite != nullptr ? sqlite->getErrorCode() : SQLITE_ERROR;
  if (code == SQLITE_BUSY || code == SQLITE_LOCKED || code == SQLITE_FULL || code == SQLITE_IOERR ||
      code == SQLITE_CANTOPEN || code == SQLITE_NOTADB || code == SQLITE_READONLY) {
    return absl::UnavailableError(message);
  }
  return absl::InternalError(message);
}

WriteTransaction::~WriteTransaction() {
  if (!open_) return;
  try {
    db_.exec("ROLLBACK");
  } catch (const SQLite::Exception&) {
  }
}

void WriteTransaction::Commit() {
  db_.exec("COMMIT");
  open_ = false;
}

SqliteWriter::SqliteWriter(std::unique_ptr<SQLite::Database> db)
    : db_(std::move(db)),
      select_(*db_, absl::StrCat("SELECT ", kIncidentColumns, " FROM incidents WHERE id = ?")),
      find_dedup_(*db_, absl::StrCat("SELECT ", kIncidentColumns,
                                     " FROM incidents WHERE dedup_key = ? AND status <> ",
                                     static_cast<int>(pb::STATUS_CLOSED))),
      insert_(*db_, absl::StrCat("INSERT INTO incidents ", kIncidentInsert)),
      update_(*db_, absl::StrCat("UPDATE incidents SET ", kIncidentAssignments,
                                 " WHERE id = ? AND version = ?")),
      insert_entry_(*db_,
                    "INSERT INTO timeline (incident_id, time, kind, actor, text, via) "
                    "VALUES (?, ?, ?, ?, ?, ?)"),
      insert_event_(*db_,
                    "INSERT INTO events (incident_id, type, entry_id, incident_version, "
                    "created_at, incident) VALUES (?, ?, ?, ?, ?, ?)"),
      insert_delivery_(*db_,
                       "INSERT INTO deliveries (event_sequence, incident_id, notifier, state, "
                       "next_attempt_at, created_at, updated_at) VALUES (?, ?, ?, 1, ?, ?, ?)") {}

absl::StatusOr<pb::Incident> SqliteWriter::Select(int64_t id) {
  Reset(select_);
  select_.bind(1, static_cast<int64_t>(id));
  if (!select_.executeStep()) return NotFoundIncident(id);
  return ReadIncident(select_);
}

std::optional<pb::Incident> SqliteWriter::FindOpenByDedupKey(const std::string& key) {
  Reset(find_dedup_);
  find_dedup_.bind(1, key);
  if (!find_dedup_.executeStep()) return std::nullopt;
  return ReadIncident(find_dedup_);
}

int64_t SqliteWriter::Insert(const pb::Incident& incident) {
  Reset(insert_);
  BindIncident(insert_, incident);
  insert_.exec();
  return db_->getLastInsertRowid();
}

bool SqliteWriter::Update(const pb::Incident& incident, int64_t previous_version) {
  Reset(update_);
  BindIncident(update_, incident);
  update_.bind(kIncidentBoundColumns + 1, static_cast<int64_t>(incident.id()));
  update_.bind(kIncidentBoundColumns + 2, static_cast<int64_t>(previous_version));
  return update_.exec() == 1;
}

std::vector<pb::IncidentEvent> SqliteWriter::Record(const pb::Incident& incident,
                                                    const std::vector<ChangeRecord>& records,
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
    Reset(insert_entry_);
    insert_entry_.bind(1, static_cast<int64_t>(incident.id()));
    insert_entry_.bind(2, static_cast<int64_t>(ToUnixMicros(entry->time())));
    insert_entry_.bind(3, entry->kind());
    insert_entry_.bind(4, entry->actor());
    insert_entry_.bind(5, entry->text());
    insert_entry_.bind(6, entry->via());
    insert_entry_.exec();
    entry->set_id(db_->getLastInsertRowid());

    Reset(insert_event_);
    insert_event_.bind(1, static_cast<int64_t>(incident.id()));
    insert_event_.bind(2, record.event_type);
    insert_event_.bind(3, static_cast<int64_t>(entry->id()));
    insert_event_.bind(4, static_cast<int64_t>(incident.version()));
    insert_event_.bind(5, static_cast<int64_t>(at));
    insert_event_.bind(6, snapshot.data(), static_cast<int>(snapshot.size()));
    insert_event_.exec();
    event.set_sequence(db_->getLastInsertRowid());
    InsertDeliveries(event, at);
    events.push_back(std::move(event));
  }
  return events;
}

void SqliteWriter::InsertDeliveries(const pb::IncidentEvent& event, int64_t at) {
  if (!router_) return;
  for (const std::string& notifier : router_(event)) {
    Reset(insert_delivery_);
    insert_delivery_.bind(1, static_cast<int64_t>(event.sequence()));
    insert_delivery_.bind(2, static_cast<int64_t>(event.incident().id()));
    insert_delivery_.bind(3, notifier);
    insert_delivery_.bind(4, static_cast<int64_t>(at));
    insert_delivery_.bind(5, static_cast<int64_t>(at));
    insert_delivery_.bind(6, static_cast<int64_t>(at));
    insert_delivery_.exec();
  }
}

}  // namespace ff
