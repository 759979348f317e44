// HttpServer: the event-driven HTTP/1.1 server both adapters serve on
// (firefighter-slack and firefighter-web), built on Boost.Beast and Asio.
// docs/adr/0011-event-driven-http-server.md says why and how.
//
// Threading model: one I/O thread runs every connection as a state machine
// (accept, read the header, read the body, write, stream), so a connection
// costs a socket and a few kilobytes, never a thread: slow clients and
// thousands of open event streams cannot starve anyone. Handlers run where
// their route says: kInline ones (cheap, never blocking: /healthz) on the
// I/O thread, kWorker ones (which may block on firefighterd or Slack) on a
// fixed pool of worker threads.
//
// Limits, each answered without reading further (Options):
//   - a request header over max_header_bytes: 431, connection closed;
//   - a body over max_body_bytes: 413 as soon as Content-Length says so, or
//     as soon as a chunked body passes it; the body is never held, the
//     connection is closed;
//   - a header not complete within header_timeout (which is also how long
//     an idle keep-alive connection stays), or a body not within
//     body_timeout: the connection is closed;
//   - beyond max_connections open connections: 503, closed at once;
//   - a request that is not HTTP/1.x: 400, closed; a malformed query
//     string: 400; a path no route matches: 404.
// After a refusal what the client still sends is read and dropped for at
// most 2 s and at most max_body_bytes, so it reads the answer rather than a
// reset; nothing of it is kept.
//
// Long-lived responses (server-sent events) are a ResponseStream: the
// stream wakes the connection when it has something to send; no thread waits
// for it.
//
// Thread-safe: Start, Stop and port may be called from any thread; routes
// are added before Start.
#ifndef FF_COMMON_HTTP_HTTP_SERVER_H_
#define FF_COMMON_HTTP_HTTP_SERVER_H_

#include <cstddef>
#include <functional>
#include <memory>
#include <regex>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/http/url_encoded.h"

namespace ff::http {

using Headers = std::vector<std::pair<std::string, std::string>>;

// Request: one parsed request, as a handler sees it.
struct Request {
  std::string method;                // "GET"
  std::string path;                  // the target before '?', as sent
  UrlEncoded query;                  // the target after '?', decoded
  std::vector<std::string> matches;  // the route's regex groups; [0] is the path
  Headers headers;
  std::string body;
  std::string peer;  // the client's IP address ("127.0.0.1", "::1")

  // Header returns the first header called `name` (any case), or "".
  std::string Header(absl::string_view name) const;
};

// ResponseStream: the body of a long-lived response, sent chunk by chunk.
// Thread-safety: Attach, Read and Idle are called on the connection's
// thread, one at a time; `wake` may be called from any thread.
class ResponseStream {
 public:
  virtual ~ResponseStream() = default;
  // Attach is called once, before Read. The stream calls `wake` whenever
  // Read may have something new (or the stream has ended); calling it after
  // the connection has gone is harmless.
  virtual void Attach(std::function<void()> wake) = 0;
  // Read returns what to send now, possibly "", without blocking; sets *done
  // once the stream has ended (what it returns then is still sent).
  virtual std::string Read(bool* done) = 0;
  // Idle returns what to send after Options::stream_idle without anything
  // to send ("" for nothing), so proxies keep the stream and a closed client
  // is noticed.
  virtual std::string Idle() { return ""; }
  // Detach is called once when the connection ends, for whatever reason.
  virtual void Detach() {}
};

// Response: what a handler answers. With `stream` set, `body` is sent first
// and the stream follows, chunked, until it ends or the server stops.
struct Response {
  int status = 200;
  std::string content_type;
  std::string body;
  Headers headers;
  std::shared_ptr<ResponseStream> stream;
};

using Handler = std::function<Response(const Request&)>;

// Where a route's handler runs: kInline on the I/O thread (it must neither
// block nor take long), kWorker on the worker pool.
enum class Dispatch { kInline, kWorker };

class HttpServer {
 public:
  struct Options {
    std::string name = "http";  // in log lines
    size_t max_header_bytes = 16 * 1024;
    size_t max_body_bytes = 64 * 1024;
    absl::Duration header_timeout = absl::Seconds(10);  // also idle keep-alive
    absl::Duration body_timeout = absl::Seconds(30);
    absl::Duration write_timeout = absl::Seconds(30);
    absl::Duration stream_idle = absl::Seconds(10);
    // How long Stop waits for requests in flight before it cuts them.
    absl::Duration drain_timeout = absl::Seconds(20);
    size_t max_connections = 10000;
    int worker_threads = 8;
    // Sent with every answer (security headers, caching).
    Headers default_headers;
    // The answer to a body over max_body_bytes (413 is kept whatever this says).
    Response too_large = {413, "text/plain", "request too large", {}, nullptr};
  };

  explicit HttpServer(Options options);
  ~HttpServer();  // Stop()
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Route adds a handler for `method` and paths matching `path_regex` (whole
  // path); the first route added that matches wins. A path no route matches
  // gets 404; REQUIRES: before Start.
  void Route(const std::string& method, const std::string& path_regex, Dispatch dispatch,
             Handler handler);

  // Start binds host:port (port 0 picks one) and serves on its threads.
  // UNAVAILABLE when it cannot bind; INVALID_ARGUMENT for a host that is
  // not an IP address (or "localhost"). It also raises the process's soft
  // limit on open files to the hard one: each connection is a descriptor.
  // REQUIRES: called once.
  absl::Status Start(const std::string& host, int port);
  int port() const { return port_; }

  // Stop stops accepting, ends the open streams (each gets its last chunk),
  // lets each request in flight finish and get its answer (up to
  // drain_timeout), then closes every connection and joins the threads.
  // Idempotent.
  void Stop();

  // OpenConnections: how many connections are open right now.
  size_t OpenConnections() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
  int port_ = 0;
};

}  // namespace ff::http

#endif  // FF_COMMON_HTTP_HTTP_SERVER_H_
