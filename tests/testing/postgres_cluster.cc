#include "tests/testing/postgres_cluster.h"

#include <libpq-fe.h>
#include <netinet/in.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <functional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "tests/testing/subprocess.h"

namespace ff::testing {
namespace {

namespace fs = std::filesystem;

#ifdef FF_PG_BINDIR
constexpr char kBinDir[] = FF_PG_BINDIR;
#else
constexpr char kBinDir[] = "/usr/lib/postgresql/15/bin";
#endif

// The unprivileged user that runs the server when the tests run as root.
constexpr char kServerUser[] = "postgres";

bool RunningAsRoot() { return geteuid() == 0; }

// HandOver gives `path` to the server user when running as root.
absl::Status HandOver(const std::string& path) {
  if (!RunningAsRoot()) return absl::OkStatus();
  const passwd* user = getpwnam(kServerUser);
  if (user == nullptr) {
    return absl::InternalError(absl::StrCat("PostgreSQL refuses to run as root, and there is no ",
                                            kServerUser, " user to run it as"));
  }
  if (chown(path.c_str(), user->pw_uid, user->pw_gid) != 0) {
    return absl::InternalError(absl::StrCat("cannot hand ", path, " to ", kServerUser));
  }
  return absl::OkStatus();
}

// RunAsServerUser runs `args` as the server user (as is when not root).
absl::Status RunAsServerUser(std::vector<std::string> args) {
  const std::string program = fs::path(args[0]).filename().string();
  if (RunningAsRoot()) {
    args.insert(args.begin(), {"/usr/sbin/runuser", "-u", kServerUser, "--"});
  }
  CommandResult result = RunCommand(args, absl::Seconds(120));
  if (result.exit_code == 0) return absl::OkStatus();
  return absl::InternalError(
      absl::StrCat(program, " failed (exit ", result.exit_code, "): ", result.out, result.err));
}

int FreePort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof(addr);
  int port = 0;
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
    port = ntohs(addr.sin_port);
  }
  close(fd);
  return port;
}

// Template returns the initdb-made data directory every cluster copies,
// making it first when absent. Concurrent test processes may both make
// one; the first rename wins and the other is dropped.
absl::StatusOr<std::string> Template() {
  const fs::path tmp = fs::temp_directory_path();
  const std::string path =
      (tmp / absl::StrCat("ff-pg-template-", geteuid(), "-", std::hash<std::string>()(kBinDir)))
          .string();
  if (fs::exists(fs::path(path) / "PG_VERSION")) return path;
  TempDir build;
  if (absl::Status s = HandOver(build.path()); !s.ok()) return s;
  const std::string data = build.File("data");
  if (absl::Status s =
          RunAsServerUser({absl::StrCat(kBinDir, "/initdb"), "-D", data, "-U", "postgres",
                           "--auth=trust", "--no-sync", "-E", "UTF8", "--locale=C"});
      !s.ok()) {
    return s;
  }
  std::error_code ignored;
  fs::rename(data, path, ignored);  // fails harmlessly when another won
  if (!fs::exists(fs::path(path) / "PG_VERSION")) {
    return absl::InternalError(absl::StrCat("cannot keep the PostgreSQL template at ", path));
  }
  return path;
}

}  // namespace

std::string TestBackend() {
  const char* backend = std::getenv("FF_TEST_BACKEND");
  return backend != nullptr && std::string(backend) == "postgresql" ? "postgresql" : "sqlite";
}

absl::StatusOr<std::unique_ptr<PostgresCluster>> PostgresCluster::Create() {
  std::unique_ptr<PostgresCluster> cluster(new PostgresCluster());
  absl::StatusOr<std::string> templ = Template();
  if (!templ.ok()) return templ.status();
  if (absl::Status s = HandOver(cluster->dir_.path()); !s.ok()) return s;
  if (absl::Status s = RunAsServerUser({"/bin/cp", "-a", *templ, cluster->dir_.File("data")});
      !s.ok()) {
    return s;
  }
  cluster->port_ = FreePort();
  if (absl::Status s = cluster->Start(); !s.ok()) return s;
  return cluster;
}

PostgresCluster::~PostgresCluster() {
  if (running_) {
    (void)Tool({"-m", "immediate", "stop"});
  }
}

absl::Status PostgresCluster::Tool(const std::vector<std::string>& args) {
  std::vector<std::string> argv = {
      absl::StrCat(kBinDir, "/pg_ctl"), "-D", dir_.File("data"), "-w", "-t", "60"};
  argv.insert(argv.end(), args.begin(), args.end());
  return RunAsServerUser(argv);
}

absl::Status PostgresCluster::Start() {
  // Unix socket only, in the cluster's own directory. fsync is off: a test
  // cluster is stopped cleanly (which writes everything out) or thrown away,
  // never recovered from a machine crash.
  absl::Status started = Tool({"-l", dir_.File("server.log"), "-o",
                               absl::StrCat("-p ", port_, " -k ", dir_.path(),
                                            " -c listen_addresses='' -c fsync=off "
                                            "-c full_page_writes=off -c max_connections=200"),
                               "start"});
  running_ = started.ok();
  return started;
}

absl::Status PostgresCluster::Stop() {
  absl::Status stopped = Tool({"-m", "fast", "stop"});
  if (stopped.ok()) running_ = false;
  return stopped;
}

std::string PostgresCluster::Uri(const std::string& name) const {
  return absl::StrCat("postgresql:///", name, "?host=", dir_.path(), "&port=", port_,
                      "&user=postgres");
}

absl::StatusOr<std::string> PostgresCluster::CreateDatabase(const std::string& name) {
  PGconn* conn = PQconnectdb(Uri("postgres").c_str());
  absl::Status status;
  if (PQstatus(conn) != CONNECTION_OK) {
    status = absl::InternalError(absl::StrCat("cannot connect: ", PQerrorMessage(conn)));
  } else {
    PGresult* r = PQexec(conn, absl::StrCat("CREATE DATABASE \"", name, "\"").c_str());
    if (PQresultStatus(r) != PGRES_COMMAND_OK) {
      status = absl::InternalError(absl::StrCat("CREATE DATABASE: ", PQerrorMessage(conn)));
    }
    PQclear(r);
  }
  PQfinish(conn);
  if (!status.ok()) return status;
  return Uri(name);
}

}  // namespace ff::testing
