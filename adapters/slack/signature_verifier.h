// SignatureVerifier: checks that an inbound HTTP request really comes from
// Slack (EXTERNAL_APIS.md §1a): "v0=" + hex HMAC-SHA256(signing secret,
// "v0:" + timestamp + ":" + raw body), with the timestamp at most 300 s away
// from the clock in either direction.
//
// Thread-safe: Verify is const and may run on many threads at once.
#ifndef FF_ADAPTERS_SLACK_SIGNATURE_VERIFIER_H_
#define FF_ADAPTERS_SLACK_SIGNATURE_VERIFIER_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/clock.h"

namespace ff::slack {

class SignatureVerifier {
 public:
  // The largest accepted distance between the request timestamp and now.
  static constexpr absl::Duration kMaxSkew = absl::Seconds(300);

  // REQUIRES: `clock` outlives the verifier.
  SignatureVerifier(std::string signing_secret, const Clock* clock);

  // Verify returns OK when `signature` (X-Slack-Signature) matches `body`
  // signed at `timestamp` (X-Slack-Request-Timestamp) and the timestamp is
  // within kMaxSkew of now. UNAUTHENTICATED otherwise: a header missing or
  // malformed, an unknown version prefix, a stale or future timestamp, a
  // mismatch. The comparison takes the same time wherever the digests differ.
  absl::Status Verify(absl::string_view timestamp, absl::string_view signature,
                      absl::string_view body) const;

  // Sign returns the X-Slack-Signature value for `body` at `timestamp`
  // (used by tests and tools that play Slack).
  static std::string Sign(absl::string_view secret, absl::string_view timestamp,
                          absl::string_view body);

 private:
  std::string secret_;
  const Clock* clock_;
};

}  // namespace ff::slack

#endif  // FF_ADAPTERS_SLACK_SIGNATURE_VERIFIER_H_
