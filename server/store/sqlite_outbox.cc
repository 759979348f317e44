// SqliteStore's OutboxStore half: the delivery rows.
#include <algorithm>
#include <utility>

#include "SQLiteCpp/Exception.h"
#include "SQLiteCpp/Statement.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/status_macros.h"
#include "server/core/time_util.h"
#include "server/core/workflow.h"
#include "server/store/outbox_sql.h"
#include "server/store/sqlite_codec.h"
#include "server/store/sqlite_store.h"
#include "server/store/sqlite_writer.h"
#include "server/store/write_back.h"

namespace ff {
namespace {

constexpr char kDeliveryColumns[] =
    "d.id, d.incident_id, d.notifier, e.type, d.event_sequence, d.state, d.attempts, "
    "d.last_error, d.next_attempt_at, d.created_at, d.updated_at, d.delivered_at";

pb::Delivery ReadDelivery(SQLite::Statement& q) {
  pb::Delivery d;
  d.set_id(q.getColumn(0).getInt64());
  d.set_incident_id(q.getColumn(1).getInt64());
  d.set_notifier(q.getColumn(2).getString());
  d.set_event_type(q.getColumn(3).getString());
  d.set_event_sequence(q.getColumn(4).getInt64());
  d.set_state(static_cast<pb::DeliveryState>(q.getColumn(5).getInt()));
  d.set_attempts(q.getColumn(6).getInt());
  d.set_last_error(q.getColumn(7).getString());
  if (d.state() == pb::DELIVERY_STATE_PENDING) {
    *d.mutable_next_attempt_at() = FromUnixMicros(q.getColumn(8).getInt64());
  }
  *d.mutable_created_at() = FromUnixMicros(q.getColumn(9).getInt64());
  *d.mutable_updated_at() = FromUnixMicros(q.getColumn(10).getInt64());
  if (!q.getColumn(11).isNull()) {
    *d.mutable_delivered_at() = FromUnixMicros(q.getColumn(11).getInt64());
  }
  return d;
}

// NotPendingDelivery explains why an update of pending delivery `id`
// changed nothing: NOT_FOUND or FAILED_PRECONDITION.
absl::Status NotPendingDelivery(SQLite::Database& db, int64_t id) {
  SQLite::Statement q(db, "SELECT state FROM deliveries WHERE id = ?");
  q.bind(1, static_cast<int64_t>(id));
  if (!q.executeStep()) return NotFoundDelivery(id);
  return absl::FailedPreconditionError(absl::StrCat("delivery ", id, " is no longer pending"));
}

}  // namespace

void SqliteStore::SetOutboxRouter(OutboxRouter router) {
  std::lock_guard<std::mutex> lock(write_mu_);
  writer_->set_router(std::move(router));
}

absl::StatusOr<std::vector<DueDelivery>> SqliteStore::DueDeliveries(absl::Time now, int limit) {
  FF_ASSIGN_OR_RETURN(auto db, AcquireReader());
  ReaderLease lease(this, std::move(db));
  try {
    // Only the oldest pending delivery of each (incident, notifier) is
    // eligible: per-incident order is kept per notifier.
    SQLite::Statement q(
        *lease,
        absl::StrCat("SELECT d.id, d.incident_id, d.notifier FROM deliveries d "
                     "JOIN incidents i ON i.id = d.incident_id "
                     "WHERE d.state = 1 AND d.next_attempt_at <= ? AND ",
                     kIsHeadDelivery, " ORDER BY i.severity, d.next_attempt_at, d.id LIMIT ?"));
    q.bind(1, static_cast<int64_t>(absl::ToUnixMicros(now)));
    q.bind(2, limit);
    std::vector<DueDelivery> due;
    while (q.executeStep()) {
      due.push_back(
          {q.getColumn(0).getInt64(), q.getColumn(1).getInt64(), q.getColumn(2).getString()});
    }
    return due;
  } catch (const std::exception& e) {
    return FromSqlite(e, "reading due deliveries");
  }
}

absl::StatusOr<std::optional<absl::Time>> SqliteStore::NextDueTime() {
  FF_ASSIGN_OR_RETURN(auto db, AcquireReader());
  ReaderLease lease(this, std::move(db));
  try {
    SQLite::Statement q(*lease, absl::StrCat("SELECT MIN(d.next_attempt_at) FROM deliveries d "
                                             "WHERE d.state = 1 AND ",
                                             kIsHeadDelivery));
    if (!q.executeStep() || q.getColumn(0).isNull()) return std::optional<absl::Time>();
    return std::optional<absl::Time>(absl::FromUnixMicros(q.getColumn(0).getInt64()));
  } catch (const std::exception& e) {
    return FromSqlite(e, "reading the next due delivery");
  }
}

absl::StatusOr<StoredDelivery> SqliteStore::LoadDelivery(int64_t id, bool with_timeline) {
  FF_ASSIGN_OR_RETURN(auto db, AcquireReader());
  ReaderLease lease(this, std::move(db));
  try {
    SQLite::Statement q(
        *lease,
        absl::StrCat("SELECT d.id, d.notifier, d.attempts, e.sequence, e.type, "
                     "e.incident, d.state, d.next_attempt_at, t.id, t.incident_id, t.time, t.kind, "
                     "t.actor, t.text, t.via, d.progress FROM deliveries d JOIN events e ON "
                     "e.sequence = d.event_sequence LEFT JOIN timeline t ON "
                     "t.id = e.entry_id WHERE d.id = ?"));
    q.bind(1, static_cast<int64_t>(id));
    if (!q.executeStep()) return NotFoundDelivery(id);
    StoredDelivery out;
    out.id = q.getColumn(0).getInt64();
    out.notifier = q.getColumn(1).getString();
    out.attempts = q.getColumn(2).getInt();
    out.event.set_sequence(q.getColumn(3).getInt64());
    out.event.set_type(q.getColumn(4).getString());
    SQLite::Column snapshot = q.getColumn(5);
    out.event.mutable_incident()->ParseFromArray(snapshot.getBlob(), snapshot.getBytes());
    out.state = static_cast<pb::DeliveryState>(q.getColumn(6).getInt());
    out.next_attempt_at = absl::FromUnixMicros(q.getColumn(7).getInt64());
    if (!q.getColumn(8).isNull()) {
      pb::TimelineEntry* e = out.event.mutable_entry();
      e->set_id(q.getColumn(8).getInt64());
      e->set_incident_id(q.getColumn(9).getInt64());
      *e->mutable_time() = FromUnixMicros(q.getColumn(10).getInt64());
      e->set_kind(q.getColumn(11).getString());
      e->set_actor(q.getColumn(12).getString());
      e->set_text(q.getColumn(13).getString());
      e->set_via(q.getColumn(14).getString());
    }
    out.progress = q.getColumn(15).getString();
    int64_t incident_id = out.event.incident().id();
    SQLite::Statement current(
        *lease, absl::StrCat("SELECT ", kIncidentColumns, " FROM incidents WHERE id = ?"));
    current.bind(1, static_cast<int64_t>(incident_id));
    if (!current.executeStep()) return NotFoundIncident(incident_id);
    out.current = ReadIncident(current);
    if (with_timeline) {
      SQLite::Statement t(*lease, absl::StrCat("SELECT ", kEntryColumns,
                                               " FROM timeline WHERE incident_id = ? "
                                               "ORDER BY time, id"));
      t.bind(1, static_cast<int64_t>(incident_id));
      while (t.executeStep()) out.timeline.push_back(ReadEntry(t));
    }
    return out;
  } catch (const std::exception& e) {
    return FromSqlite(e, absl::StrCat("reading delivery ", id));
  }
}

absl::Status SqliteStore::MarkDelivered(int64_t id, const WriteBack& write_back, absl::Time now) {
  std::lock_guard<std::mutex> lock(write_mu_);
  try {
    WriteTransaction tx(writer_->db());
    SQLite::Statement q(writer_->db(),
                        "SELECT incident_id, state, notifier FROM deliveries WHERE id = ?");
    q.bind(1, static_cast<int64_t>(id));
    if (!q.executeStep()) return NotFoundDelivery(id);
    int64_t incident_id = q.getColumn(0).getInt64();
    if (q.getColumn(1).getInt() != pb::DELIVERY_STATE_PENDING) return absl::OkStatus();
    const std::string notifier = q.getColumn(2).getString();
    q.reset();
    SQLite::Statement done(writer_->db(),
                           "UPDATE deliveries SET state = 2, attempts = attempts + 1, "
                           "last_error = '', delivered_at = ?, updated_at = ? WHERE id = ?");
    done.bind(1, static_cast<int64_t>(absl::ToUnixMicros(now)));
    done.bind(2, static_cast<int64_t>(absl::ToUnixMicros(now)));
    done.bind(3, static_cast<int64_t>(id));
    done.exec();
    SQLite::Statement wake(writer_->db(), absl::StrCat(kWakeSuccessors, "?1 WHERE ", kSuccessorsOf,
                                                       "d.incident_id = ?2 AND d.notifier = ?3 AND "
                                                       "d.next_attempt_at > ?1"));
    wake.bind(1, static_cast<int64_t>(absl::ToUnixMicros(now)));
    wake.bind(2, static_cast<int64_t>(incident_id));
    wake.bind(3, notifier);
    wake.exec();
    FF_ASSIGN_OR_RETURN(pb::Incident incident, writer_->Select(incident_id));
    std::vector<ChangeRecord> records = ApplyWriteBack(incident, write_back, now);
    Committed committed{incident, {}, false};
    if (!records.empty()) {
      *incident.mutable_updated_at() = ToTimestamp(now);
      writer_->Update(incident, incident.version());  // same version: see header
      committed.incident = incident;
      committed.events = writer_->Record(incident, records);
    }
    tx.Commit();
    Notify(committed);
    return absl::OkStatus();
  } catch (const std::exception& e) {
    return FromSqlite(e, absl::StrCat("recording delivery ", id));
  }
}

absl::Status SqliteStore::MarkFailed(int64_t id, const std::string& error,
                                     std::optional<absl::Time> retry_at, absl::Time now) {
  std::lock_guard<std::mutex> lock(write_mu_);
  try {
    SQLite::Statement q(writer_->db(),
                        "UPDATE deliveries SET state = ?, attempts = attempts + 1, "
                        "last_error = ?, next_attempt_at = ?, updated_at = ? "
                        "WHERE id = ? AND state = 1");
    q.bind(1, retry_at ? static_cast<int>(pb::DELIVERY_STATE_PENDING)
                       : static_cast<int>(pb::DELIVERY_STATE_DEAD));
    q.bind(2, error.substr(0, 2000));
    q.bind(3, static_cast<int64_t>(absl::ToUnixMicros(retry_at.value_or(now))));
    q.bind(4, static_cast<int64_t>(absl::ToUnixMicros(now)));
    q.bind(5, static_cast<int64_t>(id));
    q.exec();
    return absl::OkStatus();
  } catch (const std::exception& e) {
    return FromSqlite(e, absl::StrCat("recording the failure of delivery ", id));
  }
}

absl::StatusOr<std::string> SqliteStore::InstallationId() {
  FF_ASSIGN_OR_RETURN(auto db, AcquireReader());
  ReaderLease lease(this, std::move(db));
  try {
    SQLite::Statement q(*lease, "SELECT id FROM installation");
    if (!q.executeStep()) return absl::InternalError("the database has no installation id");
    return q.getColumn(0).getString();
  } catch (const std::exception& e) {
    return FromSqlite(e, "reading the installation id");
  }
}

absl::Status SqliteStore::SaveProgress(int64_t id, const std::string& progress, absl::Time now) {
  std::lock_guard<std::mutex> lock(write_mu_);
  try {
    SQLite::Statement q(writer_->db(),
                        "UPDATE deliveries SET progress = ?, updated_at = ? "
                        "WHERE id = ? AND state = 1");
    q.bind(1, progress);
    q.bind(2, static_cast<int64_t>(absl::ToUnixMicros(now)));
    q.bind(3, static_cast<int64_t>(id));
    if (q.exec() == 1) return absl::OkStatus();
    return NotPendingDelivery(writer_->db(), id);
  } catch (const std::exception& e) {
    return FromSqlite(e, absl::StrCat("recording the progress of delivery ", id));
  }
}

absl::Status SqliteStore::Defer(int64_t id, absl::Time until, const std::string& reason,
                                absl::Time now) {
  std::lock_guard<std::mutex> lock(write_mu_);
  try {
    SQLite::Statement q(writer_->db(),
                        "UPDATE deliveries SET last_error = ?, next_attempt_at = ?, "
                        "updated_at = ? WHERE id = ? AND state = 1");
    q.bind(1, reason.substr(0, 2000));
    q.bind(2, static_cast<int64_t>(absl::ToUnixMicros(until)));
    q.bind(3, static_cast<int64_t>(absl::ToUnixMicros(now)));
    q.bind(4, static_cast<int64_t>(id));
    if (q.exec() == 1) return absl::OkStatus();
    return NotPendingDelivery(writer_->db(), id);
  } catch (const std::exception& e) {
    return FromSqlite(e, absl::StrCat("deferring delivery ", id));
  }
}

absl::StatusOr<std::vector<pb::Delivery>> SqliteStore::ListDeliveries(const DeliveryFilter& filter,
                                                                      int32_t limit,
                                                                      int64_t before_id) {
  std::vector<std::string> where = {"1 = 1"};
  if (filter.incident_id > 0) where.push_back("d.incident_id = ?");
  if (!filter.states.empty()) {
    std::vector<std::string> marks(filter.states.size(), "?");
    where.push_back(absl::StrCat("d.state IN (", absl::StrJoin(marks, ", "), ")"));
  }
  if (!filter.notifier.empty()) where.push_back("d.notifier = ?");
  if (before_id > 0) where.push_back("d.id < ?");
  FF_ASSIGN_OR_RETURN(auto db, AcquireReader());
  ReaderLease lease(this, std::move(db));
  try {
    SQLite::Statement q(*lease,
                        absl::StrCat("SELECT ", kDeliveryColumns,
                                     " FROM deliveries d JOIN events e ON "
                                     "e.sequence = d.event_sequence WHERE ",
                                     absl::StrJoin(where, " AND "), " ORDER BY d.id DESC LIMIT ?"));
    int index = 0;
    if (filter.incident_id > 0) q.bind(++index, static_cast<int64_t>(filter.incident_id));
    for (pb::DeliveryState s : filter.states) q.bind(++index, static_cast<int>(s));
    if (!filter.notifier.empty()) q.bind(++index, filter.notifier);
    if (before_id > 0) q.bind(++index, static_cast<int64_t>(before_id));
    q.bind(++index, limit);
    std::vector<pb::Delivery> out;
    while (q.executeStep()) out.push_back(ReadDelivery(q));
    return out;
  } catch (const std::exception& e) {
    return FromSqlite(e, "listing deliveries");
  }
}

absl::StatusOr<bool> SqliteStore::RecordOnce(int64_t id, const OnceDecision& decide,
                                             absl::Time now) {
  std::lock_guard<std::mutex> lock(write_mu_);
  try {
    WriteTransaction tx(writer_->db());
    FF_ASSIGN_OR_RETURN(pb::Incident incident, writer_->Select(id));
    std::optional<OnceRecord> once = decide(incident);
    if (!once) return false;
    SQLite::Statement seen(writer_->db(),
                           "SELECT 1 FROM events WHERE incident_id = ? AND once_key = ?");
    seen.bind(1, static_cast<int64_t>(id));
    seen.bind(2, once->key);
    if (seen.executeStep()) return false;
    Committed committed{incident, writer_->Record(incident, {once->record}, now), false};
    SQLite::Statement mark(writer_->db(), "UPDATE events SET once_key = ? WHERE sequence = ?");
    mark.bind(1, once->key);
    mark.bind(2, static_cast<int64_t>(committed.events.back().sequence()));
    mark.exec();
    tx.Commit();
    Notify(committed);
    return true;
  } catch (const std::exception& e) {
    return FromSqlite(e, absl::StrCat("recording background work for incident #", id));
  }
}

absl::StatusOr<pb::Delivery> SqliteStore::RetryDelivery(int64_t id, const Audit& by,
                                                        absl::Time now) {
  {
    std::lock_guard<std::mutex> lock(write_mu_);
    try {
      WriteTransaction transaction(writer_->db());
      SQLite::Statement q(writer_->db(),
                          "SELECT state, incident_id, notifier, last_error FROM deliveries "
                          "WHERE id = ?");
      q.bind(1, static_cast<int64_t>(id));
      if (!q.executeStep()) return NotFoundDelivery(id);
      int state = q.getColumn(0).getInt();
      const int64_t incident_id = q.getColumn(1).getInt64();
      const std::string notifier = q.getColumn(2).getString();
      const std::string last_error = q.getColumn(3).getString();
      q.reset();
      if (state != pb::DELIVERY_STATE_DEAD) {
        return absl::FailedPreconditionError(absl::StrCat(
            "delivery ", id, " is ", state == pb::DELIVERY_STATE_PENDING ? "pending" : "delivered",
            "; only a dead delivery can be retried"));
      }
      SQLite::Statement retry(writer_->db(),
                              "UPDATE deliveries SET state = 1, next_attempt_at = ?, "
                              "updated_at = ? WHERE id = ?");
      retry.bind(1, static_cast<int64_t>(absl::ToUnixMicros(now)));
      retry.bind(2, static_cast<int64_t>(absl::ToUnixMicros(now)));
      retry.bind(3, static_cast<int64_t>(id));
      retry.exec();
      SQLite::Statement audit(writer_->db(),
                              "INSERT INTO timeline (incident_id, time, kind, actor, text, via) "
                              "VALUES (?, ?, 'delivery', ?, ?, ?)");
      audit.bind(1, static_cast<int64_t>(incident_id));
      audit.bind(2, static_cast<int64_t>(absl::ToUnixMicros(now)));
      audit.bind(3, by.actor);
      audit.bind(4, RetryNote(id, notifier, last_error));
      audit.bind(5, by.via);
      audit.exec();
      transaction.Commit();
    } catch (const std::exception& e) {
      return FromSqlite(e, absl::StrCat("retrying delivery ", id));
    }
  }
  DeliveryFilter all;
  FF_ASSIGN_OR_RETURN(std::vector<pb::Delivery> found, ListDeliveries(all, 1, id + 1));
  if (found.empty() || found[0].id() != id) return NotFoundDelivery(id);
  return found[0];
}

}  // namespace ff
