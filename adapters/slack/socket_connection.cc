#include "adapters/slack/socket_connection.h"

#include <openssl/ssl.h>

#include <chrono>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "boost/asio/connect.hpp"
#include "boost/asio/post.hpp"
#include "boost/asio/ssl/host_name_verification.hpp"
#include "boost/beast/core/buffers_to_string.hpp"
#include "boost/beast/http/field.hpp"
#include "boost/beast/websocket/ssl.hpp"
#include "common/quote.h"

namespace ff::slack {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using tcp = net::ip::tcp;

constexpr auto kHandshakeTimeout = std::chrono::seconds(10);
// Envelopes are a few KB; a modal filled to its limits is under 150 KB
// (http_server.h). A bigger message ends the connection (and another is
// opened) rather than growing the adapter without bound.
constexpr size_t kMaxMessageBytes = 1 << 20;

std::chrono::steady_clock::duration Chrono(absl::Duration d) {
  return std::chrono::milliseconds(absl::ToInt64Milliseconds(d));
}

}  // namespace

absl::StatusOr<WssUrl> ParseWssUrl(const std::string& url) {
  constexpr absl::string_view kScheme = "wss://";
  if (!absl::StartsWith(url, kScheme)) {
    return absl::InvalidArgumentError("Socket Mode URL must start with wss://, got " +
                                      QuoteValue(url));
  }
  std::string rest = url.substr(kScheme.size());
  WssUrl parsed;
  size_t slash = rest.find_first_of("/?");
  std::string authority = rest.substr(0, slash);
  if (slash != std::string::npos) {
    parsed.target = rest.substr(slash);
    if (parsed.target[0] == '?') parsed.target = "/" + parsed.target;
  }
  size_t colon = authority.rfind(':');
  parsed.host = authority.substr(0, colon);
  if (colon != std::string::npos) {
    parsed.port = authority.substr(colon + 1);
    int port = 0;
    if (!absl::SimpleAtoi(parsed.port, &port) || port <= 0 || port > 65535) {
      return absl::InvalidArgumentError("Socket Mode URL has a bad port: " + QuoteValue(url));
    }
  }
  if (parsed.host.empty()) {
    return absl::InvalidArgumentError("Socket Mode URL has no host: " + QuoteValue(url));
  }
  return parsed;
}

SocketConnection::SocketConnection(net::io_context& io, net::ssl::context& tls, int id,
                                   Callbacks callbacks, absl::Duration idle_timeout)
    : id_(id),
      callbacks_(std::move(callbacks)),
      idle_timeout_(idle_timeout),
      resolver_(io),
      ws_(io, tls) {}

void SocketConnection::Open(const WssUrl& url) {
  net::post(ws_.get_executor(), [self = shared_from_this(), url] {
    // SNI, and the certificate must name the host (or its IP address).
    SSL_set_tlsext_host_name(self->ws_.next_layer().native_handle(), url.host.c_str());
    self->ws_.next_layer().set_verify_mode(net::ssl::verify_peer);
    self->ws_.next_layer().set_verify_callback(net::ssl::host_name_verification(url.host));
    self->resolver_.async_resolve(
        url.host, url.port,
        [self, url](beast::error_code ec, const tcp::resolver::results_type& results) {
          if (ec) return self->End("resolving " + url.host + ": " + ec.message());
          beast::get_lowest_layer(self->ws_).expires_after(kHandshakeTimeout);
          beast::get_lowest_layer(self->ws_).async_connect(
              results, [self, url](beast::error_code connect_error, const tcp::endpoint&) {
                if (connect_error) return self->End("connecting: " + connect_error.message());
                self->Connected(url);
              });
        });
  });
}

void SocketConnection::Connected(const WssUrl& url) {
  auto self = shared_from_this();
  ws_.next_layer().async_handshake(net::ssl::stream_base::client, [self,
                                                                   url](beast::error_code ec) {
    if (ec) return self->End("TLS handshake: " + ec.message());
    beast::get_lowest_layer(self->ws_).expires_never();
    websocket::stream_base::timeout timeout;
    timeout.handshake_timeout = kHandshakeTimeout;
    timeout.idle_timeout = Chrono(self->idle_timeout_);
    timeout.keep_alive_pings = true;  // ping at half the idle time
    self->ws_.set_option(timeout);
    self->ws_.read_message_max(kMaxMessageBytes);
    self->ws_.set_option(websocket::stream_base::decorator([](websocket::request_type& request) {
      request.set(beast::http::field::user_agent, "firefighter-slack");
    }));
    std::string host = url.port == "443" ? url.host : url.host + ":" + url.port;
    self->ws_.async_handshake(host, url.target, [self](beast::error_code ws_error) {
      if (ws_error) return self->End("WebSocket handshake: " + ws_error.message());
      self->open_ = true;
      self->Read();
      self->WriteNext();
    });
  });
}

void SocketConnection::Read() {
  ws_.async_read(buffer_, [self = shared_from_this()](beast::error_code ec, size_t) {
    if (ec) {
      if (ec == websocket::error::closed) return self->End("closed by Slack");
      return self->End(ec == beast::error::timeout ? "silent: no answer to ping" : ec.message());
    }
    std::string text = beast::buffers_to_string(self->buffer_.data());
    self->buffer_.consume(self->buffer_.size());
    nlohmann::json message = nlohmann::json::parse(text, nullptr, false);
    if (!self->closing_) self->callbacks_.on_message(self->id_, message);
    self->Read();
  });
}

void SocketConnection::Send(std::string text) {
  net::post(ws_.get_executor(), [self = shared_from_this(), text = std::move(text)]() mutable {
    if (self->ended_) return;
    self->outbox_.push_back(std::move(text));
    if (self->outbox_.size() == 1) self->WriteNext();
  });
}

void SocketConnection::WriteNext() {
  if (!open_ || ended_ || close_started_) return;
  if (outbox_.empty()) return CloseWhenSent();
  ws_.text(true);
  ws_.async_write(net::buffer(outbox_.front()),
                  [self = shared_from_this()](beast::error_code ec, size_t) {
                    if (ec) return self->End("writing: " + ec.message());
                    self->outbox_.pop_front();
                    self->WriteNext();
                  });
}

void SocketConnection::Close() {
  net::post(ws_.get_executor(), [self = shared_from_this()] {
    if (self->ended_ || self->closing_) return;
    self->closing_ = true;
    if (!self->open_) {
      beast::error_code ignored;
      beast::get_lowest_layer(self->ws_).socket().close(ignored);
      return;
    }
    if (self->outbox_.empty()) self->CloseWhenSent();
    // Otherwise the last write completing closes it.
  });
}

void SocketConnection::CloseWhenSent() {
  if (!closing_ || close_started_ || !outbox_.empty()) return;
  close_started_ = true;
  ws_.async_close(websocket::close_code::normal, [self = shared_from_this()](beast::error_code ec) {
    if (ec) self->End("closing: " + ec.message());
    // Otherwise the pending read ends with `closed`.
  });
}

void SocketConnection::End(const std::string& why) {
  if (ended_) return;
  ended_ = true;
  open_ = false;
  beast::error_code ignored;
  beast::get_lowest_layer(ws_).socket().close(ignored);
  callbacks_.on_closed(id_, closing_ ? "closed by us" : why);
}

}  // namespace ff::slack
