// firefighter-slack --socket-mode, the real process, against the real
// firefighterd, the validating FakeSlack (Web API, apps.connections.open)
// and FakeSocketMode (Slack's WebSocket over TLS with a test CA): envelopes
// handled by the same handlers as HTTP mode and acked within 3 s; refresh,
// drops and redeliveries; start-up errors; the app token kept out of logs.
#include <signal.h>
#include <sys/wait.h>

#include <fstream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "common/host_port.h"
#include "gmock/gmock.h"
#include "tests/slack/slack_fixture.h"
#include "tests/testing/child_process.h"
#include "tests/testing/fake_socket_mode.h"
#include "tests/testing/server_process.h"
#include "tests/testing/test_certs.h"

namespace ff::slack {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using json = nlohmann::json;

constexpr char kAppToken[] = "xapp-1-A0FFSOCKET-1-5ecret5ocketM0de";
constexpr char kTeam[] = "T0FF01";

// InOrder: `text` holds each of `parts`, one after the other.
bool InOrder(const std::string& text, const std::vector<std::string>& parts) {
  size_t at = 0;
  for (const std::string& part : parts) {
    at = text.find(part, at);
    if (at == std::string::npos) return false;
    at += part.size();
  }
  return true;
}

class SocketModeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<ff::testing::TestCerts> certs = ff::testing::MakeTestCerts(dir_.path());
    ASSERT_TRUE(certs.ok()) << certs.status();
    certs_ = *certs;
    socket_ = std::make_unique<ff::testing::FakeSocketMode>(certs_.server_cert, certs_.server_key);
    ASSERT_TRUE(socket_->Start().ok());
    slack_.EnableSocketMode(socket_.get(), kAppToken);
    slack_.AddUser("U100", "alice@example.com");
    slack_.AddUser("U200", "bob@example.com");
    std::ofstream(dir_.File("ff.json"))
        << R"({"domains": [{"name": "payment", "description": "Payments"}]})";
    core_ = std::make_unique<ff::testing::ServerProcess>(
        ff::testing::ServerBinary(), dir_.File("ff.db"),
        std::vector<std::string>{"--config", dir_.File("ff.json")});
    ASSERT_TRUE(core_->Start().ok());
  }

  void TearDown() override {
    if (adapter_.running()) adapter_.Stop(SIGTERM);
    EXPECT_THAT(socket_->Violations(), IsEmpty());
    EXPECT_THAT(Log(), Not(HasSubstr(kAppToken)));
  }

  // StartAdapter runs firefighter-slack --socket-mode with `app_token` and
  // `extra` flags; returns its /healthz address or why it did not start.
  absl::StatusOr<std::string> StartAdapter(const std::string& app_token = kAppToken,
                                           std::vector<std::string> extra = {}) {
    std::vector<std::string> argv = {
        FF_SLACK_BINARY,  "--socket-mode",   "--listen",       "127.0.0.1:0", "--server",
        core_->address(), "--slack-api-url", slack_.api_url(), "--slack-ca",  certs_.ca};
    argv.insert(argv.end(), extra.begin(), extra.end());
    ff::testing::ChildProcess::Options options;
    options.env = {absl::StrCat("SLACK_BOT_TOKEN=", slack_.token())};
    if (!app_token.empty()) options.env.push_back(absl::StrCat("SLACK_APP_TOKEN=", app_token));
    options.stderr_path = dir_.File("adapter.log");
    return adapter_.Start(argv, "firefighter-slack in Socket Mode, healthz on ", options);
  }

  // Log is what the adapter wrote on stderr so far.
  std::string Log() {
    std::ifstream in(dir_.File("adapter.log"));
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }

  // Command sends "/incident <text>" from U100 in #general as an envelope.
  std::string Command(const std::string& text, int connection = 0) {
    return socket_->Send("slash_commands",
                         SlashCommandPayload({kTeam, text, "U100", "C0GENERAL", "general",
                                              slack_.ResponseUrl("r1"), slack_.IssueTrigger()}),
                         connection);
  }

  // Acked waits for the ack of `envelope_id` and checks it came in time.
  std::optional<ff::testing::FakeSocketMode::Ack> Acked(const std::string& envelope_id) {
    std::optional<ff::testing::FakeSocketMode::Ack> ack =
        socket_->WaitForAck(envelope_id, absl::Seconds(3));
    EXPECT_TRUE(ack.has_value()) << "no ack within Slack's 3 s";
    if (ack.has_value()) EXPECT_FALSE(ack->late);
    return ack;
  }

  // OpenIncident opens one through the modal, as U100; returns its id.
  int64_t OpenIncident(const std::string& title) {
    size_t views = slack_.OpenedViews().size();
    Acked(Command("open"));
    EXPECT_EQ(slack_.OpenedViews().size(), views + 1) << "views.open never reached Slack";
    if (slack_.OpenedViews().size() != views + 1) return 0;
    json values = {{"domain", SlackAppFixture::Selected("payment")},
                   {"severity", SlackAppFixture::Selected("SEVERITY_SEV2")},
                   {"title", SlackAppFixture::Typed(title)},
                   {"description", SlackAppFixture::RichTyped("500s on checkout")}};
    std::string submitted =
        socket_->Send("interactive", ViewSubmissionPayload(kTeam, "U100", slack_.IssueTrigger(),
                                                           slack_.OpenedViews().back(), values));
    Acked(submitted);
    auto list = Core().ListIncidents(pb::ListIncidentsRequest());
    EXPECT_TRUE(list.ok()) << list.status();
    if (!list.ok()) return 0;
    for (const pb::Incident& incident : list->incidents()) {
      if (incident.title() == title) return incident.id();
    }
    ADD_FAILURE() << "no incident titled " << title;
    return 0;
  }

  // Chats is the incident's timeline entries captured from its channel.
  std::vector<std::string> Chats(int64_t id) {
    std::vector<std::string> out;
    auto timeline = Core().ListTimeline(id);
    if (!timeline.ok()) return out;
    for (const auto& entry : timeline->entries()) {
      if (entry.kind() == "chat") out.push_back(entry.text());
    }
    return out;
  }

  // Message is a message event by U200 in `channel`.
  static json Message(const std::string& channel, const std::string& text) {
    std::string ts = absl::StrCat(absl::ToUnixSeconds(absl::Now()), ".000200");
    return {{"type", "message"}, {"channel", channel}, {"user", "U200"},           {"text", text},
            {"ts", ts},          {"event_ts", ts},     {"channel_type", "channel"}};
  }

  IncidentClient Core() const {
    ConnectOptions options;
    options.target = core_->address();
    options.timeout = absl::Seconds(5);
    return *IncidentClient::Connect(options);
  }

  // Index is where `line` first appears in the fake's log; -1 when absent.
  int Index(const std::string& line) {
    std::vector<std::string> log = socket_->Log();
    for (size_t i = 0; i < log.size(); ++i) {
      if (log[i] == line) return static_cast<int>(i);
    }
    return -1;
  }

  ff::testing::TempDir dir_;
  ff::testing::TestCerts certs_;
  ff::testing::FakeSlack slack_;
  std::unique_ptr<ff::testing::FakeSocketMode> socket_;
  std::unique_ptr<ff::testing::ServerProcess> core_;
  ff::testing::ChildProcess adapter_;
};

