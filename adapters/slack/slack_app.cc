#include "adapters/slack/slack_app.h"

#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "adapters/slack/incident_blocks.h"
#include "adapters/slack/incident_text.h"
#include "clients/incident/vocabulary.h"
#include "clients/slack/mrkdwn.h"
#include "spdlog/spdlog.h"

namespace ff::slack {

using json = nlohmann::json;

json Ephemeral(const std::string& text) { return {{"response_type", "ephemeral"}, {"text", text}}; }

std::vector<pb::Status> ActiveStatuses() {
  return {pb::STATUS_OPEN, pb::STATUS_INVESTIGATING, pb::STATUS_FIXING, pb::STATUS_FIXED,
          pb::STATUS_POSTMORTEM};
}

std::string CoreErrorText(const absl::Status& status) {
  std::string message = SlackEscape(std::string(status.message()));
  switch (status.code()) {
    case absl::StatusCode::kUnavailable:
    case absl::StatusCode::kDeadlineExceeded:
      return absl::StrCat(":warning: FireFighter is not answering right now (", message,
                          "). Try again in a minute.");
    case absl::StatusCode::kNotFound:
      return absl::StrCat(":mag: ", message);
    case absl::StatusCode::kUnauthenticated:
      return absl::StrCat(":lock: The FireFighter app could not sign in to the incident service (",
                          message,
                          "). Ask whoever runs FireFighter to check the app's service token.");
    case absl::StatusCode::kPermissionDenied:
      return absl::StrCat(":no_entry: FireFighter did not allow this: ", message);
    default:
      return absl::StrCat(":x: ", message);
  }
}

namespace {

HttpReply JsonReply(const json& body) {
  return HttpReply{200, "application/json",
                   body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)};
}

}  // namespace

SlackApp::SlackApp(IncidentClient core, SlackClient* slack, Options options)
    : core_(std::move(core)), slack_(slack), names_(slack), options_(std::move(options)) {}

SlackApp::~SlackApp() { stopping_.store(true); }

int64_t SlackApp::IncidentIdFromChannelName(const std::string& name) {
  absl::string_view rest = name;
  if (!absl::ConsumePrefix(&rest, "inc-")) return 0;
  int64_t id = 0;
  std::string digits(rest.substr(0, rest.find('-')));
  return absl::SimpleAtoi(digits, &id) && id > 0 ? id : 0;
}

HttpReply SlackApp::Within(std::function<Answer()> work, const std::string& response_url,
                           HttpReply fallback) {
  SlackClient* slack = slack_;
  std::optional<Answer> answer = background_.RunWithin<Answer>(
      options_.inline_budget, std::move(work), [slack, response_url](const Answer& late) {
        if (late.late_message.is_null() || response_url.empty()) return;
        absl::Status sent = slack->Respond(response_url, late.late_message);
        if (!sent.ok()) spdlog::warn("late reply not delivered: {}", sent.ToString());
      });
  if (answer) return answer->reply;
  return fallback;
}

std::string SlackApp::Actor(const std::string& user_id) {
  absl::StatusOr<std::string> email = names_.UserEmail(user_id);
  if (email.ok()) return *email;
  spdlog::warn("users.info {} failed: {}", user_id, email.status().ToString());
  return user_id;
}

RichTextNames SlackApp::TextNames() {
  return {[this](const std::string& user_id) { return Actor(user_id); },
          [this](const std::string& channel_id) {
            absl::StatusOr<std::string> name = names_.ChannelName(channel_id);
            return name.ok() ? *name : channel_id;
          }};
}

// ---- Slash commands ------------------------------------------------------

std::optional<HttpReply> SlackApp::Refusal(const std::string& team_id, const char* what) const {
  if (options_.allowed_teams.empty() || options_.allowed_teams.count(team_id) > 0) {
    return std::nullopt;
  }
  spdlog::warn("refused a {} from workspace \"{}\", which is not in --allowed-team", what, team_id);
  return HttpReply{403, "application/json",
                   json{{"error", "this Slack workspace may not use FireFighter"}}.dump()};
}

