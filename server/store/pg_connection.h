// A thin layer over libpq for PgStore: one connection, its results and
// parameters, the status a failure maps to, and a bounded connection pool.
//
// PgConnection and PgResult are not thread-safe: one thread uses a
// connection at a time (the pool hands each out to one holder). PgPool is
// thread-safe.
#ifndef FF_SERVER_STORE_PG_CONNECTION_H_
#define FF_SERVER_STORE_PG_CONNECTION_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

typedef struct pg_conn PGconn;
typedef struct pg_result PGresult;

namespace ff {

// PgResult owns the rows of one successful statement (text format).
class PgResult {
 public:
  explicit PgResult(PGresult* result);
  int rows() const;
  // Rows a command changed (UPDATE, INSERT, DELETE).
  int64_t affected() const;
  bool IsNull(int row, int column) const;
  std::string Text(int row, int column) const;
  int64_t Int(int row, int column) const;        // 0 for NULL
  std::string Bytes(int row, int column) const;  // a bytea column, decoded

 private:
  std::unique_ptr<PGresult, void (*)(PGresult*)> result_;
};

// PgParams are a statement's $1, $2, … in order.
class PgParams {
 public:
  PgParams& Int(int64_t value);
  PgParams& Text(std::string value);
  PgParams& Bytes(std::string value);  // for a bytea parameter
  PgParams& Null();
  size_t size() const { return values_.size(); }

 private:
  friend class PgConnection;
  std::vector<std::string> values_;
  std::vector<bool> null_;
  std::vector<int> formats_;  // 0 text, 1 binary
};

class PgConnection {
 public:
  // Connect opens a connection described by `conninfo` (a postgresql:// URI
  // or key=value string) and sets the session's timeouts. UNAVAILABLE when the
  // server cannot be reached or refuses; INVALID_ARGUMENT for a malformed URI.
  static absl::StatusOr<std::unique_ptr<PgConnection>> Connect(const std::string& conninfo);
  ~PgConnection();
  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;

  // Exec runs one statement with `params`. Errors as FromPg maps them.
  absl::StatusOr<PgResult> Exec(const std::string& sql, const PgParams& params = {});
  // Run runs one or more statements without parameters.
  absl::Status Run(const std::string& sql);

  // Broken is true once the connection is lost; it cannot be used again.
  bool Broken() const;
  // InTransaction is true between BEGIN and COMMIT/ROLLBACK.
  bool InTransaction() const;
  // StillAlive reads anything the server sent while the connection sat idle
  // (a shutdown notice, a closed socket) and is false when it is gone.
  bool StillAlive();

  PGconn* raw() { return conn_; }

 private:
  explicit PgConnection(PGconn* conn) : conn_(conn) {}
  absl::Status Failure(const PGresult* result, absl::string_view sql);

  PGconn* conn_;
};

// FromPg maps a PostgreSQL failure to the status the service reports: a lost
// or refused connection, a server shutting down, a timeout, lock or
// serialization conflicts and exhausted resources are UNAVAILABLE (retry the
// call); anything else is INTERNAL. `sqlstate` may be empty (no server
// answer).
absl::Status FromPg(absl::string_view sqlstate, bool connection_lost, absl::string_view message);

// PgPool lends up to `size` connections to `conninfo`, opening them on demand
// and dropping the ones that broke, so the pool heals itself when the database
// comes back. Thread-safe.
class PgPool {
 public:
  // Lease returns its connection to the pool when it goes out of scope (a
  // connection left inside a transaction is rolled back first).
  class Lease {
   public:
    Lease(PgPool* pool, std::unique_ptr<PgConnection> conn) : pool_(pool), conn_(std::move(conn)) {}
    Lease(Lease&& other) = default;
    Lease& operator=(Lease&&) = delete;
    ~Lease() {
      if (conn_ != nullptr) pool_->Release(std::move(conn_));
    }
    PgConnection& operator*() { return *conn_; }
    PgConnection* operator->() { return conn_.get(); }

   private:
    PgPool* pool_;
    std::unique_ptr<PgConnection> conn_;
  };

  // `wait`: how long Acquire waits for a busy pool before giving up.
  PgPool(std::string conninfo, int size, absl::Duration wait)
      : conninfo_(std::move(conninfo)), size_(size), wait_(wait) {}

  // Acquire lends an idle connection, or opens one while fewer than `size`
  // exist. UNAVAILABLE when the database cannot be reached, or when every
  // connection stayed busy for `wait`.
  absl::StatusOr<Lease> Acquire();

  const std::string& conninfo() const { return conninfo_; }

 private:
  void Release(std::unique_ptr<PgConnection> conn);

  const std::string conninfo_;
  const int size_;
  const absl::Duration wait_;
  absl::Mutex mu_;
  std::vector<std::unique_ptr<PgConnection>> idle_ ABSL_GUARDED_BY(mu_);
  int open_ ABSL_GUARDED_BY(mu_) = 0;  // idle and lent
};

// IsPostgresUri is true for a postgresql:// or postgres:// URI.
bool IsPostgresUri(absl::string_view db);

}  // namespace ff

#endif  // FF_SERVER_STORE_PG_CONNECTION_H_
