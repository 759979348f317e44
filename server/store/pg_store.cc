#include "server/store/pg_store.h"

#include <unistd.h>

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/status_macros.h"
#include "server/store/pg_codec.h"
#include "server/store/pg_schema.h"
#include "server/store/pg_writer.h"

namespace ff {
namespace {

// How long a call waits for a connection of a busy pool.
constexpr absl::Duration kPoolWait = absl::Seconds(2);

std::string ThisProcess() {
  char host[256] = "";
  gethostname(host, sizeof(host) - 1);
  return absl::StrCat(host, "/", getpid());
}

}  // namespace

absl::StatusOr<std::unique_ptr<PgStore>> PgStore::Create(const std::string& uri,
                                                         PgStoreOptions options) {
  if (options.pool_size < 2) {
    return absl::InvalidArgumentError(
        absl::StrCat("the database pool needs at least 2 connections, got ", options.pool_size));
  }
  if (options.replica.empty()) options.replica = ThisProcess();
  FF_ASSIGN_OR_RETURN(std::unique_ptr<PgConnection> conn, PgConnection::Connect(uri));
  FF_RETURN_IF_ERROR(MigratePg(*conn));
  FF_ASSIGN_OR_RETURN(PgResult last, conn->Exec("SELECT COALESCE(MAX(sequence), 0) FROM events"));
  std::unique_ptr<PgStore> store(new PgStore(uri, std::move(options), last.Int(0, 0)));
  FF_RETURN_IF_ERROR(store->ReleaseDeadClaims());
  return store;
}

PgStore::PgStore(std::string uri, PgStoreOptions options, int64_t watermark)
    : options_(std::move(options)),
      pool_(uri, options_.pool_size, kPoolWait),
      feed_(uri, watermark),
      group_(
          [this](const std::vector<const GroupCommit::Body*>& bodies) {
            return CommitGroup(bodies);
          },
          kMaxGroup) {}

PgStore::~PgStore() { feed_.Stop(); }

void PgStore::SetCommitObserver(CommitObserver observer) {
  absl::StatusOr<PgPool::Lease> conn = pool_.Acquire();
  feed_.Start(std::move(observer), conn.ok() ? &**conn : nullptr);
}

absl::StatusOr<Committed> PgStore::Open(const Change& change) {
  return group_.Run([this, &change] { return OpenInTransaction(change); });
}

absl::StatusOr<Committed> PgStore::OpenInTransaction(const Change& change) {
  const std::string& key = change.incident.dedup_key();
  if (!key.empty()) {
    FF_ASSIGN_OR_RETURN(std::optional<pb::Incident> existing,
                        pg_writer::FindOpenByDedupKey(*tx_, key));
    if (existing) return Committed{*std::move(existing), {}, false};
  }
  FF_ASSIGN_OR_RETURN(std::optional<int64_t> id, pg_writer::Insert(*tx_, change.incident));
  if (!id) {  // only without the write lock; kept as the index's answer
    FF_ASSIGN_OR_RETURN(std::optional<pb::Incident> holder,
                        pg_writer::FindOpenByDedupKey(*tx_, key));
    if (!holder) return absl::AbortedError("dedup_key conflict; retry the call");
    return Committed{*std::move(holder), {}, false};
  }
  Committed committed;
  committed.incident = change.incident;
  committed.incident.set_id(*id);
  FF_ASSIGN_OR_RETURN(committed.events,
                      pg_writer::Record(*tx_, committed.incident, change.records, router_));
  committed.created = true;
  return committed;
}

void PgStore::OpenAsync(Change change, CommitDone done) {
  group_.Submit([this, change = std::move(change)] { return OpenInTransaction(change); },
                std::move(done));
}

void PgStore::MutateAsync(int64_t id, Mutation mutation, CommitDone done) {
  group_.Submit(
      [this, id, mutation = std::move(mutation)] { return MutateInTransaction(id, mutation); },
      std::move(done));
}

absl::StatusOr<Committed> PgStore::Mutate(int64_t id, const Mutation& mutation) {
  return group_.Run([this, id, &mutation] { return MutateInTransaction(id, mutation); });
}

absl::StatusOr<Committed> PgStore::MutateInTransaction(int64_t id, const Mutation& mutation) {
  FF_ASSIGN_OR_RETURN(pb::Incident current, pg_writer::Select(*tx_, id));
  FF_ASSIGN_OR_RETURN(Change change, mutation(current));
  if (change.records.empty()) return Committed{std::move(current), {}, false};
  FF_ASSIGN_OR_RETURN(bool updated, pg_writer::Update(*tx_, change.incident, current.version()));
  if (!updated) {
    return absl::InternalError(absl::StrCat("incident #", id, " changed under the write lock"));
  }
  FF_ASSIGN_OR_RETURN(std::vector<pb::IncidentEvent> events,
                      pg_writer::Record(*tx_, change.incident, change.records, router_));
  return Committed{change.incident, std::move(events), false};
}

absl::StatusOr<bool> PgStore::RecordOnce(int64_t id, const OnceDecision& decide, absl::Time now) {
  FF_ASSIGN_OR_RETURN(Committed committed, group_.Run([this, id, &decide, now] {
    return RecordOnceInTransaction(id, decide, now);
  }));
  return !committed.events.empty();
}

absl::StatusOr<Committed> PgStore::RecordOnceInTransaction(int64_t id, const OnceDecision& decide,
                                                           absl::Time now) {
  FF_ASSIGN_OR_RETURN(pb::Incident incident, pg_writer::Select(*tx_, id));
  std::optional<OnceRecord> once = decide(incident);
  if (!once) return Committed{std::move(incident), {}, false};
  FF_ASSIGN_OR_RETURN(PgResult seen,
                      tx_->Exec("SELECT 1 FROM events WHERE incident_id = $1 AND once_key = $2",
                                PgParams().Int(id).Text(once->key)));
  if (seen.rows() > 0) return Committed{std::move(incident), {}, false};
  // The incident is recorded as it stands: background work is no update.
  FF_ASSIGN_OR_RETURN(std::vector<pb::IncidentEvent> events,
                      pg_writer::Record(*tx_, incident, {once->record}, router_, now));
  FF_RETURN_IF_ERROR(tx_->Exec("UPDATE events SET once_key = $1 WHERE sequence = $2",
                               PgParams().Text(once->key).Int(events.back().sequence()))
                         .status());
  return Committed{std::move(incident), std::move(events), false};
}

std::vector<absl::StatusOr<Committed>> PgStore::CommitGroup(
    const std::vector<const GroupCommit::Body*>& bodies) {
  auto fail_all = [&](const absl::Status& status) {
    return std::vector<absl::StatusOr<Committed>>(bodies.size(), status);
  };
  absl::StatusOr<PgPool::Lease> lease = pool_.Acquire();
  if (!lease.ok()) return fail_all(lease.status());
  PgConnection& tx = **lease;
  absl::Status begun =
      tx.Run(absl::StrCat("BEGIN; SELECT pg_advisory_xact_lock(", kPgWriteLock, ")"));
  if (!begun.ok()) return fail_all(begun);
  std::vector<absl::StatusOr<Committed>> results = RunMembers(tx, bodies);
  if (bodies.size() == 1 && !results[0].ok()) {
    (void)tx.Run("ROLLBACK");  // a lone member has no savepoint to undo it
    return results;
  }
  bool any_events = false;
  for (const auto& result : results) any_events |= result.ok() && !result->events.empty();
  // NOTIFY is delivered at commit: the other replicas read the new events.
  absl::Status committed =
      tx.Run(any_events ? absl::StrCat("NOTIFY ", kPgEventChannel, "; COMMIT") : "COMMIT");
  if (!committed.ok()) {
    // Nothing of the group is acknowledged (it may or may not have been
    // stored if the connection broke during COMMIT).
    for (auto& result : results) {
      if (result.ok()) result = committed;
    }
    return results;
  }
  std::vector<const Committed*> stored;
  for (const auto& result : results) {
    if (result.ok()) stored.push_back(&*result);
  }
  feed_.PublishLocal(tx, stored);
  return results;
}

std::vector<absl::StatusOr<Committed>> PgStore::RunMembers(
    PgConnection& tx, const std::vector<const GroupCommit::Body*>& bodies) {
  std::vector<absl::StatusOr<Committed>> results;
  tx_ = &tx;
  // A lone write needs no savepoint: its failure rolls back the transaction.
  const bool isolate = bodies.size() > 1;
  absl::Status broken;
  for (const GroupCommit::Body* body : bodies) {
    if (!broken.ok()) {
      results.push_back(broken);
      continue;
    }
    if (isolate) broken = tx.Run("SAVEPOINT member");
    if (!broken.ok()) {
      results.push_back(broken);
      continue;
    }
    results.push_back((*body)());
    if (isolate) {
      broken = tx.Run(results.back().ok() ? "RELEASE SAVEPOINT member"
                                          : "ROLLBACK TO SAVEPOINT member; RELEASE SAVEPOINT "
                                            "member");
    }
  }
  tx_ = nullptr;
  if (!broken.ok()) {
    for (auto& result : results) {
      if (result.ok()) result = broken;
    }
  }
  return results;
}

absl::StatusOr<pb::Incident> PgStore::Get(int64_t id) {
  FF_ASSIGN_OR_RETURN(PgPool::Lease conn, pool_.Acquire());
  FF_ASSIGN_OR_RETURN(PgResult r, conn->Exec(absl::StrCat("SELECT ", kPgIncidentColumns,
                                                          " FROM incidents WHERE id = $1"),
                                             PgParams().Int(id)));
  if (r.rows() == 0) return NotFoundIncident(id);
  return ReadPgIncident(r, 0);
}

absl::StatusOr<IncidentPage> PgStore::List(const IncidentFilter& filter, int32_t limit,
                                           int64_t before_id) {
  std::vector<std::string> where = {"true"};
  PgParams params;
  auto in_list = [&](absl::string_view column, const auto& values) {
    std::vector<std::string> marks;
    for (auto v : values) {
      params.Int(static_cast<int64_t>(v));
      marks.push_back(absl::StrCat("$", params.size()));
    }
    where.push_back(absl::StrCat(column, " IN (", absl::StrJoin(marks, ", "), ")"));
  };
  if (!filter.statuses.empty()) in_list("status", filter.statuses);
  if (!filter.severities.empty()) in_list("severity", filter.severities);
  if (!filter.domain.empty()) {
    params.Text(filter.domain);
    where.push_back(absl::StrCat("domain = $", params.size()));
  }
  if (before_id > 0) {
    params.Int(before_id);
    where.push_back(absl::StrCat("id < $", params.size()));
  }
  params.Int(static_cast<int64_t>(limit) + 1);  // one more tells whether another page exists
  std::string sql =
      absl::StrCat("SELECT ", kPgIncidentColumns, " FROM incidents WHERE ",
                   absl::StrJoin(where, " AND "), " ORDER BY id DESC LIMIT $", params.size());
  FF_ASSIGN_OR_RETURN(PgPool::Lease conn, pool_.Acquire());
  FF_ASSIGN_OR_RETURN(PgResult r, conn->Exec(sql, params));
  IncidentPage page;
  for (int row = 0; row < r.rows(); ++row) page.incidents.push_back(ReadPgIncident(r, row));
  if (page.incidents.size() > static_cast<size_t>(limit)) {
    page.incidents.pop_back();
    page.next_before_id = page.incidents.back().id();
  }
  return page;
}

absl::StatusOr<std::vector<pb::TimelineEntry>> PgStore::Timeline(int64_t id) {
  FF_ASSIGN_OR_RETURN(PgPool::Lease conn, pool_.Acquire());
  // One statement, one snapshot: the incident's existence and its entries.
  FF_ASSIGN_OR_RETURN(
      PgResult r, conn->Exec("SELECT t.id, t.incident_id, t.time, t.kind, t.actor, t.text, t.via "
                             "FROM incidents i LEFT JOIN timeline t ON t.incident_id = i.id "
                             "WHERE i.id = $1 ORDER BY t.time, t.id",
                             PgParams().Int(id)));
  if (r.rows() == 0) return NotFoundIncident(id);
  std::vector<pb::TimelineEntry> entries;
  for (int row = 0; row < r.rows(); ++row) {
    if (!r.IsNull(row, 0)) entries.push_back(ReadPgEntry(r, row));
  }
  return entries;
}

}  // namespace ff
