#include "tests/testing/block_kit.h"

#include <algorithm>
#include <cstdint>
#include <map>
#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "tests/testing/block_kit_checker.h"

namespace ff::testing::block_kit_internal {

namespace {

bool Allowed(Place place, const std::string& type) {
  static const auto* const kAllowed = new std::map<Place, std::set<std::string>>{
      {Place::kAccessory,
       {"button", "static_select", "users_select", "multi_users_select", "conversations_select",
        "overflow", "datepicker", "radio_buttons", "checkboxes", "image"}},
      {Place::kActions,
       {"button", "static_select", "users_select", "multi_users_select", "conversations_select",
        "overflow", "datepicker", "radio_buttons", "checkboxes"}},
      {Place::kInput,
       {"plain_text_input", "rich_text_input", "static_select", "users_select",
        "multi_users_select", "conversations_select", "datepicker", "radio_buttons", "checkboxes"}},
      {Place::kContext, {"image", "plain_text", "mrkdwn"}},
  };
  return kAllowed->at(place).count(type) > 0;
}

bool IsDate(const std::string& s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (s[i] < '0' || s[i] > '9') return false;
  }
  return true;
}

}  // namespace

bool Checker::Present(const json& parent, const std::string& key, const std::string& at,
                      bool required) {
  if (parent.contains(key) && !parent[key].is_null()) return true;
  if (required) Fail(At(at, key), absl::StrCat("missing required field: ", key));
  return false;
}

bool Checker::Typed(const json& parent, const std::string& key, const std::string& at,
                    bool required, json::value_t type, const char* type_name) {
  if (!Present(parent, key, at, required)) return false;
  if (parent[key].type() == type) return true;
  Fail(At(at, key), absl::StrCat("expected: ", type_name));
  return false;
}

bool Checker::String(const json& parent, const std::string& key, const std::string& at, size_t max,
                     bool required, size_t min) {
  if (!Typed(parent, key, at, required, json::value_t::string, "string")) return false;
  size_t length = Utf8Characters(parent[key].get<std::string>());
  if (length > max) Fail(At(at, key), absl::StrCat("must be less than ", max + 1, " characters"));
  if (length < min) Fail(At(at, key), absl::StrCat("must be more than ", min - 1, " characters"));
  return true;
}

bool Checker::Text(const json& parent, const std::string& key, const std::string& at, TextKind kind,
                   size_t max, bool required) {
  if (!Present(parent, key, at, required)) return false;
  TextObject(parent[key], At(at, key), kind, max);
  return true;
}

void Checker::TextObject(const json& text, const std::string& at, TextKind kind, size_t max) {
  if (!text.is_object()) return Fail(at, "expected: object");
  if (!String(text, "type", at, 64, true)) return;
  std::string type = text["type"];
  if (type != "plain_text" && (type != "mrkdwn" || kind == TextKind::kPlain)) {
    return Fail(At(at, "type"), kind == TextKind::kPlain ? "must be plain_text"
                                                         : "must be one of plain_text, mrkdwn");
  }
  String(text, "text", at, max, true, 1);
}

bool Checker::Array(const json& parent, const std::string& key, const std::string& at, size_t min,
                    size_t max, bool required) {
  if (!Typed(parent, key, at, required, json::value_t::array, "array")) return false;
  const json& value = parent[key];
  if (value.size() > max) Fail(At(at, key), absl::StrCat("no more than ", max, " items allowed"));
  if (value.size() < min) Fail(At(at, key), absl::StrCat("must provide at least ", min, " items"));
  return true;
}

void Checker::Blocks(const json& blocks, const std::string& at, size_t max_blocks) {
  if (!blocks.is_array()) return Fail(at, "expected: array");
  if (blocks.size() > max_blocks) {
    Fail(at, absl::StrCat("no more than ", max_blocks, " items allowed"));
  }
  std::set<std::string> block_ids;
  for (size_t i = 0; i < blocks.size(); ++i) Block(blocks[i], At(at, i), block_ids);
}

