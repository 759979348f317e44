#include "clients/statuspage/statuspage_client.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "clients/http/json_call.h"
#include "common/status_macros.h"

namespace ff {
namespace {

using json = nlohmann::json;

// CalmIsRateLimit reads Statuspage's old rate-limit answer, 420 ("Enhance
// Your Calm"), as the 429 it means, so that it is retried like one.
class CalmIsRateLimit final : public HttpClient {
 public:
  explicit CalmIsRateLimit(HttpClient* http) : http_(http) {}

  absl::StatusOr<HttpResponse> Send(const HttpRequest& request) override {
    absl::StatusOr<HttpResponse> response = http_->Send(request);
    if (response.ok() && response->status == 420) response->status = 429;
    return response;
  }

 private:
  HttpClient* const http_;
};

}  // namespace

StatuspageClient::StatuspageClient(HttpClient* http, std::string base_url, std::string page_id,
                                   std::string api_key, absl::Duration timeout)
    : http_(http),
      base_url_(std::move(base_url)),
      page_id_(std::move(page_id)),
      api_key_(std::move(api_key)),
      timeout_(timeout) {}

absl::StatusOr<json> StatuspageClient::GetIncident(const std::string& id) {
  return Call("GET", absl::StrCat("/incidents/", id), nullptr, "statuspage incident lookup",
              json::value_t::object);
}

absl::StatusOr<json> StatuspageClient::ListUnresolved() {
  return Call("GET", "/incidents/unresolved", nullptr, "statuspage incident search",
              json::value_t::array);
}

absl::StatusOr<json> StatuspageClient::CreateIncident(const json& body) {
  return Call("POST", "/incidents", &body, "statuspage incident create", json::value_t::object);
}

absl::StatusOr<json> StatuspageClient::UpdateIncident(const std::string& id, const json& body) {
  return Call("PATCH", absl::StrCat("/incidents/", id), &body, "statuspage incident update",
              json::value_t::object);
}

absl::StatusOr<json> StatuspageClient::Call(const std::string& method, const std::string& path,
                                            const json* body, absl::string_view what,
                                            json::value_t answer) {
  HttpRequest request =
      JsonRequest(method, absl::StrCat(base_url_, "/v1/pages/", page_id_, path),
                  {{"Authorization", absl::StrCat("OAuth ", api_key_)}}, body, timeout_);
  CalmIsRateLimit http(http_);
  FF_ASSIGN_OR_RETURN(JsonResponse sent, SendJson(http, request, what));
  if (sent.body.type() != answer) {
    return MalformedAnswer(what, answer == json::value_t::array ? "answer is not a JSON array"
                                                                : "answer is not a JSON object");
  }
  return std::move(sent.body);
}

}  // namespace ff
