#include "adapters/slack/signature_verifier.h"

#include <cstdint>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/hmac.h"

namespace ff::slack {
namespace {

constexpr absl::string_view kVersionPrefix = "v0=";

}  // namespace

SignatureVerifier::SignatureVerifier(std::string signing_secret, const Clock* clock)
    : secret_(std::move(signing_secret)), clock_(clock) {}

std::string SignatureVerifier::Sign(absl::string_view secret, absl::string_view timestamp,
                                    absl::string_view body) {
  return absl::StrCat(kVersionPrefix,
                      HmacSha256Hex(secret, absl::StrCat("v0:", timestamp, ":", body)));
}

absl::Status SignatureVerifier::Verify(absl::string_view timestamp, absl::string_view signature,
                                       absl::string_view body) const {
  if (timestamp.empty()) return absl::UnauthenticatedError("missing X-Slack-Request-Timestamp");
  if (signature.empty()) return absl::UnauthenticatedError("missing X-Slack-Signature");
  int64_t seconds = 0;
  if (!absl::SimpleAtoi(timestamp, &seconds) || !absl::ascii_isdigit(timestamp[0])) {
    return absl::UnauthenticatedError("malformed X-Slack-Request-Timestamp");
  }
  absl::Duration skew = absl::AbsDuration(clock_->Now() - absl::FromUnixSeconds(seconds));
  if (skew > kMaxSkew) return absl::UnauthenticatedError("stale or future request timestamp");
  if (!absl::StartsWith(signature, kVersionPrefix)) {
    return absl::UnauthenticatedError("unknown signature version");
  }
  std::string expected = Sign(secret_, timestamp, body);
  if (!SameSecret(signature, expected)) {
    return absl::UnauthenticatedError("signature mismatch");
  }
  return absl::OkStatus();
}

}  // namespace ff::slack
