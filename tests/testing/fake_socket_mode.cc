#include "tests/testing/fake_socket_mode.h"

#include <algorithm>
#include <array>
#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <cstdio>
#include <deque>
#include <functional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"

namespace ff::testing {
namespace {

namespace net = boost::asio;
namespace ssl = boost::asio::ssl;
namespace beast = boost::beast;
namespace http = boost::beast::http;
namespace websocket = boost::beast::websocket;
using tcp = boost::asio::ip::tcp;
using json = nlohmann::json;

// Slack's ack deadline.
constexpr absl::Duration kAckDeadline = absl::Seconds(3);

// Quote shows at most the first 40 bytes of what a client sent.
std::string Quote(const std::string& text) {
  return absl::StrCat("\"", text.substr(0, 40), text.size() > 40 ? "…" : "", "\"");
}

bool AcceptsResponsePayload(const std::string& type, const json& payload) {
  if (type == "slash_commands") return true;
  if (type != "interactive" || !payload.is_object()) return false;
  const std::string kind = payload.value("type", "");
  return kind == "view_submission" || kind == "block_suggestion";
}

// UpgradeProblem says why `request` is no Socket Mode handshake ("" when it
// is one) and fills `ticket` and `app_id` from its query.
std::string UpgradeProblem(const http::request<http::string_body>& request, std::string* ticket,
                           std::string* app_id) {
  if (!websocket::is_upgrade(request)) return "not a WebSocket upgrade";
  std::string target(request.target());
  std::pair<std::string, std::string> path_query = absl::StrSplit(target, absl::MaxSplits('?', 1));
  if (path_query.first != "/link/" && path_query.first != "/link") {
    return "path " + Quote(path_query.first);
  }
  for (absl::string_view param : absl::StrSplit(path_query.second, '&', absl::SkipEmpty())) {
    std::pair<std::string, std::string> kv = absl::StrSplit(param, absl::MaxSplits('=', 1));
    if (kv.first == "ticket") *ticket = kv.second;
    if (kv.first == "app_id") *app_id = kv.second;
  }
  return "";
}

// MutableTls is a server's TLS stream that Mute() silences for good: from
// then on what is read is thrown away (a read in flight included) until the
// client goes away, and what is written is dropped. Under a WebSocket stream
// that means no pong, no close frame and no message ever again.
class MutableTls {
 public:
  using executor_type = ssl::stream<tcp::socket>::executor_type;
  using next_layer_type = ssl::stream<tcp::socket>;

  MutableTls(tcp::socket socket, ssl::context& tls) : tls_(std::move(socket), tls) {}
  executor_type get_executor() { return tls_.get_executor(); }
  next_layer_type& next_layer() { return tls_; }
  void Mute() { muted_ = true; }

  template <typename Buffers, typename Handler>
  void async_read_some(const Buffers& buffers, Handler&& handler) {
    if (muted_) return Discard(std::forward<Handler>(handler));
    tls_.async_read_some(buffers, [this, handler = std::forward<Handler>(handler)](
                                      beast::error_code ec, size_t n) mutable {
      if (muted_ && !ec) return Discard(std::move(handler));
      handler(ec, n);
    });
  }
  template <typename Buffers, typename Handler>
  void async_write_some(const Buffers& buffers, Handler&& handler) {
    if (!muted_) return tls_.async_write_some(buffers, std::forward<Handler>(handler));
    net::post(get_executor(), [handler = std::forward<Handler>(handler),
                               n = net::buffer_size(buffers)]() mutable { handler({}, n); });
  }

 private:
  // Discard reads and drops bytes until the connection fails, then hands
  // `handler` that failure.
  template <typename Handler>
  void Discard(Handler&& handler) {
    tls_.async_read_some(net::buffer(discarded_), [this, handler = std::forward<Handler>(handler)](
                                                      beast::error_code ec, size_t) mutable {
      if (ec) return handler(ec, 0);
      Discard(std::move(handler));
    });
  }

