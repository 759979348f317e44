// FakeSocketMode speaks Slack's Socket Mode (see its header for the sources):
// a real WebSocket client over TLS, trusting the test CA, connects to it, and
// FakeSlack's apps.connections.open hands out its URLs.
#include "tests/testing/fake_socket_mode.h"

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/notifiers/slack/fake_slack_fixture.h"
#include "tests/testing/server_process.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/test_certs.h"

namespace ff::testing {
namespace {

namespace net = boost::asio;
namespace ssl = boost::asio::ssl;
namespace beast = boost::beast;
namespace websocket = boost::beast::websocket;
using json = nlohmann::json;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::StartsWith;

// SocketClient: a WebSocket client over TLS that verifies the fake's
// certificate. Each call runs the client's I/O on the calling thread until
// its outcome or a deadline, while one read is always pending (so pings,
// pongs and close frames are handled as a real client's are).
class SocketClient {
 public:
  explicit SocketClient(const std::string& ca_file) {
    tls_.load_verify_file(ca_file);
    tls_.set_verify_mode(ssl::verify_peer);
  }
  ~SocketClient() {
    beast::error_code ignored;
    beast::get_lowest_layer(ws_).close(ignored);
  }

  // Connect opens `url` (wss://127.0.0.1:PORT/…) and returns the HTTP status
  // of the handshake's answer: 101 when upgraded, 0 when none came.
  int Connect(const std::string& url) {
    std::string rest = url.substr(std::string("wss://").size());
    std::string host = rest.substr(0, rest.find('/'));
    int port = 0;
    if (!absl::SimpleAtoi(host.substr(host.find(':') + 1), &port)) return 0;
    beast::error_code ec;
    beast::get_lowest_layer(ws_).connect(
        {net::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port)}, ec);
    ws_.next_layer().set_verify_callback(ssl::host_name_verification("127.0.0.1"));
    if (!ec) ws_.next_layer().handshake(ssl::stream_base::client, ec);
    if (ec) return 0;
    // Asynchronous: Beast's synchronous handshake leaves `response` empty when
    // the server declines.
    websocket::response_type response;
    std::optional<beast::error_code> upgraded;
    ws_.async_handshake(response, host, rest.substr(rest.find('/')),
                        [&](beast::error_code e) { upgraded = e; });
    if (!RunUntil([&] { return upgraded.has_value(); }, absl::Seconds(5))) {
      Drop();  // ends the handshake, which refers to the locals here
      RunUntil([&] { return upgraded.has_value(); }, absl::Seconds(5));
      return 0;
    }
    if (!*upgraded) {
      ws_.control_callback([this](websocket::frame_type kind, beast::string_view) {
        if (kind == websocket::frame_type::pong) ++pongs_;
      });
      ReadLoop();
    }
    return response.result_int();
  }
  // Next is the next message, parsed; nullopt when none came in time.
  std::optional<json> Next(absl::Duration timeout = absl::Seconds(5)) {
    if (!RunUntil([&] { return !messages_.empty(); }, timeout)) return std::nullopt;
    json message = json::parse(messages_.front(), nullptr, false);
    messages_.pop_front();
    return message;
  }
  bool SendText(std::string text, bool binary = false) {
    out_ = std::move(text);
    ws_.binary(binary);
    return Write([&](auto done) {
      ws_.async_write(net::buffer(out_), [done](beast::error_code ec, size_t) { done(ec); });
    });
  }
  bool Ping() {
    return Write([&](auto done) { ws_.async_ping({}, done); });
  }
  // WaitForPongs waits until `count` pongs came in all.
  bool WaitForPongs(int count, absl::Duration timeout) {
    return RunUntil([&] { return pongs_ >= count; }, timeout);
  }
  bool Close() {
    return Write([&](auto done) { ws_.async_close(websocket::close_code::normal, done); });
  }
  // Drop ends the TCP connection without a close frame.
  void Drop() {
    beast::error_code ignored;
    beast::get_lowest_layer(ws_).close(ignored);
  }
  // WaitForEnd waits until the connection ended and returns why.
  std::optional<beast::error_code> WaitForEnd(absl::Duration timeout = absl::Seconds(10)) {
    if (!RunUntil([&] { return ended_.has_value(); }, timeout)) return std::nullopt;
    return ended_;
  }

