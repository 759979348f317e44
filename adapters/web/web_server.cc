#include "adapters/web/web_server.h"

#include <optional>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "adapters/web/assets.h"
#include "adapters/web/incident_json.h"
#include "spdlog/spdlog.h"

namespace ff::web {
namespace {

using http::Dispatch;
using http::Request;
using http::Response;

// An idle event stream sends a comment this often, so proxies keep it open
// and a closed browser is noticed.
constexpr absl::Duration kKeepAlive = absl::Seconds(10);
// Handlers that call firefighterd block for up to its deadline: these many
// run at once; the others wait their turn without holding a connection's
// reading or anyone else's. Enough for a crowd of viewers to gather behind
// one incident list fetch (ReadCoalescer) rather than queue for a worker:
// under 100 viewers 64 served twice the lists 16 did (bench/README.md).
// A waiting worker costs a stack, no CPU.
constexpr int kWorkers = 64;

// Write takes the reply's body rather than copying it: a list of every
// active incident is hundreds of kilobytes.
Response Write(HttpReply reply) {
  return {reply.status, std::move(reply.content_type), std::move(reply.body), {}, nullptr};
}

// EventStream: one open page's GET /api/events, fed by its Subscriber.
class EventStream : public http::ResponseStream {
 public:
  explicit EventStream(std::shared_ptr<Subscriber> subscriber)
      : subscriber_(std::move(subscriber)) {}
  void Attach(std::function<void()> wake) override { subscriber_->OnReady(std::move(wake)); }
  std::string Read(bool* done) override {
    bool open = true;
    std::string out;
    for (std::string& message : subscriber_->Take(&open)) out += message;
    *done = !open;
    return out;
  }
  std::string Idle() override { return ": keep-alive\n\n"; }
  void Detach() override {
    subscriber_->OnReady(nullptr);
    subscriber_->Close();
  }