  ssl::stream<tcp::socket> tls_;
  bool muted_ = false;
  std::array<char, 4096> discarded_;
};

// The WebSocket closing handshake ends with TLS's (found by ADL).
template <typename Handler>
void async_teardown(beast::role_type role, MutableTls& stream, Handler&& handler) {
  beast::async_teardown(role, stream.next_layer(), std::forward<Handler>(handler));
}

}  // namespace

// Io owns the sockets; everything in it runs on the fake's thread except
// Listen (before the thread starts) and RunSync (from other threads).
class FakeSocketMode::Io {
 public:
  explicit Io(FakeSocketMode* fake) : fake_(fake) {}
  ~Io() { conns_.clear(); }

  absl::Status Listen(const std::string& cert_file, const std::string& key_file, int* port);
  void Run() { io_.run(); }
  // RunSync runs `fn` on the fake's thread and waits for it.
  template <typename F>
  void RunSync(F fn) {
    absl::Notification done;
    net::post(io_, [&] {
      fn();
      done.Notify();
    });
    done.WaitForNotification();
  }
  void Post(std::function<void()> fn) { net::post(io_, std::move(fn)); }
  // Stop drops every connection and ends Run().
  void Stop();

  void Write(int number, std::string text, std::string envelope_id);
  void Disconnect(int number, std::string text, absl::Duration close_after);
  void Kill(int number);
  void Mute(int number);

 private:
  struct Out {
    std::string text;
    std::string envelope_id;  // "" for hello and disconnect
    bool hello = false;
    bool close = false;  // a close frame instead of `text`
  };
  struct Conn {
    Conn(tcp::socket socket, ssl::context& tls)
        : ws(std::move(socket), tls), close_timer(ws.get_executor()) {}
    int number = 0;
    websocket::stream<MutableTls> ws;
    beast::flat_buffer buffer;
    http::request<http::string_body> request;
    std::deque<Out> outbox;
    bool writing = false, muted = false, closing = false, gone = false;
    net::steady_timer close_timer;
  };
  using ConnPtr = std::shared_ptr<Conn>;

  void Accept();
  void ReadUpgrade(const ConnPtr& c);
  void Upgrade(const ConnPtr& c);
  void Refuse(const ConnPtr& c, http::status status);
  void Read(const ConnPtr& c);
  void Ended(const ConnPtr& c, beast::error_code ec);
  void Queue(const ConnPtr& c, Out out);
  void WriteNext(const ConnPtr& c);
  ConnPtr Find(int number) {
    auto it = conns_.find(number);
    return it == conns_.end() ? nullptr : it->second;
  }