void Checker::Block(const json& block, const std::string& at, std::set<std::string>& block_ids) {
  if (!block.is_object()) return Fail(at, "expected: object");
  if (String(block, "block_id", at, 255, false) &&
      !block_ids.insert(block["block_id"].get<std::string>()).second) {
    Fail(At(at, "block_id"),
         absl::StrCat("duplicate block_id: ", block["block_id"].get<std::string>()));
  }
  if (!String(block, "type", at, 64, true)) return;
  const std::string type = block["type"];
  if (type == "section") return Section(block, at);
  if (type == "header") return void(Text(block, "text", at, TextKind::kPlain, 150, true));
  if (type == "divider") return;
  if (type == "context") return Context(block, at);
  if (type == "actions") return Actions(block, at);
  if (type == "image") return ImageBlock(block, at);
  if (type == "input") return Input(block, at);
  if (type == "rich_text") return RichText(block, at);
  Fail(At(at, "type"), absl::StrCat("unsupported type: ", type));
}

void Checker::Section(const json& block, const std::string& at) {
  bool has_text = Text(block, "text", at, TextKind::kAny, 3000, false);
  bool has_fields = Array(block, "fields", at, 1, 10, false);
  if (has_fields) {
    const json& fields = block["fields"];
    for (size_t i = 0; i < fields.size(); ++i) {
      TextObject(fields[i], At(At(at, "fields"), i), TextKind::kAny, 2000);
    }
  }
  if (!has_text && !has_fields) Fail(At(at, "type"), "must define either `text` or `fields`");
  std::set<std::string> action_ids;
  if (Present(block, "accessory", at, false)) {
    Element(block["accessory"], At(at, "accessory"), Place::kAccessory, action_ids);
  }
}

void Checker::Context(const json& block, const std::string& at) {
  if (!Array(block, "elements", at, 1, 10, true)) return;
  std::set<std::string> action_ids;
  const json& elements = block["elements"];
  for (size_t i = 0; i < elements.size(); ++i) {
    Element(elements[i], At(At(at, "elements"), i), Place::kContext, action_ids);
  }
}

void Checker::Actions(const json& block, const std::string& at) {
  if (!Array(block, "elements", at, 1, 25, true)) return;
  std::set<std::string> action_ids;  // unique within this block
  const json& elements = block["elements"];
  for (size_t i = 0; i < elements.size(); ++i) {
    Element(elements[i], At(At(at, "elements"), i), Place::kActions, action_ids);
  }
}

void Checker::ImageBlock(const json& block, const std::string& at) {
  if (!block.contains("slack_file")) String(block, "image_url", at, 3000, true, 1);
  String(block, "alt_text", at, 2000, true, 1);
  Text(block, "title", at, TextKind::kPlain, 2000, false);
}

void Checker::Input(const json& block, const std::string& at) {
  Text(block, "label", at, TextKind::kPlain, 2000, true);
  Text(block, "hint", at, TextKind::kPlain, 2000, false);
  Typed(block, "optional", at, false, json::value_t::boolean, "boolean");
  std::set<std::string> action_ids;
  if (Present(block, "element", at, true)) {
    Element(block["element"], At(at, "element"), Place::kInput, action_ids);
  }
}

void Checker::Element(const json& element, const std::string& at, Place place,
                      std::set<std::string>& action_ids) {
  if (!element.is_object()) return Fail(at, "expected: object");
  if (!String(element, "type", at, 64, true)) return;
  const std::string type = element["type"];
  if (!Allowed(place, type)) return Fail(At(at, "type"), absl::StrCat("unsupported type: ", type));
  if (type == "plain_text" || type == "mrkdwn") {
    return TextObject(element, at, TextKind::kAny, 3000);
  }
  if (type == "image") return ImageElement(element, at);
  if (type == "rich_text_input") return RichTextInput(element, at, action_ids);
  ActionId(element, at, action_ids);
  Confirm(element, at);
  if (type != "button" && type != "overflow") {
    Text(element, "placeholder", at, TextKind::kPlain, 150, false);
  }
  if (type == "button") return Button(element, at);
  if (type == "plain_text_input") return TextInput(element, at);
  if (type == "datepicker" && Present(element, "initial_date", at, false) &&
      !(element["initial_date"].is_string() &&
        IsDate(element["initial_date"].get<std::string>()))) {
    return Fail(At(at, "initial_date"), "must be a date in the format YYYY-MM-DD");
  }
  if (type == "multi_users_select") Array(element, "initial_users", at, 0, 100, false);
  if (type == "users_select") String(element, "initial_user", at, 255, false);
  Choices(element, at, type);
}

