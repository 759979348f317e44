// Slack's markup in both directions, for the adapter: reading what people
// typed (a slash command's text, a channel message) into plain text for the
// timeline, and writing user text into mrkdwn so that it shows as typed
// (SlackEscape, shared with the notifier, plus Block Kit's length limits).
//
// Thread-safe: pure functions.
#ifndef FF_ADAPTERS_SLACK_SLACK_MARKUP_H_
#define FF_ADAPTERS_SLACK_SLACK_MARKUP_H_

#include <cstddef>
#include <functional>
#include <optional>
#include <string>

#include "absl/strings/string_view.h"
#include "clients/slack/mrkdwn.h"

namespace ff::slack {

// ParseUserMention returns the user id of a mention as Slack sends it in
// text, "<@U123ABC>" or "<@U123ABC|alice>", and nullopt for anything else
// (a bare "@alice", which Slack sends when a command's escaping is off).
std::optional<std::string> ParseUserMention(absl::string_view word);

// PersonName maps a Slack user id to how FireFighter names that person (the
// email, see SlackApp::Actor).
using PersonName = std::function<std::string(const std::string& user_id)>;

// PlainText turns Slack's markup into the text a person meant: a user
// mention becomes "@" + person_name(id), a channel mention "#name", a link
// its URL ("label (url)" when labelled), "<!here>" and kin "@here", and the
// entities &amp; &lt; &gt; their characters. Anything else is kept.
std::string PlainText(absl::string_view text, const PersonName& person_name);

// EscapedPrefix is SlackEscape(text) cut to at most `max_bytes` bytes
// (Block Kit limits; bytes are never fewer than characters, so the result is
// within the limit however Slack counts) at a character boundary, never
// inside an entity, and ending with "…" when cut. REQUIRES: max_bytes >= 3.
std::string EscapedPrefix(absl::string_view text, size_t max_bytes);

// CharacterPrefix is `text` cut to at most `max_chars` characters (UTF-8
// code points, as the core counts them), never inside a character; text
// within the limit is returned as is.
std::string CharacterPrefix(absl::string_view text, size_t max_chars);

}  // namespace ff::slack

#endif  // FF_ADAPTERS_SLACK_SLACK_MARKUP_H_
