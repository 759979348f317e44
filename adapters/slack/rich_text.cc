#include "adapters/slack/rich_text.h"

#include <cstdint>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/time.h"
#include "common/status_macros.h"

namespace ff::slack {
namespace {

using json = nlohmann::json;

// Slack renders list indents 0 to 8; an offset is a list's first number
// less one, and no description holds a million items.
constexpr int64_t kMaxIndent = 8;
constexpr int64_t kMaxOffset = 999999;
// The most of a refused value a message quotes.
constexpr size_t kQuoted = 32;

absl::Status Bad(const std::string& at, absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat(at, ": ", what));
}

// Quoted is a short, printable prefix of `value`, in quotes.
std::string Quoted(const std::string& value) {
  std::string shown;
  for (char c : value) {
    if (shown.size() == kQuoted || !(absl::ascii_isalnum(c) || c == '_' || c == '-')) break;
    shown.push_back(c);
  }
  return absl::StrCat("\"", shown, shown.size() < value.size() ? "…" : "", "\"");
}

std::string Child(const std::string& at, size_t index) {
  return absl::StrCat(at, ".elements[", index, "]");
}

// StringField is parent[key] when it is a string.
absl::StatusOr<std::string> StringField(const json& parent, const char* key,
                                        const std::string& at) {
  auto it = parent.find(key);
  if (it == parent.end() || !it->is_string()) {
    return Bad(at, absl::StrCat(key, " must be a string"));
  }
  return it->get<std::string>();
}

// OptionalString is parent[key], "" when absent or null.
absl::StatusOr<std::string> OptionalString(const json& parent, const char* key,
                                           const std::string& at) {
  auto it = parent.find(key);
  if (it == parent.end() || it->is_null()) return std::string();
  return StringField(parent, key, at);
}

// OptionalInteger is parent[key], 0 when absent or null.
absl::StatusOr<int64_t> OptionalInteger(const json& parent, const char* key, int64_t max,
                                        const std::string& at) {
  auto it = parent.find(key);
  if (it == parent.end() || it->is_null()) return 0;
  if (!it->is_number_integer() || it->get<int64_t>() < 0 || it->get<int64_t>() > max) {
    return Bad(at, absl::StrCat(key, " must be an integer from 0 to ", max));
  }
  return it->get<int64_t>();
}

// Elements is the `elements` array of the object `parent`.
absl::StatusOr<const json*> Elements(const json& parent, const std::string& at) {
  if (!parent.is_object()) return Bad(at, "must be an object");
  auto it = parent.find("elements");
  if (it == parent.end() || !it->is_array()) return Bad(at, "elements must be an array");
  return &*it;
}

absl::StatusOr<std::string> TypeOf(const json& element, const std::string& at) {
  if (!element.is_object()) return Bad(at, "must be an object");
  return StringField(element, "type", at);
}

std::string Named(const RichTextNames::NameOf& name_of, const std::string& id) {
  return name_of ? name_of(id) : id;
}

absl::StatusOr<std::string> LinkText(const json& link, const std::string& at) {
  FF_ASSIGN_OR_RETURN(std::string url, StringField(link, "url", at));
  FF_ASSIGN_OR_RETURN(std::string text, OptionalString(link, "text", at));
  if (text.empty() || text == url) return url;
  return absl::StrCat(text, " (", url, ")");
}

absl::StatusOr<std::string> DateText(const json& date, const std::string& at) {
  auto timestamp = date.find("timestamp");
  if (timestamp == date.end() || !timestamp->is_number_integer()) {
    return Bad(at, "timestamp must be an integer");
  }
  FF_ASSIGN_OR_RETURN(std::string fallback, OptionalString(date, "fallback", at));
  if (!fallback.empty()) return fallback;
  return absl::FormatTime("%Y-%m-%d %H:%M UTC", absl::FromUnixSeconds(timestamp->get<int64_t>()),
                          absl::UTCTimeZone());
}

// Prefixed is "<prefix><element[key]>".
absl::StatusOr<std::string> Prefixed(absl::string_view prefix, const json& element, const char* key,
                                     const std::string& at) {
  FF_ASSIGN_OR_RETURN(std::string value, StringField(element, key, at));
  return absl::StrCat(prefix, value);
}

// InlineText is the plain text of one inline element.
absl::StatusOr<std::string> InlineText(const json& element, const RichTextNames& names,
                                       const std::string& at) {
  FF_ASSIGN_OR_RETURN(std::string type, TypeOf(element, at));
  if (type == "text") return StringField(element, "text", at);
  if (type == "link") return LinkText(element, at);
  if (type == "user") {
    FF_ASSIGN_OR_RETURN(std::string id, StringField(element, "user_id", at));
    return absl::StrCat("@", Named(names.person, id));
  }
  if (type == "channel") {
    FF_ASSIGN_OR_RETURN(std::string id, StringField(element, "channel_id", at));
    return absl::StrCat("#", Named(names.channel, id));
  }
  if (type == "usergroup") return Prefixed("@", element, "usergroup_id", at);
  if (type == "emoji") {
    FF_ASSIGN_OR_RETURN(std::string name, StringField(element, "name", at));
    return absl::StrCat(":", name, ":");
  }
  if (type == "broadcast") return Prefixed("@", element, "range", at);
  if (type == "date") return DateText(element, at);
  if (type == "team") return Prefixed("", element, "team_id", at);
  if (type == "color") return Prefixed("", element, "value", at);
  return Bad(at, absl::StrCat("a ", Quoted(type), " element has no text form"));
}

// RunText is the text of the inline elements of `block`, one after another.
absl::StatusOr<std::string> RunText(const json& block, const RichTextNames& names,
                                    const std::string& at) {
  FF_ASSIGN_OR_RETURN(const json* elements, Elements(block, at));
  std::string text;
  for (size_t i = 0; i < elements->size(); ++i) {
    FF_ASSIGN_OR_RETURN(std::string piece, InlineText((*elements)[i], names, Child(at, i)));
    text += piece;
  }
  return text;
}

// QuoteLines starts each line of `text` with "> " (not the empty one after
// a final newline).
std::string QuoteLines(const std::string& text) {
  std::vector<std::string> lines = absl::StrSplit(text, '\n');
  for (size_t i = 0; i < lines.size(); ++i) {
    if (i + 1 < lines.size() || !lines[i].empty()) lines[i] = absl::StrCat("> ", lines[i]);
  }
  return absl::StrJoin(lines, "\n");
}

// ListLines is a rich_text_list, one line per item.
absl::StatusOr<std::string> ListLines(const json& list, const RichTextNames& names,
                                      const std::string& at) {
  FF_ASSIGN_OR_RETURN(std::string style, StringField(list, "style", at));
  if (style != "bullet" && style != "ordered") return Bad(at, "style must be bullet or ordered");
  FF_ASSIGN_OR_RETURN(int64_t indent, OptionalInteger(list, "indent", kMaxIndent, at));
  FF_ASSIGN_OR_RETURN(int64_t offset, OptionalInteger(list, "offset", kMaxOffset, at));
  FF_ASSIGN_OR_RETURN(const json* items, Elements(list, at));
  std::vector<std::string> lines;
  for (size_t i = 0; i < items->size(); ++i) {
    const std::string item_at = Child(at, i);
    FF_ASSIGN_OR_RETURN(std::string type, TypeOf((*items)[i], item_at));
    if (type != "rich_text_section") return Bad(item_at, "type must be rich_text_section");
    FF_ASSIGN_OR_RETURN(std::string text, RunText((*items)[i], names, item_at));
    const std::string marker =
        style == "ordered" ? absl::StrCat(offset + 1 + static_cast<int64_t>(i), ".") : "•";
    lines.push_back(absl::StrCat(std::string(2 * indent, ' '), marker, " ", text));
  }
  return absl::StrJoin(lines, "\n");
}

// BlockText is the plain text of one top-level element of a rich_text.
absl::StatusOr<std::string> BlockText(const json& block, const RichTextNames& names,
                                      const std::string& at) {
  FF_ASSIGN_OR_RETURN(std::string type, TypeOf(block, at));
  if (type == "rich_text_list") return ListLines(block, names, at);
  const bool known =
      type == "rich_text_section" || type == "rich_text_preformatted" || type == "rich_text_quote";
  if (!known) return Bad(at, absl::StrCat("a ", Quoted(type), " element has no text form"));
  FF_ASSIGN_OR_RETURN(std::string text, RunText(block, names, at));
  if (type == "rich_text_section") return text;
  if (type == "rich_text_quote") return QuoteLines(text);
  const bool ends_line = !text.empty() && text.back() == '\n';
  return absl::StrCat("```\n", text, ends_line ? "" : "\n", "```");
}

}  // namespace