void Checker::ActionId(const json& element, const std::string& at,
                       std::set<std::string>& action_ids) {
  if (!String(element, "action_id", at, 255, false)) return;
  std::string id = element["action_id"];
  if (!action_ids.insert(id).second) {
    Fail(At(at, "action_id"), absl::StrCat("duplicate action_id within the block: ", id));
  }
}

void Checker::Button(const json& element, const std::string& at) {
  Text(element, "text", at, TextKind::kPlain, 75, true);
  String(element, "value", at, 2000, false);
  String(element, "url", at, 3000, false);
  if (String(element, "style", at, 16, false) && element["style"] != "primary" &&
      element["style"] != "danger") {
    Fail(At(at, "style"), "must be one of primary, danger");
  }
}

void Checker::ImageElement(const json& element, const std::string& at) {
  if (!element.contains("slack_file")) String(element, "image_url", at, 3000, true, 1);
  String(element, "alt_text", at, 2000, true, 1);
}

void Checker::Choices(const json& element, const std::string& at, const std::string& type) {
  if (type == "static_select") {
    if (element.contains("option_groups")) {
      if (!Array(element, "option_groups", at, 1, 100, true)) return;
      const json& groups = element["option_groups"];
      for (size_t i = 0; i < groups.size(); ++i) {
        std::string group_at = At(At(at, "option_groups"), i);
        if (!groups[i].is_object()) continue;
        Text(groups[i], "label", group_at, TextKind::kPlain, 75, true);
        Options(groups[i], "options", group_at, 100, TextKind::kPlain);
      }
      return;
    }
    Options(element, "options", at, 100, TextKind::kPlain);
    return InitialOptions(element, at, "options");
  }
  if (type == "overflow") return Options(element, "options", at, 5, TextKind::kPlain);
  if (type == "radio_buttons" || type == "checkboxes") {
    Options(element, "options", at, 10, TextKind::kAny);
    InitialOptions(element, at, "options");
  }
}

void Checker::Options(const json& parent, const std::string& key, const std::string& at, size_t max,
                      TextKind kind) {
  if (!Array(parent, key, at, 1, max, true)) return;
  const json& options = parent[key];
  for (size_t i = 0; i < options.size(); ++i) {
    std::string option_at = At(At(at, key), i);
    if (!options[i].is_object()) {
      Fail(option_at, "expected: object");
      continue;
    }
    Text(options[i], "text", option_at, kind, 75, true);
    String(options[i], "value", option_at, 150, true, 1);
    Text(options[i], "description", option_at, TextKind::kPlain, 75, false);
    String(options[i], "url", option_at, 3000, false);
  }
}

namespace {

// ShownText is an option's text, or null when it has none.
json ShownText(const json& option) {
  if (!option.contains("text") || !option["text"].is_object()) return nullptr;
  return option["text"].value("text", json());
}

// Same is true when two options show the same text and carry the same value.
bool Same(const json& a, const json& b) {
  return a.is_object() && b.is_object() && a.value("value", json()) == b.value("value", json()) &&
         ShownText(a) == ShownText(b);
}

}  // namespace

void Checker::InitialOptions(const json& element, const std::string& at,
                             const std::string& options_key) {
  const json& options = element.value(options_key, json::array());
  auto known = [&](const json& option) {
    return std::any_of(options.begin(), options.end(),
                       [&](const json& o) { return Same(o, option); });
  };
  if (element.contains("initial_option") && !known(element["initial_option"])) {
    Fail(At(at, "initial_option"), "must match one of the provided options");
  }
  if (element.contains("initial_options") && element["initial_options"].is_array()) {
    const json& initial = element["initial_options"];
    for (size_t i = 0; i < initial.size(); ++i) {
      if (!known(initial[i])) {
        Fail(At(At(at, "initial_options"), i), "must match one of the provided options");
      }
    }
  }
}

