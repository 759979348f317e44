// WebServer: firefighter-web's HTTP face. Serves the dashboard's pages and
// assets, the JSON endpoints (DashboardApi), the live event stream
// (GET /api/events, server-sent events from EventHub) and GET /healthz.
// Every route is listed in docs/web.md.
//
// Thread-safe; cpp-httplib serves each connection on its thread pool.
#ifndef FF_ADAPTERS_WEB_WEB_SERVER_H_
#define FF_ADAPTERS_WEB_WEB_SERVER_H_

#include <memory>
#include <string>
#include <thread>

#include "absl/status/status.h"
#include "adapters/web/dashboard_api.h"
#include "adapters/web/event_hub.h"

namespace httplib {
class Server;
}

namespace ff::web {

class WebServer {
 public:
  // REQUIRES: `api` and `hub` outlive the server.
  WebServer(const DashboardApi* api, EventHub* hub);
  ~WebServer();  // Stop()
  WebServer(const WebServer&) = delete;
  WebServer& operator=(const WebServer&) = delete;

  // Start binds host:port (port 0 picks one) and serves on a thread.
  // UNAVAILABLE when it cannot bind.
  absl::Status Start(const std::string& host, int port);
  int port() const { return port_; }
  // Wait blocks until Stop is called (from another thread).
  void Wait();
  // Stop stops serving; open event streams must have been closed first
  // (EventHub::Stop), or it waits for their next keep-alive.
  void Stop();

 private:
  void AddPageRoutes();
  void AddApiRoutes();

  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  int port_ = 0;
  const DashboardApi* api_;
  EventHub* hub_;
};

}  // namespace ff::web

#endif  // FF_ADAPTERS_WEB_WEB_SERVER_H_
