// SocketConnection: one Socket Mode WebSocket to Slack, over TLS (Boost.Beast
// on Asio). It connects to the wss:// URL apps.connections.open returned,
// verifying Slack's certificate and host name, then reads text frames and
// hands each one, parsed, to `on_message`; writes are queued and sent in
// order. A connection that hears nothing for `idle_timeout` pings Slack
// (at half of it) and, still hearing nothing, closes itself: a dropped or
// silent link ends the same way, through `on_closed`.
//
// All I/O runs on the io_context's thread; callbacks are called there and
// must not block. Send and Close are thread-safe.
#ifndef FF_ADAPTERS_SLACK_SOCKET_CONNECTION_H_
#define FF_ADAPTERS_SLACK_SOCKET_CONNECTION_H_

#include <deque>
#include <functional>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "boost/asio/io_context.hpp"
#include "boost/asio/ip/tcp.hpp"
#include "boost/asio/ssl/context.hpp"
#include "boost/beast/core/flat_buffer.hpp"
#include "boost/beast/core/tcp_stream.hpp"
#include "boost/beast/ssl/ssl_stream.hpp"
#include "boost/beast/websocket/stream.hpp"
#include "nlohmann/json.hpp"

namespace ff::slack {

// WssUrl: the parts of a wss:// URL.
struct WssUrl {
  std::string host;
  std::string port = "443";
  std::string target = "/";  // path and query
};

// ParseWssUrl splits "wss://host[:port]/path?query". INVALID_ARGUMENT for
// any other scheme (Socket Mode is TLS only) or a URL without a host.
absl::StatusOr<WssUrl> ParseWssUrl(const std::string& url);

class SocketConnection : public std::enable_shared_from_this<SocketConnection> {
 public:
  struct Callbacks {
    // A JSON text frame (hello, disconnect or an envelope).
    std::function<void(int id, const nlohmann::json& message)> on_message;
    // Once, when the connection ends for any reason (never opened, closed by
    // either side, dropped, silent): `why` says which.
    std::function<void(int id, const std::string& why)> on_closed;
  };

  // REQUIRES: `io` and `tls` outlive the connection.
  SocketConnection(boost::asio::io_context& io, boost::asio::ssl::context& tls, int id,
                   Callbacks callbacks, absl::Duration idle_timeout);

  // Open connects to `url` and starts reading; returns at once.
  void Open(const WssUrl& url);
  // Send queues a text frame.
  void Send(std::string text);
  // Close closes the connection gracefully (a close frame; `on_closed`
  // follows). Idempotent.
  void Close();
  int id() const { return id_; }

 private:
  using Stream =
      boost::beast::websocket::stream<boost::beast::ssl_stream<boost::beast::tcp_stream>>;

  void Connected(const WssUrl& url);
  void Read();
  void WriteNext();
  // CloseWhenSent starts the close handshake once the queued frames are
  // written (Beast allows one write, close included, at a time).
  void CloseWhenSent();
  void End(const std::string& why);

  const int id_;
  Callbacks callbacks_;
  const absl::Duration idle_timeout_;
  boost::asio::ip::tcp::resolver resolver_;
  Stream ws_;
  boost::beast::flat_buffer buffer_;
  // The members below are touched only on the stream's executor.
  std::deque<std::string> outbox_;
  bool open_ = false;
  bool closing_ = false;        // Close was called
  bool close_started_ = false;  // the close frame is on its way
  bool ended_ = false;
};

}  // namespace ff::slack

#endif  // FF_ADAPTERS_SLACK_SOCKET_CONNECTION_H_
