#include "adapters/web/web_server.h"

#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "adapters/web/assets.h"
#include "adapters/web/incident_json.h"
#include "httplib.h"
#include "spdlog/spdlog.h"

namespace ff::web {
namespace {

// Each open dashboard holds one thread for its event stream, so the pool
// is larger than cpp-httplib's default of eight.
constexpr size_t kThreads = 64;
// An idle event stream sends a comment this often, so proxies keep it open
// and a closed browser is noticed.
constexpr absl::Duration kKeepAlive = absl::Seconds(10);

QueryParams ParamsOf(const httplib::Request& request) {
  return QueryParams(request.params.begin(), request.params.end());
}

void Write(const HttpReply& reply, httplib::Response& response) {
  response.status = reply.status;
  response.set_content(reply.body, reply.content_type);
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

void WriteAsset(const std::string& name, int status, httplib::Response& response) {
  const Asset* asset = FindAsset(name);
  if (asset == nullptr) {
    spdlog::error("asset {} is not embedded", name);
    response.status = 500;
    return;
  }
  std::string body(asset->data);
  if (absl::EndsWith(name, ".html")) {
    body = absl::StrReplaceAll(body, {{kEmptyVocabularyBlock, VocabularyBlock()}});
  }
  response.status = status;
  response.set_content(body, ContentTypeOf(name));
}

void NotFoundPage(httplib::Response& response) { WriteAsset("not_found.html", 404, response); }

}  // namespace

WebServer::WebServer(const DashboardApi* api, EventHub* hub)
    : server_(std::make_unique<httplib::Server>()), api_(api), hub_(hub) {}

WebServer::~WebServer() { Stop(); }

absl::Status WebServer::Start(const std::string& host, int port) {
  server_->new_task_queue = [] { return new httplib::ThreadPool(kThreads); };
  // Pages only load what this process serves (the "no CDN" promise, kept by
  // the browser too); answers are never cached, so an upgrade shows at once.
  server_->set_default_headers(
      {{"Content-Security-Policy",
        "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'"},
       {"X-Content-Type-Options", "nosniff"},
       {"Referrer-Policy", "no-referrer"},
       {"Cache-Control", "no-cache"}});
  server_->Get("/healthz", [](const httplib::Request&, httplib::Response& response) {
    response.set_content("ok", "text/plain");
  });
  AddApiRoutes();
  AddPageRoutes();
  port_ =
      port == 0 ? server_->bind_to_any_port(host) : (server_->bind_to_port(host, port) ? port : -1);
  if (port_ <= 0) return absl::UnavailableError(absl::StrCat("cannot listen on ", host, ":", port));
  thread_ = std::thread([this] { server_->listen_after_bind(); });
  while (!server_->is_running()) std::this_thread::yield();
  return absl::OkStatus();
}

void WebServer::AddApiRoutes() {
  server_->Get("/api/incidents", [this](const httplib::Request& request, httplib::Response& r) {
    Write(api_->ListIncidents(ParamsOf(request)), r);
  });
  server_->Get(R"(/api/incidents/([^/]+))",
               [this](const httplib::Request& request, httplib::Response& r) {
                 Write(api_->GetIncident(request.matches[1], ParamsOf(request)), r);
               });
  server_->Get("/api/domains", [this](const httplib::Request& request, httplib::Response& r) {
    Write(api_->ListDomains(ParamsOf(request)), r);
  });
  server_->Get("/api/insights", [this](const httplib::Request& request, httplib::Response& r) {
    Write(api_->Insights(ParamsOf(request)), r);
  });
  server_->Get("/api/status", [this](const httplib::Request&, httplib::Response& r) {
    Write(JsonReply(200, {{"core_connected", hub_->core_connected()}}), r);
  });
  server_->Get("/api/events", [this](const httplib::Request&, httplib::Response& r) {
    std::shared_ptr<Subscriber> subscriber = hub_->Subscribe();
    // "retry": how soon the browser reconnects when this process goes away.
    auto first = std::make_shared<bool>(true);
    r.set_chunked_content_provider(
        "text/event-stream", [subscriber, first](size_t, httplib::DataSink& sink) {
          std::string out = *first ? "retry: 1000\n\n" : "";
          *first = false;
          bool open = true;
          for (std::string& message : subscriber->Next(kKeepAlive, &open)) out += message;
          if (out.empty()) out = ": keep-alive\n\n";
          if (!sink.write(out.data(), out.size())) return false;
          if (!open) sink.done();
          return true;
        });
  });
  server_->Get(R"(/api/.*)", [](const httplib::Request& request, httplib::Response& r) {
    Write(JsonReply(404, {{"error", "no endpoint " + request.path}}), r);
  });
}

void WebServer::AddPageRoutes() {
  server_->Get(
      "/", [](const httplib::Request&, httplib::Response& r) { WriteAsset("index.html", 200, r); });
  server_->Get("/insights", [](const httplib::Request&, httplib::Response& r) {
    WriteAsset("insights.html", 200, r);
  });
  server_->Get(R"(/incidents/([^/]+))",
               [this](const httplib::Request& request, httplib::Response& r) {
                 absl::StatusOr<int64_t> id = ParseIncidentId(request.matches[1].str());
                 if (!id.ok()) return NotFoundPage(r);
                 // While firefighterd is unreachable the page is served anyway: it says
                 // so itself and loads the incident once the server is back.
                 absl::Status exists = api_->IncidentExists(*id);
                 if (exists.code() == absl::StatusCode::kNotFound) return NotFoundPage(r);
                 WriteAsset("incident.html", 200, r);
               });
  server_->Get(R"(/assets/([a-z_]+\.[a-z]+))",
               [](const httplib::Request& request, httplib::Response& r) {
                 if (FindAsset(request.matches[1].str()) == nullptr) return NotFoundPage(r);
                 WriteAsset(request.matches[1].str(), 200, r);
               });
  server_->Get(R"(/.*)", [](const httplib::Request&, httplib::Response& r) { NotFoundPage(r); });
}

void WebServer::Wait() {
  if (thread_.joinable()) thread_.join();
}

void WebServer::Stop() {
  server_->stop();
  Wait();
}

}  // namespace ff::web
