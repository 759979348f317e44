#include "adapters/slack/modals.h"

#include <cstring>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "adapters/slack/incident_text.h"

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

json SeverityOption(pb::Severity severity) {
  return Option(SeverityText(severity), pb::Severity_Name(severity), SeverityDescription(severity));
}

json SeverityOptions() {
  json options = json::array();
  for (int s = pb::SEVERITY_SEV1; s <= pb::SEVERITY_SEV5; ++s) {
    options.push_back(SeverityOption(static_cast<pb::Severity>(s)));
  }
  return options;
}

json StatusOptions() {
  json options = json::array();
  for (int s = pb::STATUS_OPEN; s < pb::STATUS_CLOSED; ++s) {
    auto status = static_cast<pb::Status>(s);
    options.push_back(Option(StatusText(status), pb::Status_Name(status)));
  }
  return options;
}

std::string Value(const std::map<std::string, std::string>& values, const std::string& key) {
  auto it = values.find(key);
  return it == values.end() ? "" : it->second;
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
      Input("commander", "Incident commander", UserPicker(incident.roles().commander()), true),
      Input("communication_lead", "Communication lead",
            UserPicker(incident.roles().communication_lead()), true),
      Input("operations_lead", "Operations lead", UserPicker(incident.roles().operations_lead()),
            true),
      Input("message", "Message", TextInput(true), true),
  });
  return Modal(kUpdateCallback, absl::StrCat("Update #", incident.id()), "Update", blocks, context);
}

json CloseIncidentModal(const pb::Incident& incident, const ModalContext& context) {
  json reasons = json::array();
  for (int r = pb::CLOSE_REASON_RESOLVED; r <= pb::CLOSE_REASON_NOT_AN_INCIDENT; ++r) {
    auto reason = static_cast<pb::CloseReason>(r);
    reasons.push_back(Option(CloseReasonText(reason), pb::CloseReason_Name(reason)));
  }
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
  request->set_severity(ParseSeverity(Value(values, "severity")));
  if (request->domain().empty()) (*errors)["domain"] = "Pick the domain that is affected.";
  if (request->severity() == pb::SEVERITY_UNSPECIFIED) (*errors)["severity"] = "Pick a severity.";
  if (request->title().empty()) (*errors)["title"] = "A title is required.";
  if (request->title().size() > 200) (*errors)["title"] = "At most 200 characters.";
}

void ReadUpdateSubmission(const std::map<std::string, std::string>& values,
                          pb::UpdateIncidentRequest* request, BlockErrors* errors) {
  if (std::string status = Value(values, "status"); !status.empty()) {
    request->set_status(ParseStatus(status));
    if (request->status() == pb::STATUS_UNSPECIFIED) (*errors)["status"] = "Unknown status.";
  }
  if (std::string severity = Value(values, "severity"); !severity.empty()) {
    request->set_severity(ParseSeverity(severity));
    if (request->severity() == pb::SEVERITY_UNSPECIFIED)
      (*errors)["severity"] = "Unknown severity.";
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
  request->set_reason(ParseCloseReason(Value(values, "reason")));
  if (request->reason() == pb::CLOSE_REASON_UNSPECIFIED) (*errors)["reason"] = "Pick a reason.";
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
