// SlackHttpServer: the adapter's HTTP face. POST /slack/commands,
// /slack/interactivity and /slack/events are verified (SignatureVerifier)
// before anything is parsed — an unsigned or stale request gets 401 and
// nothing is done — then handed to SlackApp. GET /healthz answers "ok".
//
// Thread-safe; cpp-httplib serves each connection on its thread pool.
#ifndef FF_ADAPTERS_SLACK_HTTP_SERVER_H_
#define FF_ADAPTERS_SLACK_HTTP_SERVER_H_

#include <memory>
#include <string>
#include <thread>

#include "absl/status/status.h"
#include "adapters/slack/signature_verifier.h"
#include "adapters/slack/slack_app.h"

namespace httplib {
class Server;
}

namespace ff::slack {

class SlackHttpServer {
 public:
  // REQUIRES: `app` and `verifier` outlive the server.
  SlackHttpServer(SlackApp* app, const SignatureVerifier* verifier);
  ~SlackHttpServer();  // stops serving

  // Start binds host:port (port 0 picks one) and serves on a thread.
  // UNAVAILABLE when it cannot bind.
  absl::Status Start(const std::string& host, int port);
  int port() const { return port_; }
  // Wait blocks until Stop is called (from another thread or a signal).
  void Wait();
  void Stop();

 private:
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  int port_ = 0;
  SlackApp* app_;
  const SignatureVerifier* verifier_;
};

}  // namespace ff::slack

#endif  // FF_ADAPTERS_SLACK_HTTP_SERVER_H_
