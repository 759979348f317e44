// Parsers for what Slack posts to the adapter (EXTERNAL_APIS.md §1b–1d):
// URL-encoded forms, slash commands, interactivity payloads and Events API
// envelopes. They never throw and never trust their input: anything missing
// or malformed comes back as INVALID_ARGUMENT naming the field.
//
// Thread-safe: pure functions.
#ifndef FF_ADAPTERS_SLACK_PAYLOADS_H_
#define FF_ADAPTERS_SLACK_PAYLOADS_H_

#include <map>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "nlohmann/json.hpp"

namespace ff::slack {

using Form = std::map<std::string, std::string>;

// ParseForm decodes an application/x-www-form-urlencoded body ('+' is a
// space, %XX a byte). INVALID_ARGUMENT for a bad percent escape. A repeated
// key keeps its first value.
absl::StatusOr<Form> ParseForm(absl::string_view body);

// SlashCommand: the fields of a slash command the adapter uses.
struct SlashCommand {
  std::string command;  // "/incident"
  std::string text;     // everything after the command
  std::string user_id;
  std::string user_name;
  std::string channel_id;
  std::string channel_name;
  std::string response_url;
  std::string trigger_id;
};

// ParseSlashCommand reads a slash command form. INVALID_ARGUMENT when
// `command` or `user_id` is missing.
absl::StatusOr<SlashCommand> ParseSlashCommand(const Form& form);

// ParseInteraction returns the JSON object in the `payload` field of an
// interactivity form. INVALID_ARGUMENT when absent, not JSON, not an object
// or without a string "type".
absl::StatusOr<nlohmann::json> ParseInteraction(const Form& form);
// CheckInteraction: the same checks, of a payload already parsed (Socket
// Mode sends it as JSON).
absl::StatusOr<nlohmann::json> CheckInteraction(nlohmann::json payload);

// MessageAction: a message shortcut used on a message (an interaction of
// type "message_action"), the fields the adapter uses.
struct MessageAction {
  std::string callback_id;  // the shortcut's, from the app's manifest
  std::string trigger_id;   // opens a modal, within 3 s
  std::string response_url;
  std::string team_id;
  std::string user_id;  // who used the shortcut
  std::string channel_id;
  std::string channel_name;  // "" when Slack sent none (a DM)
  std::string message_ts;
  std::string message_text;  // as Slack sends it (mrkdwn); "" for a message without text
  std::string message_user;  // its author; "" for a bot's message
};

// ReadMessageAction reads a checked interaction (CheckInteraction) of type
// "message_action". INVALID_ARGUMENT naming the field ("payload.channel.id:
// missing") when the type is another, or callback_id, trigger_id,
// response_url, user.id, channel.id or message.ts is missing or not a
// string, or message.text is neither a string nor null.
absl::StatusOr<MessageAction> ReadMessageAction(const nlohmann::json& payload);

// ParseEventEnvelope parses an Events API body. INVALID_ARGUMENT when it is
// not a JSON object with a string "type".
absl::StatusOr<nlohmann::json> ParseEventEnvelope(absl::string_view body);
// CheckEventEnvelope: the same checks, of a body already parsed.
absl::StatusOr<nlohmann::json> CheckEventEnvelope(nlohmann::json envelope);

// StringAt returns the string at JSON pointer `path` ("/user/id"), or "" when
// absent or not a string.
std::string StringAt(const nlohmann::json& value, const char* path);

}  // namespace ff::slack

#endif  // FF_ADAPTERS_SLACK_PAYLOADS_H_
