#include "server/store/sqlite_writer.h"

#include <utility>

#include "SQLiteCpp/Exception.h"
#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "server/core/time_util.h"
#include "server/store/outbox_sql.h"
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
                    "created_at, incident, follow_up) VALUES (?, ?, ?, ?, ?, ?, ?)"),
      insert_delivery_(*db_,
                       "INSERT INTO deliveries (event_sequence, incident_id, notifier, state, "
                       "next_attempt_at, created_at, updated_at) VALUES (?, ?, ?, 1, ?, ?, ?)") {}

absl::StatusOr<pb::Incident> SqliteWriter::SelectIncident(int64_t id) {
  Reset(select_);
  select_.bind(1, static_cast<int64_t>(id));
  if (!select_.executeStep()) return NotFoundIncident(id);
  return ReadIncident(select_);
}

absl::StatusOr<std::optional<pb::Incident>> SqliteWriter::FindOpenByDedupKey(
    const std::string& key) {
  Reset(find_dedup_);
  find_dedup_.bind(1, key);
  if (!find_dedup_.executeStep()) return std::optional<pb::Incident>();
  return std::optional<pb::Incident>(ReadIncident(find_dedup_));
}

absl::StatusOr<std::optional<int64_t>> SqliteWriter::InsertIncident(const pb::Incident& incident) {
  Reset(insert_);
  BindIncident(insert_, incident);
  insert_.exec();  // the write lock makes the dedup_key check hold: no conflict
  return std::optional<int64_t>(db_->getLastInsertRowid());
}

absl::StatusOr<bool> SqliteWriter::UpdateIncident(const pb::Incident& incident,
                                                  int64_t previous_version) {
  Reset(update_);
  BindIncident(update_, incident);
  update_.bind(kIncidentBoundColumns + 1, static_cast<int64_t>(incident.id()));
  update_.bind(kIncidentBoundColumns + 2, static_cast<int64_t>(previous_version));
  return update_.exec() == 1;
}

absl::StatusOr<pb::FollowUp> SqliteWriter::SelectFollowUp(int64_t id) {
  SQLite::Statement q(*db_, "SELECT id, record FROM follow_ups WHERE id = ?");
  q.bind(1, static_cast<int64_t>(id));
  if (!q.executeStep()) return NotFoundFollowUp(id);
  return ReadFollowUp(q);
}

absl::StatusOr<int64_t> SqliteWriter::InsertFollowUp(const pb::FollowUp& follow_up) {
  SQLite::Statement q(*db_,
                      "INSERT INTO follow_ups (incident_id, owner, status, due_date, record) "
                      "VALUES (?, ?, ?, ?, ?)");
  const std::string record = follow_up.SerializeAsString();
  q.bind(1, static_cast<int64_t>(follow_up.incident_id()));
  q.bind(2, follow_up.owner());
  q.bind(3, static_cast<int>(follow_up.status()));
  q.bind(4, follow_up.due_date());
  q.bind(5, record.data(), static_cast<int>(record.size()));
  q.exec();
  return db_->getLastInsertRowid();
}

absl::Status SqliteWriter::UpdateFollowUp(const pb::FollowUp& follow_up) {
  SQLite::Statement q(*db_,
                      "UPDATE follow_ups SET owner = ?, status = ?, due_date = ?, record = ? "
                      "WHERE id = ?");
  const std::string record = follow_up.SerializeAsString();
  q.bind(1, follow_up.owner());
  q.bind(2, static_cast<int>(follow_up.status()));
  q.bind(3, follow_up.due_date());
  q.bind(4, record.data(), static_cast<int>(record.size()));
  q.bind(5, static_cast<int64_t>(follow_up.id()));
  q.exec();
  return absl::OkStatus();
}

absl::StatusOr<int64_t> SqliteWriter::InsertEntry(const pb::TimelineEntry& entry) {
  Reset(insert_entry_);
  insert_entry_.bind(1, static_cast<int64_t>(entry.incident_id()));
  insert_entry_.bind(2, static_cast<int64_t>(ToUnixMicros(entry.time())));
  insert_entry_.bind(3, entry.kind());
  insert_entry_.bind(4, entry.actor());
  insert_entry_.bind(5, entry.text());
  insert_entry_.bind(6, entry.via());
  insert_entry_.exec();
  return db_->getLastInsertRowid();
}

