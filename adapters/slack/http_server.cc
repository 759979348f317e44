#include "adapters/slack/http_server.h"

#include <utility>

#include "httplib.h"
#include "spdlog/spdlog.h"

namespace ff::slack {
namespace {

using Handler = std::function<HttpReply(const std::string& body)>;

// ReadBody reads the request body through `reader` into *body; false when it
// is longer than kMaxRequestBytes (or the connection fails).
bool ReadBody(const httplib::ContentReader& reader, std::string* body) {
  return reader([body](const char* data, size_t length) {
    if (body->size() + length > SlackHttpServer::kMaxRequestBytes) return false;
    body->append(data, length);
    return true;
  });
}

// TooLarge is the answer to a body over the limit: 413, saying the limit.
void TooLarge(const httplib::Request& request, httplib::Response& response) {
  spdlog::warn("refused {}: body over {} bytes (Content-Length: {})", request.path,
               SlackHttpServer::kMaxRequestBytes, request.get_header_value("Content-Length"));
  response.status = 413;
  response.set_content(nlohmann::json{{"error", "request too large"},
                                      {"limit_bytes", SlackHttpServer::kMaxRequestBytes}}
                           .dump(),
                       "application/json");
}

void Write(const HttpReply& reply, httplib::Response& response) {
  response.status = reply.status;
  if (!reply.body.empty()) response.set_content(reply.body, reply.content_type);
}

}  // namespace

SlackHttpServer::SlackHttpServer(SlackApp* app, const SignatureVerifier* verifier)
    : server_(std::make_unique<httplib::Server>()), app_(app), verifier_(verifier) {}

SlackHttpServer::~SlackHttpServer() { Stop(); }

absl::Status SlackHttpServer::Start(const std::string& host, int port) {
  // A content-reader handler reads the body itself, so cpp-httplib's own
  // 8 KiB cap on form bodies never applies; kMaxRequestBytes does.
  auto verified = [this](Handler handler) -> httplib::Server::HandlerWithContentReader {
    return [this, handler = std::move(handler)](const httplib::Request& request,
                                                httplib::Response& response,
                                                const httplib::ContentReader& reader) {
      std::string body;
      if (!ReadBody(reader, &body)) return TooLarge(request, response);
      absl::Status ok = verifier_->Verify(request.get_header_value("X-Slack-Request-Timestamp"),
                                          request.get_header_value("X-Slack-Signature"), body);
      if (!ok.ok()) {
        spdlog::warn("rejected {}: {}", request.path, std::string(ok.message()));
        response.status = 401;
        response.set_content(R"({"error":"invalid request"})", "application/json");
        return;
      }
      Write(handler(body), response);
    };
  };
  auto form = [](std::function<HttpReply(const Form&)> next) {
    return [next = std::move(next)](const std::string& body) {
      absl::StatusOr<Form> parsed = ParseForm(body);
      if (!parsed.ok()) return HttpReply{400, "text/plain", std::string(parsed.status().message())};
      return next(*parsed);
    };
  };
  server_->Post("/slack/commands",
                verified(form([this](const Form& f) { return app_->HandleCommand(f); })));
  server_->Post("/slack/interactivity",
                verified(form([this](const Form& f) { return app_->HandleInteraction(f); })));
  server_->Post("/slack/events", verified([this](const std::string& body) {
                  absl::StatusOr<nlohmann::json> envelope = ParseEventEnvelope(body);
                  if (!envelope.ok()) {
                    return HttpReply{400, "text/plain", std::string(envelope.status().message())};
                  }
                  return app_->HandleEvent(*envelope);
                }));
  server_->set_payload_max_length(kMaxRequestBytes);
  server_->Get("/healthz", [](const httplib::Request&, httplib::Response& response) {
    response.set_content("ok", "text/plain");
  });
  port_ =
      port == 0 ? server_->bind_to_any_port(host) : (server_->bind_to_port(host, port) ? port : -1);
  if (port_ <= 0)
    return absl::UnavailableError("cannot listen on " + host + ":" + std::to_string(port));
  thread_ = std::thread([this] { server_->listen_after_bind(); });
  while (!server_->is_running()) std::this_thread::yield();
  return absl::OkStatus();
}

void SlackHttpServer::Wait() {
  if (thread_.joinable()) thread_.join();
}

void SlackHttpServer::Stop() {
  server_->stop();
  Wait();
}

}  // namespace ff::slack
