#include "server/store/pg_connection.h"

#include <libpq-fe.h>
#include <poll.h>

#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace ff {
namespace {

// A statement or lock wait longer than this fails the call (UNAVAILABLE)
// instead of holding it past any reasonable client deadline.
constexpr char kSessionSettings[] =
    "SET statement_timeout = 5000; SET lock_timeout = 5000; "
    "SET idle_in_transaction_session_timeout = 60000";

std::string FirstLine(absl::string_view message) {
  message = absl::StripAsciiWhitespace(message);
  return std::string(message.substr(0, message.find('\n')));
}

}  // namespace

PgResult::PgResult(PGresult* result) : result_(result, PQclear) {}

int PgResult::rows() const { return PQntuples(result_.get()); }

int64_t PgResult::affected() const {
  int64_t n = 0;
  return absl::SimpleAtoi(PQcmdTuples(result_.get()), &n) ? n : 0;
}

bool PgResult::IsNull(int row, int column) const {
  return PQgetisnull(result_.get(), row, column) != 0;
}

std::string PgResult::Text(int row, int column) const {
  return std::string(PQgetvalue(result_.get(), row, column),
                     static_cast<size_t>(PQgetlength(result_.get(), row, column)));
}

int64_t PgResult::Int(int row, int column) const {
  int64_t value = 0;
  if (IsNull(row, column)) return 0;
  if (!absl::SimpleAtoi(PQgetvalue(result_.get(), row, column), &value)) {
    // Booleans arrive as t/f.
    return Text(row, column) == "t" ? 1 : 0;
  }
  return value;
}

std::string PgResult::Bytes(int row, int column) const {
  size_t length = 0;
  unsigned char* raw = PQunescapeBytea(
      reinterpret_cast<const unsigned char*>(PQgetvalue(result_.get(), row, column)), &length);
  if (raw == nullptr) return "";
  std::string bytes(reinterpret_cast<char*>(raw), length);
  PQfreemem(raw);
  return bytes;
}

PgParams& PgParams::Int(int64_t value) {
  values_.push_back(absl::StrCat(value));
  null_.push_back(false);
  formats_.push_back(0);
  return *this;
}

PgParams& PgParams::Text(std::string value) {
  values_.push_back(std::move(value));
  null_.push_back(false);
  formats_.push_back(0);
  return *this;
}

PgParams& PgParams::Bytes(std::string value) {
  values_.push_back(std::move(value));
  null_.push_back(false);
  formats_.push_back(1);
  return *this;
}

PgParams& PgParams::Null() {
  values_.emplace_back();
  null_.push_back(true);
  formats_.push_back(0);
  return *this;
}

absl::Status FromPg(absl::string_view sqlstate, bool connection_lost, absl::string_view message) {
  std::string text(message);
  if (connection_lost || sqlstate.empty()) return absl::UnavailableError(text);
  for (absl::string_view retryable_class : {"08", "53", "57", "40"}) {
    if (absl::StartsWith(sqlstate, retryable_class)) return absl::UnavailableError(text);
  }
  if (sqlstate == "55P03" || sqlstate == "25P03") return absl::UnavailableError(text);
  return absl::InternalError(text);
}

absl::StatusOr<std::unique_ptr<PgConnection>> PgConnection::Connect(const std::string& conninfo) {
  // Defaults first: settings in the URI itself override them. Keepalives and
  // the user timeout notice a database host that vanished without closing
  // the connection.
  const char* keys[] = {"connect_timeout",
                        "keepalives_idle",
                        "keepalives_interval",
                        "keepalives_count",
                        "tcp_user_timeout",
                        "application_name",
                        "dbname",
                        nullptr};
  const char* values[] = {"3", "10", "5", "3", "10000", "firefighterd", conninfo.c_str(), nullptr};
  char* parse_error = nullptr;
  PQconninfoOption* parsed = PQconninfoParse(conninfo.c_str(), &parse_error);
  if (parsed == nullptr) {
    std::string why = parse_error != nullptr ? FirstLine(parse_error) : "out of memory";
    PQfreemem(parse_error);
    return absl::InvalidArgumentError(absl::StrCat("database URI is invalid: ", why));
  }
  PQconninfoFree(parsed);
  PGconn* conn = PQconnectdbParams(keys, values, /*expand_dbname=*/1);
  if (conn == nullptr) return absl::UnavailableError("cannot connect to PostgreSQL: out of memory");
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string why = FirstLine(PQerrorMessage(conn));
    PQfinish(conn);
    return absl::UnavailableError(absl::StrCat("cannot connect to PostgreSQL: ", why));
  }
  // Notices ("relation already exists, skipping") are not errors; libpq
  // would print them on stderr.
  PQsetNoticeProcessor(
      conn, [](void*, const char*) {}, nullptr);
  std::unique_ptr<PgConnection> connection(new PgConnection(conn));
  if (absl::Status s = connection->Run(kSessionSettings); !s.ok()) return s;
  return connection;
}

