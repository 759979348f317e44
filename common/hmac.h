// HMAC-SHA256 and a constant-time comparison, for what the adapters sign and
// check: Slack's request signatures and the dashboard's anti-CSRF tokens.
// OpenSSL's libcrypto underneath. Pure functions; thread-safe.
#ifndef FF_COMMON_HMAC_H_
#define FF_COMMON_HMAC_H_

#include <string>

#include "absl/strings/string_view.h"

namespace ff {

// HmacSha256Hex is HMAC-SHA256(key, message) in lowercase hex (64 chars).
std::string HmacSha256Hex(absl::string_view key, absl::string_view message);

// SameSecret compares `given` with `expected` in time that does not depend
// on where they differ (only on their lengths).
bool SameSecret(absl::string_view given, absl::string_view expected);

}  // namespace ff

#endif  // FF_COMMON_HMAC_H_
