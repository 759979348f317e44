// Encoding helpers every outside-API client needs, written once: URL and form
// encoding (RFC 3986 unreserved characters pass, everything else is %XX) and
// cutting text to an API's byte limit without splitting a UTF-8 character.
// Pure functions; thread-safe.
#ifndef FF_CLIENTS_HTTP_ENCODING_H_
#define FF_CLIENTS_HTTP_ENCODING_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"

namespace ff {

using QueryParams = std::vector<std::pair<std::string, std::string>>;

// UrlEncode percent-encodes every byte but A-Z a-z 0-9 - _ . ~.
std::string UrlEncode(absl::string_view text);
// FormEncode joins `params` as key=value&… with both sides UrlEncoded: a
// query string or an application/x-www-form-urlencoded body.
std::string FormEncode(const QueryParams& params);
// WithQuery appends `params` to `url` after "?" (nothing when empty).
std::string WithQuery(std::string url, const QueryParams& params);
// TruncateUtf8 cuts `text` to at most `max_bytes` bytes, backing off to a
// UTF-8 character boundary; text within the limit is returned as is.
std::string TruncateUtf8(std::string text, size_t max_bytes);

}  // namespace ff

#endif  // FF_CLIENTS_HTTP_ENCODING_H_
