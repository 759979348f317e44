// ActionGuard: who may change things through the dashboard. Every POST
// passes AccessPolicy first (host, trusted proxy), then this, in order:
//   1. A person: the email the authenticating proxy signed in
//      (AccessPolicy::PersonOf). None, because the dashboard runs without
//      --auth-proxy-header, is 401: without a person there are no actions.
//   2. Origin: a browser sends the page's origin with every POST; it must be
//      this dashboard's own, "<scheme>://<Host>" where the scheme is the
//      proxy's X-Forwarded-Proto, else "http". A foreign or missing Origin
//      is 403: the request came from another site, or not from a browser
//      page at all.
//   3. X-CSRF-Token: must be CsrfToken(person), an HMAC-SHA256 of the email
//      under a secret made at start, which the pages read from
//      GET /api/session. Missing or wrong is 403. The token is bound to the
//      person, so one viewer's token is useless for another, and every
//      token ends with the process (the pages fetch a new one).
// Refusals are JSON {"error", "reason"}, "reason" one of "not_signed_in",
// "origin", "csrf".
//
// Immutable after construction; thread-safe.
#ifndef FF_ADAPTERS_WEB_ACTION_GUARD_H_
#define FF_ADAPTERS_WEB_ACTION_GUARD_H_

#include <optional>
#include <string>

#include "common/http/http_server.h"

namespace ff::web {

class ActionGuard {
 public:
  // The header the pages send the token in.
  static constexpr char kCsrfHeader[] = "X-CSRF-Token";
  // Why nobody can act on a dashboard that does not sign people in.
  static constexpr char kNobodySignedIn[] =
      "nobody is signed in: changes need the dashboard behind an authenticating proxy "
      "(--auth-proxy-header); reading still works";

  // WithRandomSecret: a guard whose secret is 32 random bytes.
  static ActionGuard WithRandomSecret();
  explicit ActionGuard(std::string secret) : secret_(std::move(secret)) {}

  // CsrfToken: the token `person` must send, 64 lower-case hex digits.
  std::string CsrfToken(const std::string& person) const;

  // Check returns the refusal of `request` by `person` ("" when nobody is
  // signed in), or nullopt when it may go on.
  std::optional<http::Response> Check(const http::Request& request,
                                      const std::string& person) const;

 private:
  std::string secret_;
};

}  // namespace ff::web

#endif  // FF_ADAPTERS_WEB_ACTION_GUARD_H_
