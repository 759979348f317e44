// End-to-end: the real firefighterd with --auth-tokens. Every refusal gets
// its exact code and leaves the database as it was; every change is
// attributed to the token's principal.
#include <signal.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <future>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "clients/incident/incident_client.h"
#include "gmock/gmock.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "server/auth/tokens.h"
#include "tests/testing/server_process.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/subprocess.h"

namespace ff {
namespace {

using ::ff::testing::IsOk;
using ::ff::testing::ServerBinary;
using ::ff::testing::ServerProcess;
using ::ff::testing::StatusIs;
using ::ff::testing::TempDir;
using ::testing::HasSubstr;
using ::testing::SizeIs;

constexpr char kViewer[] = "viewer-token-3f9a";
constexpr char kResponder[] = "responder-token-81c2";
constexpr char kAdmin[] = "admin-token-77d0";
constexpr char kService[] = "slack-service-token-e41b";
constexpr char kOpsBot[] = "ops-bot-service-token-52aa";

std::string TokenFile(bool with_responder) {
  std::string text =
      absl::StrCat("# FireFighter tokens\n", Sha256Hex(kViewer), " vic viewer\n", Sha256Hex(kAdmin),
                   " ada admin\n", Sha256Hex(kService), " slack-adapter responder service\n",
                   Sha256Hex(kOpsBot), " ops-bot admin service\n");
  if (with_responder) absl::StrAppend(&text, Sha256Hex(kResponder), " rae responder\n");
  return text;
}

// FirstRefusal calls `client` until a call is refused, within 10 s: a token
// file reload after SIGHUP happens asynchronously to the test. Returns the
// refusal, or OK when none came.
absl::Status FirstRefusal(const IncidentClient& client) {
  for (absl::Time end = absl::Now() + absl::Seconds(10); absl::Now() < end;
       absl::SleepFor(absl::Milliseconds(20))) {
    absl::Status status = client.ListIncidents({}).status();
    if (!status.ok()) return status;
  }
  return absl::OkStatus();
}

class AuthE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::ofstream(tokens_path()) << TokenFile(/*with_responder=*/true);
    server_ =
        std::make_unique<ServerProcess>(ServerBinary(), dir_.File("ff.db"),
                                        std::vector<std::string>{"--auth-tokens", tokens_path()});
    ASSERT_THAT(server_->Start(), IsOk());
  }

  std::string tokens_path() const { return dir_.File("tokens"); }

  IncidentClient Client(const std::string& token) const {
    ConnectOptions options;
    options.target = server_->address();
    options.timeout = absl::Seconds(10);
    options.token = token;
    return *IncidentClient::Connect(options);
  }

  pb::Incident OpenAsAdmin(const std::string& title) {
    pb::OpenIncidentRequest open;
    open.set_title(title);
    open.set_domain("payment");
    open.set_severity(pb::SEVERITY_SEV3);
    open.set_reporter("ada");
    auto incident = Client(kAdmin).OpenIncident(open);
    EXPECT_THAT(incident, IsOk());
    return incident.ok() ? *incident : pb::Incident();
  }

  // Snapshot is what an admin sees of incident `id`: refusals must leave it
  // exactly as it was.
  std::string Snapshot(int64_t id) {
    auto incident = Client(kAdmin).GetIncident(id);
    auto timeline = Client(kAdmin).ListTimeline(id);
    EXPECT_THAT(incident, IsOk());
    EXPECT_THAT(timeline, IsOk());
    if (!incident.ok() || !timeline.ok()) return "unreadable";
    return incident->SerializeAsString() + timeline->SerializeAsString();
  }

  TempDir dir_;
  std::unique_ptr<ServerProcess> server_;
};

pb::UpdateIncidentRequest ToInvestigating(int64_t id, const std::string& actor) {
  pb::UpdateIncidentRequest update;
  update.set_id(id);
  update.set_actor(actor);
  update.set_status(pb::STATUS_INVESTIGATING);
  return update;
}