PgConnection::~PgConnection() { PQfinish(conn_); }

absl::Status PgConnection::Failure(const PGresult* result, absl::string_view sql) {
  const char* state = result != nullptr ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  std::string message = FirstLine(result != nullptr ? PQresultErrorMessage(result) : "");
  if (message.empty()) message = FirstLine(PQerrorMessage(conn_));
  return FromPg(state != nullptr ? state : "", Broken(), absl::StrCat("PostgreSQL: ", message));
}

absl::StatusOr<PgResult> PgConnection::Exec(const std::string& sql, const PgParams& params) {
  std::vector<const char*> values;
  std::vector<int> lengths;
  for (size_t i = 0; i < params.size(); ++i) {
    values.push_back(params.null_[i] ? nullptr : params.values_[i].data());
    lengths.push_back(static_cast<int>(params.values_[i].size()));
  }
  PGresult* raw =
      PQexecParams(conn_, sql.c_str(), static_cast<int>(params.size()), nullptr, values.data(),
                   lengths.data(), params.formats_.data(), /*resultFormat=*/0);
  PgResult result(raw);
  ExecStatusType status = raw != nullptr ? PQresultStatus(raw) : PGRES_FATAL_ERROR;
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) return Failure(raw, sql);
  return result;
}

absl::Status PgConnection::Run(const std::string& sql) {
  PGresult* raw = PQexec(conn_, sql.c_str());
  PgResult result(raw);
  ExecStatusType status = raw != nullptr ? PQresultStatus(raw) : PGRES_FATAL_ERROR;
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) return Failure(raw, sql);
  return absl::OkStatus();
}

bool PgConnection::Broken() const { return PQstatus(conn_) != CONNECTION_OK; }

bool PgConnection::InTransaction() const { return PQtransactionStatus(conn_) != PQTRANS_IDLE; }

bool PgConnection::StillAlive() {
  if (Broken()) return false;
  pollfd pfd{PQsocket(conn_), POLLIN, 0};
  if (poll(&pfd, 1, 0) > 0) {
    // An idle connection has nothing to read unless the server said goodbye
    // (or sent a notification, which consuming keeps for PQnotifies).
    if (PQconsumeInput(conn_) == 0) return false;
  }
  return !Broken();
}

absl::StatusOr<PgPool::Lease> PgPool::Acquire() {
  absl::Time deadline = absl::Now() + wait_;
  while (true) {
    std::unique_ptr<PgConnection> conn;
    {
      absl::MutexLock lock(&mu_);
      auto available = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
        return !idle_.empty() || open_ < size_;
      };
      if (!mu_.AwaitWithDeadline(absl::Condition(&available), deadline)) {
        return absl::UnavailableError(absl::StrCat(
            "all ", size_, " database connections stayed busy for ", absl::FormatDuration(wait_)));
      }
      if (!idle_.empty()) {
        conn = std::move(idle_.back());
        idle_.pop_back();
      } else {
        ++open_;  // reserved while connecting outside the lock
      }
    }
    if (conn != nullptr) {
      if (conn->StillAlive()) return Lease(this, std::move(conn));
      absl::MutexLock lock(&mu_);
      --open_;  // the server closed it while idle: try the next one
      continue;
    }
    absl::StatusOr<std::unique_ptr<PgConnection>> opened = PgConnection::Connect(conninfo_);
    if (!opened.ok()) {
      absl::MutexLock lock(&mu_);
      --open_;
      return opened.status();
    }
    return Lease(this, *std::move(opened));
  }
}

void PgPool::Release(std::unique_ptr<PgConnection> conn) {
  if (!conn->Broken() && conn->InTransaction() && !conn->Run("ROLLBACK").ok()) conn.reset();
  absl::MutexLock lock(&mu_);
  if (conn == nullptr || conn->Broken()) {
    --open_;
    return;
  }
  idle_.push_back(std::move(conn));
}

bool IsPostgresUri(absl::string_view db) {
  return absl::StartsWith(db, "postgresql://") || absl::StartsWith(db, "postgres://");
}

}  // namespace ff
