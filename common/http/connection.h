// Connection: one client connection of HttpServer, as a state machine on its
// strand of the I/O thread (read the header, read the body, hand over to
// the handler, write the answer, or stream). Internal to common/http.
//
// Thread-safety: every member runs on the connection's strand; Start and
// Stop may be called from any thread (they post there).
#ifndef FF_COMMON_HTTP_CONNECTION_H_
#define FF_COMMON_HTTP_CONNECTION_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "boost/asio/steady_timer.hpp"
#include "boost/asio/thread_pool.hpp"
#include "boost/beast/core.hpp"
#include "boost/beast/http.hpp"
#include "common/http/http_server.h"

namespace ff::http {

// Route: one entry of the server's routing table.
struct Route {
  std::string method;
  std::regex path;
  Dispatch dispatch;
  Handler handler;
};

// ConnectionHost: what a connection needs from its server.
class ConnectionHost {
 public:
  virtual ~ConnectionHost() = default;
  virtual const HttpServer::Options& options() const = 0;
  virtual const std::vector<Route>& routes() const = 0;
  virtual boost::asio::thread_pool& workers() = 0;
  // Forget: the connection `id` has closed.
  virtual void Forget(uint64_t id) = 0;
};

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  // REQUIRES: `host` outlives the connection.
  Connection(ConnectionHost* host, boost::asio::ip::tcp::socket socket, uint64_t id);

  // Start begins reading the first request.
  void Start();
  // Stop ends the connection gracefully: an idle one closes, a stream ends
  // with its last chunk, a request in flight gets its answer, then closes.
  void Stop();
  // Close closes at once.
  void Abort();

 private:
  enum class State { kHeader, kBody, kHandling, kWriting, kStreaming, kClosed };
  using RequestParser = boost::beast::http::request_parser<boost::beast::http::string_body>;

  void ReadHeader();
  void OnHeader(boost::beast::error_code ec);
  void ReadBody();
  void OnBody(boost::beast::error_code ec);
  void Handle();
  Request TakeRequest();
  const Route* FindRoute(Request& request) const;
  void RunOnWorker(const Route* route, Request request);
  void Reply(Response response);
  void OnWritten(boost::beast::error_code ec);
  void Refuse(int status, const std::string& body);
  void Drain(size_t left);

  void StartStream(Response response);
  void Pump();
  void WriteChunk(bool last);
  void ArmIdle();

  void Close();

  ConnectionHost* host_;
  const uint64_t id_;
  boost::beast::tcp_stream stream_;
  boost::beast::flat_buffer buffer_;
  std::optional<RequestParser> parser_;
  bool keep_alive_ = false;
  boost::beast::http::response<boost::beast::http::string_body> response_;
  State state_ = State::kHeader;
  bool stopping_ = false;
  std::vector<char> drain_;

  // A streamed response.
  std::shared_ptr<ResponseStream> body_stream_;
  boost::beast::http::response<boost::beast::http::empty_body> stream_header_;
  std::optional<boost::beast::http::response_serializer<boost::beast::http::empty_body>>
      serializer_;
  std::string pending_;  // to send next
  std::string chunk_;    // being sent
  bool writing_ = false;
  boost::asio::steady_timer idle_timer_;
};

}  // namespace ff::http

#endif  // FF_COMMON_HTTP_CONNECTION_H_
