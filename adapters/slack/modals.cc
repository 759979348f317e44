#include "adapters/slack/modals.h"

#include <algorithm>
#include <cstring>
#include <optional>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "adapters/slack/incident_text.h"
#include "clients/incident/vocabulary.h"
#include "clients/slack/room_actions.h"

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

// RichTextInput takes formatted text; `initial` (plain) shows as typed.
json RichTextInput(const std::string& initial = "") {
  json input = {{"type", "rich_text_input"}};
  if (!initial.empty()) input["initial_value"] = RichTextOf(initial);
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

json Mrkdwn(const std::string& text) { return {{"type", "mrkdwn"}, {"text", text}}; }

// The moves the core allows from here (allowed_next_statuses); closing has
// its own modal, which asks for a reason.
json StatusOptions(const pb::Incident& incident) {
  json options = json::array();
  for (int value : incident.allowed_next_statuses()) {
    auto status = static_cast<pb::Status>(value);
    if (status != pb::STATUS_CLOSED) options.push_back(VocabularyOption(status));
  }
  return options;
}

// StatusInput offers the allowed moves, or says there is none.
json StatusInput(const pb::Incident& incident) {
  json options = StatusOptions(incident);
  if (options.empty()) {
    return {{"type", "context"},
            {"elements", json::array({Mrkdwn("No status change is possible from here.")})}};
  }
  return Input("status", "Move to", Select(options), true);
}

// MessageInput hints at the moves that need a reason.
json MessageInput(const pb::Incident& incident) {
  json input = Input("message", "Message", TextInput(true), true);
  std::vector<std::string> needing;
  for (int value : incident.next_statuses_needing_message()) {
    needing.emplace_back(Label(static_cast<pb::Status>(value)));
  }
  if (!needing.empty()) {
    input["hint"] =
        Text(absl::StrCat("Say why when moving to ", absl::StrJoin(needing, " or "), ".")
                 .substr(0, 150));
  }
  return input;
}

json RoleInput(Role role, const RoleUsers& holders) {
  auto it = holders.find(std::string(RoleField(role)));
  return Input(std::string(RoleField(role)), std::string(Label(role)),
               UserPicker(it == holders.end() ? "" : it->second), true);
}

// ClearRolesInput offers a "clear" box per held role: a users_select cannot
// be emptied once set. Null when no role is held.
json ClearRolesInput(const pb::Incident& incident) {
  json options = json::array();
  for (Role role : AllRoles()) {
    if (HolderOf(incident.roles(), role).empty()) continue;
    options.push_back(Option(absl::StrCat("No ", absl::AsciiStrToLower(Label(role)), " (",
                                          HolderOf(incident.roles(), role), ")"),
                             std::string(RoleField(role))));
  }
  if (options.empty()) return nullptr;
  return Input("clear_roles", "Clear roles", {{"type", "checkboxes"}, {"options", options}}, true);
}

// StandingText is the incident as it stands, for the top of a modal.
std::string StandingText(const pb::Incident& incident) {
  return absl::StrCat(SummaryLine(incident), "\n*Status:* ", Label(incident.status()),
                      "   *Severity:* ", Label(incident.severity()));
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

// ChoiceValue reads the state of an element that is not rich text.
std::string ChoiceValue(const json& state) {
  if (!state.is_object()) return "";
  for (const char* key : {"value", "selected_user", "selected_date"}) {
    if (state.contains(key) && state[key].is_string()) return state[key].get<std::string>();
  }
  if (state.contains("selected_option") && state["selected_option"].is_object()) {
    const json& option = state["selected_option"];
    if (option.contains("value") && option["value"].is_string()) return option["value"];
  }
  std::vector<std::string> ticked;
  if (state.contains("selected_options") && state["selected_options"].is_array()) {
    for (const json& option : state["selected_options"]) {
      if (option.is_object() && option.contains("value") && option["value"].is_string()) {
        ticked.push_back(option["value"].get<std::string>());
      }
    }
  }
  return absl::StrJoin(ticked, ",");
}

// ElementValue reads one element's state, whatever its type: rich text
// flattened ("" when Slack sent none), INVALID_ARGUMENT when unreadable.
absl::StatusOr<std::string> ElementValue(const json& state, const std::string& block_id,
                                         const RichTextNames& names) {
  if (!state.is_object() || !state.contains("rich_text_value")) return ChoiceValue(state);
  const json& rich_text = state["rich_text_value"];
  if (rich_text.is_null()) return std::string();
  return FlattenRichText(rich_text, names, block_id);
}

}  // namespace

std::string EncodeContext(const ModalContext& context) {
  json data = {{"incident", context.incident_id},
               {"version", context.version},
               {"channel", context.channel_id},
               {"response_url", context.response_url}};
  if (!context.message_ts.empty()) data["message_ts"] = context.message_ts;
  return data.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

ModalContext DecodeContext(const std::string& private_metadata) {
  ModalContext context;
  json data = json::parse(private_metadata, nullptr, false);
  if (!data.is_object()) return context;
  if (data.contains("incident") && data["incident"].is_number_integer()) {
    context.incident_id = data["incident"].get<int64_t>();
  }
  if (data.contains("version") && data["version"].is_number_integer()) {
    context.version = data["version"].get<int64_t>();
  }
  if (data.contains("channel") && data["channel"].is_string()) context.channel_id = data["channel"];
  if (data.contains("response_url") && data["response_url"].is_string()) {
    context.response_url = data["response_url"];
  }
  if (data.contains("message_ts") && data["message_ts"].is_string()) {
    context.message_ts = data["message_ts"];
  }
  return context;
}

json OpenIncidentModal(const pb::ListDomainsResponse& domains, const ModalContext& context) {
  return OpenIncidentModal(domains, context, "", {});
}

namespace {

// SimilarBlock lists the active incidents of the chosen domain.
json SimilarBlock(const std::string& domain, const std::vector<pb::Incident>& similar) {
  std::string text = absl::StrCat("No incident in progress in ", domain, ".");
  if (!similar.empty()) {
    text = ":warning: Possibly the same:";
    for (size_t i = 0; i < similar.size() && i < 10; ++i) {
      absl::StrAppend(&text, "\n• ", SummaryLine(similar[i]));
    }
  }
  return {{"type", "context"},
          {"block_id", "similar"},
          {"elements", json::array({Mrkdwn(text.substr(0, 3000))})}};
}

}  // namespace

json OpenIncidentModal(const pb::ListDomainsResponse& domains, const ModalContext& context,
                       const std::string& domain, const std::vector<pb::Incident>& similar) {
  json domain_options = json::array();
  json chosen = nullptr;
  for (const pb::Domain& d : domains.domains()) {
    domain_options.push_back(Option(d.name(), d.name(), d.description()));
    if (d.name() == domain) chosen = domain_options.back();
  }
  json domain_input = Input("domain", "Domain", Select(domain_options, chosen));
  domain_input["dispatch_action"] = true;  // picking one lists its incidents
  json oncall = {{"type", "checkboxes"},
                 {"options", json::array({Option("Page the domain's on-call", "page")})}};
  json blocks = json::array({domain_input});
  if (!chosen.is_null()) blocks.push_back(SimilarBlock(domain, similar));
  for (json block : {Input("severity", "Severity", Select(SeverityOptions())),
                     Input("title", "Title", TextInput(false, "", 200)),
                     Input("description", "Description", RichTextInput(), true),
                     Input("trigger_oncall", "On-call", oncall, true)}) {
    blocks.push_back(std::move(block));
  }
  return Modal(kOpenCallback, "Open an incident", "Open", blocks, context);
}

json UpdateIncidentModal(const pb::Incident& incident, const ModalContext& context,
                         const RoleUsers& holders, const std::string& notice) {
  json severity = VocabularyOption(incident.severity(), /*with_meaning=*/true);
  json blocks = json::array();
  if (!notice.empty()) {
    blocks.push_back({{"type", "context"},
                      {"elements", json::array({Mrkdwn(absl::StrCat(":warning: ", notice))})}});
  }
  for (json& block : json::array({
           {{"type", "section"}, {"text", Mrkdwn(StandingText(incident))}},
           StatusInput(incident),
           Input("severity", "Severity",
                 Select(SeverityOptions(),
                        incident.severity() == pb::SEVERITY_UNSPECIFIED ? json() : severity),
                 true),
           Input("title", "Title", TextInput(false, incident.title(), 200), true),
           Input("description", "Description", RichTextInput(incident.description()), true),
       })) {
    blocks.push_back(std::move(block));
  }
  for (Role role : AllRoles()) blocks.push_back(RoleInput(role, holders));
  if (json clear = ClearRolesInput(incident); !clear.is_null()) blocks.push_back(clear);
  blocks.push_back(MessageInput(incident));
  ModalContext shown = context;
  shown.version = incident.version();
  return Modal(kUpdateCallback, absl::StrCat("Update #", incident.id()), "Update", blocks, shown);
}

json NoteModal(const pb::Incident& incident, const ModalContext& context) {
  json blocks = json::array({
      {{"type", "section"}, {"text", Mrkdwn(SummaryLine(incident))}},
      Input("note", "Note", TextInput(true, "", 3000)),
  });
  return Modal(kNoteCallback, absl::StrCat("Note on #", incident.id()), "Add", blocks, context);
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

json FollowUpModal(const pb::Incident& incident, const ModalContext& context,
                   const FollowUpDraft& draft) {
  json due = Input("due_date", "Due date", {{"type", "datepicker"}}, true);
  due["hint"] = Text("Left empty: the usual delay for the incident's severity.");
  json blocks = json::array({
      {{"type", "section"}, {"text", Mrkdwn(SummaryLine(incident))}},
      Input("title", "Title", TextInput(false, draft.title, kMaxFollowUpTitle)),
      Input("description", "Description", RichTextInput(draft.description), true),
      Input("owner", "Owner", UserPicker(""), true),
      std::move(due),
  });
  return Modal(kFollowUpCallback, absl::StrCat("Follow-up of #", incident.id()), "Add", blocks,
               context);
}

namespace {

// PartIn says what `email` is in `incident`: its roles, else "Participant".
std::string PartIn(const pb::Incident& incident, const std::string& email) {
  std::vector<std::string> parts;
  for (Role role : AllRoles()) {
    if (HolderOf(incident.roles(), role) == email) parts.emplace_back(Label(role));
  }
  if (parts.empty()) parts.emplace_back(incident.reporter() == email ? "Reporter" : "Participant");
  return absl::StrJoin(parts, ", ");
}

}  // namespace

json HomeView(const std::vector<pb::Incident>& mine, const std::string& email) {
  json open_button = {{"type", "button"},
                      {"action_id", slack_room::kOpenIncident},
                      {"style", "primary"},
                      {"text", Text("Open incident")}};
  json blocks = json::array({
      {{"type", "header"}, {"text", Text("Your incidents")}},
      {{"type", "actions"}, {"block_id", "home_actions"}, {"elements", json::array({open_button})}},
      {{"type", "divider"}},
  });
  if (mine.empty()) {
    blocks.push_back(
        {{"type", "context"},
         {"elements", json::array({Mrkdwn("No incident in progress involves you.")})}});
  }
  for (size_t i = 0; i < mine.size() && i < 90; ++i) {
    blocks.push_back(
        {{"type", "section"},
         {"text", Mrkdwn(absl::StrCat(SummaryLine(mine[i]), "\nYou: ", PartIn(mine[i], email)))}});
  }
  return {{"type", "home"}, {"blocks", blocks}};
}

std::map<std::string, std::string> SubmittedValues(const json& view, const RichTextNames& names,
                                                   BlockErrors* errors) {
  std::map<std::string, std::string> values;
  if (!view.is_object() || !view.contains("state") || !view["state"].is_object()) return values;
  const json& state = view["state"];
  if (!state.contains("values") || !state["values"].is_object()) return values;
  for (const auto& [block_id, actions] : state["values"].items()) {
    if (!actions.is_object()) continue;
    for (const auto& [action_id, element] : actions.items()) {
      absl::StatusOr<std::string> value = ElementValue(element, block_id, names);
      if (value.ok()) {
        values[block_id] = *std::move(value);
      } else {
        (*errors)[block_id] = absl::StrCat("This text cannot be read (", value.status().message(),
                                           "): remove that part and try again.");
      }
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
  // Its length is the core's to check, in characters (the input's
  // max_length already holds Slack's client to 200): its refusal lands on
  // the title.
}

void ReadUpdateSubmission(const std::map<std::string, std::string>& values,
                          pb::UpdateIncidentRequest* request, BlockErrors* errors) {
  if (auto status = ReadChoice<pb::Status>(values, "status", ParseStatus, errors)) {
    request->set_status(*status);
  }
  if (auto severity = ReadChoice<pb::Severity>(values, "severity", ParseSeverity, errors)) {
    request->set_severity(*severity);
  }
  if (values.count("title")) request->set_title(Value(values, "title"));
  if (values.count("description")) request->set_description(Value(values, "description"));
  if (request->has_title() && request->title().empty()) (*errors)["title"] = "A title is required.";
  std::vector<std::string> cleared =
      absl::StrSplit(Value(values, "clear_roles"), ',', absl::SkipEmpty());
  auto is_cleared = [&](const char* role) {
    return std::find(cleared.begin(), cleared.end(), role) != cleared.end();
  };
  auto read_role = [&](const char* role, auto set) {
    std::string user = Value(values, role);
    if (is_cleared(role)) {
      set("");
    } else if (!user.empty()) {
      set(user);
    }
  };
  read_role("commander", [&](const std::string& u) { request->set_commander(u); });
  read_role("communication_lead",
            [&](const std::string& u) { request->set_communication_lead(u); });
  read_role("operations_lead", [&](const std::string& u) { request->set_operations_lead(u); });
  request->set_message(Value(values, "message"));
}

void ReadFollowUpSubmission(const std::map<std::string, std::string>& values,
                            pb::AddFollowUpRequest* request, BlockErrors* errors) {
  request->set_title(Value(values, "title"));
  request->set_description(Value(values, "description"));
  request->set_owner(Value(values, "owner"));
  if (std::string due = Value(values, "due_date"); !due.empty()) request->set_due_date(due);
  if (request->title().empty()) (*errors)["title"] = "A title is required.";
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
  static const char* kFields[] = {"title",  "description",        "domain",          "severity",
                                  "status", "commander",          "message",         "reason",
                                  "owner",  "communication_lead", "operations_lead", "due_date"};
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

json ViewReply(json view) { return {{"response_action", "update"}, {"view", std::move(view)}}; }

json ErrorsReply(const BlockErrors& errors) {
  json out = json::object();
  for (const auto& [block, message] : errors) out[block] = message.substr(0, 2000);
  return {{"response_action", "errors"}, {"errors", out}};
}

}  // namespace ff::slack