TEST_F(AuthE2eTest, NoTokenIsUnauthenticatedAndStoresNothing) {
  pb::OpenIncidentRequest open;
  open.set_title("Checkout down");
  open.set_domain("payment");
  open.set_severity(pb::SEVERITY_SEV1);
  open.set_reporter("mallory");
  EXPECT_THAT(Client("").OpenIncident(open),
              StatusIs(absl::StatusCode::kUnauthenticated, HasSubstr("missing credentials")));
  EXPECT_THAT(Client("").ListIncidents({}), StatusIs(absl::StatusCode::kUnauthenticated));
  EXPECT_THAT(Client("").ListDomains(), StatusIs(absl::StatusCode::kUnauthenticated));
  auto all = Client(kAdmin).ListIncidents({});
  ASSERT_THAT(all, IsOk());
  EXPECT_THAT(all->incidents(), SizeIs(0));
}

TEST_F(AuthE2eTest, UnknownTokenIsUnauthenticatedAndChangesNothing) {
  pb::Incident incident = OpenAsAdmin("Search is slow");
  const std::string before = Snapshot(incident.id());
  EXPECT_THAT(Client("guessed-token").UpdateIncident(ToInvestigating(incident.id(), "mallory")),
              StatusIs(absl::StatusCode::kUnauthenticated, "unknown or revoked bearer token"));
  EXPECT_THAT(Client("guessed-token").GetIncident(incident.id()),
              StatusIs(absl::StatusCode::kUnauthenticated));
  EXPECT_EQ(Snapshot(incident.id()), before);
}

TEST_F(AuthE2eTest, ViewerReadsButCannotChange) {
  pb::Incident incident = OpenAsAdmin("Payments timing out");
  const std::string before = Snapshot(incident.id());
  IncidentClient viewer = Client(kViewer);
  EXPECT_THAT(viewer.GetIncident(incident.id()), IsOk());
  EXPECT_THAT(viewer.ListTimeline(incident.id()), IsOk());
  EXPECT_THAT(viewer.ListDomains(), IsOk());
  EXPECT_THAT(viewer.ListDeliveries({}), IsOk());
  EXPECT_THAT(viewer.UpdateIncident(ToInvestigating(incident.id(), "vic")),
              StatusIs(absl::StatusCode::kPermissionDenied,
                       "permission incidents.write is required; vic is a viewer"));
  pb::AddTimelineEntryRequest note;
  note.set_incident_id(incident.id());
  note.set_actor("vic");
  note.set_text("looking");
  EXPECT_THAT(viewer.AddTimelineEntry(note),
              StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("incidents.write")));
  pb::CloseIncidentRequest close;
  close.set_id(incident.id());
  close.set_actor("vic");
  close.set_reason(pb::CLOSE_REASON_DUPLICATE);
  EXPECT_THAT(viewer.CloseIncident(close),
              StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("incidents.write")));
  EXPECT_EQ(Snapshot(incident.id()), before);
}

TEST_F(AuthE2eTest, ResponderCannotRunOperatorRpcs) {
  pb::Incident incident = OpenAsAdmin("Queue backlog");
  const std::string before = Snapshot(incident.id());
  EXPECT_THAT(Client(kResponder).RetryDelivery(1, "rae"),
              StatusIs(absl::StatusCode::kPermissionDenied,
                       "permission deliveries.retry is required; rae is a responder"));
  // An admin passes the check and meets the outbox's own answer.
  EXPECT_THAT(Client(kAdmin).RetryDelivery(1, "ada"),
              StatusIs(absl::StatusCode::kNotFound, "delivery 1 does not exist"));
  EXPECT_EQ(Snapshot(incident.id()), before);
}

TEST_F(AuthE2eTest, AServiceTokenMustNameWhoAsksForARetry) {
  EXPECT_THAT(Client(kOpsBot).RetryDelivery(1, ""),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("actor")));
  EXPECT_THAT(Client(kOpsBot).RetryDelivery(1, "grace"),
              StatusIs(absl::StatusCode::kNotFound, "delivery 1 does not exist"));
}

