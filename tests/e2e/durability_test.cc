// Durability across kill -9, concurrency, shutdown and start-up errors.
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <fstream>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "SQLiteCpp/Database.h"
#include "gmock/gmock.h"
#include "tests/e2e/e2e_fixture.h"
#include "tests/testing/subprocess.h"

namespace ff::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

class DurabilityTest : public E2eTest {
 protected:
  // ExpectSqliteFileIntact checks the SQLite file a killed server left.
  // (PostgreSQL keeps its own files consistent: a killed client cannot harm
  // them.)
  void ExpectSqliteFileIntact() {
    if (TestBackend() != "sqlite") return;
    SQLite::Database db(db_path(), SQLite::OPEN_READONLY);
    EXPECT_EQ(db.execAndGet("PRAGMA integrity_check").getString(), "ok");
  }
};

TEST_F(DurabilityTest, AcknowledgedWritesSurviveKillNine) {
  constexpr int kIncidents = 40;
  for (int i = 1; i <= kIncidents; ++i) {
    pb::Incident incident = MustOpen("incident " + std::to_string(i));
    if (i % 2 == 0) {
      ASSERT_TRUE(MoveTo(incident.id(), pb::STATUS_INVESTIGATING).ok());
    }
    if (i % 4 == 0) {
      ASSERT_TRUE(MoveTo(incident.id(), pb::STATUS_FIXED).ok());
    }
  }
  server_->Kill();  // SIGKILL right after the last acknowledgement

  StartServer();
  pb::ListIncidentsRequest all;
  all.set_page_size(500);
  auto listed = ListIncidents(all);
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed.response.incidents_size(), kIncidents);
  for (const pb::Incident& incident : listed.response.incidents()) {
    int64_t i = incident.id();
    pb::Status expected = i % 4 == 0   ? pb::STATUS_FIXED
                          : i % 2 == 0 ? pb::STATUS_INVESTIGATING
                                       : pb::STATUS_OPEN;
    EXPECT_EQ(incident.status(), expected) << "incident #" << i;
    EXPECT_EQ(incident.version(), 1 + (i % 2 == 0) + (i % 4 == 0)) << "incident #" << i;
    EXPECT_EQ(Timeline(i).size(), static_cast<size_t>(incident.version()));
  }
  server_->Kill();
  ExpectSqliteFileIntact();
}

TEST_F(DurabilityTest, KillNineDuringGroupCommitsLosesNoAcknowledgedWrite) {
  constexpr int kThreads = 8;
  std::mutex mu;
  std::vector<std::pair<int64_t, std::string>> acknowledged;  // id, title
  std::atomic<bool> stop{false};
  std::atomic<int> acks{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      auto stub = pb::IncidentService::NewStub(channel_);
      for (int n = 0; !stop; ++n) {
        grpc::ClientContext context;
        context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
        std::string title = "t" + std::to_string(t) + "-" + std::to_string(n);
        pb::Incident response;
        if (!stub->OpenIncident(&context, OpenRequest(title), &response).ok()) return;
        std::lock_guard<std::mutex> lock(mu);
        acknowledged.emplace_back(response.id(), title);
        ++acks;
      }
    });
  }
  // Kill once writes are flowing, while groups are being committed.
  absl::Time deadline = absl::Now() + absl::Seconds(20);
  while (acks.load() < 200 && absl::Now() < deadline) std::this_thread::yield();
  server_->Kill();
  stop = true;
  for (auto& thread : threads) thread.join();
  ASSERT_GE(acknowledged.size(), 200u);

  StartServer();
  for (const auto& [id, title] : acknowledged) {
    pb::GetIncidentRequest get;
    get.set_id(id);
    auto found = GetIncident(get);
    ASSERT_TRUE(found.ok()) << "acknowledged incident #" << id << " was lost";
    EXPECT_EQ(found.response.title(), title);
  }
  server_->Kill();
  ExpectSqliteFileIntact();
}