absl::Status SqliteWriter::InsertEvent(pb::IncidentEvent& event, const std::string& snapshot,
                                       absl::Time at) {
  FF_ASSIGN_OR_RETURN(int64_t entry_id, InsertEntry(event.entry()));
  event.mutable_entry()->set_id(entry_id);
  Reset(insert_event_);
  insert_event_.bind(1, static_cast<int64_t>(event.incident().id()));
  insert_event_.bind(2, event.type());
  insert_event_.bind(3, static_cast<int64_t>(entry_id));
  insert_event_.bind(4, static_cast<int64_t>(event.incident().version()));
  insert_event_.bind(5, static_cast<int64_t>(absl::ToUnixMicros(at)));
  insert_event_.bind(6, snapshot.data(), static_cast<int>(snapshot.size()));
  std::string follow_up;  // outlives exec(): bind() does not copy blobs
  if (event.has_follow_up()) {
    follow_up = event.follow_up().SerializeAsString();
    insert_event_.bind(7, follow_up.data(), static_cast<int>(follow_up.size()));
  }  // else NULL: clearBindings()
  insert_event_.exec();
  event.set_sequence(db_->getLastInsertRowid());
  return absl::OkStatus();
}

absl::Status SqliteWriter::InsertDeliveries(const pb::IncidentEvent& event,
                                            const std::vector<std::string>& notifiers,
                                            absl::Time at) {
  const int64_t micros = absl::ToUnixMicros(at);
  for (const std::string& notifier : notifiers) {
    Reset(insert_delivery_);
    insert_delivery_.bind(1, static_cast<int64_t>(event.sequence()));
    insert_delivery_.bind(2, static_cast<int64_t>(event.incident().id()));
    insert_delivery_.bind(3, notifier);
    insert_delivery_.bind(4, micros);
    insert_delivery_.bind(5, micros);
    insert_delivery_.bind(6, micros);
    insert_delivery_.exec();
  }
  return absl::OkStatus();
}

absl::StatusOr<bool> SqliteWriter::OnceKeySeen(int64_t incident_id, const std::string& key) {
  SQLite::Statement seen(*db_, "SELECT 1 FROM events WHERE incident_id = ? AND once_key = ?");
  seen.bind(1, static_cast<int64_t>(incident_id));
  seen.bind(2, key);
  return seen.executeStep();
}

absl::Status SqliteWriter::MarkOnce(int64_t sequence, const std::string& key) {
  SQLite::Statement mark(*db_, "UPDATE events SET once_key = ? WHERE sequence = ?");
  mark.bind(1, key);
  mark.bind(2, static_cast<int64_t>(sequence));
  mark.exec();
  return absl::OkStatus();
}

absl::StatusOr<std::optional<DeliveryHead>> SqliteWriter::SelectDelivery(int64_t id) {
  SQLite::Statement q(*db_,
                      "SELECT incident_id, state, notifier, last_error FROM deliveries "
                      "WHERE id = ?");
  q.bind(1, static_cast<int64_t>(id));
  if (!q.executeStep()) return std::optional<DeliveryHead>();
  return std::optional<DeliveryHead>(DeliveryHead{
      q.getColumn(0).getInt64(), static_cast<pb::DeliveryState>(q.getColumn(1).getInt()),
      q.getColumn(2).getString(), q.getColumn(3).getString()});
}

absl::Status SqliteWriter::SetDelivered(int64_t id, absl::Time now) {
  SQLite::Statement done(*db_,
                         "UPDATE deliveries SET state = 2, attempts = attempts + 1, "
                         "last_error = '', delivered_at = ?1, updated_at = ?1 WHERE id = ?2");
  done.bind(1, static_cast<int64_t>(absl::ToUnixMicros(now)));
  done.bind(2, static_cast<int64_t>(id));
  done.exec();
  return absl::OkStatus();
}

absl::Status SqliteWriter::WakeSuccessors(int64_t incident_id, const std::string& notifier,
                                          absl::Time now) {
  SQLite::Statement wake(*db_, absl::StrCat(kWakeSuccessors, "?1 WHERE ", kSuccessorsOf,
                                            "d.incident_id = ?2 AND d.notifier = ?3 AND "
                                            "d.next_attempt_at > ?1"));
  wake.bind(1, static_cast<int64_t>(absl::ToUnixMicros(now)));
  wake.bind(2, static_cast<int64_t>(incident_id));
  wake.bind(3, notifier);
  wake.exec();
  return absl::OkStatus();
}

absl::Status SqliteWriter::SetRetried(int64_t id, absl::Time now) {
  SQLite::Statement retry(*db_,
                          "UPDATE deliveries SET state = 1, next_attempt_at = ?1, "
                          "updated_at = ?1 WHERE id = ?2");
  retry.bind(1, static_cast<int64_t>(absl::ToUnixMicros(now)));
  retry.bind(2, static_cast<int64_t>(id));
  retry.exec();
  return absl::OkStatus();
}

}  // namespace ff