HttpReply SlackApp::HandleCommand(const Form& form) {
  if (form.count("ssl_check")) return HttpReply{};
  auto team = form.find("team_id");
  if (auto refused = Refusal(team == form.end() ? "" : team->second, "slash command")) {
    return *refused;
  }
  absl::StatusOr<SlashCommand> command = ParseSlashCommand(form);
  if (!command.ok()) return HttpReply{400, "text/plain", std::string(command.status().message())};
  HttpReply fallback = JsonReply(Ephemeral(":hourglass: Working on it…"));
  return Within([this, c = *command] { return RunCommand(c); }, command->response_url, fallback);
}

SlackApp::Answer SlackApp::Reply(const std::string& mrkdwn) {
  json reply = Ephemeral(mrkdwn);
  return Answer{JsonReply(reply), reply};
}

SlackApp::Answer SlackApp::RunCommand(const SlashCommand& command) {
  absl::string_view rest = absl::StripLeadingAsciiWhitespace(command.text);
  std::string verb = absl::AsciiStrToLower(rest.substr(0, rest.find_first_of(" \t\n")));
  rest.remove_prefix(verb.size());
  std::string argument(absl::StripAsciiWhitespace(rest));
  if (verb == "open") return OpenIncidentForm(command);
  if (verb == "list") return List(argument);
  if (verb == "followup" || verb == "followups") return RunFollowUpVerb(verb, argument, command);
  if (std::optional<QuickVerb::Kind> kind = QuickVerbKind(verb)) {
    return RunQuickVerb(*kind, argument, command);
  }
  if (verb != "update" && verb != "close" && verb != "info") return Reply(HelpText());
  absl::StatusOr<int64_t> id =
      IncidentIdFor(argument.substr(0, argument.find_first_of(" \t\n")), command);
  if (!id.ok()) return Reply(SlackEscape(std::string(id.status().message())));
  if (verb == "info") return Info(*id);
  return OpenModalFor(verb, command, *id);
}

absl::StatusOr<int64_t> SlackApp::IncidentIdFor(const std::string& argument,
                                                const SlashCommand& command) {
  int64_t id = 0;
  if (!argument.empty()) {
    std::string digits(absl::StripPrefix(argument, "#"));
    if (absl::SimpleAtoi(digits, &id) && id > 0) return id;
    return absl::InvalidArgumentError(absl::StrCat("\"", argument.substr(0, 24),
                                                   "\" is not an incident number; try "
                                                   "`/incident info 42`."));
  }
  id = ChannelIncident(command);
  if (id > 0) return id;
  return absl::InvalidArgumentError(
      "Which incident? Give its number (`/incident info 42`) or run the command in the "
      "incident's channel.");
}

SlackApp::Answer SlackApp::OpenIncidentForm(const SlashCommand& command) {
  absl::StatusOr<pb::ListDomainsResponse> domains = core_.ListDomains();
  if (!domains.ok()) {
    json reply = Ephemeral(CoreErrorText(domains.status()));
    return Answer{JsonReply(reply), reply};
  }
  ModalContext context{0, command.channel_id, command.response_url};
  absl::Status opened = slack_->OpenView(command.trigger_id, OpenIncidentModal(*domains, context));
  if (!opened.ok()) {
    json reply = Ephemeral(absl::StrCat(":x: Could not open the form: ", opened.message()));
    return Answer{JsonReply(reply), reply};
  }
  return Answer{HttpReply{}, nullptr};
}

