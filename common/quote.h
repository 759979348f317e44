// QuoteValue: how an error message quotes a value someone gave us (a query
// parameter, a config string, a word of a token file) — at most its first
// kMaxQuotedBytes bytes, C-escaped so control bytes and broken UTF-8 print
// as \xNN, in double quotes, with "…" when cut. Messages stay short and
// printable whatever the input. Header-only; pure, thread-safe.
#ifndef FF_COMMON_QUOTE_H_
#define FF_COMMON_QUOTE_H_

#include <cstddef>
#include <string>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace ff {

inline constexpr size_t kMaxQuotedBytes = 24;

// QuoteValue returns `"<escaped prefix>"`, or `"<escaped prefix>…"` when
// `value` is longer than kMaxQuotedBytes; at most 4 * kMaxQuotedBytes + 5
// bytes.
inline std::string QuoteValue(absl::string_view value) {
  bool cut = value.size() > kMaxQuotedBytes;
  return absl::StrCat("\"", absl::CHexEscape(value.substr(0, kMaxQuotedBytes)), cut ? "…" : "",
                      "\"");
}

}  // namespace ff

#endif  // FF_COMMON_QUOTE_H_