  FakeSocketMode* const fake_;
  net::io_context io_;  // first: destroyed last
  net::executor_work_guard<net::io_context::executor_type> work_ = net::make_work_guard(io_);
  ssl::context tls_{ssl::context::tls_server};
  tcp::acceptor acceptor_{io_};
  std::map<int, ConnPtr> conns_;  // open WebSocket connections, by number
};

absl::Status FakeSocketMode::Io::Listen(const std::string& cert_file, const std::string& key_file,
                                        int* port) {
  beast::error_code ec;
  tls_.use_certificate_chain_file(cert_file, ec);
  if (ec) return absl::InvalidArgumentError("cert_file " + cert_file + ": " + ec.message());
  tls_.use_private_key_file(key_file, ssl::context::pem, ec);
  if (ec) return absl::InvalidArgumentError("key_file " + key_file + ": " + ec.message());
  tcp::endpoint endpoint(net::ip::make_address("127.0.0.1"), 0);
  acceptor_.open(endpoint.protocol(), ec);
  if (!ec) acceptor_.bind(endpoint, ec);
  if (!ec) acceptor_.listen(net::socket_base::max_listen_connections, ec);
  if (ec) return absl::InternalError("listen on 127.0.0.1:0: " + ec.message());
  *port = acceptor_.local_endpoint().port();
  Accept();
  return absl::OkStatus();
}

void FakeSocketMode::Io::Stop() {
  RunSync([this] {
    beast::error_code ignored;
    acceptor_.close(ignored);
    for (auto& [number, c] : conns_) beast::get_lowest_layer(c->ws).close(ignored);
    conns_.clear();
  });
  io_.stop();
}

void FakeSocketMode::Io::Accept() {
  acceptor_.async_accept([this](beast::error_code ec, tcp::socket socket) {
    if (ec) return;  // closed
    auto c = std::make_shared<Conn>(std::move(socket), tls_);
    c->ws.next_layer().next_layer().async_handshake(
        ssl::stream_base::server, [this, c](beast::error_code tls) {
          if (tls) return fake_->Note("refused TLS handshake: " + tls.message());
          ReadUpgrade(c);
        });
    Accept();
  });
}

void FakeSocketMode::Io::ReadUpgrade(const ConnPtr& c) {
  http::async_read(c->ws.next_layer(), c->buffer, c->request,
                   [this, c](beast::error_code ec, size_t) {
                     if (!ec) Upgrade(c);
                   });
}

void FakeSocketMode::Io::Upgrade(const ConnPtr& c) {
  std::string ticket, app_id;
  std::string problem = UpgradeProblem(c->request, &ticket, &app_id);
  bool upgrade = websocket::is_upgrade(c->request);
  if (problem.empty()) problem = fake_->CheckTicket(ticket, app_id);
  if (!problem.empty()) {
    fake_->Violation("handshake refused: " + problem);
    fake_->Note("refused " + problem);
    return Refuse(c, upgrade ? http::status::unauthorized : http::status::bad_request);
  }
  c->buffer.consume(c->buffer.size());
  websocket::stream_base::timeout timeouts{std::chrono::seconds(5), websocket::stream_base::none(),
                                           false};
  c->ws.set_option(timeouts);
  c->ws.async_accept(c->request, [this, c](beast::error_code ec) {
    if (ec) return fake_->Note("refused WebSocket handshake: " + ec.message());
    c->number = fake_->Opened();
    conns_[c->number] = c;
    Queue(c, Out{fake_->Hello(c->number).dump(), "", true});
    Read(c);
  });
}

void FakeSocketMode::Io::Refuse(const ConnPtr& c, http::status status) {
  auto response = std::make_shared<http::response<http::string_body>>(status, 11);
  response->set(http::field::content_type, "text/plain");
  response->body() = status == http::status::unauthorized ? "invalid ticket\n" : "bad request\n";
  response->keep_alive(false);
  response->prepare_payload();
  http::async_write(c->ws.next_layer(), *response, [c, response](beast::error_code, size_t) {
    beast::error_code ignored;
    beast::get_lowest_layer(c->ws).shutdown(tcp::socket::shutdown_both, ignored);
    beast::get_lowest_layer(c->ws).close(ignored);
  });
}

void FakeSocketMode::Io::Read(const ConnPtr& c) {
  c->ws.async_read(c->buffer, [this, c](beast::error_code ec, size_t) {
    if (ec) return Ended(c, ec);
    std::string text = beast::buffers_to_string(c->buffer.data());
    c->buffer.consume(c->buffer.size());
    fake_->Received(c->number, c->ws.got_binary(), text);
    Read(c);
  });
}

void FakeSocketMode::Io::Ended(const ConnPtr& c, beast::error_code ec) {
  if (c->gone) return;
  c->gone = true;
  c->close_timer.cancel();
  conns_.erase(c->number);
  // A muted connection discards the client's close frame: it can only drop.
  bool close_frame = ec == websocket::error::closed && !c->muted;
  std::string entry = close_frame ? absl::StrCat("close ", c->number, " by client")
                                  : absl::StrCat("drop ", c->number);
  fake_->Closed(c->number, c->closing ? "" : entry);  // "close N by server" is logged
}

void FakeSocketMode::Io::Queue(const ConnPtr& c, Out out) {
  if (c->muted || c->gone) return;
  c->outbox.push_back(std::move(out));
  if (!c->writing) WriteNext(c);
}

void FakeSocketMode::Io::WriteNext(const ConnPtr& c) {
  c->writing = !c->outbox.empty() && !c->muted && !c->gone;
  if (!c->writing) return;
  if (c->outbox.front().close) {
    c->outbox.clear();
    c->ws.async_close(websocket::close_code::normal,
                      [c](beast::error_code) { c->writing = false; });
    return;
  }
  c->ws.text(true);
  c->ws.async_write(net::buffer(c->outbox.front().text), [this, c](beast::error_code ec, size_t) {
    if (ec || c->outbox.empty()) {
      c->writing = false;
      return;
    }
    Out done = std::move(c->outbox.front());
    c->outbox.pop_front();
    fake_->Sent(c->number, done.envelope_id, done.hello);
    WriteNext(c);
  });
}

void FakeSocketMode::Io::Write(int number, std::string text, std::string envelope_id) {
  if (ConnPtr c = Find(number)) Queue(c, Out{std::move(text), std::move(envelope_id)});
}

void FakeSocketMode::Io::Disconnect(int number, std::string text, absl::Duration close_after) {
  ConnPtr c = Find(number);
  if (c == nullptr || c->muted) return;
  Queue(c, Out{std::move(text), ""});
  c->close_timer.expires_after(absl::ToChronoMilliseconds(close_after));
  c->close_timer.async_wait([this, c](beast::error_code ec) {
    if (ec || c->gone || c->closing || c->muted) return;
    c->closing = true;
    fake_->Note(absl::StrCat("close ", c->number, " by server"));
    Queue(c, Out{"", "", false, true});
  });
}

void FakeSocketMode::Io::Kill(int number) {
  ConnPtr c = Find(number);
  if (c == nullptr) return;
  c->gone = true;
  c->close_timer.cancel();
  conns_.erase(number);
  fake_->Closed(number, absl::StrCat("kill ", number));
  beast::error_code ignored;
  beast::get_lowest_layer(c->ws).close(ignored);
}

void FakeSocketMode::Io::Mute(int number) {
  ConnPtr c = Find(number);
  if (c == nullptr || c->muted) return;
  c->muted = true;
  c->close_timer.cancel();
  fake_->Note(absl::StrCat("mute ", number));
  c->ws.next_layer().Mute();
}

FakeSocketMode::FakeSocketMode(std::string cert_file, std::string key_file, std::string app_id)
    : cert_file_(std::move(cert_file)),
      key_file_(std::move(key_file)),
      app_id_(std::move(app_id)),
      io_(std::make_unique<Io>(this)) {}

FakeSocketMode::~FakeSocketMode() {
  if (thread_.joinable()) {
    io_->Stop();
    thread_.join();
  }
  io_.reset();
}

absl::Status FakeSocketMode::Start() {
  if (thread_.joinable()) return absl::FailedPreconditionError("FakeSocketMode already started");
  int port = 0;
  if (absl::Status status = io_->Listen(cert_file_, key_file_, &port); !status.ok()) return status;
  {
    absl::MutexLock lock(&mu_);
    port_ = port;
  }
  thread_ = std::thread([this] { io_->Run(); });
  return absl::OkStatus();
}

int FakeSocketMode::port() const {
  absl::MutexLock lock(&mu_);
  return port_;
}

std::string FakeSocketMode::IssueUrl() {
  absl::MutexLock lock(&mu_);
  char ticket[48];
  std::snprintf(ticket, sizeof(ticket), "f1f2f3a4-%04d-4b5c-9d6e-7f8091a2b3c4", next_ticket_++);
  tickets_.insert(ticket);
  return absl::StrCat("wss://127.0.0.1:", port_, "/link/?ticket=", ticket, "&app_id=", app_id_);
}

bool FakeSocketMode::WaitForConnections(int hellos, absl::Duration timeout) {
  absl::MutexLock lock(&mu_);
  auto enough = [&]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return hellos_ >= hellos; };
  return mu_.AwaitWithTimeout(absl::Condition(&enough), timeout);
}