 private:
  void ReadLoop() {
    ws_.async_read(buffer_, [this](beast::error_code ec, size_t) {
      if (ec) {
        ended_ = ec;
        return;
      }
      messages_.push_back(beast::buffers_to_string(buffer_.data()));
      buffer_.consume(buffer_.size());
      ReadLoop();
    });
  }
  // Write starts one write-side operation and runs until it completes.
  bool Write(const std::function<void(std::function<void(beast::error_code)>)>& start) {
    written_.reset();
    start([this](beast::error_code ec) { written_ = ec; });
    return RunUntil([&] { return written_.has_value(); }, absl::Seconds(5)) && !*written_;
  }
  bool RunUntil(const std::function<bool()>& done, absl::Duration timeout) {
    absl::Time deadline = absl::Now() + timeout;
    while (!done()) {
      absl::Duration left = deadline - absl::Now();
      if (left <= absl::ZeroDuration()) return false;
      io_.restart();
      if (io_.run_one_for(absl::ToChronoMilliseconds(left)) == 0 && io_.stopped()) return done();
    }
    return true;
  }

  net::io_context io_;
  ssl::context tls_{ssl::context::tls_client};
  websocket::stream<ssl::stream<net::ip::tcp::socket>> ws_{io_, tls_};
  beast::flat_buffer buffer_;
  std::deque<std::string> messages_;
  std::string out_;
  int pongs_ = 0;
  std::optional<beast::error_code> written_;
  std::optional<beast::error_code> ended_;
};

class FakeSocketModeTest : public FakeSlackTest {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    absl::StatusOr<TestCerts> certs = MakeTestCerts(dir_->path());
    ASSERT_THAT(certs, IsOk());
    certs_ = new TestCerts(*certs);
  }
  static void TearDownTestSuite() {
    delete certs_;
    delete dir_;
  }
  void SetUp() override { ASSERT_THAT(socket_.Start(), IsOk()); }

  // Connected is a client on a fresh URL, past its hello.
  std::unique_ptr<SocketClient> Connected() {
    auto client = std::make_unique<SocketClient>(certs_->ca);
    EXPECT_EQ(client->Connect(socket_.IssueUrl()), 101);
    std::optional<json> hello = client->Next();
    EXPECT_TRUE(hello.has_value() && (*hello)["type"] == "hello") << hello.value_or(json());
    return client;
  }
  // Eventually polls `condition` until it holds or 10 s have passed.
  static bool Eventually(const std::function<bool()>& condition) {
    absl::Time deadline = absl::Now() + absl::Seconds(10);
    while (!condition() && absl::Now() < deadline) absl::SleepFor(absl::Milliseconds(5));
    return condition();
  }

  static constexpr char kAppToken[] = "xapp-1-A0FFSOCKET-1-fake";
  static TempDir* dir_;
  static TestCerts* certs_;
  FakeSocketMode socket_{certs_->server_cert, certs_->server_key};
};

TempDir* FakeSocketModeTest::dir_ = nullptr;
TestCerts* FakeSocketModeTest::certs_ = nullptr;

TEST_F(FakeSocketModeTest, SendsHelloFirstOnEachConnection) {
  SocketClient first(certs_->ca);
  ASSERT_EQ(first.Connect(socket_.IssueUrl()), 101);
  std::optional<json> hello = first.Next();
  ASSERT_TRUE(hello.has_value());
  EXPECT_EQ((*hello)["type"], "hello");
  EXPECT_EQ((*hello)["num_connections"], 1);
  EXPECT_EQ((*hello)["connection_info"], json({{"app_id", "A0FFSOCKET"}}));
  EXPECT_EQ((*hello)["debug_info"]["host"], "applink-fake-1");
  EXPECT_TRUE((*hello)["debug_info"]["build_number"].is_number());
  EXPECT_EQ((*hello)["debug_info"]["approximate_connection_time"], 3600);

  SocketClient second(certs_->ca);
  ASSERT_EQ(second.Connect(socket_.IssueUrl()), 101);
  EXPECT_EQ(second.Next().value_or(json())["num_connections"], 2);
  ASSERT_TRUE(socket_.WaitForConnections(2, absl::Seconds(5)));
  EXPECT_EQ(socket_.Live(), 2);
  EXPECT_EQ(socket_.Newest(), 2);
  EXPECT_THAT(socket_.Log(), ElementsAre("open 1", "hello 1", "open 2", "hello 2"));
  EXPECT_THAT(socket_.Violations(), IsEmpty());
}

