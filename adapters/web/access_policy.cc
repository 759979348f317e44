#include "adapters/web/access_policy.h"

#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/host_port.h"
#include "nlohmann/json.hpp"

namespace ff::web {
namespace {

http::Response Refusal(int status, const std::string& error) {
  return {status, "application/json", nlohmann::json{{"error", error}}.dump(), {}, nullptr};
}

// HostName: the name part of a Host header ("example.com:8080" →
// "example.com", "[::1]:80" → "::1"), lower case.
std::string HostName(absl::string_view host) {
  if (absl::StartsWith(host, "[")) {
    size_t end = host.find(']');
    return end == absl::string_view::npos ? "" : absl::AsciiStrToLower(host.substr(1, end - 1));
  }
  return absl::AsciiStrToLower(host.substr(0, host.find(':')));
}

}  // namespace

absl::StatusOr<AccessPolicy> AccessPolicy::Create(const AccessOptions& options,
                                                  const std::string& listen_host) {
  const bool proxied = !options.auth_proxy_header.empty();
  if (proxied && options.trusted_proxies.empty()) {
    return absl::InvalidArgumentError(
        "--auth-proxy-header needs --trusted-proxy: the addresses allowed to set it");
  }
  if (!proxied && !options.trusted_proxies.empty()) {
    return absl::InvalidArgumentError("--trusted-proxy needs --auth-proxy-header");
  }
  if (proxied && options.allow_anonymous_viewers) {
    return absl::InvalidArgumentError(
        "--allow-anonymous-viewers contradicts --auth-proxy-header; choose one");
  }
  if (!proxied && !options.allow_anonymous_viewers && !IsLoopbackHost(listen_host)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--listen ", listen_host,
        " is reachable from other machines: put the dashboard behind an authenticating proxy "
        "(--auth-proxy-header with --trusted-proxy) or say --allow-anonymous-viewers"));
  }
  AccessPolicy policy;
  policy.proxy_header_ = options.auth_proxy_header;
  for (const std::string& text : options.trusted_proxies) {
    absl::StatusOr<http::Cidr> cidr = http::Cidr::Parse(text);
    if (!cidr.ok())
      return absl::InvalidArgumentError("--trusted-proxy: " + std::string(cidr.status().message()));
    policy.trusted_proxies_.push_back(*cidr);
  }
  for (const std::string& host : options.allowed_hosts) {
    policy.allowed_hosts_.push_back(absl::AsciiStrToLower(host));
  }
  return policy;
}

bool AccessPolicy::HostAllowed(const std::string& host_header) const {
  std::string name = HostName(host_header);
  if (name == "localhost" || IsLoopbackHost(name)) return true;
  for (const std::string& allowed : allowed_hosts_) {
    if (name == allowed) return true;
  }
  return false;
}

std::optional<http::Response> AccessPolicy::Check(const http::Request& request) const {
  if (!HostAllowed(request.Header("Host"))) {
    return Refusal(421, "this dashboard is not served under that host name (see --allowed-host)");
  }
  if (proxy_header_.empty()) return std::nullopt;
  bool trusted = false;
  for (const http::Cidr& cidr : trusted_proxies_) trusted = trusted || cidr.Contains(request.peer);
  // An action from an untrusted peer is unauthenticated: whoever it names,
  // nobody vouched for them (401). Reading from there is forbidden (403).
  if (!trusted) {
    return Refusal(request.method == "POST" ? 401 : 403,
                   "requests must come through the authenticating proxy");
  }
  if (request.Header(proxy_header_).empty()) {
    return Refusal(401, absl::StrCat("not signed in: the proxy sent no ", proxy_header_));
  }
  return std::nullopt;
}

std::string AccessPolicy::PersonOf(const http::Request& request) const {
  if (proxy_header_.empty()) return "";
  return std::string(absl::StripAsciiWhitespace(request.Header(proxy_header_)));
}

std::string AccessPolicy::Describe() const {
  std::string hosts = allowed_hosts_.empty()
                          ? "loopback names only"
                          : "loopback names and " + absl::StrJoin(allowed_hosts_, ", ");
  if (proxy_header_.empty()) return absl::StrCat("anyone who reaches it may read; hosts: ", hosts);
  return absl::StrCat("viewers signed in by the proxy (", proxy_header_, "); hosts: ", hosts);
}

}  // namespace ff::web