TEST_F(SocketModeTest, OpenSubmitAndChannelMessageGoThroughTheSocket) {
  ASSERT_TRUE(StartAdapter().ok()) << Log();
  ASSERT_TRUE(socket_->WaitForConnections(1, absl::Seconds(5)));

  int64_t id = OpenIncident("Checkout returns 502");
  ASSERT_GT(id, 0);
  std::string channel = slack_.AddChannel(absl::StrCat("inc-", id, "-payment-checkout"));
  std::string event = socket_->Send(
      "events_api", EventCallback(kTeam, Message(channel, "pool size is 10"), "EvSock1"));
  std::optional<ff::testing::FakeSocketMode::Ack> ack = Acked(event);
  ASSERT_TRUE(ack.has_value());
  EXPECT_TRUE(ack->payload.is_null()) << "events take no response payload";
  ASSERT_TRUE(WaitFor([&] { return !Chats(id).empty(); }));
  EXPECT_THAT(Chats(id), ::testing::ElementsAre("pool size is 10"));
}

TEST_F(SocketModeTest, SlashCommandAnswerRidesOnTheAck) {
  ASSERT_TRUE(StartAdapter().ok()) << Log();
  ASSERT_TRUE(socket_->WaitForConnections(1, absl::Seconds(5)));
  OpenIncident("Search is slow");

  std::optional<ff::testing::FakeSocketMode::Ack> ack = Acked(Command("list"));
  ASSERT_TRUE(ack.has_value());
  EXPECT_THAT(ack->payload.dump(), HasSubstr("Search is slow"));
}