SlackApp::Answer SlackApp::OpenModalFor(const std::string& verb, const SlashCommand& command,
                                        int64_t id) {
  absl::StatusOr<pb::Incident> incident = core_.GetIncident(id);
  if (!incident.ok()) {
    json reply = Ephemeral(CoreErrorText(incident.status()));
    return Answer{JsonReply(reply), reply};
  }
  ModalContext context{id, command.channel_id, command.response_url};
  json view = verb == "close" ? CloseIncidentModal(*incident, context)
                              : UpdateIncidentModal(*incident, context, HolderIds(*incident));
  absl::Status opened = slack_->OpenView(command.trigger_id, view);
  if (!opened.ok()) {
    json reply = Ephemeral(absl::StrCat(":x: Could not open the form: ", opened.message()));
    return Answer{JsonReply(reply), reply};
  }
  return Answer{HttpReply{}, nullptr};
}

SlackApp::Answer SlackApp::Info(int64_t id) {
  absl::StatusOr<pb::Incident> incident = core_.GetIncident(id);
  if (!incident.ok()) return Reply(CoreErrorText(incident.status()));
  json reply = InfoMessage(*incident);
  return Answer{JsonReply(reply), reply};
}

SlackApp::Answer SlackApp::List(const std::string& argument) {
  IncidentList list;
  list.all = absl::AsciiStrToLower(argument) == "all";
  if (!argument.empty() && !list.all) {
    return Reply(
        "`/incident list` shows the incidents in progress; `/incident list all` "
        "shows closed ones too.");
  }
  pb::ListIncidentsRequest request;
  for (pb::Status status : AllStatuses()) {
    if (list.all || status != pb::STATUS_CLOSED) request.add_statuses(status);
  }
  request.set_page_size(200);  // shown: kListShown; the rest are counted
  absl::StatusOr<pb::ListIncidentsResponse> page = core_.ListIncidents(request);
  if (!page.ok()) return Reply(CoreErrorText(page.status()));
  list.page = *std::move(page);
  json reply = ListMessage(list);
  return Answer{JsonReply(reply), reply};
}

// ---- Interactivity -------------------------------------------------------

HttpReply SlackApp::HandleInteraction(const Form& form) {
  absl::StatusOr<json> payload = ParseInteraction(form);
  if (!payload.ok()) return HttpReply{400, "text/plain", std::string(payload.status().message())};
  return HandleInteraction(*payload);
}

HttpReply SlackApp::HandleInteraction(const json& unchecked) {
  absl::StatusOr<json> payload = CheckInteraction(unchecked);
  if (!payload.ok()) return HttpReply{400, "text/plain", std::string(payload.status().message())};
  if (auto refused = Refusal(StringAt(*payload, "/team/id"), "interaction")) return *refused;
  std::string type = StringAt(*payload, "/type");
  if (type == "block_actions") {
    background_.Start([this, p = *payload] { Press(p); });
    return HttpReply{};  // ack at once; the press is carried out meanwhile
  }
  if (type == "message_action") {
    absl::StatusOr<MessageAction> action = ReadMessageAction(*payload);
    if (!action.ok()) return HttpReply{400, "text/plain", std::string(action.status().message())};
    background_.Start([this, a = *std::move(action)] { MakeFollowUp(a); });
    return HttpReply{};  // ack at once; the modal opens meanwhile
  }
  if (type != "view_submission") return HttpReply{};  // ack
  std::string response_url =
      DecodeContext(StringAt(*payload, "/view/private_metadata")).response_url;
  return Within([this, p = *payload] { return Submit(p); }, response_url, HttpReply{});
}

namespace {

// DropUnchanged clears the fields of `request` that the modal sent back as
// they were (it shows every field prefilled), so the timeline records only
// what the user changed.
void DropUnchanged(const pb::Incident& current, pb::UpdateIncidentRequest* request) {
  if (request->has_severity() && request->severity() == current.severity()) {
    request->clear_severity();
  }
  if (request->has_title() && request->title() == current.title()) request->clear_title();
  if (request->has_description() && request->description() == current.description()) {
    request->clear_description();
  }
  const pb::Roles& roles = current.roles();
  if (request->has_commander() && request->commander() == roles.commander()) {
    request->clear_commander();
  }
  if (request->has_communication_lead() &&
      request->communication_lead() == roles.communication_lead()) {
    request->clear_communication_lead();
  }
  if (request->has_operations_lead() && request->operations_lead() == roles.operations_lead()) {
    request->clear_operations_lead();
  }
}

// ChannelMention is the incident's channel as Slack shows it, "" until the
// core has linked one.
std::string ChannelMention(const pb::Incident& incident) {
  for (const pb::Link& link : incident.links()) {
    if (link.kind() != "slack_channel") continue;
    if (!link.external_id().empty()) return absl::StrCat("<#", link.external_id(), ">");
    if (!link.url().empty()) return absl::StrCat("<", link.url(), "|the channel>");
  }
  return "";
}

}  // namespace