absl::StatusOr<std::string> FlattenRichText(const json& rich_text, const RichTextNames& names,
                                            absl::string_view field) {
  const std::string at(field);
  FF_ASSIGN_OR_RETURN(std::string type, TypeOf(rich_text, at));
  if (type != "rich_text") return Bad(at, "type must be rich_text");
  FF_ASSIGN_OR_RETURN(const json* blocks, Elements(rich_text, at));
  // Each block starts on a new line: right away after one whose text ends
  // with a newline, so an empty section is an empty line.
  std::string out;
  bool line_ended = true;
  for (size_t i = 0; i < blocks->size(); ++i) {
    FF_ASSIGN_OR_RETURN(std::string text, BlockText((*blocks)[i], names, Child(at, i)));
    if (!line_ended) out.push_back('\n');
    line_ended = !text.empty() && text.back() == '\n';
    out += text;
  }
  return out;
}

json RichTextOf(const std::string& text) {
  json blocks = json::array();
  if (!text.empty()) {
    json run = json::array();
    run.push_back({{"type", "text"}, {"text", text}});
    blocks.push_back({{"type", "rich_text_section"}, {"elements", std::move(run)}});
  }
  return {{"type", "rich_text"}, {"elements", std::move(blocks)}};
}

}  // namespace ff::slack
