// SqliteStore's OutboxStore half: the delivery rows.
#include <utility>

#include "SQLiteCpp/Exception.h"
#include "SQLiteCpp/Statement.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/status_macros.h"
#include "server/core/time_util.h"
#include "server/core/workflow.h"
#include "server/store/outbox_rules.h"
#include "server/store/outbox_sql.h"
#include "server/store/sqlite_codec.h"
#include "server/store/sqlite_store.h"
#include "server/store/sqlite_writer.h"

namespace ff {
namespace {

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

// NotPending explains why an update of pending delivery `id` changed
// nothing: NOT_FOUND or FAILED_PRECONDITION.
absl::Status NotPending(SQLite::Database& db, int64_t id) {
  SQLite::Statement q(db, "SELECT 1 FROM deliveries WHERE id = ?");
  q.bind(1, static_cast<int64_t>(id));
  return NotPendingDelivery(id, q.executeStep());
}

}  // namespace

void SqliteStore::SetOutboxRouter(OutboxRouter router) {
  std::lock_guard<std::mutex> lock(write_mu_);
  router_ = std::move(router);
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
    SQLite::Statement q(*lease, absl::StrCat(kLoadDelivery, "?"));
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
    if (SQLite::Column follow_up = q.getColumn(16); !follow_up.isNull()) {
      out.event.mutable_follow_up()->ParseFromArray(follow_up.getBlob(), follow_up.getBytes());
    }
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
    FF_ASSIGN_OR_RETURN(Committed committed, Transaction().MarkDelivered(id, write_back, now));
    tx.Commit();
    Notify(committed);
    return absl::OkStatus();
  } catch (const std::exception& e) {
    return FromSqlite(e, absl::StrCat("recording delivery ", id));
  }
}

absl::Status SqliteStore::MarkFailed(int64_t id, const std::string& error,
                                     std::optional<absl::Time> retry_at, absl::Time now) {
  const AttemptOutcome failed = FailedAttempt(error, retry_at, now);
  std::lock_guard<std::mutex> lock(write_mu_);
  try {
    SQLite::Statement q(writer_->db(),
                        "UPDATE deliveries SET state = ?, attempts = attempts + 1, "
                        "last_error = ?, next_attempt_at = ?, updated_at = ? "
                        "WHERE id = ? AND state = 1");
    q.bind(1, static_cast<int>(failed.state));
    q.bind(2, failed.last_error);
    q.bind(3, static_cast<int64_t>(absl::ToUnixMicros(failed.next_attempt_at)));
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
    return NotPending(writer_->db(), id);
  } catch (const std::exception& e) {
    return FromSqlite(e, absl::StrCat("recording the progress of delivery ", id));
  }
}

absl::Status SqliteStore::Defer(int64_t id, absl::Time until, const std::string& reason,
                                absl::Time now) {
  const AttemptOutcome deferred = DeferredAttempt(reason, until);
  std::lock_guard<std::mutex> lock(write_mu_);
  try {
    SQLite::Statement q(writer_->db(),
                        "UPDATE deliveries SET last_error = ?, next_attempt_at = ?, "
                        "updated_at = ? WHERE id = ? AND state = 1");
    q.bind(1, deferred.last_error);
    q.bind(2, static_cast<int64_t>(absl::ToUnixMicros(deferred.next_attempt_at)));
    q.bind(3, static_cast<int64_t>(absl::ToUnixMicros(now)));
    q.bind(4, static_cast<int64_t>(id));
    if (q.exec() == 1) return absl::OkStatus();
    return NotPending(writer_->db(), id);
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
                        absl::StrCat("SELECT ", kDeliveryColumns, kDeliveriesWithEvents, " WHERE ",
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
    FF_ASSIGN_OR_RETURN(Committed committed, Transaction().RecordOnce(id, decide, now));
    if (committed.events.empty()) return false;
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
      WriteTransaction tx(writer_->db());
      FF_RETURN_IF_ERROR(Transaction().RetryDelivery(id, by, now));
      tx.Commit();
    } catch (const std::exception& e) {
      return FromSqlite(e, absl::StrCat("retrying delivery ", id));
    }
  }
  return FindDelivery(*this, id);
}

}  // namespace ff
