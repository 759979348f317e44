#include "adapters/web/action_guard.h"

#include <openssl/rand.h>

#include <cstdlib>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/hmac.h"
#include "common/quote.h"
#include "nlohmann/json.hpp"
#include "spdlog/spdlog.h"

namespace ff::web {
namespace {

http::Response Refusal(int status, absl::string_view reason, const std::string& error) {
  return {status,
          "application/json",
          nlohmann::json{{"error", error}, {"reason", reason}}.dump(),
          {},
          nullptr};
}

// OwnOrigin: the origin pages of this dashboard have, as seen through the
// proxy (its X-Forwarded-Proto) or directly.
std::string OwnOrigin(const http::Request& request) {
  std::string scheme = absl::AsciiStrToLower(request.Header("X-Forwarded-Proto"));
  if (scheme.empty()) scheme = "http";
  return absl::StrCat(scheme, "://", absl::AsciiStrToLower(request.Header("Host")));
}

}  // namespace

ActionGuard ActionGuard::WithRandomSecret() {
  std::string secret(32, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(secret.data()),
                 static_cast<int>(secret.size())) != 1) {
    // Impossible on a working system; acting on a guessable secret would be
    // worse than not starting.
    spdlog::critical("no random bytes for the anti-CSRF secret");
    std::abort();
  }
  return ActionGuard(std::move(secret));
}

std::string ActionGuard::CsrfToken(const std::string& person) const {
  return HmacSha256Hex(secret_, person);
}

std::optional<http::Response> ActionGuard::Check(const http::Request& request,
                                                 const std::string& person) const {
  if (person.empty()) return Refusal(401, "not_signed_in", kNobodySignedIn);
  const std::string origin = request.Header("Origin");
  if (origin.empty()) {
    return Refusal(403, "origin", "a change needs the Origin header a browser page sends");
  }
  if (absl::AsciiStrToLower(origin) != OwnOrigin(request)) {
    return Refusal(403, "origin",
                   absl::StrCat("Origin ", QuoteValue(origin), " is not this dashboard's"));
  }
  const std::string sent = request.Header(kCsrfHeader);
  const std::string expected = CsrfToken(person);
  if (!SameSecret(sent, expected)) {
    return Refusal(403, "csrf",
                   sent.empty() ? "a change needs the X-CSRF-Token from GET /api/session"
                                : "X-CSRF-Token is not this session's: reload the page");
  }
  return std::nullopt;
}

}  // namespace ff::web
