// SlackApp's quick verbs (quick_verbs.h): `/incident status|severity|
// commander|note …` carried out through the core as the person who typed
// them, answered ephemerally with the outcome or the core's own reason.
#include <utility>

#include "absl/strings/str_cat.h"
#include "adapters/slack/incident_text.h"
#include "adapters/slack/slack_app.h"
#include "adapters/slack/slack_markup.h"
#include "clients/incident/vocabulary.h"

namespace ff::slack {

using json = nlohmann::json;

int64_t SlackApp::ChannelIncident(const SlashCommand& command) {
  int64_t id = IncidentIdFromChannelName(command.channel_name);
  if (id == 0 && !command.channel_id.empty()) id = IncidentForChannel(command.channel_id);
  return id;
}

std::string SlackApp::Plain(const std::string& slack_text) {
  return PlainText(slack_text, [this](const std::string& user_id) { return Actor(user_id); });
}

SlackApp::Answer SlackApp::RunQuickVerb(QuickVerb::Kind kind, const std::string& arguments,
                                        const SlashCommand& command) {
  absl::StatusOr<QuickVerb> verb = ParseQuickVerb(kind, arguments, ChannelIncident(command));
  if (!verb.ok()) return Reply(SlackEscape(std::string(verb.status().message())));
  std::string actor = Actor(command.user_id);
  if (verb->kind == QuickVerb::Kind::kNote) return AddNote(*verb, actor);
  pb::UpdateIncidentRequest request;
  request.set_id(verb->incident_id);
  request.set_actor(actor);
  request.set_message(Plain(verb->text));
  switch (verb->kind) {
    case QuickVerb::Kind::kStatus:
      request.set_status(verb->status);
      break;
    case QuickVerb::Kind::kSeverity:
      request.set_severity(verb->severity);
      break;
    default:
      request.set_commander(verb->commander.empty() ? actor : Actor(verb->commander));
  }
  absl::StatusOr<pb::Incident> incident = core_.UpdateIncident(request);
  if (!incident.ok()) return Reply(CoreErrorText(incident.status()));
  if (verb->kind != QuickVerb::Kind::kCommander) {
    return Reply(absl::StrCat("Updated ", SummaryLine(*incident), "."));
  }
  std::string who = verb->commander.empty() ? command.user_id : verb->commander;
  return Reply(absl::StrCat("<@", who, "> is now ", Label(Role::kCommander), " of ",
                            SummaryLine(*incident), "."));
}

SlackApp::Answer SlackApp::AddNote(const QuickVerb& verb, const std::string& actor) {
  pb::AddTimelineEntryRequest request;
  request.set_incident_id(verb.incident_id);
  request.set_actor(actor);
  request.set_kind("note");
  request.set_text(Plain(verb.text));
  absl::StatusOr<pb::TimelineEntry> entry = core_.AddTimelineEntry(request);
  if (!entry.ok()) return Reply(CoreErrorText(entry.status()));
  return Reply(absl::StrCat("Added a note to incident #", verb.incident_id, "."));
}

}  // namespace ff::slack
