// PostgresCluster: a throwaway PostgreSQL server for tests, in a temporary
// directory, listening only on a unix socket there.
//
// The data directory is made by initdb once per machine and PostgreSQL
// version (kept as a template in the temporary directory, created
// atomically) and copied for each cluster, which saves initdb's seconds per
// test. PostgreSQL refuses to run as root: under root (as in CI) every
// server command runs as the unprivileged `postgres` user that Debian's
// package creates, and the directory is handed to it. Not thread-safe: one
// test owns it.
#ifndef FF_TESTS_TESTING_POSTGRES_CLUSTER_H_
#define FF_TESTS_TESTING_POSTGRES_CLUSTER_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "tests/testing/server_process.h"

namespace ff::testing {

class PostgresCluster {
 public:
  // Create makes a cluster and starts it. INTERNAL with the tools' output
  // when PostgreSQL's server binaries are missing or fail.
  static absl::StatusOr<std::unique_ptr<PostgresCluster>> Create();
  ~PostgresCluster();  // stops the server at once and removes everything

  // Stop shuts the server down (fast mode: connections are cut, committed
  // work is kept); Start brings it back on the same socket.
  absl::Status Stop();
  absl::Status Start();

  // CreateDatabase makes an empty database and returns its URI.
  absl::StatusOr<std::string> CreateDatabase(const std::string& name);
  // Uri is the postgresql:// URI of database `name`.
  std::string Uri(const std::string& name) const;

 private:
  PostgresCluster() = default;
  // Tool runs a PostgreSQL program as the cluster's user.
  absl::Status Tool(const std::vector<std::string>& args);

  TempDir dir_;
  int port_ = 0;
  bool running_ = false;
};

// TestBackend is the database the e2e suite runs on: "postgresql" when the
// environment variable FF_TEST_BACKEND says so, else "sqlite".
std::string TestBackend();

}  // namespace ff::testing

#endif  // FF_TESTS_TESTING_POSTGRES_CLUSTER_H_