void Checker::TextInput(const json& element, const std::string& at) {
  String(element, "initial_value", at, 3000, false);
  for (const char* key : {"min_length", "max_length"}) {
    if (!Present(element, key, at, false)) continue;
    const json& value = element[key];
    int64_t low = std::string(key) == "max_length" ? 1 : 0;
    if (!value.is_number_integer() || value.get<int64_t>() < low || value.get<int64_t>() > 3000) {
      Fail(At(at, key), absl::StrCat("must be an integer from ", low, " to 3000"));
    }
  }
}

void Checker::Confirm(const json& element, const std::string& at) {
  if (!Present(element, "confirm", at, false)) return;
  const json& confirm = element["confirm"];
  std::string confirm_at = At(at, "confirm");
  if (!confirm.is_object()) return Fail(confirm_at, "expected: object");
  Text(confirm, "title", confirm_at, TextKind::kPlain, 100, true);
  Text(confirm, "text", confirm_at, TextKind::kAny, 300, true);
  Text(confirm, "confirm", confirm_at, TextKind::kPlain, 30, true);
  Text(confirm, "deny", confirm_at, TextKind::kPlain, 30, true);
}

namespace {

bool HasInputBlock(const json& view) {
  const json& blocks = view.value("blocks", json::array());
  return blocks.is_array() && std::any_of(blocks.begin(), blocks.end(), [](const json& b) {
           return b.is_object() && b.value("type", json()) == "input";
         });
}

}  // namespace

void Checker::View(const json& view, const std::string& required_type) {
  const std::string at = "/view";
  if (!view.is_object()) return Fail(at, "expected: object");
  if (!String(view, "type", at, 16, true)) return;
  const std::string type = view["type"];
  if (type != "modal" && type != "home") {
    return Fail(At(at, "type"), absl::StrCat("unsupported type: ", type));
  }
  if (!required_type.empty() && type != required_type) {
    return Fail(At(at, "type"), absl::StrCat("must be ", required_type));
  }
  if (type == "modal") {
    Text(view, "title", at, TextKind::kPlain, 24, true);
    Text(view, "close", at, TextKind::kPlain, 24, false);
    if (!Text(view, "submit", at, TextKind::kPlain, 24, false) && HasInputBlock(view)) {
      Fail(At(at, "submit"), "must be provided when the view has input blocks");
    }
  }
  String(view, "private_metadata", at, 3000, false);
  String(view, "callback_id", at, 255, false);
  String(view, "external_id", at, 255, false);
  if (Present(view, "blocks", at, true)) Blocks(view["blocks"], At(at, "blocks"), 100);
}

}  // namespace ff::testing::block_kit_internal

namespace ff::testing {

using block_kit_internal::Checker;
using json = nlohmann::json;

size_t Utf8Characters(const std::string& text) {
  return static_cast<size_t>(
      std::count_if(text.begin(), text.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

std::string SlackErrorLine(const BlockKitProblem& problem) {
  return absl::StrCat("[ERROR] ", problem.message, " [json-pointer:", problem.pointer, "]");
}

std::vector<std::string> SlackErrorLines(const std::vector<BlockKitProblem>& problems) {
  std::vector<std::string> lines;
  for (const BlockKitProblem& problem : problems) lines.push_back(SlackErrorLine(problem));
  return lines;
}

std::vector<BlockKitProblem> MessageBlockProblems(const json& blocks) {
  Checker checker;
  checker.Blocks(blocks, "/blocks", 50);
  return std::move(checker.problems);
}

std::vector<BlockKitProblem> ViewProblems(const json& view, const std::string& required_type) {
  Checker checker;
  checker.View(view, required_type);
  return std::move(checker.problems);
}

}  // namespace ff::testing