SlackApp::Answer SlackApp::Refused(const BlockErrors& errors) {
  std::string text = ":x:";
  for (const auto& [block, message] : errors) absl::StrAppend(&text, " ", block, ": ", message);
  return Answer{JsonReply(ErrorsReply(errors)), Ephemeral(text)};
}

SlackApp::Answer SlackApp::Submit(const json& payload) {
  const json& view = payload.contains("view") ? payload["view"] : json();
  std::string callback = StringAt(payload, "/view/callback_id");
  ModalContext context = DecodeContext(StringAt(payload, "/view/private_metadata"));
  BlockErrors unreadable;
  std::map<std::string, std::string> values = SubmittedValues(view, TextNames(), &unreadable);
  if (!unreadable.empty()) return Refused(unreadable);
  if (callback == kOpenCallback) return SubmitOpen(payload, values);
  if (callback == kUpdateCallback) return SubmitUpdate(payload, context, values);
  if (callback == kCloseCallback) return SubmitClose(payload, context, values);
  if (callback == kNoteCallback) return SubmitNote(payload, context, values);
  if (callback == kFollowUpCallback) return SubmitFollowUp(payload, context, values);
  return Answer{HttpReply{}, nullptr};
}

void SlackApp::ConfirmOpen(const ModalContext& context, const std::string& user_id,
                           const pb::Incident& incident, bool existing) {
  background_.Start([this, context, user_id, incident, existing] {
    std::string channel = ChannelMention(incident);
    absl::Time deadline = clock_.Now() + options_.channel_link_wait;
    while (channel.empty() && clock_.Now() < deadline && !stopping_.load()) {
      absl::SleepFor(absl::Milliseconds(200));
      absl::StatusOr<pb::Incident> current = core_.GetIncident(incident.id());
      if (current.ok()) channel = ChannelMention(*current);
    }
    std::string text = existing
                           ? absl::StrCat("Already open as ", SummaryLine(incident), ".")
                           : absl::StrCat(":white_check_mark: Opened ", SummaryLine(incident), ".");
    absl::StrAppend(&text, channel.empty()
                               ? " Its channel is not there yet; it will be announced once created."
                               : absl::StrCat(" Join ", channel, "."));
    if (context.response_url.empty() && context.channel_id.empty()) {
      PublishHome(user_id);  // opened from the Home tab, which now lists it
    } else {
      Tell(context.response_url, context.channel_id, user_id, text);
    }
  });
}

SlackApp::Answer SlackApp::SubmitOpen(const json& payload,
                                      const std::map<std::string, std::string>& values) {
  pb::OpenIncidentRequest request;
  BlockErrors errors;
  ReadOpenSubmission(values, &request, &errors);
  if (errors.empty()) {
    request.set_reporter(Actor(StringAt(payload, "/user/id")));
    // Pressing Open again on the same form (Slack showed an error when the
    // first answer was slow) finds the incident the first press opened.
    if (std::string view_id = StringAt(payload, "/view/id"); !view_id.empty()) {
      request.set_dedup_key(absl::StrCat("slack-view:", view_id));
    }
    absl::StatusOr<IncidentClient::Opened> opened = core_.Open(request);
    if (opened.ok()) {
      ConfirmOpen(DecodeContext(StringAt(payload, "/view/private_metadata")),
                  StringAt(payload, "/user/id"), opened->incident, opened->deduplicated);
      return Answer{HttpReply{}, nullptr};  // ConfirmOpen answers, in time or late
    }
    errors = ErrorsFor(opened.status(), "title");
  }
  return Refused(errors);
}

