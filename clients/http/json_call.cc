#include "clients/http/json_call.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"

namespace ff {

absl::Status MalformedAnswer(absl::string_view what, absl::string_view problem) {
  return absl::UnavailableError(absl::StrCat(what, ": ", problem));
}

absl::StatusOr<JsonResponse> SendJson(HttpClient& http, const HttpRequest& request,
                                      absl::string_view what) {
  FF_ASSIGN_OR_RETURN(HttpResponse response, http.Send(request));
  FF_RETURN_IF_ERROR(HttpStatusError(response, what));
  JsonResponse out;
  if (!response.body.empty()) {
    out.body = nlohmann::json::parse(response.body, nullptr, false);
    if (out.body.is_discarded()) {
      return MalformedAnswer(what, absl::StrCat("answer (HTTP ", response.status, ") is not JSON"));
    }
  }
  out.http = std::move(response);
  return out;
}

HttpRequest JsonRequest(std::string method, std::string url,
                        std::vector<std::pair<std::string, std::string>> headers,
                        const nlohmann::json* body, absl::Duration timeout) {
  HttpRequest request;
  request.method = std::move(method);
  request.url = std::move(url);
  request.headers = std::move(headers);
  request.headers.emplace_back("Accept", "application/json");
  if (body != nullptr) {
    request.headers.emplace_back("Content-Type", "application/json");
    request.body = body->dump();
  }
  request.timeout = timeout;
  return request;
}

absl::StatusOr<nlohmann::json> SendForObject(HttpClient& http, const HttpRequest& request,
                                             absl::string_view what) {
  FF_ASSIGN_OR_RETURN(JsonResponse answer, SendJson(http, request, what));
  if (!answer.body.is_object()) return MalformedAnswer(what, "answer is not a JSON object");
  return std::move(answer.body);
}

}  // namespace ff