 private:
  std::shared_ptr<Subscriber> subscriber_;
};

http::HttpServer::Options ServerOptions() {
  http::HttpServer::Options options;
  options.name = "firefighter-web";
  options.max_body_bytes = WebServer::kMaxRequestBytes;
  options.stream_idle = kKeepAlive;
  options.worker_threads = kWorkers;
  // Pages only load what this process serves (the "no CDN" promise, kept by
  // the browser too); answers are never cached, so an upgrade shows at once.
  options.default_headers = {{"Content-Security-Policy",
                              "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'"},
                             {"X-Content-Type-Options", "nosniff"},
                             {"Referrer-Policy", "no-referrer"},
                             {"Cache-Control", "no-cache"}};
  options.too_large = {
      413,
      "application/json",
      nlohmann::json{{"error", "request too large"}, {"limit_bytes", WebServer::kMaxRequestBytes}}
          .dump(),
      {},
      nullptr};
  return options;
}

// Pages carry the vocabulary (VocabularyJson) in a JSON data block that
// app.js reads, so the words and labels are written once, on the server. A
// page marks the place with the empty block; "<" is escaped so no label can
// end the block early.
constexpr absl::string_view kEmptyVocabularyBlock =
    R"(<script type="application/json" id="vocabulary"></script>)";

const std::string& VocabularyBlock() {
  static const std::string* const block = new std::string(
      absl::StrCat(R"(<script type="application/json" id="vocabulary">)",
                   absl::StrReplaceAll(VocabularyJson().dump(), {{"<", "\\u003c"}}), "</script>"));
  return *block;
}

Response WriteAsset(const std::string& name, int status) {
  const Asset* asset = FindAsset(name);
  if (asset == nullptr) {
    spdlog::error("asset {} is not embedded", name);
    return {500, "text/plain", "internal error", {}, nullptr};
  }
  std::string body(asset->data);
  if (absl::EndsWith(name, ".html")) {
    body = absl::StrReplaceAll(body, {{kEmptyVocabularyBlock, VocabularyBlock()}});
  }
  return {status, ContentTypeOf(name), std::move(body), {}, nullptr};
}

Response NotFoundPage() { return WriteAsset("not_found.html", 404); }

}  // namespace

WebServer::WebServer(const DashboardApi* api, const DashboardActions* actions, EventHub* hub,
                     AccessPolicy access, ActionGuard guard)
    : server_(ServerOptions()),
      api_(api),
      actions_(actions),
      hub_(hub),
      access_(std::move(access)),
      guard_(std::move(guard)) {}

WebServer::~WebServer() { Stop(); }

absl::Status WebServer::Start(const std::string& host, int port) {
  server_.Route("GET", "/healthz", Dispatch::kInline, [](const Request&) {
    return Response{200, "text/plain", "ok", {}, nullptr};
  });
  AddActionRoutes();
  AddApiRoutes();
  AddPageRoutes();
  return server_.Start(host, port);
}

void WebServer::Guarded(const std::string& path, Dispatch dispatch, http::Handler handler,
                        const std::string& method) {
  server_.Route(method, path, dispatch, [this, handler](const Request& request) {
    if (std::optional<Response> refused = access_.Check(request)) return *std::move(refused);
    return handler(request);
  });
}

void WebServer::Action(const std::string& path, ActHandler act) {
  Guarded(
      path, Dispatch::kWorker,
      [this, act](const Request& request) {
        const std::string person = access_.PersonOf(request);
        if (std::optional<Response> refused = guard_.Check(request, person)) {
          return *std::move(refused);
        }
        return Write(act(*actions_, person, request));
      },
      "POST");
}

void WebServer::AddActionRoutes() {
  Action("/api/incidents", [](const DashboardActions& a, const std::string& p, const Request& r) {
    return a.Declare(p, r.body);
  });
  Action("/api/incidents/([^/]+)/update",
         [](const DashboardActions& a, const std::string& p, const Request& r) {
           return a.Update(p, r.matches[1], r.body);
         });
  Action("/api/incidents/([^/]+)/take-command",
         [](const DashboardActions& a, const std::string& p, const Request& r) {
           return a.TakeCommand(p, r.matches[1], r.body);
         });
  Action("/api/incidents/([^/]+)/notes",
         [](const DashboardActions& a, const std::string& p, const Request& r) {
           return a.AddNote(p, r.matches[1], r.body);
         });
  Action("/api/incidents/([^/]+)/close",
         [](const DashboardActions& a, const std::string& p, const Request& r) {
           return a.Close(p, r.matches[1], r.body);
         });
  Action("/api/incidents/([^/]+)/followups",
         [](const DashboardActions& a, const std::string& p, const Request& r) {
           return a.AddFollowUp(p, r.matches[1], r.body);
         });
  Action("/api/followups/([^/]+)/update",
         [](const DashboardActions& a, const std::string& p, const Request& r) {
           return a.UpdateFollowUp(p, r.matches[1], r.body);
         });
  Guarded(
      "/.*", Dispatch::kInline,
      [](const Request& request) {
        return Write(JsonReply(404, {{"error", "no action at " + request.path}}));
      },
      "POST");
}

nlohmann::json WebServer::SessionJson(const Request& request) const {
  const std::string person = access_.PersonOf(request);
  if (person.empty()) {
    return {{"person", nullptr},
            {"can_act", false},
            {"why", ActionGuard::kNobodySignedIn},
            {"csrf_token", nullptr}};
  }
  return {{"person", person},
          {"can_act", true},
          {"why", nullptr},
          {"csrf_token", guard_.CsrfToken(person)}};
}

void WebServer::AddApiRoutes() {
  Guarded("/api/session", Dispatch::kInline,
          [this](const Request& request) { return Write(JsonReply(200, SessionJson(request))); });
  auto api = [this](const std::string& path, auto call) {
    Guarded(path, Dispatch::kWorker,
            [this, call](const Request& request) { return Write(call(*api_, request)); });
  };
  api("/api/incidents",
      [](const DashboardApi& a, const Request& r) { return a.ListIncidents(r.query); });
  api("/api/incidents/([^/]+)",
      [](const DashboardApi& a, const Request& r) { return a.GetIncident(r.matches[1], r.query); });
  api("/api/domains",
      [](const DashboardApi& a, const Request& r) { return a.ListDomains(r.query); });
  api("/api/insights", [](const DashboardApi& a, const Request& r) { return a.Insights(r.query); });
  api("/api/followups",
      [](const DashboardApi& a, const Request& r) { return a.ListFollowUps(r.query); });
  Guarded("/api/status", Dispatch::kInline, [this](const Request&) {
    return Write(JsonReply(200, {{"core_connected", hub_->core_connected()}}));
  });
  Guarded("/api/events", Dispatch::kInline, [this](const Request&) {
    // "retry": how soon the browser reconnects when this process goes away.
    return Response{200,
                    "text/event-stream",
                    "retry: 1000\n\n",
                    {},
                    std::make_shared<EventStream>(hub_->Subscribe())};
  });
  Guarded("/api/.*", Dispatch::kInline, [](const Request& request) {
    return Write(JsonReply(404, {{"error", "no endpoint " + request.path}}));
  });
}

void WebServer::AddPageRoutes() {
  Guarded("/", Dispatch::kInline, [](const Request&) { return WriteAsset("index.html", 200); });
  Guarded("/insights", Dispatch::kInline,
          [](const Request&) { return WriteAsset("insights.html", 200); });
  Guarded("/followups", Dispatch::kInline,
          [](const Request&) { return WriteAsset("followups.html", 200); });
  Guarded("/incidents/([^/]+)", Dispatch::kWorker, [this](const Request& request) {
    absl::StatusOr<int64_t> id = ParseIncidentId(request.matches[1]);
    if (!id.ok()) return NotFoundPage();
    // While firefighterd is unreachable the page is served anyway: it says
    // so itself and loads the incident once the server is back.
    absl::Status exists = api_->IncidentExists(*id);
    if (exists.code() == absl::StatusCode::kNotFound) return NotFoundPage();
    return WriteAsset("incident.html", 200);
  });
  Guarded("/assets/([a-z_]+\\.[a-z]+)", Dispatch::kInline, [](const Request& request) {
    if (FindAsset(request.matches[1]) == nullptr) return NotFoundPage();
    return WriteAsset(request.matches[1], 200);
  });
  Guarded("/.*", Dispatch::kInline, [](const Request&) { return NotFoundPage(); });
}

void WebServer::Stop() { server_.Stop(); }

}  // namespace ff::web