TEST_F(AuthE2eTest, APersonsTokenCannotImpersonate) {
  pb::OpenIncidentRequest open;
  open.set_title("Login errors");
  open.set_domain("payment");
  open.set_severity(pb::SEVERITY_SEV2);
  open.set_reporter("someone-else");
  auto incident = Client(kResponder).OpenIncident(open);
  ASSERT_THAT(incident, IsOk());
  EXPECT_EQ(incident->reporter(), "rae");

  ASSERT_THAT(Client(kResponder).UpdateIncident(ToInvestigating(incident->id(), "someone-else")),
              IsOk());
  auto timeline = Client(kViewer).ListTimeline(incident->id());
  ASSERT_THAT(timeline, IsOk());
  ASSERT_THAT(timeline->entries(), SizeIs(2));
  for (const pb::TimelineEntry& entry : timeline->entries()) {
    EXPECT_EQ(entry.actor(), "rae") << entry.kind();
    EXPECT_EQ(entry.via(), "") << entry.kind();
  }
}

TEST_F(AuthE2eTest, AnEmptyActorIsFilledFromThePersonsToken) {
  pb::Incident incident = OpenAsAdmin("Disk full");
  auto note = [&] {
    pb::AddTimelineEntryRequest r;
    r.set_incident_id(incident.id());
    r.set_text("freed 20 GB");
    return Client(kResponder).AddTimelineEntry(r);
  }();
  ASSERT_THAT(note, IsOk());
  EXPECT_EQ(note->actor(), "rae");
}

TEST_F(AuthE2eTest, AServiceTokenActsForTheEndUserAndIsRecordedAsVia) {
  pb::OpenIncidentRequest open;
  open.set_title("Slack-opened incident");
  open.set_domain("payment");
  open.set_severity(pb::SEVERITY_SEV2);
  open.set_reporter("grace@example.com");
  auto incident = Client(kService).OpenIncident(open);
  ASSERT_THAT(incident, IsOk());
  EXPECT_EQ(incident->reporter(), "grace@example.com");
  ASSERT_THAT(Client(kService).UpdateIncident(ToInvestigating(incident->id(), "linus@example.com")),
              IsOk());
  auto timeline = Client(kViewer).ListTimeline(incident->id());
  ASSERT_THAT(timeline, IsOk());
  ASSERT_THAT(timeline->entries(), SizeIs(2));
  EXPECT_EQ(timeline->entries(0).actor(), "grace@example.com");
  EXPECT_EQ(timeline->entries(0).via(), "slack-adapter");
  EXPECT_EQ(timeline->entries(1).actor(), "linus@example.com");
  EXPECT_EQ(timeline->entries(1).via(), "slack-adapter");
  // A service token still has to name the person it acts for.
  EXPECT_THAT(Client(kService).UpdateIncident(ToInvestigating(incident->id(), "")),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("actor")));
}

TEST_F(AuthE2eTest, SighupRevokesARemovedTokenWithoutDroppingConnections) {
  IncidentClient responder = Client(kResponder);
  IncidentClient viewer = Client(kViewer);
  ASSERT_THAT(responder.ListIncidents({}), IsOk());
  ASSERT_THAT(viewer.ListIncidents({}), IsOk());

  std::ofstream(tokens_path()) << TokenFile(/*with_responder=*/false);
  ASSERT_EQ(kill(server_->pid(), SIGHUP), 0);
  // The reload is asynchronous to this test: wait for it to show, bounded.
  absl::Status status = FirstRefusal(responder);
  EXPECT_THAT(status,
              StatusIs(absl::StatusCode::kUnauthenticated, "unknown or revoked bearer token"));
  pb::Incident incident = OpenAsAdmin("After the reload");
  EXPECT_THAT(responder.UpdateIncident(ToInvestigating(incident.id(), "rae")),
              StatusIs(absl::StatusCode::kUnauthenticated));
  EXPECT_EQ(Client(kAdmin).GetIncident(incident.id())->version(), 1);
  // The server kept running and the other tokens still work on the same
  // channel.
  EXPECT_THAT(viewer.ListIncidents({}), IsOk());
}

