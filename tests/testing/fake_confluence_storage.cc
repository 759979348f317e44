// StorageFormatError: the well-formedness check FakeConfluence applies to
// page bodies, as Confluence's XHTML parser refuses a body it cannot read.
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "tests/testing/fake_confluence.h"

namespace ff::testing {
namespace {

bool IsNameStart(char c) {
  return absl::ascii_isalpha(static_cast<unsigned char>(c)) || c == '_' || c == ':';
}

bool IsNameChar(char c) {
  return IsNameStart(c) || absl::ascii_isdigit(static_cast<unsigned char>(c)) || c == '-' ||
         c == '.';
}

// Name reads an XML name at `pos`; "" when there is none.
std::string Name(absl::string_view text, size_t& pos) {
  size_t start = pos;
  if (pos >= text.size() || !IsNameStart(text[pos])) return "";
  while (pos < text.size() && IsNameChar(text[pos])) ++pos;
  return std::string(text.substr(start, pos - start));
}

void SkipSpace(absl::string_view text, size_t& pos) {
  while (pos < text.size() && absl::ascii_isspace(static_cast<unsigned char>(text[pos]))) ++pos;
}

// EntityError checks the reference starting with '&' at `pos` and moves
// past it: a named entity, &#digits; or &#xhex;.
std::string EntityError(absl::string_view text, size_t& pos) {
  size_t end = text.find(';', pos);
  if (end == absl::string_view::npos || end - pos > 32) return "'&' outside an entity reference";
  absl::string_view ref = text.substr(pos + 1, end - pos - 1);
  bool ok = !ref.empty();
  if (ok && ref[0] == '#') {
    absl::string_view digits = ref.substr(ref.size() > 1 && ref[1] == 'x' ? 2 : 1);
    ok = !digits.empty();
    for (char c : digits) ok = ok && absl::ascii_isxdigit(static_cast<unsigned char>(c));
  } else {
    for (char c : ref) ok = ok && absl::ascii_isalnum(static_cast<unsigned char>(c));
  }
  pos = end + 1;
  return ok ? "" : absl::StrCat("bad entity reference &", ref, ";");
}

// TagError reads the start or empty-element tag at `pos` (just past '<'),
// pushing the name of a start tag onto `open`.
std::string TagError(absl::string_view text, size_t& pos, std::vector<std::string>& open) {
  std::string name = Name(text, pos);
  if (name.empty()) return "'<' not followed by an element name";
  while (true) {
    SkipSpace(text, pos);
    if (pos >= text.size()) return absl::StrCat("unterminated tag <", name);
    if (text[pos] == '>' || absl::StartsWith(text.substr(pos), "/>")) break;
    if (Name(text, pos).empty()) return absl::StrCat("bad attribute in <", name, ">");
    SkipSpace(text, pos);
    if (pos + 1 >= text.size() || text[pos] != '=' ||
        (text[pos + 1] != '"' && text[pos + 1] != '\'')) {
      return absl::StrCat("attribute without a quoted value in <", name, ">");
    }
    size_t close = text.find(text[pos + 1], pos + 2);
    if (close == absl::string_view::npos) return absl::StrCat("unterminated attribute in <", name);
    absl::string_view value = text.substr(pos + 2, close - pos - 2);
    if (absl::StrContains(value, '<')) return absl::StrCat("'<' in an attribute of <", name, ">");
    pos = close + 1;
  }
  if (text[pos] == '>') open.push_back(name);
  pos += text[pos] == '>' ? 1 : 2;
  return "";
}

// SkipPast moves past `terminator` of a comment or CDATA section.
std::string SkipPast(absl::string_view text, size_t& pos, absl::string_view terminator) {
  size_t end = text.find(terminator, pos);
  if (end == absl::string_view::npos) return absl::StrCat("unterminated section, no ", terminator);
  pos = end + terminator.size();
  return "";
}

// MarkupError reads the markup at `pos` ('<').
std::string MarkupError(absl::string_view text, size_t& pos, std::vector<std::string>& open) {
  absl::string_view rest = text.substr(pos);
  if (absl::StartsWith(rest, "<!--")) return SkipPast(text, pos, "-->");
  if (absl::StartsWith(rest, "<![CDATA[")) return SkipPast(text, pos, "]]>");
  if (!absl::StartsWith(rest, "</")) return TagError(text, ++pos, open);
  pos += 2;
  std::string name = Name(text, pos);
  SkipSpace(text, pos);
  if (pos >= text.size() || text[pos] != '>') return "malformed end tag";
  ++pos;
  if (open.empty()) return absl::StrCat("unexpected close tag </", name, ">");
  if (open.back() != name) {
    return absl::StrCat("unexpected close tag </", name, ">; expected </", open.back(), ">");
  }
  open.pop_back();
  return "";
}

}  // namespace

std::string StorageFormatError(absl::string_view body) {
  std::vector<std::string> open;
  size_t pos = 0;
  while (pos < body.size()) {
    std::string error;
    if (body[pos] == '<') {
      error = MarkupError(body, pos, open);
    } else if (body[pos] == '&') {
      error = EntityError(body, pos);
    } else {
      ++pos;
    }
    if (!error.empty()) return absl::StrCat("Error parsing xhtml: ", error);
  }
  if (!open.empty()) return absl::StrCat("Error parsing xhtml: unclosed <", open.back(), ">");
  return "";
}

}  // namespace ff::testing
