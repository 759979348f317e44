// WebServer: firefighter-web's HTTP face. Serves the dashboard's pages and
// assets, the JSON endpoints (DashboardApi), the live event stream
// (GET /api/events, server-sent events from EventHub) and GET /healthz.
// Every route is listed in docs/web.md.
//
// Thread-safe. The transport is common/http's HttpServer: an open page's
// event stream holds a connection, never a thread.
#ifndef FF_ADAPTERS_WEB_WEB_SERVER_H_
#define FF_ADAPTERS_WEB_WEB_SERVER_H_

#include <cstddef>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "adapters/web/access_policy.h"
#include "adapters/web/dashboard_api.h"
#include "adapters/web/event_hub.h"
#include "common/http/http_server.h"

namespace ff::web {

class WebServer {
 public:
  // The largest request body: the dashboard takes none (every route is a
  // GET), so a body is refused with 413 as soon as it passes this.
  static constexpr size_t kMaxRequestBytes = 8 * 1024;

  // Every request but GET /healthz passes `access` first.
  // REQUIRES: `api` and `hub` outlive the server.
  WebServer(const DashboardApi* api, EventHub* hub, AccessPolicy access = AccessPolicy());
  ~WebServer();  // Stop()
  WebServer(const WebServer&) = delete;
  WebServer& operator=(const WebServer&) = delete;

  // Start binds host:port (port 0 picks one) and serves on its threads.
  // UNAVAILABLE when it cannot bind.
  absl::Status Start(const std::string& host, int port);
  int port() const { return server_.port(); }
  // Stop stops accepting, ends the open event streams and lets the requests
  // in flight get their answer. Idempotent.
  void Stop();

 private:
  void AddPageRoutes();
  void AddApiRoutes();
  // Guarded: route `path` to `handler` behind the access policy.
  void Guarded(const std::string& path, http::Dispatch dispatch, http::Handler handler);

  http::HttpServer server_;
  const DashboardApi* api_;
  EventHub* hub_;
  const AccessPolicy access_;
};

}  // namespace ff::web

#endif  // FF_ADAPTERS_WEB_WEB_SERVER_H_
