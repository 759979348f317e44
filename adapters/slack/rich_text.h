// Slack's rich text (a `rich_text` block: what a rich_text_input submits as
// its rich_text_value and takes as its initial_value) to and from the plain
// text the core stores as an incident's description.
//
// Thread-safe: pure functions; the name look-ups are the caller's callbacks.
#ifndef FF_ADAPTERS_SLACK_RICH_TEXT_H_
#define FF_ADAPTERS_SLACK_RICH_TEXT_H_

#include <functional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "nlohmann/json.hpp"

namespace ff::slack {

// RichTextNames: how plain text names what rich text refers to by Slack id.
struct RichTextNames {
  using NameOf = std::function<std::string(const std::string& id)>;
  // A user id → how FireFighter names that person (SlackApp::Actor: the
  // email), shown after "@".
  NameOf person;
  // A channel id → the channel's name, shown after "#".
  NameOf channel;
};

// FlattenRichText returns the plain text of `rich_text`
// ({"type":"rich_text","elements":[…]}). Each block starts on a new line
// (an empty section is an empty line):
//   * rich_text_section: its text;
//   * rich_text_list: one line per item, "• item" or "N. item" (N counting
//     from the list's offset + 1), two spaces of indent per level;
//   * rich_text_preformatted: its text between two "```" lines, so code and
//     logs read as such wherever the description is shown (Slack's mrkdwn
//     renders them as a code block);
//   * rich_text_quote: its text, each line starting with "> ".
// Inline: text as typed (bold, italic… dropped), a link its URL ("text
// (url)" when labelled otherwise), a user "@" + names.person(id), a channel
// "#" + names.channel(id), a user group "@" + its id (rich text carries no
// handle), an emoji ":name:", a broadcast "@here", "@channel" or
// "@everyone", a date its fallback text (else the UTC time), a team its id,
// a color its value.
//
// INVALID_ARGUMENT, the message starting with `field` and the element's
// place ("description.elements[1].elements[0]: …"), when `rich_text` is not
// rich text Slack sends: not an object of type rich_text, elements that are
// not arrays of objects, an element of a type not listed above (its content
// has no text form), a required field missing or of the wrong JSON type, a
// list style other than bullet or ordered, an indent outside 0 to 8, an
// offset outside 0 to 999999. Never throws.
absl::StatusOr<std::string> FlattenRichText(const nlohmann::json& rich_text,
                                            const RichTextNames& names, absl::string_view field);

// RichTextOf is `text` as a rich_text block: one section holding one text
// element, newlines kept; no element at all for "". For any `text`,
// FlattenRichText(RichTextOf(text)) == text.
nlohmann::json RichTextOf(const std::string& text);

}  // namespace ff::slack

#endif  // FF_ADAPTERS_SLACK_RICH_TEXT_H_
