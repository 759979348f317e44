#include "adapters/slack/payloads.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "common/http/url_encoded.h"

namespace ff::slack {
namespace {

using json = nlohmann::json;

std::string Field(const Form& form, const std::string& key) {
  auto it = form.find(key);
  return it == form.end() ? "" : it->second;
}

}  // namespace

absl::StatusOr<Form> ParseForm(absl::string_view body) {
  absl::StatusOr<http::UrlEncoded> pairs = http::ParseUrlEncoded(body);
  if (!pairs.ok())
    return absl::InvalidArgumentError(absl::StrCat("form: ", pairs.status().message()));
  // A repeated key keeps its first value.
  return Form(pairs->begin(), pairs->end());
}

absl::StatusOr<SlashCommand> ParseSlashCommand(const Form& form) {
  SlashCommand command;
  command.command = Field(form, "command");
  command.text = Field(form, "text");
  command.user_id = Field(form, "user_id");
  command.user_name = Field(form, "user_name");
  command.channel_id = Field(form, "channel_id");
  command.channel_name = Field(form, "channel_name");
  command.response_url = Field(form, "response_url");
  command.trigger_id = Field(form, "trigger_id");
  if (command.command.empty()) return absl::InvalidArgumentError("command: missing");
  if (command.user_id.empty()) return absl::InvalidArgumentError("user_id: missing");
  return command;
}

absl::StatusOr<json> ParseInteraction(const Form& form) {
  auto it = form.find("payload");
  if (it == form.end()) return absl::InvalidArgumentError("payload: missing");
  return CheckInteraction(json::parse(it->second, nullptr, false));
}

absl::StatusOr<json> CheckInteraction(json payload) {
  if (payload.is_discarded() || !payload.is_object()) {
    return absl::InvalidArgumentError("payload: not a JSON object");
  }
  if (StringAt(payload, "/type").empty()) {
    return absl::InvalidArgumentError("payload.type: missing");
  }
  return payload;
}

absl::StatusOr<MessageAction> ReadMessageAction(const json& payload) {
  if (StringAt(payload, "/type") != "message_action") {
    return absl::InvalidArgumentError("payload.type: not message_action");
  }
  MessageAction action;
  const std::pair<const char*, std::string*> required[] = {
      {"/callback_id", &action.callback_id},   {"/trigger_id", &action.trigger_id},
      {"/response_url", &action.response_url}, {"/user/id", &action.user_id},
      {"/channel/id", &action.channel_id},     {"/message/ts", &action.message_ts}};
  for (const auto& [path, field] : required) {
    *field = StringAt(payload, path);
    if (field->empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("payload", absl::StrReplaceAll(path, {{"/", "."}}), ": missing"));
    }
  }
  const json* text = payload.contains("message") && payload["message"].is_object() &&
                             payload["message"].contains("text")
                         ? &payload["message"]["text"]
                         : nullptr;
  if (text != nullptr && !text->is_string() && !text->is_null()) {
    return absl::InvalidArgumentError("payload.message.text: not a string");
  }
  action.message_text = StringAt(payload, "/message/text");
  action.message_user = StringAt(payload, "/message/user");
  action.team_id = StringAt(payload, "/team/id");
  action.channel_name = StringAt(payload, "/channel/name");
  return action;
}

absl::StatusOr<json> ParseEventEnvelope(absl::string_view body) {
  return CheckEventEnvelope(json::parse(body.begin(), body.end(), nullptr, false));
}

absl::StatusOr<json> CheckEventEnvelope(json envelope) {
  if (envelope.is_discarded() || !envelope.is_object()) {
    return absl::InvalidArgumentError("body: not a JSON object");
  }
  if (StringAt(envelope, "/type").empty()) return absl::InvalidArgumentError("type: missing");
  return envelope;
}

std::string StringAt(const json& value, const char* path) {
  const json* current = &value;
  for (absl::string_view key : absl::StrSplit(path + 1, '/')) {
    if (!current->is_object()) return "";
    auto it = current->find(std::string(key));
    if (it == current->end()) return "";
    current = &*it;
  }
  return current->is_string() ? current->get<std::string>() : "";
}

}  // namespace ff::slack