TEST_F(FakeSocketModeTest, TicketsWorkOnce) {
  std::string url = socket_.IssueUrl();
  ASSERT_THAT(url, StartsWith(absl::StrCat("wss://127.0.0.1:", socket_.port(), "/link/?ticket=")));
  EXPECT_THAT(url, HasSubstr("&app_id=A0FFSOCKET"));
  EXPECT_NE(socket_.IssueUrl(), url);
  SocketClient first(certs_->ca);
  ASSERT_EQ(first.Connect(url), 101);
  SocketClient again(certs_->ca);
  EXPECT_EQ(again.Connect(url), 401);
  SocketClient made_up(certs_->ca);
  std::string port = std::to_string(socket_.port());
  EXPECT_EQ(made_up.Connect("wss://127.0.0.1:" + port + "/link/?ticket=nope&app_id=A0FFSOCKET"),
            401);
  EXPECT_THAT(socket_.Violations(),
              ElementsAre(HasSubstr("used ticket"), HasSubstr("unknown ticket \"nope\"")));
  EXPECT_EQ(socket_.Live(), 1);
}

TEST_F(FakeSocketModeTest, SendsEnvelopesAsSlackDoesAndRecordsAcks) {
  std::unique_ptr<SocketClient> client = Connected();
  json command = {{"command", "/incident"}, {"text", "open"}, {"trigger_id", "1.2.abc"}};
  std::string slash = socket_.Send("slash_commands", command);
  std::optional<json> envelope = client->Next();
  ASSERT_TRUE(envelope.has_value());
  EXPECT_EQ(*envelope, json({{"envelope_id", slash},
                             {"type", "slash_commands"},
                             {"payload", command},
                             {"accepts_response_payload", true}}));
  std::string event = socket_.Send("events_api", {{"type", "event_callback"}});
  envelope = client->Next();
  ASSERT_TRUE(envelope.has_value());
  EXPECT_EQ((*envelope)["envelope_id"], event);
  EXPECT_EQ((*envelope)["accepts_response_payload"], false);
  EXPECT_EQ((*envelope)["retry_attempt"], 0);
  EXPECT_EQ((*envelope)["retry_reason"], "");
  socket_.Send("interactive", {{"type", "view_submission"}});
  EXPECT_EQ(client->Next().value_or(json())["accepts_response_payload"], true);
  socket_.Send("interactive", {{"type", "block_actions"}});
  EXPECT_EQ(client->Next().value_or(json())["accepts_response_payload"], false);

  json reply = {{"text", "Opened incident #1."}};
  ASSERT_TRUE(client->SendText(json({{"envelope_id", slash}, {"payload", reply}}).dump()));
  ASSERT_TRUE(client->SendText(json({{"envelope_id", event}}).dump()));
  std::optional<FakeSocketMode::Ack> ack = socket_.WaitForAck(slash, absl::Seconds(5));
  ASSERT_TRUE(ack.has_value());
  EXPECT_EQ(ack->payload, reply);
  EXPECT_EQ(ack->connection, 1);
  EXPECT_FALSE(ack->late);
  ack = socket_.WaitForAck(event, absl::Seconds(5));
  ASSERT_TRUE(ack.has_value());
  EXPECT_TRUE(ack->payload.is_null());
  EXPECT_THAT(socket_.Violations(), IsEmpty());
}

