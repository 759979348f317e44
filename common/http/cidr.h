// Cidr: a block of IP addresses ("10.0.0.0/8", "fd00::/8", or one address,
// "192.0.2.7"), for lists of trusted peers. Immutable; thread-safe.
#ifndef FF_COMMON_HTTP_CIDR_H_
#define FF_COMMON_HTTP_CIDR_H_

#include <array>
#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace ff::http {

class Cidr {
 public:
  // Parse reads ADDRESS[/PREFIX]; without a prefix the block is the one
  // address. INVALID_ARGUMENT naming the text for anything else.
  static absl::StatusOr<Cidr> Parse(absl::string_view text);

  // Contains: whether `address` (as text, IPv4 or IPv6; an IPv4-mapped
  // IPv6 address counts as its IPv4 one) is in the block. False for text
  // that is not an address.
  bool Contains(absl::string_view address) const;

 private:
  Cidr(std::array<uint8_t, 16> bytes, int prefix) : bytes_(bytes), prefix_(prefix) {}
  std::array<uint8_t, 16> bytes_;  // IPv4 as IPv4-mapped IPv6
  int prefix_;                     // bits of bytes_ that must match
};

}  // namespace ff::http

#endif  // FF_COMMON_HTTP_CIDR_H_
