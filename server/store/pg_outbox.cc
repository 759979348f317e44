// PgStore's OutboxStore half: the delivery rows and their claims.
#include <signal.h>

#include <algorithm>
#include <cerrno>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/status_macros.h"
#include "server/core/time_util.h"
#include "server/store/outbox_rules.h"
#include "server/store/outbox_sql.h"
#include "server/store/pg_codec.h"
#include "server/store/pg_store.h"
#include "server/store/pg_writer.h"

namespace ff {
namespace {

pb::Delivery ReadDelivery(const PgResult& r, int row) {
  pb::Delivery d;
  d.set_id(r.Int(row, 0));
  d.set_incident_id(r.Int(row, 1));
  d.set_notifier(r.Text(row, 2));
  d.set_event_type(r.Text(row, 3));
  d.set_event_sequence(r.Int(row, 4));
  d.set_state(static_cast<pb::DeliveryState>(r.Int(row, 5)));
  d.set_attempts(static_cast<int32_t>(r.Int(row, 6)));
  d.set_last_error(r.Text(row, 7));
  if (d.state() == pb::DELIVERY_STATE_PENDING) {
    *d.mutable_next_attempt_at() = FromUnixMicros(r.Int(row, 8));
  }
  *d.mutable_created_at() = FromUnixMicros(r.Int(row, 9));
  *d.mutable_updated_at() = FromUnixMicros(r.Int(row, 10));
  if (!r.IsNull(row, 11)) *d.mutable_delivered_at() = FromUnixMicros(r.Int(row, 11));
  return d;
}

}  // namespace

absl::Status PgStore::ReleaseDeadClaims() {
  FF_ASSIGN_OR_RETURN(PgPool::Lease conn, pool_.Acquire());
  const std::string host = options_.replica.substr(0, options_.replica.rfind('/') + 1);
  FF_ASSIGN_OR_RETURN(PgResult claimants,
                      conn->Exec("SELECT DISTINCT claimed_by FROM deliveries WHERE state = 1 "
                                 "AND claimed_by LIKE $1 || '%'",
                                 PgParams().Text(host)));
  for (int row = 0; row < claimants.rows(); ++row) {
    const std::string claimant = claimants.Text(row, 0);
    int pid = 0;
    if (!absl::SimpleAtoi(claimant.substr(host.size()), &pid) || pid <= 0) continue;
    if (kill(pid, 0) == 0 || errno != ESRCH) continue;  // alive (or not ours to tell)
    FF_RETURN_IF_ERROR(conn->Exec("UPDATE deliveries SET claimed_by = '', claim_expires_at = 0 "
                                  "WHERE state = 1 AND claimed_by = $1",
                                  PgParams().Text(claimant))
                           .status());
  }
  return absl::OkStatus();
}

void PgStore::SetOutboxRouter(OutboxRouter router) { router_ = std::move(router); }

absl::StatusOr<std::vector<DueDelivery>> PgStore::DueDeliveries(absl::Time now, int limit) {
  const int64_t at = absl::ToUnixMicros(now);
  FF_ASSIGN_OR_RETURN(PgPool::Lease conn, pool_.Acquire());
  // SKIP LOCKED passes over rows another replica is claiming right now; a row
  // it claimed since this statement began fails the re-checked claim
  // condition once locked. Either way each delivery has one claimant.
  FF_ASSIGN_OR_RETURN(
      PgResult r,
      conn->Exec(absl::StrCat("WITH due AS (SELECT d.id FROM deliveries d JOIN incidents i ON "
                              "i.id = d.incident_id WHERE d.state = 1 "
                              "AND d.next_attempt_at <= $1 AND d.claim_expires_at <= $1 AND ",
                              kIsHeadDelivery,
                              " ORDER BY i.severity, d.next_attempt_at, d.id LIMIT $2 "
                              "FOR UPDATE OF d SKIP LOCKED) "
                              "UPDATE deliveries d SET claimed_by = $3, claim_expires_at = $4 "
                              "FROM due WHERE d.id = due.id "
                              "RETURNING d.id, d.incident_id, d.notifier, d.next_attempt_at, "
                              "(SELECT i.severity FROM incidents i WHERE i.id = d.incident_id)"),
                 PgParams()
                     .Int(at)
                     .Int(limit)
                     .Text(options_.replica)
                     .Int(absl::ToUnixMicros(now + options_.claim_lease))));
  // RETURNING keeps no order: sort as the selection did.
  std::vector<PendingDelivery> rows;
  for (int row = 0; row < r.rows(); ++row) {
    const int64_t id = r.Int(row, 0);
    rows.push_back({{id, r.Int(row, 1), r.Text(row, 2)},
                    {r.Int(row, 4), absl::FromUnixMicros(r.Int(row, 3)), id}});
  }
  std::sort(rows.begin(), rows.end(), [](const PendingDelivery& a, const PendingDelivery& b) {
    return DueBefore(a.rank, b.rank);
  });
  std::vector<DueDelivery> due;
  due.reserve(rows.size());
  for (PendingDelivery& row : rows) due.push_back(std::move(row.delivery));
  return due;
}

absl::StatusOr<std::optional<absl::Time>> PgStore::NextDueTime() {
  FF_ASSIGN_OR_RETURN(PgPool::Lease conn, pool_.Acquire());
  // A claimed delivery (here or elsewhere) is not due before its claim
  // expires, and a successor not before its predecessor is done: counting
  // them would wake the dispatcher for nothing.
  FF_ASSIGN_OR_RETURN(PgResult r, conn->Exec(absl::StrCat(
                                      "SELECT MIN(GREATEST(d.next_attempt_at, d.claim_expires_at)) "
                                      "FROM deliveries d WHERE d.state = 1 AND ",
                                      kIsHeadDelivery)));
  if (r.IsNull(0, 0)) return std::optional<absl::Time>();
  return std::optional<absl::Time>(absl::FromUnixMicros(r.Int(0, 0)));
}

absl::StatusOr<StoredDelivery> PgStore::LoadDelivery(int64_t id, bool with_timeline) {
  FF_ASSIGN_OR_RETURN(PgPool::Lease conn, pool_.Acquire());
  FF_ASSIGN_OR_RETURN(PgResult q,
                      conn->Exec(absl::StrCat(kLoadDelivery, "$1"), PgParams().Int(id)));
  if (q.rows() == 0) return NotFoundDelivery(id);
  StoredDelivery out;
  out.id = q.Int(0, 0);
  out.notifier = q.Text(0, 1);
  out.attempts = static_cast<int>(q.Int(0, 2));
  out.event.set_sequence(q.Int(0, 3));
  out.event.set_type(q.Text(0, 4));
  out.event.mutable_incident()->ParseFromString(q.Bytes(0, 5));
  out.state = static_cast<pb::DeliveryState>(q.Int(0, 6));
  out.next_attempt_at = absl::FromUnixMicros(q.Int(0, 7));
  if (!q.IsNull(0, 8)) *out.event.mutable_entry() = ReadPgEntry(q, 0, 8);
  out.progress = q.Text(0, 15);
  if (!q.IsNull(0, 16)) out.event.mutable_follow_up()->ParseFromString(q.Bytes(0, 16));
  const int64_t incident_id = out.event.incident().id();
  FF_ASSIGN_OR_RETURN(PgResult current, conn->Exec(absl::StrCat("SELECT ", kPgIncidentColumns,
                                                                " FROM incidents WHERE id = $1"),
                                                   PgParams().Int(incident_id)));
  if (current.rows() == 0) return NotFoundIncident(incident_id);
  out.current = ReadPgIncident(current, 0);
  if (with_timeline) {
    FF_ASSIGN_OR_RETURN(PgResult t, conn->Exec(absl::StrCat("SELECT ", kPgEntryColumns,
                                                            " FROM timeline WHERE incident_id = "
                                                            "$1 ORDER BY time, id"),
                                               PgParams().Int(incident_id)));
    for (int row = 0; row < t.rows(); ++row) out.timeline.push_back(ReadPgEntry(t, row));
  }
  return out;
}

absl::Status PgStore::MarkDelivered(int64_t id, const WriteBack& write_back, absl::Time now) {
  // Through the group: a write-back stores events, which need the write lock.
  return writes_.MarkDelivered(id, write_back, now);
}

absl::Status PgStore::MarkFailed(int64_t id, const std::string& error,
                                 std::optional<absl::Time> retry_at, absl::Time now) {
  const AttemptOutcome failed = FailedAttempt(error, retry_at, now);
  FF_ASSIGN_OR_RETURN(PgPool::Lease conn, pool_.Acquire());
  return conn
      ->Exec(
          "UPDATE deliveries SET state = $1, attempts = attempts + 1, last_error = $2, "
          "next_attempt_at = $3, updated_at = $4, claimed_by = '', claim_expires_at = 0 "
          "WHERE id = $5 AND state = 1",
          PgParams()
              .Int(failed.state)
              .Text(failed.last_error)
              .Int(absl::ToUnixMicros(failed.next_attempt_at))
              .Int(absl::ToUnixMicros(now))
              .Int(id))
      .status();
}

absl::StatusOr<std::string> PgStore::InstallationId() {
  FF_ASSIGN_OR_RETURN(PgPool::Lease conn, pool_.Acquire());
  FF_ASSIGN_OR_RETURN(PgResult r, conn->Exec("SELECT id FROM installation"));
  if (r.rows() == 0) return absl::InternalError("the database has no installation id");
  return r.Text(0, 0);
}

// NotPending explains why an update of pending delivery `id` changed
// nothing: NOT_FOUND or FAILED_PRECONDITION.
absl::Status PgStore::NotPending(PgConnection& conn, int64_t id) {
  FF_ASSIGN_OR_RETURN(PgResult r,
                      conn.Exec("SELECT 1 FROM deliveries WHERE id = $1", PgParams().Int(id)));
  return NotPendingDelivery(id, r.rows() > 0);
}

absl::Status PgStore::SaveProgress(int64_t id, const std::string& progress, absl::Time now) {
  FF_ASSIGN_OR_RETURN(PgPool::Lease conn, pool_.Acquire());
  FF_ASSIGN_OR_RETURN(PgResult r,
                      conn->Exec("UPDATE deliveries SET progress = $1, updated_at = $2 "
                                 "WHERE id = $3 AND state = 1",
                                 PgParams().Text(progress).Int(absl::ToUnixMicros(now)).Int(id)));
  return r.affected() == 1 ? absl::OkStatus() : NotPending(*conn, id);
}

absl::Status PgStore::Defer(int64_t id, absl::Time until, const std::string& reason,
                            absl::Time now) {
  const AttemptOutcome deferred = DeferredAttempt(reason, until);
  FF_ASSIGN_OR_RETURN(PgPool::Lease conn, pool_.Acquire());
  FF_ASSIGN_OR_RETURN(
      PgResult r,
      conn->Exec("UPDATE deliveries SET last_error = $1, next_attempt_at = $2, updated_at = $3, "
                 "claimed_by = '', claim_expires_at = 0 WHERE id = $4 AND state = 1",
                 PgParams()
                     .Text(deferred.last_error)
                     .Int(absl::ToUnixMicros(deferred.next_attempt_at))
                     .Int(absl::ToUnixMicros(now))
                     .Int(id)));
  return r.affected() == 1 ? absl::OkStatus() : NotPending(*conn, id);
}

absl::StatusOr<std::vector<pb::Delivery>> PgStore::ListDeliveries(const DeliveryFilter& filter,
                                                                  int32_t limit,
                                                                  int64_t before_id) {
  std::vector<std::string> where = {"true"};
  PgParams params;
  if (filter.incident_id > 0) {
    params.Int(filter.incident_id);
    where.push_back(absl::StrCat("d.incident_id = $", params.size()));
  }
  if (!filter.states.empty()) {
    std::vector<std::string> marks;
    for (pb::DeliveryState s : filter.states) {
      params.Int(s);
      marks.push_back(absl::StrCat("$", params.size()));
    }
    where.push_back(absl::StrCat("d.state IN (", absl::StrJoin(marks, ", "), ")"));
  }
  if (!filter.notifier.empty()) {
    params.Text(filter.notifier);
    where.push_back(absl::StrCat("d.notifier = $", params.size()));
  }
  if (before_id > 0) {
    params.Int(before_id);
    where.push_back(absl::StrCat("d.id < $", params.size()));
  }
  params.Int(limit);
  FF_ASSIGN_OR_RETURN(PgPool::Lease conn, pool_.Acquire());
  FF_ASSIGN_OR_RETURN(PgResult r,
                      conn->Exec(absl::StrCat("SELECT ", kDeliveryColumns, kDeliveriesWithEvents,
                                              " WHERE ", absl::StrJoin(where, " AND "),
                                              " ORDER BY d.id DESC LIMIT $", params.size()),
                                 params));
  std::vector<pb::Delivery> out;
  out.reserve(r.rows());
  for (int row = 0; row < r.rows(); ++row) out.push_back(ReadDelivery(r, row));
  return out;
}

absl::StatusOr<pb::Delivery> PgStore::RetryDelivery(int64_t id, const Audit& by, absl::Time now) {
  {
    FF_ASSIGN_OR_RETURN(PgPool::Lease conn, pool_.Acquire());
    FF_RETURN_IF_ERROR(conn->Run("BEGIN"));
    // The retry and its timeline entry commit together, or neither does.
    PgWriteSteps steps(*conn);
    absl::Status done = StoreTransaction(steps, router_).RetryDelivery(id, by, now);
    if (done.ok()) done = conn->Run("COMMIT");
    if (!done.ok()) {
      (void)conn->Run("ROLLBACK");
      return done;
    }
  }
  return FindDelivery(*this, id);
}

}  // namespace ff
