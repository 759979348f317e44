// SplitHostPort: the HOST and PORT of a --listen flag. Header-only; no state.
#ifndef FF_COMMON_HOST_PORT_H_
#define FF_COMMON_HOST_PORT_H_

#include <string>

#include "absl/strings/numbers.h"

namespace ff {

// SplitHostPort splits "HOST:PORT" at its last colon. False when there is no
// colon or PORT is not a number in [0, 65535] (0: any free port).
inline bool SplitHostPort(const std::string& address, std::string* host, int* port) {
  size_t colon = address.rfind(':');
  if (colon == std::string::npos) return false;
  *host = address.substr(0, colon);
  return absl::SimpleAtoi(address.substr(colon + 1), port) && *port >= 0 && *port < 65536;
}

}  // namespace ff

#endif  // FF_COMMON_HOST_PORT_H_
