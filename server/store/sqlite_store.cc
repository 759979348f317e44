#include "server/store/sqlite_store.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <optional>
#include <utility>

#include "SQLiteCpp/Exception.h"
#include "SQLiteCpp/Statement.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/status_macros.h"
#include "server/core/time_util.h"
#include "server/store/sqlite_codec.h"
#include "server/store/sqlite_schema.h"
#include "server/store/sqlite_writer.h"
#include "sqlite3.h"

namespace ff {
namespace {

constexpr int kBusyTimeoutMs = 5000;

std::unique_ptr<SQLite::Database> OpenConnection(const std::string& path, int flags) {
  auto db = std::make_unique<SQLite::Database>(path, flags, kBusyTimeoutMs);
  db->exec("PRAGMA foreign_keys = ON");
  return db;
}

// CheckWritable: an existing file this process may not write fails here,
// naming the reason (permission, read-only file system).
absl::Status CheckWritable(const std::string& path) {
  if (access(path.c_str(), F_OK) != 0 || access(path.c_str(), W_OK) == 0) {
    return absl::OkStatus();
  }
  return absl::FailedPreconditionError(
      absl::StrCat("database ", path, " is not writable: ", std::strerror(errno),
                   "; firefighterd must be able to write the file and its directory"));
}

// CheckIntact refuses a connection SQLite opened read-only, and runs PRAGMA
// quick_check. Throws SQLite::Exception for a file that is not a database.
absl::Status CheckIntact(SQLite::Database& db, const std::string& path) {
  if (sqlite3_db_readonly(db.getHandle(), "main") == 1) {
    return absl::FailedPreconditionError(
        absl::StrCat("database ", path, " is read-only: firefighterd must be able to write it"));
  }
  std::string check = db.execAndGet("PRAGMA quick_check").getString();
  if (check == "ok") return absl::OkStatus();
  return absl::FailedPreconditionError(
      absl::StrCat("database ", path, " fails PRAGMA quick_check: ", check.substr(0, 200),
                   "; restore it from a backup, or recover it with sqlite3's .recover"));
}

}  // namespace

absl::StatusOr<std::unique_ptr<SqliteStore>> SqliteStore::Create(const std::string& path) {
  FF_RETURN_IF_ERROR(CheckWritable(path));
  try {
    auto db = OpenConnection(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    FF_RETURN_IF_ERROR(CheckIntact(*db, path));
    // WAL lets readers run beside the writer; FULL syncs the WAL on every
    // commit so an acknowledged write survives a crash or power cut.
    std::string mode = db->execAndGet("PRAGMA journal_mode = WAL").getString();
    if (mode != "wal") {
      return absl::UnavailableError(
          absl::StrCat("database ", path, " cannot use WAL journal mode (got ", mode, ")"));
    }
    db->exec("PRAGMA synchronous = FULL");
    FF_RETURN_IF_ERROR(MigrateSqlite(*db));
    auto writer = std::make_unique<SqliteWriter>(std::move(db));
    return std::unique_ptr<SqliteStore>(new SqliteStore(path, std::move(writer)));
  } catch (const SQLite::Exception& e) {
    return absl::UnavailableError(absl::StrCat("cannot open database ", path, ": ", e.what()));
  }
}

SqliteStore::SqliteStore(std::string path, std::unique_ptr<SqliteWriter> writer)
    : path_(std::move(path)),
      writer_(std::move(writer)),
      writes_(
          [this](const std::vector<const GroupCommit::Body*>& bodies) {
            return CommitGroup(bodies);
          },
          kMaxGroup, [this] { return Transaction(); }) {}

SqliteStore::~SqliteStore() = default;

void SqliteStore::SetCommitObserver(CommitObserver observer) {
  std::lock_guard<std::mutex> lock(write_mu_);
  observer_ = std::move(observer);
}

StoreTransaction SqliteStore::Transaction() { return StoreTransaction(*writer_, router_); }

absl::StatusOr<Committed> SqliteStore::Open(const Change& change) { return writes_.Open(change); }

void SqliteStore::OpenAsync(Change change, CommitDone done) {
  writes_.OpenAsync(std::move(change), std::move(done));
}

absl::StatusOr<Committed> SqliteStore::Mutate(int64_t id, const Mutation& mutation) {
  return writes_.Mutate(id, mutation);
}

void SqliteStore::MutateAsync(int64_t id, Mutation mutation, CommitDone done) {
  writes_.MutateAsync(id, std::move(mutation), std::move(done));
}

absl::StatusOr<Committed> SqliteStore::WriteFollowUp(const FollowUpTarget& target,
                                                     const FollowUpMutation& mutation) {
  return writes_.WriteFollowUp(target, mutation);
}

void SqliteStore::WriteFollowUpAsync(FollowUpTarget target, FollowUpMutation mutation,
                                     CommitDone done) {
  writes_.WriteFollowUpAsync(target, std::move(mutation), std::move(done));
}

std::vector<absl::StatusOr<Committed>> SqliteStore::CommitGroup(
    const std::vector<const GroupCommit::Body*>& bodies) {
  std::lock_guard<std::mutex> lock(write_mu_);
  std::vector<absl::StatusOr<Committed>> results;
  SQLite::Database& db = writer_->db();
  try {
    WriteTransaction tx(db);
    for (const GroupCommit::Body* body : bodies) {
      // A savepoint per member: a member that fails leaves no trace and does
      // not fail the others.
      db.exec("SAVEPOINT member");
      try {
        results.push_back((*body)());
      } catch (const std::exception& e) {
        results.push_back(FromSqlite(e, "storing a change"));
      }
      if (!results.back().ok()) db.exec("ROLLBACK TO member");
      db.exec("RELEASE member");
    }
    tx.Commit();  // one sync for the whole group
  } catch (const std::exception& e) {
    // Nothing of the group is stored: every member that had succeeded fails.
    absl::Status failed = FromSqlite(e, "committing a group of changes");
    results.resize(bodies.size(), failed);
    for (auto& result : results) {
      if (result.ok()) result = failed;
    }
    return results;
  }
  for (const auto& result : results) {
    if (result.ok()) Notify(*result);
  }
  return results;
}

absl::StatusOr<std::unique_ptr<SqliteStore::Reader>> SqliteStore::AcquireReader() {
  {
    absl::MutexLock lock(&readers_mu_);
    if (!idle_readers_.empty()) {
      auto reader = std::move(idle_readers_.back());
      idle_readers_.pop_back();
      return reader;
    }
  }
  try {
    auto reader = std::make_unique<Reader>();
    // NOMUTEX: a pooled reader is used by one thread at a time, so SQLite
    // need not lock the connection on every column it hands back.
    reader->db = OpenConnection(path_, SQLite::OPEN_READONLY | SQLite::OPEN_NOMUTEX);
    return reader;
  } catch (const SQLite::Exception& e) {
    return FromSqlite(e, "opening a read connection");
  }
}

void SqliteStore::ReleaseReader(std::unique_ptr<Reader> reader) {
  constexpr size_t kMaxIdleReaders = 16;
  absl::MutexLock lock(&readers_mu_);
  if (idle_readers_.size() < kMaxIdleReaders) idle_readers_.push_back(std::move(reader));
}

SqliteStore::ReaderLease::~ReaderLease() {
  for (SQLite::Statement* statement : used_) statement->tryReset();
  store_->ReleaseReader(std::move(reader_));
}

SQLite::Statement& SqliteStore::ReaderLease::Prepared(const std::string& sql) {
  // Filters make a bounded set of statements; a connection that somehow
  // gathered many starts again rather than growing.
  constexpr size_t kMaxStatements = 64;
  std::unique_ptr<SQLite::Statement>& slot = reader_->statements[sql];
  if (slot == nullptr) {
    if (reader_->statements.size() > kMaxStatements) {
      for (auto& [text, statement] : reader_->statements) {
        if (statement != nullptr &&
            std::find(used_.begin(), used_.end(), statement.get()) == used_.end()) {
          statement.reset();
        }
      }
    }
    slot = std::make_unique<SQLite::Statement>(*reader_->db, sql);
  } else {
    slot->tryReset();
    slot->clearBindings();
  }
  used_.push_back(slot.get());
  return *slot;
}

absl::StatusOr<pb::Incident> SqliteStore::Get(int64_t id) {
  FF_ASSIGN_OR_RETURN(auto db, AcquireReader());
  ReaderLease lease(this, std::move(db));
  try {
    SQLite::Statement& q =
        lease.Prepared(absl::StrCat("SELECT ", kIncidentColumns, " FROM incidents WHERE id = ?"));
    q.bind(1, static_cast<int64_t>(id));
    if (!q.executeStep()) return NotFoundIncident(id);
    return ReadIncident(q);
  } catch (const SQLite::Exception& e) {
    return FromSqlite(e, absl::StrCat("reading incident #", id));
  }
}

namespace {

// ListQuery is the SELECT of `columns` a list page reads: `filter`, ids below
// `before_id` (0: none), newest first, and a LIMIT parameter.
std::string ListQuery(absl::string_view columns, const IncidentFilter& filter, int64_t before_id) {
  std::string sql = absl::StrCat("SELECT ", columns, " FROM incidents WHERE 1 = 1");
  auto in_list = [&sql](absl::string_view column, size_t n) {
    if (n == 0) return;
    absl::StrAppend(&sql, " AND ", column, " IN (?");
    for (size_t i = 1; i < n; ++i) sql += ", ?";
    sql += ")";
  };
  in_list("status", filter.statuses.size());
  in_list("severity", filter.severities.size());
  if (!filter.domain.empty()) sql += " AND domain = ?";
  if (before_id > 0) sql += " AND id < ?";
  sql += " ORDER BY id DESC LIMIT ?";
  return sql;
}

// BindListQuery binds ListQuery's parameters, asking for one row more than
// `limit`: it tells whether another page exists.
void BindListQuery(SQLite::Statement& q, const IncidentFilter& filter, int64_t before_id,
                   int32_t limit) {
  int index = 0;
  for (pb::Status s : filter.statuses) q.bind(++index, static_cast<int>(s));
  for (pb::Severity s : filter.severities) q.bind(++index, static_cast<int>(s));
  if (!filter.domain.empty()) q.bind(++index, filter.domain);
  if (before_id > 0) q.bind(++index, static_cast<int64_t>(before_id));
  q.bind(++index, limit + 1);
}

}  // namespace

absl::StatusOr<int64_t> SqliteStore::ListInto(
    const IncidentFilter& filter, int32_t limit, int64_t before_id,
    google::protobuf::RepeatedPtrField<pb::Incident>* out) {
  const std::string sql = ListQuery(kIncidentColumns, filter, before_id);
  FF_ASSIGN_OR_RETURN(auto reader, AcquireReader());
  ReaderLease lease(this, std::move(reader));
  const int first = out->size();
  try {
    SQLite::Statement& q = lease.Prepared(sql);
    BindListQuery(q, filter, before_id, limit);
    while (q.executeStep()) ReadIncident(q, out->Add());
    return TrimIncidentPage(out, first, limit);
  } catch (const SQLite::Exception& e) {
    while (out->size() > first) out->RemoveLast();
    return FromSqlite(e, "listing incidents");
  }
}

absl::StatusOr<int64_t> SqliteStore::ListRecords(
    const IncidentFilter& filter, int32_t limit, int64_t before_id,
    absl::FunctionRef<void(const IncidentRecord&)> each) {
  const std::string sql =
      ListQuery("id, status, severity, version, record_version, record", filter, before_id);
  FF_ASSIGN_OR_RETURN(auto reader, AcquireReader());
  ReaderLease lease(this, std::move(reader));
  try {
    SQLite::Statement& q = lease.Prepared(sql);
    BindListQuery(q, filter, before_id, limit);
    int32_t rows = 0;
    int64_t last_id = 0;
    while (q.executeStep()) {
      if (++rows > limit) return last_id;  // the row past the page: another exists
      IncidentRecord listed;
      listed.id = last_id = q.getColumn(0).getInt64();
      listed.status = static_cast<pb::Status>(q.getColumn(1).getInt());
      listed.severity = static_cast<pb::Severity>(q.getColumn(2).getInt());
      SQLite::Column record_version = q.getColumn(4);
      if (!record_version.isNull() && record_version.getInt64() == q.getColumn(3).getInt64()) {
        SQLite::Column record = q.getColumn(5);
        const void* bytes = record.getBlob();  // the pointer first, then its size
        listed.record = absl::string_view(static_cast<const char*>(bytes),
                                          static_cast<size_t>(record.getBytes()));
        each(listed);
        continue;
      }
      // Written before records were kept, or by a writer that does not keep
      // them: read from the columns, in the same snapshot (the lease's
      // statements share one read transaction).
      SQLite::Statement& row =
          lease.Prepared(absl::StrCat("SELECT ", kIncidentColumns, " FROM incidents WHERE id = ?"));
      row.bind(1, static_cast<int64_t>(listed.id));
      if (!row.executeStep()) {
        return absl::InternalError(absl::StrCat("incident #", listed.id, " vanished mid-page"));
      }
      const std::string record = StoredRecordOf(ReadIncident(row));
      listed.record = record;
      each(listed);
    }
    return int64_t{0};
  } catch (const SQLite::Exception& e) {
    return FromSqlite(e, "listing incidents");
  }
}

absl::StatusOr<std::vector<pb::TimelineEntry>> SqliteStore::Timeline(int64_t id) {
  FF_ASSIGN_OR_RETURN(auto db, AcquireReader());
  ReaderLease lease(this, std::move(db));
  try {
    // The first statement stays open until the lease ends: both read one
    // snapshot.
    SQLite::Statement& exists = lease.Prepared("SELECT 1 FROM incidents WHERE id = ?");
    exists.bind(1, static_cast<int64_t>(id));
    if (!exists.executeStep()) return NotFoundIncident(id);
    SQLite::Statement& q = lease.Prepared(absl::StrCat(
        "SELECT ", kEntryColumns, " FROM timeline WHERE incident_id = ? ORDER BY time, id"));
    q.bind(1, static_cast<int64_t>(id));
    std::vector<pb::TimelineEntry> entries;
    while (q.executeStep()) entries.push_back(ReadEntry(q));
    return entries;
  } catch (const SQLite::Exception& e) {
    return FromSqlite(e, absl::StrCat("reading the timeline of incident #", id));
  }
}

namespace {

// Bind binds a shared query's arguments (store.h's SqlQuery).
void Bind(SQLite::Statement& q, const std::vector<SqlArg>& args) {
  int index = 0;
  for (const SqlArg& arg : args) {
    if (arg.is_text) {
      q.bind(++index, arg.text);
    } else {
      q.bind(++index, arg.number);
    }
  }
}

std::string SqliteMark(int /*n*/) { return "?"; }

}  // namespace

absl::StatusOr<pb::FollowUp> SqliteStore::GetFollowUp(int64_t id) {
  FF_ASSIGN_OR_RETURN(auto db, AcquireReader());
  ReaderLease lease(this, std::move(db));
  try {
    SQLite::Statement q(*lease, "SELECT id, record FROM follow_ups WHERE id = ?");
    q.bind(1, static_cast<int64_t>(id));
    if (!q.executeStep()) return NotFoundFollowUp(id);
    return ReadFollowUp(q);
  } catch (const SQLite::Exception& e) {
    return FromSqlite(e, absl::StrCat("reading follow-up FU-", id));
  }
}

absl::StatusOr<FollowUpPage> SqliteStore::ListFollowUps(const FollowUpFilter& filter, int32_t limit,
                                                        int64_t after_id) {
  SqlQuery query = FollowUpListSql(filter, limit, after_id, SqliteMark);
  FF_ASSIGN_OR_RETURN(auto db, AcquireReader());
  ReaderLease lease(this, std::move(db));
  try {
    SQLite::Statement q(*lease, query.sql);
    Bind(q, query.args);
    FollowUpPage page;
    while (q.executeStep()) page.follow_ups.push_back(ReadFollowUp(q));
    TrimFollowUpPage(page, limit);
    return page;
  } catch (const SQLite::Exception& e) {
    return FromSqlite(e, "listing follow-ups");
  }
}

absl::StatusOr<FollowUpTotals> SqliteStore::CountFollowUps(const std::string& today) {
  SqlQuery query = FollowUpCountSql(today, SqliteMark);
  FF_ASSIGN_OR_RETURN(auto db, AcquireReader());
  ReaderLease lease(this, std::move(db));
  try {
    SQLite::Statement q(*lease, query.sql);
    Bind(q, query.args);
    q.executeStep();
    return FollowUpTotals{q.getColumn(0).getInt64(), q.getColumn(1).getInt64()};
  } catch (const SQLite::Exception& e) {
    return FromSqlite(e, "counting follow-ups");
  }
}

}  // namespace ff
