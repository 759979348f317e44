#include "clients/http/http_client.h"

#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/cord.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace ff {
namespace {

constexpr char kRetryAfterPayload[] = "type.firefighter/retry-after-ms";

// ParseRetryAfter reads delay-seconds or an IMF-fixdate HTTP date.
std::optional<absl::Duration> ParseRetryAfter(const std::string& value) {
  int64_t seconds = 0;
  if (absl::SimpleAtoi(value, &seconds) && seconds >= 0) return absl::Seconds(seconds);
  absl::Time when;
  std::string error;
  if (absl::ParseTime("%a, %d %b %Y %H:%M:%S GMT", value, &when, &error)) {
    absl::Duration delay = when - absl::Now();
    return delay < absl::ZeroDuration() ? absl::ZeroDuration() : delay;
  }
  return std::nullopt;
}

absl::StatusCode CodeFor(int http_status) {
  switch (http_status) {
    case 429:
      return absl::StatusCode::kResourceExhausted;
    case 401:
      return absl::StatusCode::kUnauthenticated;
    case 403:
      return absl::StatusCode::kPermissionDenied;
    case 404:
      return absl::StatusCode::kNotFound;
    case 408:
      return absl::StatusCode::kUnavailable;
    case 409:
      return absl::StatusCode::kAlreadyExists;
    default:
      return http_status >= 500 ? absl::StatusCode::kUnavailable
                                : absl::StatusCode::kInvalidArgument;
  }
}

}  // namespace

std::optional<std::string> HttpResponse::Header(absl::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (absl::EqualsIgnoreCase(key, name)) return value;
  }
  return std::nullopt;
}

absl::Status HttpStatusError(const HttpResponse& response, absl::string_view what) {
  if (response.status >= 200 && response.status < 300) return absl::OkStatus();
  std::string body = response.body.substr(0, 300);
  absl::Status status(CodeFor(response.status),
                      absl::StrCat(what, ": HTTP ", response.status, " ", body));
  if (response.status == 429 || response.status == 503) {
    if (auto header = response.Header("retry-after")) {
      if (auto delay = ParseRetryAfter(*header)) return WithRetryAfter(status, *delay);
    }
  }
  return status;
}

absl::Status WithRetryAfter(absl::Status status, absl::Duration delay) {
  status.SetPayload(kRetryAfterPayload, absl::Cord(absl::StrCat(absl::ToInt64Milliseconds(delay))));
  return status;
}

std::optional<absl::Duration> RetryAfterOf(const absl::Status& status) {
  auto payload = status.GetPayload(kRetryAfterPayload);
  int64_t millis = 0;
  if (!payload || !absl::SimpleAtoi(std::string(*payload), &millis)) return std::nullopt;
  return absl::Milliseconds(millis);
}

bool IsRetryable(const absl::Status& status) {
  switch (status.code()) {
    case absl::StatusCode::kUnavailable:
    case absl::StatusCode::kDeadlineExceeded:
    case absl::StatusCode::kResourceExhausted:
    case absl::StatusCode::kAborted:
    case absl::StatusCode::kInternal:
    case absl::StatusCode::kUnknown:
      return true;
    default:
      return false;
  }
}

bool MayHaveTakenEffect(const absl::Status& status) {
  // Every retryable failure but a rate limit, which is an answer.
  return IsRetryable(status) && status.code() != absl::StatusCode::kResourceExhausted;
}

}  // namespace ff
