#include "server/store/pg_store.h"

#include <unistd.h>

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/status_macros.h"
#include "server/store/pg_codec.h"
#include "server/store/pg_schema.h"
#include "server/store/pg_writer.h"
#include "server/store/store_transaction.h"

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

PgStore::PgStore(const std::string& uri, PgStoreOptions options, int64_t watermark)
    : options_(std::move(options)),
      pool_(uri, options_.pool_size, kPoolWait),
      reads_(options_.pool_size),
      feed_(uri, watermark),
      writes_(
          [this](const std::vector<const GroupCommit::Body*>& bodies) {
            return CommitGroup(bodies);
          },
          kMaxGroup, [this] { return Transaction(); }) {}

PgStore::~PgStore() { feed_.Stop(); }

void PgStore::SetCommitObserver(CommitObserver observer) {
  absl::StatusOr<PgPool::Lease> conn = pool_.Acquire();
  feed_.Start(std::move(observer), conn.ok() ? &**conn : nullptr);
}

StoreTransaction PgStore::Transaction() { return StoreTransaction(*steps_, router_); }

absl::StatusOr<Committed> PgStore::Open(const Change& change) { return writes_.Open(change); }

void PgStore::OpenAsync(Change change, CommitDone done) {
  writes_.OpenAsync(std::move(change), std::move(done));
}

absl::StatusOr<Committed> PgStore::Mutate(int64_t id, const Mutation& mutation) {
  return writes_.Mutate(id, mutation);
}

void PgStore::MutateAsync(int64_t id, Mutation mutation, CommitDone done) {
  writes_.MutateAsync(id, std::move(mutation), std::move(done));
}

absl::StatusOr<bool> PgStore::RecordOnce(int64_t id, const OnceDecision& decide, absl::Time now) {
  return writes_.RecordOnce(id, decide, now);
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
  steps_.emplace(tx);
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
  steps_.reset();
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

namespace {

// ListSql is the SELECT of `columns` a list page reads, with its parameters
// in `params`: `filter`, ids below `before_id` (0: none), newest first, one
// row more than `limit` (it tells whether another page exists).
std::string ListSql(absl::string_view columns, const IncidentFilter& filter, int64_t before_id,
                    int32_t limit, PgParams& params) {
  std::vector<std::string> where = {"true"};
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
  params.Int(static_cast<int64_t>(limit) + 1);
  return absl::StrCat("SELECT ", columns, " FROM incidents WHERE ", absl::StrJoin(where, " AND "),
                      " ORDER BY id DESC LIMIT $", params.size());
}

}  // namespace

absl::StatusOr<int64_t> PgStore::ListInto(const IncidentFilter& filter, int32_t limit,
                                          int64_t before_id,
                                          google::protobuf::RepeatedPtrField<pb::Incident>* out) {
  PgParams params;
  const std::string sql = ListSql(kPgIncidentColumns, filter, before_id, limit, params);
  FF_ASSIGN_OR_RETURN(PgPool::Lease conn, pool_.Acquire());
  FF_ASSIGN_OR_RETURN(PgResult r, conn->Exec(sql, params));
  const int first = out->size();
  for (int row = 0; row < r.rows(); ++row) ReadPgIncident(r, row, out->Add());
  return TrimIncidentPage(out, first, limit);
}

absl::StatusOr<int64_t> PgStore::ListRecords(const IncidentFilter& filter, int32_t limit,
                                             int64_t before_id,
                                             absl::FunctionRef<void(const IncidentRecord&)> each) {
  // The columns come too, in the same statement (one snapshot): a row whose
  // record is missing or behind its version is read from them.
  PgParams params;
  const std::string sql = ListSql(absl::StrCat(kPgIncidentColumns, ", record_version, record"),
                                  filter, before_id, limit, params);
  constexpr int kRecordVersion = 24, kRecord = 25, kVersion = 23;
  FF_ASSIGN_OR_RETURN(PgPool::Lease conn, pool_.Acquire());
  FF_ASSIGN_OR_RETURN(PgResult r, conn->Exec(sql, params));
  const int rows = std::min(r.rows(), limit);
  for (int row = 0; row < rows; ++row) {
    IncidentRecord listed;
    listed.id = r.Int(row, 0);
    listed.severity = static_cast<pb::Severity>(r.Int(row, 4));
    listed.status = static_cast<pb::Status>(r.Int(row, 5));
    const std::string record =
        !r.IsNull(row, kRecordVersion) && r.Int(row, kRecordVersion) == r.Int(row, kVersion)
            ? r.Bytes(row, kRecord)
            : StoredRecordOf(ReadPgIncident(r, row));
    listed.record = record;
    each(listed);
  }
  return r.rows() > limit ? r.Int(limit - 1, 0) : 0;
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

namespace {

PgParams ParamsOf(const std::vector<SqlArg>& args) {
  PgParams params;
  for (const SqlArg& arg : args) {
    if (arg.is_text) {
      params.Text(arg.text);
    } else {
      params.Int(arg.number);
    }
  }
  return params;
}

std::string PgMark(int n) { return absl::StrCat("$", n); }

}  // namespace

absl::StatusOr<Committed> PgStore::WriteFollowUp(const FollowUpTarget& target,
                                                 const FollowUpMutation& mutation) {
  return writes_.WriteFollowUp(target, mutation);
}

void PgStore::WriteFollowUpAsync(FollowUpTarget target, FollowUpMutation mutation,
                                 CommitDone done) {
  writes_.WriteFollowUpAsync(target, std::move(mutation), std::move(done));
}

absl::StatusOr<pb::FollowUp> PgStore::GetFollowUp(int64_t id) {
  FF_ASSIGN_OR_RETURN(PgPool::Lease conn, pool_.Acquire());
  FF_ASSIGN_OR_RETURN(PgResult r, conn->Exec("SELECT id, record FROM follow_ups WHERE id = $1",
                                             PgParams().Int(id)));
  if (r.rows() == 0) return NotFoundFollowUp(id);
  return ReadPgFollowUp(r, 0);
}

absl::StatusOr<FollowUpPage> PgStore::ListFollowUps(const FollowUpFilter& filter, int32_t limit,
                                                    int64_t after_id) {
  SqlQuery query = FollowUpListSql(filter, limit, after_id, PgMark);
  FF_ASSIGN_OR_RETURN(PgPool::Lease conn, pool_.Acquire());
  FF_ASSIGN_OR_RETURN(PgResult r, conn->Exec(query.sql, ParamsOf(query.args)));
  FollowUpPage page;
  for (int row = 0; row < r.rows(); ++row) page.follow_ups.push_back(ReadPgFollowUp(r, row));
  TrimFollowUpPage(page, limit);
  return page;
}

absl::StatusOr<FollowUpTotals> PgStore::CountFollowUps(const std::string& today) {
  SqlQuery query = FollowUpCountSql(today, PgMark);
  FF_ASSIGN_OR_RETURN(PgPool::Lease conn, pool_.Acquire());
  FF_ASSIGN_OR_RETURN(PgResult r, conn->Exec(query.sql, ParamsOf(query.args)));
  return FollowUpTotals{r.Int(0, 0), r.Int(0, 1)};
}

}  // namespace ff
