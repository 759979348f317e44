// JsonCall: one JSON-over-HTTP call to an outside API, with the one table
// from HTTP outcome to status that every client shares:
//   transport: timeout → DEADLINE_EXCEEDED, refused/reset → UNAVAILABLE;
//   429 → RESOURCE_EXHAUSTED and 5xx/408 → UNAVAILABLE, both carrying
//     Retry-After (RetryAfterOf) when sent — retried;
//   401 → UNAUTHENTICATED, 403 → PERMISSION_DENIED (credentials: dead at
//     once); 404 → NOT_FOUND, 409 → ALREADY_EXISTS, 400/422/other 4xx →
//     INVALID_ARGUMENT (a bad request: dead at once);
//   2xx whose body is not JSON (a proxy's HTML page, a cut answer) →
//     UNAVAILABLE, like the 5xx it usually is.
// Messages start with `what` ("datadog POST /api/v1/events") and never carry
// a credential. Thread-safe over a thread-safe HttpClient.
#ifndef FF_CLIENTS_HTTP_JSON_CALL_H_
#define FF_CLIENTS_HTTP_JSON_CALL_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "clients/http/http_client.h"
#include "nlohmann/json.hpp"

namespace ff {

// JsonResponse is a 2xx answer: its status, headers and parsed body (null
// for an empty body, e.g. 204).
struct JsonResponse {
  HttpResponse http;
  nlohmann::json body;
};

// SendJson sends `request` and maps the outcome by the table above.
absl::StatusOr<JsonResponse> SendJson(HttpClient& http, const HttpRequest& request,
                                      absl::string_view what);

// JsonRequest is a `method` request to `url` that accepts JSON
// (Accept: application/json) and carries `headers` (the API's credentials)
// and, when `body` is not null, `body` as its JSON body.
HttpRequest JsonRequest(std::string method, std::string url,
                        std::vector<std::pair<std::string, std::string>> headers,
                        const nlohmann::json* body, absl::Duration timeout);

// SendForObject is SendJson for the calls whose documented answer is a JSON
// object: it returns that object, and any other 2xx answer is
// MalformedAnswer(what, "answer is not a JSON object").
absl::StatusOr<nlohmann::json> SendForObject(HttpClient& http, const HttpRequest& request,
                                             absl::string_view what);

// MalformedAnswer is the status of a 2xx answer that is not what the API
// documents (not JSON, a field missing): UNAVAILABLE naming `what`.
absl::Status MalformedAnswer(absl::string_view what, absl::string_view problem);

}  // namespace ff

#endif  // FF_CLIENTS_HTTP_JSON_CALL_H_