// BackgroundWatch watches incidents with a token on its own thread, counting
// events, until the server ends the stream or Stop.
class BackgroundWatch {
 public:
  explicit BackgroundWatch(IncidentClient client) {
    auto started = std::make_shared<std::promise<void>>();
    std::future<void> ready = started->get_future();
    thread_ = std::thread([this, client = std::move(client), started] {
      ended_.set_value(client.WatchIncidents(
          {},
          [this](const pb::IncidentEvent&) {
            ++events_;
            return !stop_.load();
          },
          [started] { started->set_value(); }));
    });
    EXPECT_EQ(ready.wait_for(std::chrono::seconds(10)), std::future_status::ready);
  }
  ~BackgroundWatch() { thread_.join(); }

  // Ended waits up to 10 s for the server to end the stream; nullopt if it
  // has not.
  std::optional<absl::Status> Ended() {
    if (result_.wait_for(std::chrono::seconds(10)) != std::future_status::ready) return {};
    return result_.get();
  }
  int events() const { return events_.load(); }
  // Stop makes the next event the last.
  void Stop() { stop_ = true; }

 private:
  std::promise<absl::Status> ended_;
  std::future<absl::Status> result_ = ended_.get_future();
  std::atomic<int> events_{0};
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

TEST_F(AuthE2eTest, SighupEndsTheWatchStreamsOfARemovedToken) {
  BackgroundWatch revoked(Client(kResponder));
  BackgroundWatch kept(Client(kViewer));
  std::ofstream(tokens_path()) << TokenFile(/*with_responder=*/false);
  ASSERT_EQ(kill(server_->pid(), SIGHUP), 0);

  std::optional<absl::Status> ended = revoked.Ended();
  ASSERT_TRUE(ended.has_value()) << "the revoked token's stream is still open";
  EXPECT_THAT(*ended,
              StatusIs(absl::StatusCode::kUnauthenticated, "unknown or revoked bearer token"));
  // The other stream still delivers; the server kept running.
  kept.Stop();
  OpenAsAdmin("After the reload");
  std::optional<absl::Status> kept_end = kept.Ended();
  ASSERT_TRUE(kept_end.has_value()) << "the kept token's stream saw no event";
  EXPECT_THAT(*kept_end, IsOk());
  EXPECT_EQ(kept.events(), 1);
  EXPECT_EQ(revoked.events(), 0);
}

TEST_F(AuthE2eTest, ABrokenTokenFileOnReloadKeepsTheCurrentTokens) {
  std::ofstream(tokens_path()) << "this is not a token line\n";
  ASSERT_EQ(kill(server_->pid(), SIGHUP), 0);
  // Prove the signal was handled: a later good reload takes effect, and in
  // between the responder kept working.
  EXPECT_THAT(Client(kResponder).ListIncidents({}), IsOk());
  std::ofstream(tokens_path()) << TokenFile(/*with_responder=*/false);
  ASSERT_EQ(kill(server_->pid(), SIGHUP), 0);
  absl::Status status = FirstRefusal(Client(kResponder));
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kUnauthenticated));
}

TEST_F(AuthE2eTest, HealthStaysOpen) {
  auto channel = grpc::CreateChannel(server_->address(), grpc::InsecureChannelCredentials());
  auto health = grpc::health::v1::Health::NewStub(channel);
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  grpc::health::v1::HealthCheckRequest request;
  grpc::health::v1::HealthCheckResponse response;
  ASSERT_TRUE(health->Check(&context, request, &response).ok());
  EXPECT_EQ(response.status(), grpc::health::v1::HealthCheckResponse::SERVING);
}

