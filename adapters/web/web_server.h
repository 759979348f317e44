// WebServer: firefighter-web's HTTP face. Serves the dashboard's pages and
// assets, the JSON endpoints (DashboardApi), the actions (POST routes,
// DashboardActions, behind ActionGuard), the live event stream
// (GET /api/events, server-sent events from EventHub) and GET /healthz.
// Every route is listed in docs/web.md.
//
// Thread-safe. The transport is common/http's HttpServer: an open page's
// event stream holds a connection, never a thread.
#ifndef FF_ADAPTERS_WEB_WEB_SERVER_H_
#define FF_ADAPTERS_WEB_WEB_SERVER_H_

#include <cstddef>
#include <functional>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "adapters/web/access_policy.h"
#include "adapters/web/action_guard.h"
#include "adapters/web/dashboard_actions.h"
#include "adapters/web/dashboard_api.h"
#include "adapters/web/event_hub.h"
#include "common/http/http_server.h"
#include "nlohmann/json.hpp"

namespace ff::web {

class WebServer {
 public:
  // The largest request body, refused with 413 as soon as it passes this:
  // room for the longest description (4000 characters) and title even
  // when every character is sent as a JSON \u escape.
  static constexpr size_t kMaxRequestBytes = 64 * 1024;

  // Every request but GET /healthz passes `access` first; every action
  // `guard` then.
  // REQUIRES: `api`, `actions` and `hub` outlive the server.
  WebServer(const DashboardApi* api, const DashboardActions* actions, EventHub* hub,
            AccessPolicy access = AccessPolicy(),
            ActionGuard guard = ActionGuard::WithRandomSecret());
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
  void AddActionRoutes();
  // Guarded: route `path` to `handler` behind the access policy.
  void Guarded(const std::string& path, http::Dispatch dispatch, http::Handler handler,
               const std::string& method = "GET");
  // Action: route POST `path` to `act`, on a worker, behind the access
  // policy and the action guard; `act` gets the signed-in person.
  using ActHandler = std::function<HttpReply(const DashboardActions&, const std::string& person,
                                             const http::Request&)>;
  void Action(const std::string& path, ActHandler act);
  // SessionJson: GET /api/session's answer for `request`.
  nlohmann::json SessionJson(const http::Request& request) const;

  http::HttpServer server_;
  const DashboardApi* api_;
  const DashboardActions* actions_;
  EventHub* hub_;
  const AccessPolicy access_;
  const ActionGuard guard_;
};

}  // namespace ff::web

#endif  // FF_ADAPTERS_WEB_WEB_SERVER_H_
