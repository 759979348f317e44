#include "clients/http/json_call.h"

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

}  // namespace ff