TEST(AuthLogsTest, TokensNeverAppearInTheLogs) {
  TempDir dir;
  std::ofstream(dir.File("tokens")) << TokenFile(/*with_responder=*/true);
  ServerProcess server(
      ServerBinary(), dir.File("ff.db"),
      {"--auth-tokens", dir.File("tokens"), "--log-level", "debug", "--log-format", "json"});
  server.RedirectStderr(dir.File("stderr.log"));
  ASSERT_THAT(server.Start(), IsOk());
  auto client = [&](const std::string& token) {
    ConnectOptions options;
    options.target = server.address();
    options.token = token;
    return *IncidentClient::Connect(options);
  };
  pb::OpenIncidentRequest open;
  open.set_title("Tokens stay secret");
  open.set_domain("payment");
  open.set_severity(pb::SEVERITY_SEV3);
  open.set_reporter("rae");
  ASSERT_THAT(client(kResponder).OpenIncident(open), IsOk());
  EXPECT_THAT(client(kViewer).OpenIncident(open), StatusIs(absl::StatusCode::kPermissionDenied));
  EXPECT_THAT(client("a-guessed-token-9d1e").ListIncidents({}),
              StatusIs(absl::StatusCode::kUnauthenticated));
  EXPECT_THAT(client(kAdmin).RetryDelivery(7, "ada"), StatusIs(absl::StatusCode::kNotFound));
  ASSERT_EQ(kill(server.pid(), SIGHUP), 0);
  EXPECT_THAT(client(kService).ListDomains(), IsOk());
  server.Stop(SIGTERM);  // flushes the logs

  std::ifstream in(dir.File("stderr.log"));
  std::stringstream logs;
  logs << in.rdbuf();
  ASSERT_THAT(logs.str(), HasSubstr("OpenIncident")) << "the calls were logged";
  for (const char* secret :
       {kViewer, kResponder, kAdmin, kService, "a-guessed-token-9d1e", "Bearer "}) {
    EXPECT_THAT(logs.str(), ::testing::Not(HasSubstr(secret))) << secret;
  }
}

// Startup refusals: run the binary directly, since ServerProcess listens on
// loopback.
TEST(AuthStartupTest, ListeningBeyondLoopbackWithoutTokensIsRefused) {
  TempDir dir;
  for (const char* listen : {"0.0.0.0:0", "[::]:0", "10.1.2.3:0"}) {
    ::ff::testing::CommandResult result =
        ::ff::testing::RunCommand({ServerBinary(), "--listen", listen, "--db", dir.File("ff.db")});
    EXPECT_EQ(result.exit_code, 2) << listen;
    EXPECT_THAT(result.err, HasSubstr(absl::StrCat("refusing to listen on ", listen,
                                                   " without --auth-tokens")));
  }
}

TEST(AuthStartupTest, ABadTokenFileStopsStartupNamingTheLine) {
  TempDir dir;
  std::ofstream(dir.File("tokens")) << "# ok\n" << Sha256Hex("x") << " ada superuser\n";
  ::ff::testing::CommandResult result =
      ::ff::testing::RunCommand({ServerBinary(), "--listen", "127.0.0.1:0", "--db",
                                 dir.File("ff.db"), "--auth-tokens", dir.File("tokens")});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_THAT(result.err, HasSubstr(absl::StrCat(dir.File("tokens"), ":2: role \"superuser\"")));
}

TEST(AuthStartupTest, WithTokensAWildcardAddressIsAllowed) {
  TempDir dir;
  std::ofstream(dir.File("tokens")) << Sha256Hex(kAdmin) << " ada admin\n";
  ServerProcess server(ServerBinary(), dir.File("ff.db"), {"--auth-tokens", dir.File("tokens")});
  server.ListenOn("0.0.0.0:0");
  ASSERT_THAT(server.Start(), IsOk());
  const std::string port = server.address().substr(server.address().rfind(':') + 1);
  ConnectOptions options;
  options.target = "127.0.0.1:" + port;
  options.token = kAdmin;
  EXPECT_THAT(IncidentClient::Connect(options)->ListDomains(), IsOk());
}

}  // namespace
}  // namespace ff
