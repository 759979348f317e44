// SlackApp's follow-ups: `/incident followup [N] [title]` adds one to the
// incident (without a title, and as `/incident followups [N]`, lists them),
// and the message shortcut "Make a follow-up" turns a channel message into
// one through a modal. Everything is done as the Slack user, recorded by
// email; refusals are the core's own words, shown to that user only.
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "adapters/slack/follow_up_text.h"
#include "adapters/slack/slack_app.h"
#include "adapters/slack/slack_markup.h"
#include "spdlog/spdlog.h"

namespace ff::slack {

using json = nlohmann::json;

namespace {

// How much of a message the modal's description starts with: room is left
// under the core's 4000 for the line naming the message.
constexpr size_t kDraftDescription = 3500;

// DraftOf is the modal's starting point for a message's (plain) text: the
// text on one line as the title, the text as the description.
FollowUpDraft DraftOf(const std::string& text) {
  std::string one_line = absl::StrReplaceAll(text, {{"\r\n", " "}, {"\n", " "}, {"\t", " "}});
  return {CharacterPrefix(one_line, kMaxFollowUpTitle), CharacterPrefix(text, kDraftDescription)};
}

}  // namespace

SlackApp::Answer SlackApp::RunFollowUpVerb(const std::string& verb, const std::string& arguments,
                                           const SlashCommand& command) {
  absl::StatusOr<QuickVerb> parsed =
      ParseQuickVerb(QuickVerb::Kind::kFollowUp, arguments, ChannelIncident(command));
  if (!parsed.ok()) return Reply(SlackEscape(std::string(parsed.status().message())));
  if (parsed->text.empty()) return ListFollowUps(parsed->incident_id);
  if (verb == "followups") {
    return Reply(
        "`/incident followups` lists the incident's follow-ups; to add one, "
        "`/incident followup &lt;title&gt;`.");
  }
  pb::AddFollowUpRequest request;
  request.set_incident_id(parsed->incident_id);
  request.set_actor(Actor(command.user_id));
  request.set_title(Plain(parsed->text));
  absl::StatusOr<pb::FollowUp> added = core_.AddFollowUp(request);
  if (!added.ok()) return Reply(CoreErrorText(added.status()));
  return Reply(AddedFollowUpText(*added));
}

SlackApp::Answer SlackApp::ListFollowUps(int64_t incident_id) {
  pb::ListFollowUpsRequest request;
  request.set_incident_id(incident_id);
  request.set_page_size(500);  // shown: kFollowUpsShown; the rest are counted
  absl::StatusOr<pb::ListFollowUpsResponse> page = core_.ListFollowUps(request);
  if (!page.ok()) return Reply(CoreErrorText(page.status()));
  return Reply(FollowUpListText(incident_id, *page));
}

void SlackApp::MakeFollowUp(const MessageAction& action) {
  if (action.callback_id != kMakeFollowUpShortcut) {
    spdlog::info("message shortcut \"{}\" is not one of ours; ignored",
                 action.callback_id.substr(0, 40));
    return;
  }
  int64_t id = IncidentIdFromChannelName(action.channel_name);
  if (id == 0) id = IncidentForChannel(action.channel_id);
  if (id == 0) {
    return Tell(action.response_url, action.channel_id, action.user_id,
                ":x: This channel is not an incident's: a follow-up is made from a message in "
                "the incident's channel (`inc-<id>-…`). Nothing was added.");
  }
  absl::StatusOr<pb::Incident> incident = core_.GetIncident(id);
  if (!incident.ok()) {
    return Tell(action.response_url, action.channel_id, action.user_id,
                CoreErrorText(incident.status()));
  }
  ModalContext context{id, action.channel_id, action.response_url};
  context.message_ts = action.message_ts;
  absl::Status opened = slack_->OpenView(
      action.trigger_id, FollowUpModal(*incident, context, DraftOf(Plain(action.message_text))));
  if (!opened.ok()) {
    Tell(action.response_url, action.channel_id, action.user_id,
         absl::StrCat(":x: Could not open the form: ", SlackEscape(std::string(opened.message()))));
  }
}

std::string SlackApp::MessageLink(const ModalContext& context) {
  absl::StatusOr<json> found = slack_->Call(
      "chat.getPermalink", {{"channel", context.channel_id}, {"message_ts", context.message_ts}});
  if (found.ok() && found->contains("permalink") && (*found)["permalink"].is_string()) {
    return (*found)["permalink"].get<std::string>();
  }
  spdlog::warn("chat.getPermalink {} {}: {}", context.channel_id, context.message_ts,
               found.ok() ? "no permalink" : found.status().ToString());
  return absl::StrCat("message ", context.message_ts, " in channel ", context.channel_id);
}

SlackApp::Answer SlackApp::SubmitFollowUp(const json& payload, const ModalContext& context,
                                          const std::map<std::string, std::string>& values) {
  pb::AddFollowUpRequest request;
  BlockErrors errors;
  ReadFollowUpSubmission(values, &request, &errors);
  if (!errors.empty()) return Refused(errors);
  const std::string user = StringAt(payload, "/user/id");
  request.set_incident_id(context.incident_id);
  request.set_actor(Actor(user));
  if (!request.owner().empty()) request.set_owner(Actor(request.owner()));
  if (!context.message_ts.empty()) {
    std::string from = absl::StrCat("From Slack: ", MessageLink(context));
    request.set_description(
        request.description().empty() ? from : absl::StrCat(request.description(), "\n\n", from));
  }
  absl::StatusOr<pb::FollowUp> added = core_.AddFollowUp(request);
  if (!added.ok()) return Refused(ErrorsFor(added.status(), "title"));
  background_.Start([this, context, user, text = AddedFollowUpText(*added)] {
    Tell(context.response_url, context.channel_id, user, text);
  });
  return Answer{HttpReply{}, nullptr};  // the modal closes; the user is told meanwhile
}

}  // namespace ff::slack