TEST_F(DurabilityTest, SixteenClientsLoseNoUpdateAndVersionsStrictlyIncrease) {
  constexpr int kThreads = 16, kShared = 4, kUpdatesEach = 25;
  for (int i = 0; i < kShared; ++i) MustOpen("shared " + std::to_string(i));
  std::mutex mu;
  std::map<int64_t, std::vector<int64_t>> versions_seen;  // by incident
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      auto stub = pb::IncidentService::NewStub(channel_);
      std::map<int64_t, int64_t> last_seen;
      for (int n = 0; n < kUpdatesEach; ++n) {
        grpc::ClientContext context;
        pb::Incident response;
        grpc::Status status;
        if (n % 5 == 0) {  // opens run beside the updates
          pb::OpenIncidentRequest open = OpenRequest("own " + std::to_string(t));
          status = stub->OpenIncident(&context, open, &response);
        } else {
          pb::UpdateIncidentRequest update;
          update.set_id(1 + (t + n) % kShared);
          update.set_actor("t" + std::to_string(t));
          update.set_title("title by " + std::to_string(t) + "/" + std::to_string(n));
          status = stub->UpdateIncident(&context, update, &response);
        }
        if (!status.ok()) {
          ++failures;
          continue;
        }
        if (n % 5 == 0) continue;
        // Each client sees the versions of one incident strictly increase.
        EXPECT_GT(response.version(), last_seen[response.id()]);
        last_seen[response.id()] = response.version();
        std::lock_guard<std::mutex> lock(mu);
        versions_seen[response.id()].push_back(response.version());
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(CountIncidents(), kShared + kThreads * (kUpdatesEach / 5));
  int total_updates = 0;
  for (auto& [id, versions] : versions_seen) {
    // No two updates got the same version, and none is missing: 2..final.
    std::sort(versions.begin(), versions.end());
    for (size_t k = 0; k < versions.size(); ++k) {
      EXPECT_EQ(versions[k], static_cast<int64_t>(k) + 2) << "incident #" << id;
    }
    pb::GetIncidentRequest get;
    get.set_id(id);
    EXPECT_EQ(GetIncident(get).response.version(), static_cast<int64_t>(versions.size()) + 1);
    EXPECT_EQ(Timeline(id).size(), versions.size() + 1);
    total_updates += static_cast<int>(versions.size());
  }
  EXPECT_EQ(total_updates, kThreads * (kUpdatesEach - kUpdatesEach / 5));
}

TEST_F(DurabilityTest, SigtermEndsWatchersAndExitsCleanly) {
  grpc::ClientContext context;
  auto reader = stub_->WatchIncidents(&context, pb::WatchIncidentsRequest());
  reader->WaitForInitialMetadata();
  int status = server_->Stop(SIGTERM);
  EXPECT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
  pb::IncidentEvent event;
  EXPECT_FALSE(reader->Read(&event));
  grpc::Status end = reader->Finish();
  EXPECT_EQ(end.error_code(), grpc::StatusCode::UNAVAILABLE);
}

TEST(StartupTest, ConfigFileDomainsAreServed) {
  TempDir dir;
  std::ofstream(dir.File("ff.json"))
      << R"({"domains": [{"name": "checkout", "description": "Checkout flow"},
                         {"name": "ads", "invite": ["@ads-oncall"]}]})";
  ServerProcess server(ServerBinary(), dir.File("ff.db"), {"--config", dir.File("ff.json")});
  ASSERT_TRUE(server.Start().ok());
  auto stub = pb::IncidentService::NewStub(
      grpc::CreateChannel(server.address(), grpc::InsecureChannelCredentials()));
  grpc::ClientContext context;
  pb::ListDomainsResponse domains;
  ASSERT_TRUE(stub->ListDomains(&context, pb::ListDomainsRequest(), &domains).ok());
  ASSERT_EQ(domains.domains_size(), 2);
  EXPECT_EQ(domains.domains(0).name(), "checkout");
  EXPECT_EQ(domains.domains(0).description(), "Checkout flow");
  EXPECT_EQ(domains.domains(1).name(), "ads");
}

