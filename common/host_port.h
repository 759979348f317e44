// SplitHostPort and IsLoopbackHost: reading a --listen flag. Header-only;
// no state.
#ifndef FF_COMMON_HOST_PORT_H_
#define FF_COMMON_HOST_PORT_H_

#include <string>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/string_view.h"

namespace ff {

// SplitHostPort splits "HOST:PORT" at its last colon. False when there is no
// colon or PORT is not a number in [0, 65535] (0: any free port).
inline bool SplitHostPort(const std::string& address, std::string* host, int* port) {
  size_t colon = address.rfind(':');
  if (colon == std::string::npos) return false;
  *host = address.substr(0, colon);
  return absl::SimpleAtoi(address.substr(colon + 1), port) && *port >= 0 && *port < 65536;
}

// IsLoopbackHost: whether HOST (a name or address, IPv6 with or without
// brackets) can only be reached from this machine: localhost, 127.0.0.0/8
// or ::1.
inline bool IsLoopbackHost(absl::string_view host) {
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  return host == "localhost" || host == "::1" || absl::StartsWith(host, "127.");
}

}  // namespace ff

#endif  // FF_COMMON_HOST_PORT_H_