TEST_F(SocketModeTest, RefusedSubmissionAnswersWithResponseActionErrors) {
  ASSERT_TRUE(StartAdapter().ok()) << Log();
  ASSERT_TRUE(socket_->WaitForConnections(1, absl::Seconds(5)));
  Acked(Command("open"));
  ASSERT_EQ(slack_.OpenedViews().size(), 1u);
  json values = {{"domain", SlackAppFixture::Selected("nowhere")},
                 {"severity", SlackAppFixture::Selected("SEVERITY_SEV2")},
                 {"title", SlackAppFixture::Typed("Checkout returns 502")}};
  std::optional<ff::testing::FakeSocketMode::Ack> ack = Acked(
      socket_->Send("interactive", ViewSubmissionPayload(kTeam, "U100", slack_.IssueTrigger(),
                                                         slack_.OpenedViews().back(), values)));
  ASSERT_TRUE(ack.has_value());
  EXPECT_EQ(ack->payload.value("response_action", ""), "errors");
  EXPECT_TRUE(ack->payload["errors"].contains("domain")) << ack->payload.dump();
  EXPECT_EQ(Core().ListIncidents(pb::ListIncidentsRequest())->incidents_size(), 0);
}

TEST_F(SocketModeTest, TheFollowUpShortcutAndItsModalGoThroughTheSocket) {
  ASSERT_TRUE(StartAdapter().ok()) << Log();
  ASSERT_TRUE(socket_->WaitForConnections(1, absl::Seconds(5)));
  int64_t id = OpenIncident("Checkout returns 502");
  ASSERT_GT(id, 0);
  const std::string name = absl::StrCat("inc-", id, "-payment-checkout");
  const std::string channel = slack_.AddChannel(name);
  const std::string ts = slack_.AddMessageBy(channel, "U200", "Rotate the keys");
  const size_t views = slack_.OpenedViews().size();
  json message = {{"type", "message"}, {"text", "Rotate the keys"}, {"user", "U200"}, {"ts", ts}};
  std::optional<ff::testing::FakeSocketMode::Ack> ack = Acked(socket_->Send(
      "interactive",
      MessageShortcutPayload({kTeam, "U100", kMakeFollowUpShortcut, channel, name,
                              slack_.IssueTrigger(), slack_.ResponseUrl("s1"), message})));
  ASSERT_TRUE(ack.has_value());
  EXPECT_TRUE(ack->payload.is_null()) << "a shortcut is acked empty";
  ASSERT_TRUE(WaitFor([&] { return slack_.OpenedViews().size() == views + 1; }));
  const json view = slack_.OpenedViews().back();
  EXPECT_EQ(view["callback_id"], kFollowUpCallback);

  auto submit = [&](const json& values) {
    return Acked(socket_->Send(
        "interactive", ViewSubmissionPayload(kTeam, "U100", slack_.IssueTrigger(), view, values)));
  };
  ack = submit({{"title", SlackAppFixture::Typed("Rotate the keys")},
                {"due_date", SlackAppFixture::Date("2001-01-01")}});
  ASSERT_TRUE(ack.has_value());
  EXPECT_EQ(ack->payload.value("response_action", ""), "errors");
  EXPECT_TRUE(ack->payload["errors"].contains("due_date")) << ack->payload.dump();
  ack = submit({{"title", SlackAppFixture::Typed("Rotate the keys")}});
  ASSERT_TRUE(ack.has_value());
  EXPECT_TRUE(ack->payload.is_null()) << ack->payload.dump();
  pb::ListFollowUpsRequest request;
  request.set_incident_id(id);
  absl::StatusOr<pb::ListFollowUpsResponse> follow_ups = Core().ListFollowUps(request);
  ASSERT_TRUE(follow_ups.ok()) << follow_ups.status();
  ASSERT_EQ(follow_ups->follow_ups_size(), 1);
  EXPECT_EQ(follow_ups->follow_ups(0).title(), "Rotate the keys");
  EXPECT_EQ(follow_ups->follow_ups(0).created_by(), "alice@example.com");
}

