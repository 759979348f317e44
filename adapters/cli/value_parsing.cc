#include "adapters/cli/value_parsing.h"

#include <array>
#include <cmath>
#include <utility>

#include "absl/algorithm/container.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "common/quote.h"

namespace ff::cli {
namespace {

// Index i is the enum value i + 1; UNSPECIFIED has no name.
constexpr std::array<const char*, 3> kDeliveryStateNames = {"pending", "delivered", "dead"};

// Returns the 1-based position of `text` in `names` (case-insensitive), or 0.
template <size_t N>
int FindName(const std::array<const char*, N>& names, const std::string& text) {
  for (size_t i = 0; i < N; ++i) {
    if (absl::EqualsIgnoreCase(names[i], text)) return static_cast<int>(i) + 1;
  }
  return 0;
}

template <size_t N>
std::string NameOf(const std::array<const char*, N>& names, int value, const char* unknown) {
  if (value < 1 || value > static_cast<int>(N)) return unknown;
  return names[static_cast<size_t>(value) - 1];
}

absl::Status BadValue(const char* what, const std::string& text, const char* accepted) {
  return absl::InvalidArgumentError(
      absl::StrCat("invalid ", what, " '", text, "' (expected ", accepted, ")"));
}

// Returns `digits` as a number when it is only digits and positive, else 0.
int64_t PositiveNumber(absl::string_view digits) {
  int64_t n = 0;
  bool all_digits = !digits.empty() && digits.find_first_not_of("0123456789") == digits.npos;
  if (!all_digits || !absl::SimpleAtoi(digits, &n) || n <= 0) return 0;
  return n;
}

}  // namespace

absl::StatusOr<pb::DeliveryState> ParseDeliveryState(const std::string& text) {
  int value = FindName(kDeliveryStateNames, text);
  if (value == 0) return BadValue("delivery state", text, "pending, delivered or dead");
  return static_cast<pb::DeliveryState>(value);
}

absl::StatusOr<int64_t> ParseIncidentId(const std::string& text) {
  absl::string_view digits(text);
  absl::ConsumePrefix(&digits, "#");
  int64_t id = PositiveNumber(digits);
  if (id == 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("invalid incident id '", text, "' (expected a number such as 42 or #42)"));
  }
  return id;
}

absl::StatusOr<int64_t> ParseDeliveryId(const std::string& text) {
  int64_t id = PositiveNumber(text);
  if (id == 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("invalid delivery id '", text, "' (expected a number such as 7)"));
  }
  return id;
}

absl::StatusOr<int64_t> ParseFollowUpId(const std::string& text) {
  absl::string_view digits(text);
  if (digits.size() > 3 && absl::EqualsIgnoreCase(digits.substr(0, 3), "FU-")) {
    digits.remove_prefix(3);
  }
  int64_t id = PositiveNumber(digits);
  if (id == 0) {
    return absl::InvalidArgumentError(absl::StrCat("invalid follow-up id ", QuoteValue(text),
                                                   " (expected a number such as 7 or FU-7)"));
  }
  return id;
}

absl::StatusOr<std::string> ParseDueDate(const std::string& text, const char* flag) {
  absl::CivilDay day;
  // Parsed, then written back: only the canonical spelling is accepted, so
  // "2026-1-31" or "2026-01-31x" is refused here rather than by the server.
  if (!absl::ParseCivilTime(text, &day) || absl::FormatCivilTime(day) != text) {
    return absl::InvalidArgumentError(absl::StrCat(flag, ": invalid date ", QuoteValue(text),
                                                   " (expected YYYY-MM-DD, e.g. 2026-01-31)"));
  }
  return text;
}

std::string FollowUpRef(int64_t id) { return absl::StrCat("FU-", id); }

absl::StatusOr<absl::Duration> ParseTimeout(const std::string& text) {
  absl::Duration timeout;
  double seconds = 0;
  if (absl::SimpleAtod(text, &seconds)) {
    if (std::isfinite(seconds)) timeout = absl::Seconds(seconds);
  } else if (!absl::ParseDuration(text, &timeout)) {
    timeout = absl::ZeroDuration();
  }
  if (timeout <= absl::ZeroDuration() || timeout == absl::InfiniteDuration()) {
    return absl::InvalidArgumentError(
        absl::StrCat("invalid timeout '", text, "' (expected a duration such as 2s or 500ms)"));
  }
  return timeout;
}

namespace {

// IsHost is true for a host name, an IPv4 address or a bracketed IPv6
// address: not empty, no spaces, no colon outside brackets.
bool IsHost(absl::string_view host) {
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
    return !host.empty() && absl::c_all_of(host, [](char c) {
      return absl::ascii_isxdigit(c) || c == ':' || c == '.' || c == '%';
    });
  }
  return !host.empty() && absl::c_all_of(host, [](char c) {
    return absl::ascii_isalnum(c) || c == '.' || c == '-' || c == '_';
  });
}

bool IsPort(absl::string_view text) {
  int port = 0;
  return !text.empty() && text.size() <= 5 && absl::c_all_of(text, absl::ascii_isdigit) &&
         absl::SimpleAtoi(text, &port) && port >= 1 && port <= 65535;
}

}  // namespace

absl::StatusOr<std::string> ParseServerAddress(const std::string& text) {
  if (absl::StartsWith(text, "unix:") && text.size() > 5) return text;
  size_t colon = text.rfind(':');
  if (colon != std::string::npos && IsHost(absl::string_view(text).substr(0, colon)) &&
      IsPort(absl::string_view(text).substr(colon + 1))) {
    return text;
  }
  return absl::InvalidArgumentError(
      absl::StrCat("--addr: invalid address '", absl::string_view(text).substr(0, 80),
                   "' (expected HOST:PORT with a port from 1 to 65535, or unix:PATH)"));
}

absl::StatusOr<absl::Time> ParseTimeArg(const std::string& text, absl::Time now,
                                        absl::TimeZone zone) {
  absl::Time t;
  std::string error;
  if (absl::ParseTime(absl::RFC3339_full, text, &t, &error) ||
      absl::ParseTime("%Y-%m-%d %H:%M", text, zone, &t, &error) ||
      absl::ParseTime("%Y-%m-%d", text, zone, &t, &error)) {
    return t;
  }
  // An age: absl's duration units, plus whole days ("7d").
  absl::string_view age = text;
  int64_t days = 0;
  absl::Duration d;
  if (absl::ConsumeSuffix(&age, "d") && absl::SimpleAtoi(age, &days) && days >= 0) {
    return now - absl::Hours(24 * days);
  }
  if (absl::ParseDuration(text, &d) && d >= absl::ZeroDuration() && d != absl::InfiniteDuration()) {
    return now - d;
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "invalid time '", text,
      "' (expected 2026-01-31, '2026-01-31 10:00', RFC 3339, or an age such as 7d or 12h)"));
}

std::string DeliveryStateLabel(int state) { return NameOf(kDeliveryStateNames, state, "?"); }

}  // namespace ff::cli
