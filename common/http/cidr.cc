#include "common/http/cidr.h"

#include <optional>
#include <string>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "boost/asio/ip/address.hpp"

namespace ff::http {
namespace {

// Mapped: `text` as a 16-byte IPv6 address (IPv4 mapped into ::ffff:0:0/96),
// and whether it was IPv4; nullopt when it is not an address.
std::optional<std::array<uint8_t, 16>> Mapped(absl::string_view text, bool* v4) {
  boost::system::error_code ec;
  boost::asio::ip::address address = boost::asio::ip::make_address(std::string(text), ec);
  if (ec) return std::nullopt;
  *v4 = address.is_v4();
  if (address.is_v4()) {
    return boost::asio::ip::make_address_v6(boost::asio::ip::v4_mapped, address.to_v4()).to_bytes();
  }
  return address.to_v6().to_bytes();
}

}  // namespace

absl::StatusOr<Cidr> Cidr::Parse(absl::string_view text) {
  auto invalid = [&] {
    return absl::InvalidArgumentError(
        absl::StrCat("not an address or ADDRESS/PREFIX: \"", text.substr(0, 50), "\""));
  };
  size_t slash = text.find('/');
  bool v4 = false;
  std::optional<std::array<uint8_t, 16>> bytes = Mapped(text.substr(0, slash), &v4);
  if (!bytes) return invalid();
  int prefix = v4 ? 32 : 128;
  if (slash != absl::string_view::npos && (!absl::SimpleAtoi(text.substr(slash + 1), &prefix) ||
                                           prefix < 0 || prefix > (v4 ? 32 : 128))) {
    return invalid();
  }
  return Cidr(*bytes, v4 ? prefix + 96 : prefix);
}

bool Cidr::Contains(absl::string_view address) const {
  bool v4 = false;
  std::optional<std::array<uint8_t, 16>> bytes = Mapped(address, &v4);
  if (!bytes) return false;
  for (int bit = 0; bit < prefix_; ++bit) {
    uint8_t mask = static_cast<uint8_t>(0x80 >> (bit % 8));
    if (((*bytes)[bit / 8] & mask) != (bytes_[bit / 8] & mask)) return false;
  }
  return true;
}

}  // namespace ff::http