SlackApp::Answer SlackApp::SubmitUpdate(const json& payload, const ModalContext& context,
                                        const std::map<std::string, std::string>& values) {
  pb::UpdateIncidentRequest request;
  BlockErrors errors;
  ReadUpdateSubmission(values, &request, &errors);
  if (errors.empty()) {
    request.set_id(context.incident_id);
    request.set_actor(Actor(StringAt(payload, "/user/id")));
    if (!request.commander().empty()) request.set_commander(Actor(request.commander()));
    if (!request.communication_lead().empty()) {
      request.set_communication_lead(Actor(request.communication_lead()));
    }
    if (!request.operations_lead().empty()) {
      request.set_operations_lead(Actor(request.operations_lead()));
    }
    absl::StatusOr<pb::Incident> incident = core_.GetIncident(context.incident_id);
    if (incident.ok() && context.version > 0) {
      // Someone else changed the incident while this modal was open: what
      // it sends back would undo their change, so nothing is written.
      if (incident->version() != context.version) return MovedOn(*incident, context);
      request.set_expected_version(context.version);
    }
    if (incident.ok()) {
      DropUnchanged(*incident, &request);
      incident = core_.UpdateIncident(request);
      if (incident.status().code() == absl::StatusCode::kAborted) {
        absl::StatusOr<pb::Incident> now = core_.GetIncident(context.incident_id);
        if (now.ok()) return MovedOn(*now, context);
      }
    }
    if (incident.ok()) {
      return Answer{HttpReply{}, Ephemeral(absl::StrCat("Updated ", SummaryLine(*incident), "."))};
    }
    errors = ErrorsFor(incident.status(), "status");
  }
  return Refused(errors);
}

SlackApp::Answer SlackApp::MovedOn(const pb::Incident& now, const ModalContext& context) {
  const std::string notice =
      absl::StrCat("#", now.id(),
                   " changed while you were editing, so nothing was saved. This form now "
                   "shows it as it stands: make your change again.");
  return Answer{JsonReply(ViewReply(UpdateIncidentModal(now, context, HolderIds(now), notice))),
                Ephemeral(absl::StrCat(":warning: ", notice,
                                       " Press *Update* on the summary to "
                                       "open it again."))};
}

SlackApp::Answer SlackApp::SubmitNote(const json& payload, const ModalContext& context,
                                      const std::map<std::string, std::string>& values) {
  auto text = values.find("note");
  BlockErrors errors;
  if (text == values.end() || text->second.empty()) {
    errors["note"] = "Write the note.";
  } else {
    pb::AddTimelineEntryRequest request;
    request.set_incident_id(context.incident_id);
    request.set_kind("note");
    request.set_actor(Actor(StringAt(payload, "/user/id")));
    request.set_text(text->second);
    absl::StatusOr<pb::TimelineEntry> entry = core_.AddTimelineEntry(request);
    if (entry.ok()) return Answer{HttpReply{}, nullptr};
    errors = ErrorsFor(entry.status(), "note");
  }
  return Refused(errors);
}

SlackApp::Answer SlackApp::SubmitClose(const json& payload, const ModalContext& context,
                                       const std::map<std::string, std::string>& values) {
  pb::CloseIncidentRequest request;
  BlockErrors errors;
  ReadCloseSubmission(values, &request, &errors);
  if (errors.empty()) {
    request.set_id(context.incident_id);
    request.set_actor(Actor(StringAt(payload, "/user/id")));
    absl::StatusOr<pb::Incident> incident = core_.CloseIncident(request);
    if (incident.ok()) {
      return Answer{HttpReply{}, Ephemeral(absl::StrCat("Closed ", SummaryLine(*incident), "."))};
    }
    errors = ErrorsFor(incident.status(), "reason");
  }
  return Refused(errors);
}

}  // namespace ff::slack