int FakeSocketMode::Live() {
  absl::MutexLock lock(&mu_);
  return static_cast<int>(open_.size());
}

int FakeSocketMode::Newest() {
  absl::MutexLock lock(&mu_);
  return open_.empty() ? 0 : *open_.rbegin();
}

std::vector<std::string> FakeSocketMode::Log() {
  absl::MutexLock lock(&mu_);
  return log_;
}

bool FakeSocketMode::WaitForLog(const std::string& entry, absl::Duration timeout) {
  absl::MutexLock lock(&mu_);
  auto logged = [&]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return std::find(log_.begin(), log_.end(), entry) != log_.end();
  };
  return mu_.AwaitWithTimeout(absl::Condition(&logged), timeout);
}

std::string FakeSocketMode::Send(const std::string& type, const json& payload, int connection) {
  std::string id, text;
  {
    absl::MutexLock lock(&mu_);
    connection = Resolve(connection);
    if (connection == 0) return "";
    char buffer[48];
    std::snprintf(buffer, sizeof(buffer), "5e1f0c2a-8d3b-4e6f-a7b9-%012d", next_envelope_++);
    id = buffer;
    Envelope& envelope = envelopes_[id];
    envelope.type = type;
    envelope.payload = payload;
    envelope.accepts_response_payload = AcceptsResponsePayload(type, payload);
    envelope.deliveries = 1;
    envelope.last_sent = absl::Now();
    text = EnvelopeJson(id, envelope).dump();
  }
  io_->Post([this, connection, text, id] { io_->Write(connection, text, id); });
  return id;
}