TEST_F(FakeSocketModeTest, RecordsEachBreachOfTheProtocol) {
  std::unique_ptr<SocketClient> client = Connected();
  std::string event = socket_.Send("events_api", {{"type", "event_callback"}});
  std::string slash = socket_.Send("slash_commands", {{"command", "/incident"}});
  ASSERT_TRUE(client->Next().has_value());
  ASSERT_TRUE(client->Next().has_value());
  client->SendText(json({{"envelope_id", event}, {"payload", json::object()}}).dump());
  client->SendText(json({{"envelope_id", slash}, {"payload", "text"}}).dump());
  client->SendText(json({{"envelope_id", slash}}).dump());  // a second ack of one delivery
  client->SendText(json({{"envelope_id", "never-sent"}}).dump());
  client->SendText("{not json");
  client->SendText("[1]");
  client->SendText(json({{"type", "ack"}}).dump());
  client->SendText(json({{"envelope_id", event}}).dump(), /*binary=*/true);
  ASSERT_TRUE(socket_.WaitForAck("never-sent", absl::Seconds(5)).has_value());
  ASSERT_TRUE(Eventually([&] { return socket_.Violations().size() >= 8; }));
  EXPECT_THAT(
      socket_.Violations(),
      ElementsAre(HasSubstr("payload on an envelope that accepts none"),
                  HasSubstr("payload is not an object"), HasSubstr("more acks than deliveries"),
                  HasSubstr("ack of unknown envelope_id \"never-sent\""),
                  HasSubstr("not JSON: \"{not json\""), HasSubstr("not a JSON object"),
                  HasSubstr("no envelope_id"), HasSubstr("binary frame")));
}

TEST_F(FakeSocketModeTest, RedeliversWithRetryAttemptAndReason) {
  std::unique_ptr<SocketClient> first = Connected();
  std::unique_ptr<SocketClient> second = Connected();
  json payload = {{"type", "event_callback"}, {"event_id", "Ev1"}};
  std::string id = socket_.Send("events_api", payload, 1);
  ASSERT_EQ(first->Next().value_or(json())["envelope_id"], id);
  socket_.Redeliver(id);  // the newest connection: 2
  std::optional<json> again = second->Next();
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(*again, json({{"envelope_id", id},
                          {"type", "events_api"},
                          {"payload", payload},
                          {"accepts_response_payload", false},
                          {"retry_attempt", 1},
                          {"retry_reason", "timeout"}}));
  ASSERT_TRUE(first->SendText(json({{"envelope_id", id}}).dump()));
  ASSERT_TRUE(second->SendText(json({{"envelope_id", id}}).dump()));
  ASSERT_TRUE(Eventually([&] { return socket_.AcksOf(id).size() >= 2; }));
  std::vector<FakeSocketMode::Ack> acks = socket_.AcksOf(id);
  ASSERT_EQ(acks.size(), 2u);
  EXPECT_EQ(acks[0].connection, 1);
  EXPECT_EQ(acks[1].connection, 2);
  EXPECT_THAT(socket_.Violations(), IsEmpty());
}

TEST_F(FakeSocketModeTest, DisconnectThenClosesAfterCloseAfter) {
  std::unique_ptr<SocketClient> client = Connected();
  socket_.Disconnect("refresh_requested", 0, absl::Milliseconds(300));
  std::optional<json> disconnect = client->Next();
  ASSERT_TRUE(disconnect.has_value());
  EXPECT_EQ(*disconnect, json({{"type", "disconnect"},
                               {"reason", "refresh_requested"},
                               {"debug_info", {{"host", "applink-fake-1"}}}}));
  std::string id = socket_.Send("events_api", {{"type", "event_callback"}});
  EXPECT_EQ(client->Next().value_or(json())["envelope_id"], id);
  std::optional<beast::error_code> end = client->WaitForEnd();
  ASSERT_TRUE(end.has_value());
  EXPECT_EQ(*end, websocket::error::closed);  // the fake's close frame
  ASSERT_TRUE(Eventually([&] { return socket_.Live() == 0; }));
  EXPECT_THAT(socket_.Log(), ElementsAre("open 1", "hello 1", "disconnect 1 refresh_requested",
                                         "close 1 by server"));
}

TEST_F(FakeSocketModeTest, ClientClosingFirstKeepsTheFakeFromClosing) {
  std::unique_ptr<SocketClient> first = Connected();
  socket_.Disconnect("warning", 1, absl::Milliseconds(200));
  ASSERT_TRUE(first->Close());
  ASSERT_TRUE(socket_.WaitForLog("close 1 by client", absl::Seconds(5)));
  // A later Disconnect with the same delay closes its connection after the
  // first one's delay has passed: by then connection 1 was not closed again.
  std::unique_ptr<SocketClient> second = Connected();
  socket_.Disconnect("link_disabled", 2, absl::Milliseconds(200));
  ASSERT_TRUE(socket_.WaitForLog("close 2 by server", absl::Seconds(5)));
  EXPECT_THAT(socket_.Log(), Not(Contains("close 1 by server")));
}

