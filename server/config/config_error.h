// How the config parsers (config.cc, reminders_config.cc) word an error:
// INVALID_ARGUMENT "config: <key path> <problem>". A key path is made of the
// keys as written when they are short plain words, else of their quoted,
// escaped prefixes (common/quote.h), so a message stays short and printable
// whatever the file holds. Header-only; pure, thread-safe.
#ifndef FF_SERVER_CONFIG_CONFIG_ERROR_H_
#define FF_SERVER_CONFIG_CONFIG_ERROR_H_

#include <algorithm>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "common/quote.h"

namespace ff {

// ConfigError returns INVALID_ARGUMENT "config: <key> <problem>".
inline absl::Status ConfigError(absl::string_view key, absl::string_view problem) {
  return absl::InvalidArgumentError(absl::StrCat("config: ", key, " ", problem));
}

// ConfigKey returns `where.key` (just `key` when `where` is empty), `key`
// quoted unless it is 1 to kMaxQuotedBytes letters, digits, '_' or '-'.
inline std::string ConfigKey(absl::string_view where, absl::string_view key) {
  bool plain = !key.empty() && key.size() <= kMaxQuotedBytes &&
               std::all_of(key.begin(), key.end(), [](char c) {
                 return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
               });
  return absl::StrCat(where, where.empty() ? "" : ".", plain ? std::string(key) : QuoteValue(key));
}

}  // namespace ff

#endif  // FF_SERVER_CONFIG_CONFIG_ERROR_H_
