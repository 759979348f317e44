// BlockKit's rules for rich text: the rich_text block and the
// rich_text_input element with its initial_value (docs.slack.dev
// reference/block-kit: rich-text-block, rich-text-input-element; the element
// types and their fields as in slackapi/python-slack-sdk RichTextElementParts
// and node-slack-sdk @slack/types).
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "tests/testing/block_kit_checker.h"

namespace ff::testing::block_kit_internal {

void Checker::Fields(const json& object, const std::string& at,
                     const std::set<std::string>& allowed) {
  for (const auto& [key, value] : object.items()) {
    if (allowed.count(key) == 0) Fail(At(at, key), absl::StrCat("unknown field: ", key));
  }
}

void Checker::RichTextInput(const json& element, const std::string& at,
                            std::set<std::string>& action_ids) {
  Fields(element, at,
         {"type", "action_id", "initial_value", "dispatch_action_config", "focus_on_load",
          "placeholder"});
  if (Present(element, "action_id", at, true)) ActionId(element, at, action_ids);
  Text(element, "placeholder", at, TextKind::kPlain, 150, false);
  Typed(element, "focus_on_load", at, false, json::value_t::boolean, "boolean");
  DispatchActionConfig(element, at);
  if (Present(element, "initial_value", at, false)) {
    RichText(element["initial_value"], At(at, "initial_value"));
  }
}

void Checker::DispatchActionConfig(const json& element, const std::string& at) {
  if (!Present(element, "dispatch_action_config", at, false)) return;
  const json& config = element["dispatch_action_config"];
  const std::string config_at = At(at, "dispatch_action_config");
  if (!config.is_object()) return Fail(config_at, "expected: object");
  Fields(config, config_at, {"trigger_actions_on"});
  if (!Array(config, "trigger_actions_on", config_at, 1, 2, false)) return;
  const json& triggers = config["trigger_actions_on"];
  for (size_t i = 0; i < triggers.size(); ++i) {
    if (triggers[i] != "on_enter_pressed" && triggers[i] != "on_character_entered") {
      Fail(At(At(config_at, "trigger_actions_on"), i),
           "must be one of on_enter_pressed, on_character_entered");
    }
  }
}

// A rich_text is a block or a rich_text_input's value: an array of
// sections, lists, preformatted text and quotes.
void Checker::RichText(const json& rich_text, const std::string& at) {
  if (!rich_text.is_object()) return Fail(at, "expected: object");
  if (!String(rich_text, "type", at, 64, true)) return;
  if (rich_text["type"] != "rich_text") return Fail(At(at, "type"), "must be rich_text");
  Fields(rich_text, at, {"type", "elements", "block_id"});
  if (!Array(rich_text, "elements", at, 0, 1000, true)) return;
  const json& elements = rich_text["elements"];
  for (size_t i = 0; i < elements.size(); ++i) {
    RichTextElement(elements[i], At(At(at, "elements"), i));
  }
}

void Checker::RichTextElement(const json& element, const std::string& at) {
  if (!element.is_object()) return Fail(at, "expected: object");
  if (!String(element, "type", at, 64, true)) return;
  const std::string type = element["type"];
  if (type == "rich_text_list") return RichTextList(element, at);
  if (type == "rich_text_section") {
    Fields(element, at, {"type", "elements"});
  } else if (type == "rich_text_preformatted" || type == "rich_text_quote") {
    Fields(element, at, {"type", "elements", "border"});
  } else {
    return Fail(At(at, "type"), absl::StrCat("unsupported type: ", type));
  }
  InlineElements(element, at);
}

namespace {

// IntegerIn is true when parent[key] is absent or an integer in [low, high].
bool IntegerIn(const json& parent, const std::string& key, int64_t low, int64_t high) {
  if (!parent.contains(key)) return true;
  const json& value = parent[key];
  return value.is_number_integer() && value.get<int64_t>() >= low && value.get<int64_t>() <= high;
}

}  // namespace

void Checker::RichTextList(const json& list, const std::string& at) {
  Fields(list, at, {"type", "elements", "style", "indent", "offset", "border"});
  if (String(list, "style", at, 16, true) && list["style"] != "bullet" &&
      list["style"] != "ordered") {
    Fail(At(at, "style"), "must be one of bullet, ordered");
  }
  if (!IntegerIn(list, "indent", 0, 8)) Fail(At(at, "indent"), "must be an integer from 0 to 8");
  if (!IntegerIn(list, "offset", 0, INT32_MAX)) Fail(At(at, "offset"), "must be an integer");
  if (!IntegerIn(list, "border", 0, 1)) Fail(At(at, "border"), "must be 0 or 1");
  if (!Array(list, "elements", at, 0, 1000, true)) return;
  const json& items = list["elements"];
  for (size_t i = 0; i < items.size(); ++i) {
    const std::string item_at = At(At(at, "elements"), i);
    if (!items[i].is_object() || items[i].value("type", json()) != "rich_text_section") {
      Fail(item_at, "must be a rich_text_section");
      continue;
    }
    RichTextElement(items[i], item_at);
  }
}

void Checker::InlineElements(const json& parent, const std::string& at) {
  if (!Array(parent, "elements", at, 0, 10000, true)) return;
  const json& elements = parent["elements"];
  for (size_t i = 0; i < elements.size(); ++i) {
    InlineElement(elements[i], At(At(at, "elements"), i));
  }
}

namespace {

// What each inline element of rich text requires and allows.
struct InlineKind {
  std::vector<std::string> required;  // strings, but a date's timestamp
  std::set<std::string> allowed;
};

const std::map<std::string, InlineKind>& InlineKinds() {
  static const auto* const kKinds = new std::map<std::string, InlineKind>{
      {"text", {{"text"}, {"type", "text", "style"}}},
      {"link", {{"url"}, {"type", "url", "text", "unsafe", "style"}}},
      {"user", {{"user_id"}, {"type", "user_id", "style"}}},
      {"channel", {{"channel_id"}, {"type", "channel_id", "style"}}},
      {"usergroup", {{"usergroup_id"}, {"type", "usergroup_id", "style"}}},
      {"team", {{"team_id"}, {"type", "team_id", "style"}}},
      {"emoji", {{"name"}, {"type", "name", "unicode", "skin_tone", "url", "style"}}},
      {"broadcast", {{"range"}, {"type", "range", "style"}}},
      {"date", {{"timestamp", "format"}, {"type", "timestamp", "format", "url", "fallback"}}},
      {"color", {{"value"}, {"type", "value"}}},
  };
  return *kKinds;
}

}  // namespace

void Checker::InlineElement(const json& element, const std::string& at) {
  if (!element.is_object()) return Fail(at, "expected: object");
  if (!String(element, "type", at, 64, true)) return;
  const std::string type = element["type"];
  auto kind = InlineKinds().find(type);
  if (kind == InlineKinds().end()) {
    return Fail(At(at, "type"), absl::StrCat("unsupported type: ", type));
  }
  Fields(element, at, kind->second.allowed);
  for (const std::string& key : kind->second.required) {
    if (key != "timestamp") {
      String(element, key, at, 40000, true);
    } else if (Present(element, key, at, true) && !IntegerIn(element, key, 0, INT64_MAX)) {
      Fail(At(at, key), "expected: integer");
    }
  }
  if (type == "broadcast" && element.value("range", json()) != "here" &&
      element.value("range", json()) != "channel" && element.value("range", json()) != "everyone") {
    Fail(At(at, "range"), "must be one of here, channel, everyone");
  }
  if (Typed(element, "style", at, false, json::value_t::object, "object")) {
    for (const auto& [name, on] : element["style"].items()) {
      if (!on.is_boolean()) Fail(At(At(at, "style"), name), "expected: boolean");
    }
  }
}

}  // namespace ff::testing::block_kit_internal
