// HttpClient: the one door to outside HTTP APIs (Slack, PagerDuty, Datadog,
// Statuspage, Confluence, Zoom, Google Calendar).
//
// Send returns the response for every HTTP status, 4xx and 5xx included;
// only transport failures are errors: DEADLINE_EXCEEDED when the timeout
// passes, UNAVAILABLE when the connection fails or is refused.
// Implementations are thread-safe.
#ifndef FF_CLIENTS_HTTP_HTTP_CLIENT_H_
#define FF_CLIENTS_HTTP_HTTP_CLIENT_H_

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace ff {

struct HttpRequest {
  std::string method = "GET";  // GET, POST, PUT, PATCH, DELETE
  std::string url;             // absolute: scheme://host[:port]/path?query
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  absl::Duration timeout = absl::Seconds(10);  // whole request
};

struct HttpResponse {
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased
  std::string body;

  // Header returns the first header named `name` (case-insensitive).
  std::optional<std::string> Header(absl::string_view name) const;
};

class HttpClient {
 public:
  virtual ~HttpClient() = default;
  virtual absl::StatusOr<HttpResponse> Send(const HttpRequest& request) = 0;
};

// HttpStatusError turns a non-2xx response into the status a delivery should
// report, naming `what` was attempted:
//   429 → RESOURCE_EXHAUSTED, 503 → UNAVAILABLE, both carrying Retry-After
//   (seconds or HTTP date) as a payload readable with RetryAfterOf;
//   other 5xx and 408 → UNAVAILABLE (retry); 401 → UNAUTHENTICATED;
//   403 → PERMISSION_DENIED; 404 → NOT_FOUND; 409 → ALREADY_EXISTS;
//   other 4xx → INVALID_ARGUMENT (a bug or bad config: retrying will not help).
// Returns OK for 2xx.
absl::Status HttpStatusError(const HttpResponse& response, absl::string_view what);

// WithRetryAfter attaches "retry no sooner than `delay`" to `status`.
absl::Status WithRetryAfter(absl::Status status, absl::Duration delay);
// RetryAfterOf reads the delay WithRetryAfter attached, if any.
std::optional<absl::Duration> RetryAfterOf(const absl::Status& status);

// IsRetryable is true for the codes a dispatcher retries with backoff:
// UNAVAILABLE, DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED, ABORTED, INTERNAL,
// UNKNOWN. Anything else (bad request, bad credentials) fails permanently.
bool IsRetryable(const absl::Status& status);

// MayHaveTakenEffect is true when a call that failed with `status` may still
// have been carried out by the other side: the answer was lost or never came
// (DEADLINE_EXCEEDED, UNAVAILABLE, INTERNAL, UNKNOWN, ABORTED — a 5xx, a
// timeout, a dropped connection). An answer that refused the call (4xx,
// Slack's ok:false, a rate limit) or a local refusal to send is definite.
bool MayHaveTakenEffect(const absl::Status& status);

}  // namespace ff

#endif  // FF_CLIENTS_HTTP_HTTP_CLIENT_H_
