// AccessPolicy: who may read the dashboard, checked on every request but
// GET /healthz (which says only "ok").
//
// Two checks, in this order:
//   1. Host: the request's Host must be a loopback name (localhost,
//      127.0.0.1, [::1], any port) or one of --allowed-host. Anything else
//      is answered 421 Misdirected Request: the request was aimed at a name
//      this process does not serve, which is what a DNS-rebinding page
//      produces (its own name, resolved to this address). 421 rather than
//      403 because nothing is wrong with who asks, only with where it was
//      sent; a proxy that sees 421 may retry on the right connection.
//   2. Viewer: with --auth-proxy-header, a request must come from a
//      --trusted-proxy address (else 403: the header could be forged) and
//      carry the header, set by the proxy to the signed-in viewer (else 401:
//      the proxy let an unauthenticated request through). Without it, any
//      peer may read (loopback only, or --allow-anonymous-viewers).
//
// Refusals are JSON {"error": "..."}; nothing is read from firefighterd.
// Changes need more (a person and anti-CSRF checks): see action_guard.h.
//
// Immutable after Create; thread-safe.
#ifndef FF_ADAPTERS_WEB_ACCESS_POLICY_H_
#define FF_ADAPTERS_WEB_ACCESS_POLICY_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/http/cidr.h"
#include "common/http/http_server.h"

namespace ff::web {

// AccessOptions: the dashboard's access flags.
struct AccessOptions {
  std::string auth_proxy_header;             // --auth-proxy-header; "": none
  std::vector<std::string> trusted_proxies;  // --trusted-proxy CIDRs
  bool allow_anonymous_viewers = false;      // --allow-anonymous-viewers
  std::vector<std::string> allowed_hosts;    // --allowed-host names
};

class AccessPolicy {
 public:
  // Create checks `options` against `listen_host`. INVALID_ARGUMENT, naming
  // the flag, for a bad CIDR, a proxy header without trusted proxies (or the
  // reverse), both a proxy header and anonymous viewers, or a listen host
  // that is not loopback with no access rule (neither --auth-proxy-header
  // nor --allow-anonymous-viewers).
  static absl::StatusOr<AccessPolicy> Create(const AccessOptions& options,
                                             const std::string& listen_host);
  // Open: loopback names only, no viewer check (the default on loopback).
  AccessPolicy() = default;

  // Check returns the refusal of `request`, or nullopt when it may be
  // answered: 421 for a host name not served; with a proxy header, 403 for
  // a read from a peer not in --trusted-proxy and 401 for an action (POST)
  // from one, 401 when the proxy named nobody.
  std::optional<http::Response> Check(const http::Request& request) const;

  // PersonOf returns the email of the person signed in by the proxy: the
  // value of --auth-proxy-header, trimmed. "" without --auth-proxy-header,
  // whatever the request carries. REQUIRES: Check(request) let it through.
  std::string PersonOf(const http::Request& request) const;

  // Describe: one line for the log saying who may read.
  std::string Describe() const;

 private:
  bool HostAllowed(const std::string& host_header) const;

  std::string proxy_header_;
  std::vector<http::Cidr> trusted_proxies_;
  std::vector<std::string> allowed_hosts_;  // lower case
};

}  // namespace ff::web

#endif  // FF_ADAPTERS_WEB_ACCESS_POLICY_H_
