#include "adapters/slack/slack_markup.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/strip.h"

namespace ff::slack {
namespace {

constexpr absl::string_view kEllipsis = "…";

// LengthOfCharAt returns the byte length of the UTF-8 sequence at `i` (1 for
// a stray continuation byte, so that the loop always moves on).
size_t LengthOfCharAt(absl::string_view text, size_t i) {
  unsigned char lead = static_cast<unsigned char>(text[i]);
  size_t length = lead < 0xC0 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
  return std::min(length, text.size() - i);
}

// Unentity undoes the three entities Slack writes for &, < and >.
std::string Unentity(absl::string_view text) {
  return absl::StrReplaceAll(text, {{"&lt;", "<"}, {"&gt;", ">"}, {"&amp;", "&"}});
}

// PlainOf returns the plain text of one piece of markup, `inner` being what
// is between '<' and '>'.
std::string PlainOf(absl::string_view inner, const PersonName& person_name) {
  absl::string_view target = inner.substr(0, inner.find('|'));
  absl::string_view label =
      target.size() < inner.size() ? inner.substr(target.size() + 1) : absl::string_view();
  if (absl::ConsumePrefix(&target, "@")) return absl::StrCat("@", person_name(std::string(target)));
  if (absl::ConsumePrefix(&target, "#")) return absl::StrCat("#", label.empty() ? target : label);
  if (absl::ConsumePrefix(&target, "!")) {
    if (absl::StartsWith(target, "subteam^")) return std::string(label.empty() ? target : label);
    return absl::StrCat("@", target.substr(0, target.find('^')));
  }
  std::string url = Unentity(absl::StripPrefix(target, "mailto:"));
  if (label.empty() || Unentity(label) == url) return url;
  return absl::StrCat(Unentity(label), " (", url, ")");
}

}  // namespace

std::optional<std::string> ParseUserMention(absl::string_view word) {
  if (!absl::ConsumePrefix(&word, "<@") || !absl::ConsumeSuffix(&word, ">")) return std::nullopt;
  absl::string_view id = word.substr(0, word.find('|'));
  if (id.empty()) return std::nullopt;
  for (char c : id) {
    if (!absl::ascii_isupper(c) && !absl::ascii_isdigit(c)) return std::nullopt;
  }
  return std::string(id);
}

std::string PlainText(absl::string_view text, const PersonName& person_name) {
  std::string out;
  while (!text.empty()) {
    size_t open = text.find('<');
    size_t close = open == absl::string_view::npos ? open : text.find('>', open);
    if (close == absl::string_view::npos) break;
    absl::StrAppend(&out, Unentity(text.substr(0, open)),
                    PlainOf(text.substr(open + 1, close - open - 1), person_name));
    text.remove_prefix(close + 1);
  }
  absl::StrAppend(&out, Unentity(text));
  return out;
}

std::string EscapedPrefix(absl::string_view text, size_t max_bytes) {
  std::string escaped = SlackEscape(std::string(text));
  if (escaped.size() <= max_bytes) return escaped;
  std::string out;
  for (size_t i = 0; i < text.size();) {
    size_t length = LengthOfCharAt(text, i);
    std::string piece = SlackEscape(std::string(text.substr(i, length)));
    if (out.size() + piece.size() + kEllipsis.size() > max_bytes) break;
    out += piece;
    i += length;
  }
  return absl::StrCat(out, kEllipsis);
}

std::string CharacterPrefix(absl::string_view text, size_t max_chars) {
  size_t end = 0;
  for (size_t chars = 0; end < text.size() && chars < max_chars; ++chars) {
    end += LengthOfCharAt(text, end);
  }
  return std::string(text.substr(0, end));
}

}  // namespace ff::slack
