#include "common/http/url_encoded.h"

#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace ff::http {
namespace {

// How much of a malformed value an error message quotes.
constexpr size_t kQuotedPrefix = 40;

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  return absl::ascii_tolower(static_cast<unsigned char>(c)) - 'a' + 10;
}

}  // namespace

absl::StatusOr<std::string> PercentDecode(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '+') {
      out += ' ';
    } else if (text[i] != '%') {
      out += text[i];
    } else if (i + 2 < text.size() && absl::ascii_isxdigit(text[i + 1]) &&
               absl::ascii_isxdigit(text[i + 2])) {
      out += static_cast<char>(HexValue(text[i + 1]) * 16 + HexValue(text[i + 2]));
      i += 2;
    } else {
      return absl::InvalidArgumentError(absl::StrCat("bad percent-encoding in \"",
                                                     text.substr(0, kQuotedPrefix),
                                                     text.size() > kQuotedPrefix ? "…" : "", "\""));
    }
  }
  return out;
}

absl::StatusOr<UrlEncoded> ParseUrlEncoded(absl::string_view text) {
  UrlEncoded pairs;
  for (absl::string_view pair : absl::StrSplit(text, '&', absl::SkipEmpty())) {
    std::pair<absl::string_view, absl::string_view> kv =
        absl::StrSplit(pair, absl::MaxSplits('=', 1));
    absl::StatusOr<std::string> name = PercentDecode(kv.first);
    if (!name.ok()) return name.status();
    absl::StatusOr<std::string> value = PercentDecode(kv.second);
    if (!value.ok()) return value.status();
    pairs.emplace(*std::move(name), *std::move(value));
  }
  return pairs;
}

}  // namespace ff::http