TEST(StartupTest, BadConfigFailsNamingTheKey) {
  TempDir dir;
  std::ofstream(dir.File("ff.json"))
      << R"({"domains": [{"name": "payment"}, {"name": "Bad Name"}]})";
  CommandResult result = RunCommand({ServerBinary(), "--listen", "127.0.0.1:0", "--db",
                                     dir.File("ff.db"), "--config", dir.File("ff.json")});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_THAT(result.err, HasSubstr("config: domains[1].name \"Bad Name\" must be"));

  std::ofstream(dir.File("typo.json")) << R"({"domians": []})";
  result = RunCommand({ServerBinary(), "--listen", "127.0.0.1:0", "--db", dir.File("ff.db"),
                       "--config", dir.File("typo.json")});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_THAT(result.err, HasSubstr("config: domians is not a known key"));
}

TEST(StartupTest, BadNotifierConfigFailsNamingTheKey) {
  TempDir dir;
  std::ofstream(dir.File("unknown.json"))
      << R"({"domains": [{"name": "payment"}], "notifiers": {"pagr": {}}})";
  CommandResult result = RunCommand({ServerBinary(), "--listen", "127.0.0.1:0", "--db",
                                     dir.File("ff.db"), "--config", dir.File("unknown.json")});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_THAT(result.err, HasSubstr("config: notifiers.pagr is not a known notifier"));

  std::ofstream(dir.File("secret.json"))
      << R"({"domains": [{"name": "payment"}], "notifiers": {"datadog":
             {"api_key_env": "FF_TEST_UNSET_DD_KEY", "app_key_env": "FF_TEST_UNSET_DD_APP"}}})";
  result = RunCommand({ServerBinary(), "--listen", "127.0.0.1:0", "--db", dir.File("ff.db"),
                       "--config", dir.File("secret.json")});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_THAT(result.err, HasSubstr("config: notifiers.datadog.api_key_env names environment "
                                    "variable FF_TEST_UNSET_DD_KEY, which is not set"));

  std::ofstream(dir.File("outbox.json"))
      << R"({"domains": [{"name": "payment"}], "outbox": {"max_attempts": 0}})";
  result = RunCommand({ServerBinary(), "--listen", "127.0.0.1:0", "--db", dir.File("ff.db"),
                       "--config", dir.File("outbox.json")});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_THAT(result.err, HasSubstr("config: outbox.max_attempts must be an integer from 1"));
}

TEST(StartupTest, UnusableDatabasePathFails) {
  TempDir dir;
  CommandResult result = RunCommand(
      {ServerBinary(), "--listen", "127.0.0.1:0", "--db", dir.File("missing-dir/ff.db")});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err, HasSubstr("cannot open database"));
}