TEST_F(SocketModeTest, RefreshOpensTheNewConnectionBeforeTheOldOneCloses) {
  ASSERT_TRUE(StartAdapter().ok()) << Log();
  ASSERT_TRUE(socket_->WaitForConnections(1, absl::Seconds(5)));
  int64_t id = OpenIncident("Checkout returns 502");
  std::string channel = slack_.AddChannel(absl::StrCat("inc-", id, "-payment-checkout"));

  socket_->Disconnect("refresh_requested", 1, absl::Seconds(20));
  // Sent on the old connection during the switch, then again on the new one
  // (as Slack redelivers what it thinks was lost).
  std::string event = socket_->Send(
      "events_api", EventCallback(kTeam, Message(channel, "during the switch"), "EvSwitch"), 1);
  ASSERT_TRUE(socket_->WaitForConnections(2, absl::Seconds(10))) << Log();
  socket_->Redeliver(event, 2);

  ASSERT_TRUE(WaitFor([&] { return Index("close 1 by client") >= 0; })) << Log();
  EXPECT_LT(Index("hello 2"), Index("close 1 by client"));
  EXPECT_EQ(Index("close 1 by server"), -1);
  EXPECT_EQ(socket_->Live(), 1);
  ASSERT_TRUE(WaitFor([&] { return socket_->AcksOf(event).size() == 2; }))
      << socket_->AcksOf(event).size() << " acks; " << absl::StrJoin(socket_->Log(), ", ") << "\n"
      << Log();
  ASSERT_TRUE(WaitFor([&] { return !Chats(id).empty(); }));
  // The new connection still carries everything.
  Acked(Command("list", 2));
  EXPECT_THAT(Chats(id), ::testing::ElementsAre("during the switch"));
}

// Slack's other reasons to move on: a warning ahead of a refresh, and Socket
// Mode switched off (an error in the log, and tries again).
TEST_F(SocketModeTest, WarningAndLinkDisabledAlsoMoveToANewConnection) {
  ASSERT_TRUE(StartAdapter().ok()) << Log();
  ASSERT_TRUE(socket_->WaitForConnections(1, absl::Seconds(5)));
  socket_->Disconnect("warning", 1, absl::Seconds(20));
  ASSERT_TRUE(socket_->WaitForConnections(2, absl::Seconds(10))) << Log();
  ASSERT_TRUE(WaitFor([&] { return Index("close 1 by client") >= 0; })) << Log();

  socket_->Disconnect("link_disabled", 2, absl::Seconds(20));
  ASSERT_TRUE(socket_->WaitForConnections(3, absl::Seconds(10))) << Log();
  ASSERT_TRUE(WaitFor([&] { return Index("close 2 by client") >= 0; })) << Log();
  EXPECT_THAT(Log(), HasSubstr("Slack disabled Socket Mode for this app (link_disabled)"));
  Acked(Command("list"));
}

TEST_F(SocketModeTest, RedeliveredCommandIsHandledOnceAndAckedAgain) {
  ASSERT_TRUE(StartAdapter().ok()) << Log();
  ASSERT_TRUE(socket_->WaitForConnections(1, absl::Seconds(5)));
  std::string command = Command("open");
  Acked(command);
  socket_->Redeliver(command);
  ASSERT_TRUE(WaitFor([&] { return socket_->AcksOf(command).size() == 2; }));
  EXPECT_EQ(slack_.CallCount("views.open"), 1) << "the modal opened twice";
}

// After a drop the adapter waits 1 s, then 2 s after a failed attempt (here
// a 429 asking for 1 s: the longer of the two counts).
TEST_F(SocketModeTest, KilledConnectionIsReplacedWithBackoff) {
  ASSERT_TRUE(StartAdapter().ok()) << Log();
  ASSERT_TRUE(socket_->WaitForConnections(1, absl::Seconds(5)));
  slack_.RateLimitNext(1, 1);
  socket_->Kill(1);

  ASSERT_TRUE(socket_->WaitForConnections(2, absl::Seconds(10))) << Log();
  EXPECT_EQ(slack_.RateLimited("apps.connections.open"), 1);
  EXPECT_TRUE(WaitFor([&] {
    return InOrder(Log(), {"connection 1 lost", "reconnecting in 1 s", "ratelimited",
                           "trying again in 2 s", "connected (connection 2"});
  })) << Log();
  Acked(Command("list"));
}

