#include "adapters/slack/http_server.h"

#include <utility>

#include "spdlog/spdlog.h"

namespace ff::slack {
namespace {

using http::Dispatch;
using http::Request;
using http::Response;

// Handlers call firefighterd and Slack, each bounded by its deadline (Slack
// wants every answer within 3 s): these many run at once.
constexpr int kWorkers = 16;

Response Write(const HttpReply& reply) {
  if (reply.body.empty()) return {reply.status, "", "", {}, nullptr};
  return {reply.status, reply.content_type, reply.body, {}, nullptr};
}

http::HttpServer::Options ServerOptions() {
  http::HttpServer::Options options;
  options.name = "firefighter-slack";
  options.max_body_bytes = SlackHttpServer::kMaxRequestBytes;
  options.worker_threads = kWorkers;
  options.too_large = {413,
                       "application/json",
                       nlohmann::json{{"error", "request too large"},
                                      {"limit_bytes", SlackHttpServer::kMaxRequestBytes}}
                           .dump(),
                       {},
                       nullptr};
  return options;
}

// OfForm turns a handler of the parsed form into one of the body: 400 when
// the body is not a form.
std::function<HttpReply(const std::string&)> OfForm(std::function<HttpReply(const Form&)> next) {
  return [next](const std::string& body) {
    absl::StatusOr<Form> parsed = ParseForm(body);
    if (!parsed.ok()) return HttpReply{400, "text/plain", std::string(parsed.status().message())};
    return next(*parsed);
  };
}

}  // namespace

SlackHttpServer::SlackHttpServer(SlackApp* app, const SignatureVerifier* verifier,
                                 HealthCheck health)
    : server_(ServerOptions()), app_(app), verifier_(verifier), health_(std::move(health)) {}

SlackHttpServer::~SlackHttpServer() { Stop(); }

http::Handler SlackHttpServer::Verified(BodyHandler next) const {
  return [this, next](const Request& request) {
    absl::Status ok = verifier_->Verify(request.Header("X-Slack-Request-Timestamp"),
                                        request.Header("X-Slack-Signature"), request.body);
    if (!ok.ok()) {
      spdlog::warn("rejected {}: {}", request.path, std::string(ok.message()));
      return Response{401, "application/json", R"({"error":"invalid request"})", {}, nullptr};
    }
    return Write(next(request.body));
  };
}

absl::Status SlackHttpServer::Start(const std::string& host, int port) {
  server_.Route("GET", "/healthz", Dispatch::kInline, [this](const Request&) {
    if (health_) return Write(health_());
    return Response{200, "text/plain", "ok", {}, nullptr};
  });
  if (verifier_ == nullptr) return server_.Start(host, port);
  server_.Route("POST", "/slack/commands", Dispatch::kWorker,
                Verified(OfForm([this](const Form& f) { return app_->HandleCommand(f); })));
  server_.Route("POST", "/slack/interactivity", Dispatch::kWorker,
                Verified(OfForm([this](const Form& f) { return app_->HandleInteraction(f); })));
  server_.Route("POST", "/slack/events", Dispatch::kWorker,
                Verified([this](const std::string& body) {
                  absl::StatusOr<nlohmann::json> envelope = ParseEventEnvelope(body);
                  if (!envelope.ok()) {
                    return HttpReply{400, "text/plain", std::string(envelope.status().message())};
                  }
                  return app_->HandleEvent(*envelope);
                }));
  return server_.Start(host, port);
}

void SlackHttpServer::Stop() { server_.Stop(); }

}  // namespace ff::slack