// MakeDatabase leaves at `path` a database a server wrote and shut down
// cleanly (no WAL left), holding one incident.
void MakeDatabase(const std::string& path) {
  ServerProcess server(ServerBinary(), path);
  ASSERT_TRUE(server.Start().ok());
  auto stub = pb::IncidentService::NewStub(
      grpc::CreateChannel(server.address(), grpc::InsecureChannelCredentials()));
  grpc::ClientContext context;
  pb::Incident incident;
  ASSERT_TRUE(stub->OpenIncident(&context, E2eTest::OpenRequest("stored"), &incident).ok());
  int status = server.Stop(SIGTERM);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

// ExpectRefusedToStart runs firefighterd on `db`, after `argv` (a command
// that runs it as someone else) when given, and expects exit 1 with
// `message`, before it ever listened.
void ExpectRefusedToStart(const std::string& db, const std::string& message,
                          std::vector<std::string> argv = {}) {
  argv.insert(argv.end(), {ServerBinary(), "--listen", "127.0.0.1:0", "--db", db});
  CommandResult result = RunCommand(argv);
  EXPECT_EQ(result.exit_code, 1) << result.err;
  EXPECT_THAT(result.err, HasSubstr(message));
  EXPECT_THAT(result.out, Not(HasSubstr("listening")));
}

TEST(StartupTest, ReadOnlyDatabaseFileRefusesToStart) {
  TempDir dir;
  const std::string db = dir.File("ff.db");
  MakeDatabase(db);
  ASSERT_EQ(chmod(dir.path().c_str(), 0755), 0);
  ASSERT_EQ(chmod(db.c_str(), 0444), 0);
  std::vector<std::string> as_user;
  // Root may write any file: the server runs as nobody to meet the mode.
  if (geteuid() == 0)
    as_user = {"/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"};
  ExpectRefusedToStart(db, "database " + db + " is not writable: Permission denied", as_user);
  // The file is as it was: one incident.
  SQLite::Database read(db, SQLite::OPEN_READONLY);
  EXPECT_EQ(read.execAndGet("SELECT count(*) FROM incidents").getInt(), 1);
}

// CorruptAnIndexPage overwrites the type byte of an index's root page, which
// PRAGMA quick_check reports and the schema does not need.
void CorruptAnIndexPage(const std::string& path) {
  int64_t page_size = 0, root_page = 0;
  {
    SQLite::Database db(path, SQLite::OPEN_READONLY);
    page_size = db.execAndGet("PRAGMA page_size").getInt64();
    root_page = db.execAndGet(
                      "SELECT rootpage FROM sqlite_master WHERE type = 'index' "
                      "AND tbl_name = 'incidents' ORDER BY rootpage LIMIT 1")
                    .getInt64();
  }
  ASSERT_GT(root_page, 1);
  std::fstream file(path, std::ios::in | std::ios::out | std::ios::binary);
  file.seekp((root_page - 1) * page_size);
  file.put('\x7f');
  ASSERT_TRUE(file.good());
}

TEST(StartupTest, DatabaseFailingQuickCheckRefusesToStart) {
  TempDir dir;
  const std::string db = dir.File("ff.db");
  MakeDatabase(db);
  CorruptAnIndexPage(db);
  ExpectRefusedToStart(db, "database " + db + " fails PRAGMA quick_check: ");
}

TEST(StartupTest, UnreachableOrMalformedPostgresUriFails) {
  TempDir dir;  // no server listens on a socket here
  CommandResult result = RunCommand({ServerBinary(), "--listen", "127.0.0.1:0", "--db",
                                     "postgresql:///ff?host=" + dir.path() + "&port=5999"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err, HasSubstr("cannot connect to PostgreSQL"));

  result = RunCommand(
      {ServerBinary(), "--listen", "127.0.0.1:0", "--db", "postgresql://host/ff?nosuch=1"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err, HasSubstr("database URI is invalid: invalid URI query parameter"));

  result = RunCommand({ServerBinary(), "--listen", "127.0.0.1:0", "--db",
                       "postgresql:///ff?host=" + dir.path(), "--db-pool-size", "1"});
  EXPECT_EQ(result.exit_code, 105);  // CLI11: a flag out of range
  EXPECT_THAT(result.err, HasSubstr("--db-pool-size"));
}

TEST(StartupTest, UnixSocketAddressIsPrintedWithItsPath) {
  TempDir dir;
  const std::string address = "unix:" + dir.File("ff.sock");
  ServerProcess server(ServerBinary(), dir.File("ff.db"));
  server.ListenOn(address);
  ASSERT_TRUE(server.Start().ok());
  EXPECT_EQ(server.address(), address);
  auto stub = pb::IncidentService::NewStub(
      grpc::CreateChannel(address, grpc::InsecureChannelCredentials()));
  grpc::ClientContext context;
  pb::ListDomainsResponse domains;
  EXPECT_TRUE(stub->ListDomains(&context, pb::ListDomainsRequest(), &domains).ok());
}

TEST(StartupTest, BusyPortFails) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
  ASSERT_EQ(listen(fd, 1), 0);
  socklen_t len = sizeof(addr);
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  TempDir dir;
  std::string listen_on = "127.0.0.1:" + std::to_string(ntohs(addr.sin_port));
  CommandResult result =
      RunCommand({ServerBinary(), "--listen", listen_on, "--db", dir.File("ff.db")});
  close(fd);
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err, HasSubstr("cannot listen on " + listen_on));
}

}  // namespace
}  // namespace ff::testing