void FakeSocketMode::Redeliver(const std::string& envelope_id, int connection) {
  std::string text;
  {
    absl::MutexLock lock(&mu_);
    connection = Resolve(connection);
    auto it = envelopes_.find(envelope_id);
    if (connection == 0 || it == envelopes_.end()) return;
    Envelope& envelope = it->second;
    ++envelope.retry_attempt;
    envelope.retry_reason = "timeout";
    ++envelope.deliveries;
    envelope.last_sent = absl::Now();
    text = EnvelopeJson(envelope_id, envelope).dump();
  }
  io_->Post([this, connection, text, envelope_id] { io_->Write(connection, text, envelope_id); });
}

std::optional<FakeSocketMode::Ack> FakeSocketMode::WaitForAck(const std::string& envelope_id,
                                                              absl::Duration timeout) {
  absl::MutexLock lock(&mu_);
  const Ack* found = nullptr;
  auto acked = [&]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    for (const Ack& ack : acks_) {
      if (ack.envelope_id == envelope_id) found = &ack;
      if (found != nullptr) return true;
    }
    return false;
  };
  if (!mu_.AwaitWithTimeout(absl::Condition(&acked), timeout)) return std::nullopt;
  return *found;
}

std::vector<FakeSocketMode::Ack> FakeSocketMode::AcksOf(const std::string& envelope_id) {
  absl::MutexLock lock(&mu_);
  std::vector<Ack> out;
  for (const Ack& ack : acks_) {
    if (ack.envelope_id == envelope_id) out.push_back(ack);
  }
  return out;
}

std::vector<std::string> FakeSocketMode::Violations() {
  absl::MutexLock lock(&mu_);
  return violations_;
}

void FakeSocketMode::Disconnect(const std::string& reason, int connection,
                                absl::Duration close_after) {
  std::string text;
  {
    absl::MutexLock lock(&mu_);
    connection = Resolve(connection);
    if (connection == 0) return;
    log_.push_back(absl::StrCat("disconnect ", connection, " ", reason));
    json message = {{"type", "disconnect"},
                    {"reason", reason},
                    {"debug_info", {{"host", absl::StrCat("applink-fake-", connection)}}}};
    text = message.dump();
  }
  io_->RunSync([&] { io_->Disconnect(connection, text, close_after); });
}

void FakeSocketMode::Kill(int connection) {
  {
    absl::MutexLock lock(&mu_);
    connection = Resolve(connection);
  }
  if (connection != 0) io_->RunSync([&] { io_->Kill(connection); });
}

void FakeSocketMode::Mute(int connection) {
  {
    absl::MutexLock lock(&mu_);
    connection = Resolve(connection);
  }
  if (connection != 0) io_->RunSync([&] { io_->Mute(connection); });
}

std::string FakeSocketMode::CheckTicket(const std::string& ticket, const std::string& app_id) {
  absl::MutexLock lock(&mu_);
  if (used_tickets_.count(ticket)) return "used ticket " + Quote(ticket);
  if (!tickets_.count(ticket)) return "unknown ticket " + Quote(ticket);
  if (app_id != app_id_) return "app_id " + Quote(app_id) + " is not " + app_id_;
  tickets_.erase(ticket);
  used_tickets_.insert(ticket);
  return "";
}

