// SlackHttpServer: the adapter's HTTP face. POST /slack/commands,
// /slack/interactivity and /slack/events are verified (SignatureVerifier)
// before anything is parsed — an unsigned or stale request gets 401 and
// nothing is done — then handed to SlackApp. GET /healthz answers "ok".
// In Socket Mode (no verifier) only /healthz is served, and it answers
// what `health` says: whether the socket to Slack is connected.
//
// A request body may hold up to kMaxRequestBytes, whatever its type; a
// longer one gets 413 {"error":"request too large","limit_bytes":N}, logged,
// and nothing is done: a Content-Length over the limit is refused before
// the body is read, a chunked body as soon as it passes the limit.
//
// Thread-safe. The transport is common/http's HttpServer: a slow client
// holds a connection, never a thread, so it cannot keep others (or
// /healthz) waiting.
#ifndef FF_ADAPTERS_SLACK_HTTP_SERVER_H_
#define FF_ADAPTERS_SLACK_HTTP_SERVER_H_

#include <cstddef>
#include <functional>
#include <string>

#include "absl/status/status.h"
#include "adapters/slack/signature_verifier.h"
#include "adapters/slack/slack_app.h"
#include "common/http/http_server.h"

namespace ff::slack {

class SlackHttpServer {
 public:
  // The largest request body served. The largest valid request is a
  // view_submission of a modal filled to its fields' limits: a 4000-character
  // description and a 200-character title, each character at worst 16 bytes
  // on the wire (a \uXXXX surrogate pair in the JSON, 12 bytes, whose '\'s
  // the form encodes as %5C), twice over when the view echoes them back as
  // initial values: about 135 KB, and under 150 KB with the modal's blocks.
  // 1 MiB leaves a sevenfold margin and still bounds what one request makes
  // the adapter hold. (The description is a rich_text_input, which has no
  // max_length: a longer one is answered with the core's limit on its field
  // as long as the request fits.)
  static constexpr size_t kMaxRequestBytes = 1 << 20;

  using HealthCheck = std::function<HttpReply()>;

  // REQUIRES: `app` and `verifier` outlive the server. Without a verifier
  // (Socket Mode) Slack's routes are not served; `health`, when given,
  // answers /healthz.
  SlackHttpServer(SlackApp* app, const SignatureVerifier* verifier, HealthCheck health = nullptr);
  ~SlackHttpServer();  // stops serving

  // Start binds host:port (port 0 picks one) and serves on its threads.
  // UNAVAILABLE when it cannot bind.
  absl::Status Start(const std::string& host, int port);
  int port() const { return server_.port(); }
  // Stop stops accepting and lets the requests in flight get their answer.
  // Idempotent.
  void Stop();

 private:
  using BodyHandler = std::function<HttpReply(const std::string& body)>;
  // Verified wraps `next`: it runs only for a request signed by Slack.
  http::Handler Verified(BodyHandler next) const;

  http::HttpServer server_;
  SlackApp* app_;
  const SignatureVerifier* verifier_;
  HealthCheck health_;
};

}  // namespace ff::slack

#endif  // FF_ADAPTERS_SLACK_HTTP_SERVER_H_
