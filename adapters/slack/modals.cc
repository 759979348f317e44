#include "adapters/slack/modals.h"

#include <cstring>
#include <optional>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "adapters/slack/incident_text.h"
#include "clients/incident/vocabulary.h"

namespace ff::slack {
namespace {

using json = nlohmann::json;

json Text(const std::string& text) { return {{"type", "plain_text"}, {"text", text}}; }

json Option(const std::string& text, const std::string& value,
            const std::string& description = "") {
  json option = {{"text", Text(text.substr(0, 75))}, {"value", value}};
  if (!description.empty()) option["description"] = Text(description.substr(0, 75));
  return option;
}

json Input(const std::string& block_id, const std::string& label, json element,
           bool optional = false) {
  element["action_id"] = kActionId;
  return {{"type", "input"},
          {"block_id", block_id},
          {"label", Text(label)},
          {"optional", optional},
          {"element", std::move(element)}};
}

json Select(json options, const json& initial = nullptr) {
  json select = {{"type", "static_select"}, {"options", std::move(options)}};
  if (!initial.is_null()) select["initial_option"] = initial;
  return select;
}

json TextInput(bool multiline, const std::string& initial = "", int max_length = 0) {
  json input = {{"type", "plain_text_input"}, {"multiline", multiline}};
  if (!initial.empty()) input["initial_value"] = initial;
  if (max_length > 0) input["max_length"] = max_length;
  return input;
}

json UserPicker(const std::string& initial) {
  json picker = {{"type", "users_select"}};
  if (!initial.empty() && initial[0] == 'U') picker["initial_user"] = initial;
  return picker;
}

json Modal(const char* callback, const std::string& title, const std::string& submit, json blocks,
           const ModalContext& context) {
  return {{"type", "modal"},
          {"callback_id", callback},
          {"title", Text(title.substr(0, 24))},
          {"submit", Text(submit)},
          {"close", Text("Cancel")},
          {"private_metadata", EncodeContext(context)},
          {"blocks", std::move(blocks)}};
}

// An option per value: the vocabulary's label shown, its word submitted.
template <typename Enum>
json VocabularyOption(Enum value, bool with_meaning = false) {
  const Term& term = TermOf(value);
  return Option(std::string(term.label), std::string(term.word),
                with_meaning ? std::string(term.meaning) : "");
}

json SeverityOptions() {
  json options = json::array();
  for (pb::Severity severity : AllSeverities()) {
    options.push_back(VocabularyOption(severity, /*with_meaning=*/true));
  }
  return options;
}

// Closing has its own modal, which asks for a reason.
json StatusOptions() {
  json options = json::array();
  for (pb::Status status : AllStatuses()) {
    if (status != pb::STATUS_CLOSED) options.push_back(VocabularyOption(status));
  }
  return options;
}

json RoleInput(const pb::Incident& incident, Role role) {
  return Input(std::string(RoleField(role)), std::string(Label(role)),
               UserPicker(HolderOf(incident.roles(), role)), true);
}

std::string Value(const std::map<std::string, std::string>& values, const std::string& key) {
  auto it = values.find(key);
  return it == values.end() ? "" : it->second;
}

// Reads the select `block` with `parse`: unset when nothing was picked, the
// vocabulary's message on the block when the value is not a known word.
template <typename Enum, typename ParseFn>
std::optional<Enum> ReadChoice(const std::map<std::string, std::string>& values,
                               const std::string& block, ParseFn parse, BlockErrors* errors) {
  std::string text = Value(values, block);
  if (text.empty()) return std::nullopt;
  absl::StatusOr<Enum> parsed = parse(text, block);
  if (!parsed.ok()) {
    (*errors)[block] = std::string(parsed.status().message());
    return std::nullopt;
  }
  return *parsed;
}

// ElementValue reads one element's state, whatever its type.
std::string ElementValue(const json& state) {
  if (!state.is_object()) return "";
  for (const char* key : {"value", "selected_user", "selected_date"}) {
    if (state.contains(key) && state[key].is_string()) return state[key].get<std::string>();
  }
  if (state.contains("selected_option") && state["selected_option"].is_object()) {
    const json& option = state["selected_option"];
    if (option.contains("value") && option["value"].is_string()) return option["value"];
  }
  if (state.contains("selected_options") && state["selected_options"].is_array() &&
      !state["selected_options"].empty() && state["selected_options"][0].is_object()) {
    const json& option = state["selected_options"][0];
    if (option.contains("value") && option["value"].is_string()) return option["value"];
  }
  return "";
}

}  // namespace

std::string EncodeContext(const ModalContext& context) {
  return json{{"incident", context.incident_id},
              {"channel", context.channel_id},
              {"response_url", context.response_url}}
      .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

ModalContext DecodeContext(const std::string& private_metadata) {
  ModalContext context;
  json data = json::parse(private_metadata, nullptr, false);
  if (!data.is_object()) return context;
  if (data.contains("incident") && data["incident"].is_number_integer()) {
    context.incident_id = data["incident"].get<int64_t>();
  }
  if (data.contains("channel") && data["channel"].is_string()) context.channel_id = data["channel"];
  if (data.contains("response_url") && data["response_url"].is_string()) {
    context.response_url = data["response_url"];
  }
  return context;
}

json OpenIncidentModal(const pb::ListDomainsResponse& domains, const ModalContext& context) {
  json domain_options = json::array();
  for (const pb::Domain& domain : domains.domains()) {
    domain_options.push_back(Option(domain.name(), domain.name(), domain.description()));
  }
  json oncall = {{"type", "checkboxes"},
                 {"options", json::array({Option("Page the domain's on-call", "page")})}};
  json blocks = json::array({
      Input("domain", "Domain", Select(domain_options)),
      Input("severity", "Severity", Select(SeverityOptions())),
      Input("title", "Title", TextInput(false, "", 200)),
      Input("description", "Description", TextInput(true, "", 3000), true),
      Input("trigger_oncall", "On-call", oncall, true),
  });
  return Modal(kOpenCallback, "Open an incident", "Open", blocks, context);
}

json UpdateIncidentModal(const pb::Incident& incident, const ModalContext& context) {
  json blocks = json::array({
      {{"type", "section"}, {"text", {{"type", "mrkdwn"}, {"text", SummaryLine(incident)}}}},
      Input("status", "Status", Select(StatusOptions()), true),
      Input("severity", "Severity", Select(SeverityOptions()), true),
      RoleInput(incident, Role::kCommander),
      RoleInput(incident, Role::kCommunicationLead),
      RoleInput(incident, Role::kOperationsLead),
      Input("message", "Message", TextInput(true), true),
  });
  return Modal(kUpdateCallback, absl::StrCat("Update #", incident.id()), "Update", blocks, context);
}

json CloseIncidentModal(const pb::Incident& incident, const ModalContext& context) {
  json reasons = json::array();
  for (pb::CloseReason reason : AllCloseReasons()) reasons.push_back(VocabularyOption(reason));
  json blocks = json::array({
      {{"type", "section"}, {"text", {{"type", "mrkdwn"}, {"text", SummaryLine(incident)}}}},
      Input("reason", "Reason", Select(reasons, reasons[0])),
      Input("message", "Message", TextInput(true), true),
  });
  return Modal(kCloseCallback, absl::StrCat("Close #", incident.id()), "Close", blocks, context);
}

std::map<std::string, std::string> SubmittedValues(const json& view) {
  std::map<std::string, std::string> values;
  if (!view.is_object() || !view.contains("state") || !view["state"].is_object()) return values;
  const json& state = view["state"];
  if (!state.contains("values") || !state["values"].is_object()) return values;
  for (const auto& [block_id, actions] : state["values"].items()) {
    if (!actions.is_object()) continue;
    for (const auto& [action_id, element] : actions.items()) {
      values[block_id] = ElementValue(element);
    }
  }
  return values;
}

void ReadOpenSubmission(const std::map<std::string, std::string>& values,
                        pb::OpenIncidentRequest* request, BlockErrors* errors) {
  request->set_domain(Value(values, "domain"));
  request->set_title(Value(values, "title"));
  request->set_description(Value(values, "description"));
  request->set_trigger_oncall(Value(values, "trigger_oncall") == "page");
  std::optional<pb::Severity> severity =
      ReadChoice<pb::Severity>(values, "severity", ParseSeverity, errors);
  if (severity.has_value()) request->set_severity(*severity);
  if (request->domain().empty()) (*errors)["domain"] = "Pick the domain that is affected.";
  if (!severity.has_value() && errors->count("severity") == 0) {
    (*errors)["severity"] = "Pick a severity.";
  }
  if (request->title().empty()) (*errors)["title"] = "A title is required.";
  if (request->title().size() > 200) (*errors)["title"] = "At most 200 characters.";
}

void ReadUpdateSubmission(const std::map<std::string, std::string>& values,
                          pb::UpdateIncidentRequest* request, BlockErrors* errors) {
  if (auto status = ReadChoice<pb::Status>(values, "status", ParseStatus, errors)) {
    request->set_status(*status);
  }
  if (auto severity = ReadChoice<pb::Severity>(values, "severity", ParseSeverity, errors)) {
    request->set_severity(*severity);
  }
  if (std::string user = Value(values, "commander"); !user.empty()) request->set_commander(user);
  if (std::string user = Value(values, "communication_lead"); !user.empty()) {
    request->set_communication_lead(user);
  }
  if (std::string user = Value(values, "operations_lead"); !user.empty()) {
    request->set_operations_lead(user);
  }
  request->set_message(Value(values, "message"));
}

void ReadCloseSubmission(const std::map<std::string, std::string>& values,
                         pb::CloseIncidentRequest* request, BlockErrors* errors) {
  std::optional<pb::CloseReason> reason =
      ReadChoice<pb::CloseReason>(values, "reason", ParseCloseReason, errors);
  if (reason.has_value()) request->set_reason(*reason);
  if (!reason.has_value() && errors->count("reason") == 0) (*errors)["reason"] = "Pick a reason.";
  request->set_message(Value(values, "message"));
}

BlockErrors ErrorsFor(const absl::Status& status, const std::string& fallback_block) {
  static const char* kFields[] = {"title",           "description", "domain",  "severity",
                                  "status",          "commander",   "message", "communication_lead",
                                  "operations_lead", "reason"};
  std::string message(status.message());
  if (status.code() == absl::StatusCode::kInvalidArgument) {
    for (const char* field : kFields) {
      size_t n = strlen(field);
      bool ends = message.size() == n || (!absl::ascii_isalnum(message[n]) && message[n] != '_');
      if (absl::StartsWith(message, field) && ends) {
        return {{field, message}};
      }
    }
  }
  return {{fallback_block, message}};
}

json ErrorsReply(const BlockErrors& errors) {
  json out = json::object();
  for (const auto& [block, message] : errors) out[block] = message.substr(0, 2000);
  return {{"response_action", "errors"}, {"errors", out}};
}

}  // namespace ff::slack