int FakeSocketMode::Opened() {
  absl::MutexLock lock(&mu_);
  int number = ++connections_;
  open_.insert(number);
  log_.push_back(absl::StrCat("open ", number));
  return number;
}

json FakeSocketMode::Hello(int connection) {
  absl::MutexLock lock(&mu_);
  return {{"type", "hello"},
          {"num_connections", open_.size()},
          {"debug_info",
           {{"host", absl::StrCat("applink-fake-", connection)},
            {"started", absl::FormatTime("%Y-%m-%d %H:%M:%E3S", absl::Now(), absl::UTCTimeZone())},
            {"build_number", 1},
            {"approximate_connection_time", 3600}}},
          {"connection_info", {{"app_id", app_id_}}}};
}

void FakeSocketMode::Sent(int connection, const std::string& envelope_id, bool hello) {
  absl::MutexLock lock(&mu_);
  if (hello) {
    ++hellos_;
    log_.push_back(absl::StrCat("hello ", connection));
  } else if (auto it = envelopes_.find(envelope_id); it != envelopes_.end()) {
    it->second.last_sent = absl::Now();  // on the wire now
  }
}

void FakeSocketMode::Closed(int connection, const std::string& entry) {
  absl::MutexLock lock(&mu_);
  open_.erase(connection);
  if (!entry.empty()) log_.push_back(entry);
}

void FakeSocketMode::Received(int connection, bool binary, const std::string& text) {
  std::string on = absl::StrCat("connection ", connection, ": ");
  if (binary) return Violation(on + "binary frame");
  json ack = json::parse(text, nullptr, false);
  if (ack.is_discarded()) return Violation(on + "not JSON: " + Quote(text));
  if (!ack.is_object()) return Violation(on + "not a JSON object: " + Quote(text));
  auto id = ack.find("envelope_id");
  if (id == ack.end() || !id->is_string()) return Violation(on + "no envelope_id: " + Quote(text));
  Ack record{id->get<std::string>(), ack.value("payload", json()), connection};
  absl::MutexLock lock(&mu_);
  auto sent = envelopes_.find(record.envelope_id);
  if (sent == envelopes_.end()) {
    violations_.push_back(on + "ack of unknown envelope_id " + Quote(record.envelope_id));
  } else {
    const Envelope& envelope = sent->second;
    std::string what = on + "ack of " + record.envelope_id + " (" + envelope.type + "): ";
    if (!record.payload.is_null() && !record.payload.is_object()) {
      violations_.push_back(what + "payload is not an object");
    } else if (!record.payload.is_null() && !envelope.accepts_response_payload) {
      violations_.push_back(what + "payload on an envelope that accepts none");
    }
    int acks = 1;
    for (const Ack& earlier : acks_) acks += earlier.envelope_id == record.envelope_id;
    if (acks > envelope.deliveries) violations_.push_back(what + "more acks than deliveries");
    record.late = absl::Now() - envelope.last_sent > kAckDeadline;
  }
  acks_.push_back(std::move(record));
}

void FakeSocketMode::Note(const std::string& entry) {
  absl::MutexLock lock(&mu_);
  log_.push_back(entry);
}

void FakeSocketMode::Violation(const std::string& what) {
  absl::MutexLock lock(&mu_);
  violations_.push_back(what);
}

int FakeSocketMode::Resolve(int connection) {
  if (connection == 0) return open_.empty() ? 0 : *open_.rbegin();
  return open_.count(connection) ? connection : 0;
}

json FakeSocketMode::EnvelopeJson(const std::string& id, const Envelope& envelope) const {
  json out = {{"envelope_id", id},
              {"payload", envelope.payload},
              {"type", envelope.type},
              {"accepts_response_payload", envelope.accepts_response_payload}};
  if (envelope.type == "events_api" || envelope.retry_attempt > 0) {
    out["retry_attempt"] = envelope.retry_attempt;
    out["retry_reason"] = envelope.retry_reason;
  }
  return out;
}

}  // namespace ff::testing
