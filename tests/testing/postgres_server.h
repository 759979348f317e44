// PostgresServer: the real firefighterd on a database of its own throwaway
// PostgreSQL cluster, for tests that hold its calls in flight with a
// TableLock.
//
// TableLock: a PostgreSQL session holding an ACCESS EXCLUSIVE lock on one
// table in a transaction left open, so that every statement touching the
// table waits, reads included. It holds a request in flight honestly (the
// real server, blocked in its real database), for shutdown tests, and says
// when a request is waiting behind it.
//
// Not thread-safe: one test owns it.
#ifndef FF_TESTS_TESTING_POSTGRES_SERVER_H_
#define FF_TESTS_TESTING_POSTGRES_SERVER_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "server/store/pg_connection.h"
#include "tests/testing/postgres_cluster.h"
#include "tests/testing/server_process.h"

namespace ff::testing {

class TableLock {
 public:
  // Take locks `table` of the database at `uri`. Errors as PgConnection
  // reports them (UNAVAILABLE when the database cannot be reached).
  static absl::StatusOr<std::unique_ptr<TableLock>> Take(const std::string& uri,
                                                         const std::string& table);

  // WaitForWaiter is true once another session waits for the lock; false
  // when none did within `timeout`.
  bool WaitForWaiter(absl::Duration timeout);

  // Release ends the transaction: the waiting statements go on.
  absl::Status Release();

  // Connection is the session, for reading what the server wrote once
  // released.
  PgConnection& connection() { return *conn_; }

 private:
  TableLock(std::unique_ptr<PgConnection> conn, std::string table)
      : conn_(std::move(conn)), table_(std::move(table)) {}

  std::unique_ptr<PgConnection> conn_;
  std::string table_;
};

class PostgresServer {
 public:
  // Start makes the cluster and the database and starts firefighterd on it
  // with `extra_args`. INTERNAL with the tools' or the server's output when
  // any of them fails.
  static absl::StatusOr<std::unique_ptr<PostgresServer>> Start(
      std::vector<std::string> extra_args = {});

  ServerProcess& server() { return *server_; }
  // "127.0.0.1:PORT" of firefighterd.
  const std::string& address() const { return server_->address(); }
  // The postgresql:// URI of firefighterd's database.
  const std::string& uri() const { return uri_; }

  // OpenIncident opens a SEV2 incident titled `title` in domain "payment",
  // reported by alice, through firefighterd. Errors as the call returns them.
  absl::Status OpenIncident(const std::string& title) const;

  // LockTable: TableLock::Take on firefighterd's database.
  absl::StatusOr<std::unique_ptr<TableLock>> LockTable(const std::string& table) const {
    return TableLock::Take(uri_, table);
  }

 private:
  PostgresServer() = default;

  std::unique_ptr<PostgresCluster> cluster_;
  std::string uri_;
  std::unique_ptr<ServerProcess> server_;
};

}  // namespace ff::testing

#endif  // FF_TESTS_TESTING_POSTGRES_SERVER_H_