TEST_F(SocketModeTest, SilentConnectionIsReplaced) {
  ASSERT_TRUE(StartAdapter(kAppToken, {"--socket-idle-timeout", "2"}).ok()) << Log();
  ASSERT_TRUE(socket_->WaitForConnections(1, absl::Seconds(5)));
  socket_->Mute(1);
  ASSERT_TRUE(socket_->WaitForConnections(2, absl::Seconds(10))) << Log();
  EXPECT_THAT(Log(), HasSubstr("connection 1 lost (silent"));
  Acked(Command("list"));
}

TEST_F(SocketModeTest, HealthzSaysWhetherTheSocketIsConnected) {
  absl::StatusOr<std::string> address = StartAdapter();
  ASSERT_TRUE(address.ok()) << Log();
  std::string host;
  int port = 0;
  ASSERT_TRUE(SplitHostPort(*address, &host, &port));
  ASSERT_TRUE(socket_->WaitForConnections(1, absl::Seconds(5)));
  httplib::Client client("127.0.0.1", port);
  auto health = client.Get("/healthz");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
  EXPECT_EQ(json::parse(health->body),
            (json{{"socket", "connected"}, {"open", 1}, {"reconnects", 0}}));
  // No Slack routes: Slack cannot reach this process, and nothing should.
  EXPECT_EQ(
      client.Post("/slack/commands", "command=%2Fincident", "application/x-www-form-urlencoded")
          ->status,
      404);

  socket_->Kill(1);
  ASSERT_TRUE(WaitFor([&] { return client.Get("/healthz")->status == 503; }));
  EXPECT_EQ(json::parse(client.Get("/healthz")->body)["socket"], "disconnected");
  ASSERT_TRUE(WaitFor([&] { return client.Get("/healthz")->status == 200; }));
  EXPECT_EQ(json::parse(client.Get("/healthz")->body)["reconnects"], 1);
}

TEST_F(SocketModeTest, StopsOnSigtermAndClosesTheSocket) {
  ASSERT_TRUE(StartAdapter().ok()) << Log();
  ASSERT_TRUE(socket_->WaitForConnections(1, absl::Seconds(5)));
  int status = adapter_.Stop(SIGTERM);
  EXPECT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
  EXPECT_GE(Index("close 1 by client"), 0);
}

// Start-up errors: exit 2 with a message naming SLACK_APP_TOKEN, never
// quoting it.
class SocketModeStartTest : public SocketModeTest {
 protected:
  std::string FailedStart(const std::string& app_token) {
    absl::StatusOr<std::string> started = StartAdapter(app_token);
    // ChildProcess reports how it ended: exit status 2 is wait status 512.
    EXPECT_THAT(started.status().message(), HasSubstr("(wait status 512)"));
    return Log();
  }
};

// The Socket Mode flags refuse what they cannot use, naming the flag;
// nothing connects.
TEST_F(SocketModeStartTest, BadSocketFlagsNameTheFlag) {
  EXPECT_FALSE(StartAdapter(kAppToken, {"--socket-idle-timeout", "0"}).ok());
  EXPECT_THAT(Log(), HasSubstr("--socket-idle-timeout"));
  EXPECT_FALSE(StartAdapter(kAppToken, {"--slack-ca", dir_.File("no-such-ca.pem")}).ok());
  EXPECT_THAT(Log(), HasSubstr("--slack-ca"));
  EXPECT_EQ(slack_.CallCount("apps.connections.open"), 0);
}

TEST_F(SocketModeStartTest, MissingAppToken) {
  EXPECT_THAT(FailedStart(""), HasSubstr("set SLACK_APP_TOKEN"));
  EXPECT_EQ(slack_.CallCount("apps.connections.open"), 0);
}

TEST_F(SocketModeStartTest, BotTokenInsteadOfAppToken) {
  std::string log = FailedStart(slack_.token());
  EXPECT_THAT(log, HasSubstr("SLACK_APP_TOKEN is not an app-level token"));
  EXPECT_THAT(log, Not(HasSubstr(slack_.token())));
}

TEST_F(SocketModeStartTest, TokenSlackRefuses) {
  const std::string wrong = "xapp-1-A0FFSOCKET-1-n0tTheR1ghtOne";
  std::string log = FailedStart(wrong);
  EXPECT_THAT(log, HasSubstr("Slack refused SLACK_APP_TOKEN"));
  EXPECT_THAT(log, HasSubstr("invalid_auth"));
  EXPECT_THAT(log, Not(HasSubstr(wrong)));
  EXPECT_EQ(socket_->Live(), 0);
}

}  // namespace
}  // namespace ff::slack
