// UrlEncoded: the name=value pairs of a query string or of an
// application/x-www-form-urlencoded body. Pure functions; thread-safe.
#ifndef FF_COMMON_HTTP_URL_ENCODED_H_
#define FF_COMMON_HTTP_URL_ENCODED_H_

#include <map>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace ff::http {

// The pairs in name order; a name may repeat (then in the order sent).
using UrlEncoded = std::multimap<std::string, std::string>;

// PercentDecode decodes %XX escapes, and '+' as a space. INVALID_ARGUMENT
// for a '%' not followed by two hex digits, quoting a short prefix of `text`.
absl::StatusOr<std::string> PercentDecode(absl::string_view text);

// ParseUrlEncoded splits `text` at '&' and each pair at its first '=' (a
// pair without one has an empty value), decoding both sides. Empty pairs
// are skipped. INVALID_ARGUMENT as PercentDecode.
absl::StatusOr<UrlEncoded> ParseUrlEncoded(absl::string_view text);

}  // namespace ff::http

#endif  // FF_COMMON_HTTP_URL_ENCODED_H_