TEST_F(FakeSocketModeTest, KillDropsTheConnectionWithoutCloseFrame) {
  std::unique_ptr<SocketClient> client = Connected();
  socket_.Kill();
  EXPECT_EQ(socket_.Live(), 0);
  std::optional<beast::error_code> end = client->WaitForEnd();
  ASSERT_TRUE(end.has_value());
  EXPECT_NE(*end, websocket::error::closed);
  EXPECT_EQ(socket_.Newest(), 0);
  EXPECT_EQ(socket_.Send("events_api", json::object()), "");
  EXPECT_THAT(socket_.Log(), ElementsAre("open 1", "hello 1", "kill 1"));
}

TEST_F(FakeSocketModeTest, MutedConnectionAnswersNoPing) {
  std::unique_ptr<SocketClient> client = Connected();
  ASSERT_TRUE(client->Ping());
  ASSERT_TRUE(client->WaitForPongs(1, absl::Seconds(5)));
  socket_.Mute();
  ASSERT_TRUE(client->Ping());
  EXPECT_FALSE(client->WaitForPongs(2, absl::Seconds(1)));
  EXPECT_FALSE(socket_.Send("events_api", json::object()).empty());
  EXPECT_FALSE(client->Next(absl::Milliseconds(100)).has_value());
  EXPECT_EQ(socket_.Live(), 1);  // open, but silent
  client->Drop();
  ASSERT_TRUE(socket_.WaitForLog("drop 1", absl::Seconds(5)));
  EXPECT_EQ(socket_.Live(), 0);
  EXPECT_THAT(socket_.Log(), ElementsAre("open 1", "hello 1", "mute 1", "drop 1"));
}

TEST_F(FakeSocketModeTest, ClientDroppingWithoutCloseFrameIsLogged) {
  std::unique_ptr<SocketClient> client = Connected();
  client->Drop();
  ASSERT_TRUE(socket_.WaitForLog("drop 1", absl::Seconds(5)));
  EXPECT_EQ(socket_.Live(), 0);
}

// apps.connections.open on FakeSlack, authenticated by the app-level token.
TEST_F(FakeSocketModeTest, ConnectionsOpenTakesOnlyTheAppLevelToken) {
  const std::string app_token = kAppToken;
  const std::string form = "application/x-www-form-urlencoded";
  slack_.EnableSocketMode(&socket_, app_token);
  auto open = [&](const std::string& body, const std::string& auth) {
    return json::parse(Send("apps.connections.open", body, form, auth).body, nullptr, false);
  };
  EXPECT_EQ(open("", ""), Error("not_authed"));
  EXPECT_EQ(open("", "Bearer xapp-1-wrong"), Error("invalid_auth"));
  EXPECT_EQ(open("", "Bearer " + slack_.token()), Error("not_allowed_token_type"));
  EXPECT_EQ(open("token=" + app_token, ""), Error("invalid_auth"));  // header only
  json opened = open("", "Bearer " + app_token);
  ASSERT_EQ(opened["ok"], true) << opened;
  std::string url = opened["url"];
  EXPECT_THAT(url, StartsWith(absl::StrCat("wss://127.0.0.1:", socket_.port(), "/link/?ticket=")));
  SocketClient client(certs_->ca);
  EXPECT_EQ(client.Connect(url), 101);
  // The app-level token is no bot token.
  EXPECT_EQ(
      json::parse(Send("conversations.list", "{}", "application/json", "Bearer " + app_token).body),
      Error("not_allowed_token_type"));
}

TEST_F(FakeSocketModeTest, ConnectionsOpenIsTierOne) {
  slack_.EnableSocketMode(&socket_, kAppToken);
  slack_.EnforceRateLimits();
  std::string auth = absl::StrCat("Bearer ", kAppToken);
  EXPECT_EQ(json::parse(Send("apps.connections.open", "", "", auth).body)["ok"], true);
  HttpResponse limited = Send("apps.connections.open", "", "", auth);
  EXPECT_EQ(limited.status, 429);
  EXPECT_EQ(json::parse(limited.body), Error("ratelimited"));
  EXPECT_EQ(slack_.RateLimited("apps.connections.open"), 1);
}

}  // namespace
}  // namespace ff::testing
