// SlackApp: turns verified Slack requests (slash commands, interactivity,
// Events API) into IncidentService calls and the answers back into Slack
// replies. It decides nothing a workflow rule decides: refusals from the core
// are shown to the user as they come.
//
// Every Handle* returns within `inline_budget` (+ a few ms): work that takes
// longer goes on in the background and answers through the response_url.
// Events and button presses (block_actions) are acknowledged at once and
// processed in the background, events once per event_id. A press is carried
// out as the person who pressed it; a refusal goes back to that person
// only (chat.postEphemeral), in the core's words.
//
// Thread-safe: the HTTP server calls it from many threads.
#ifndef FF_ADAPTERS_SLACK_SLACK_APP_H_
#define FF_ADAPTERS_SLACK_SLACK_APP_H_

#include <atomic>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "adapters/slack/background.h"
#include "adapters/slack/modals.h"
#include "adapters/slack/payloads.h"
#include "adapters/slack/quick_verbs.h"
#include "adapters/slack/slack_names.h"
#include "clients/incident/incident_client.h"
#include "clients/slack/slack_client.h"
#include "clients/slack/slack_users.h"
#include "common/clock.h"
#include "nlohmann/json.hpp"

namespace ff::slack {

struct HttpReply {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;  // "" = an empty 200 ack
};

class SlackApp {
 public:
  struct Options {
    // How long a handler waits for the core and Slack before acking and
    // finishing in the background. Slack gives up after 3 s.
    absl::Duration inline_budget = absl::Milliseconds(1500);
    // event_ids remembered to drop Slack's retries.
    size_t remembered_events = 10000;
    // Workspaces (team_id) allowed to use the app; empty allows any. A
    // request from any other workspace is refused with 403.
    std::set<std::string> allowed_teams;
    // After an open from the modal, how long to wait for the incident's
    // channel to exist (polling the core) so that the confirmation can link
    // to it; past that the confirmation says the channel is on its way.
    absl::Duration channel_link_wait = absl::Seconds(5);
  };

  // REQUIRES: `slack` outlives this object.
  SlackApp(IncidentClient core, SlackClient* slack, Options options);
  ~SlackApp();  // waits for background work

  HttpReply HandleCommand(const Form& form);
  HttpReply HandleInteraction(const Form& form);
  // HandleInteraction of the form's `payload`, already parsed (Socket Mode).
  HttpReply HandleInteraction(const nlohmann::json& payload);
  HttpReply HandleEvent(const nlohmann::json& envelope);

  // IncidentIdFromChannelName reads <id> from "inc-<id>-…"; 0 otherwise.
  static int64_t IncidentIdFromChannelName(const std::string& name);

 private:
  // A handler's answer: the HTTP reply when ready in time, and the
  // ephemeral message to send through the response_url when late (null:
  // nothing to say).
  struct Answer {
    HttpReply reply;
    nlohmann::json late_message;
  };

  // Refusal is the 403 reply for a workspace not in allowed_teams, or
  // nullopt when `team_id` may use the app.
  std::optional<HttpReply> Refusal(const std::string& team_id, const char* what) const;

  HttpReply Within(std::function<Answer()> work, const std::string& response_url,
                   HttpReply fallback);

  Answer RunCommand(const SlashCommand& command);
  Answer OpenModalFor(const std::string& verb, const SlashCommand& command, int64_t id);
  Answer OpenIncidentForm(const SlashCommand& command);
  Answer Info(int64_t id);
  Answer List(const std::string& argument);
  // Reply answers with an ephemeral `mrkdwn` message, inline or late.
  static Answer Reply(const std::string& mrkdwn);

  // Quick verbs (slack_verbs.cc).
  Answer RunQuickVerb(QuickVerb::Kind kind, const std::string& arguments,
                      const SlashCommand& command);
  Answer AddNote(const QuickVerb& verb, const std::string& actor);
  // ChannelIncident returns the incident of the command's channel, 0 when
  // it is not an incident channel.
  int64_t ChannelIncident(const SlashCommand& command);
  // Plain is PlainText with people named by Actor.
  std::string Plain(const std::string& slack_text);
  absl::StatusOr<int64_t> IncidentIdFor(const std::string& argument, const SlashCommand& command);

  Answer Submit(const nlohmann::json& payload);
  Answer SubmitOpen(const nlohmann::json& payload, const std::map<std::string, std::string>& v);
  Answer SubmitUpdate(const nlohmann::json& payload, const ModalContext& context,
                      const std::map<std::string, std::string>& v);
  // MovedOn answers an update modal whose incident changed since it was
  // shown: the modal again with the incident as it now stands and a warning
  // (late: an ephemeral message saying nothing was saved).
  Answer MovedOn(const pb::Incident& now, const ModalContext& context);
  Answer SubmitClose(const nlohmann::json& payload, const ModalContext& context,
                     const std::map<std::string, std::string>& v);
  // Refused answers a submission with `errors`: on the modal's blocks when in
  // time, as an ephemeral message when late.
  static Answer Refused(const BlockErrors& errors);
  Answer SubmitNote(const nlohmann::json& payload, const ModalContext& context,
                    const std::map<std::string, std::string>& v);
  // ConfirmOpen tells the opener which incident their submission opened
  // (or found already open), with a link to its channel once it exists.
  void ConfirmOpen(const ModalContext& context, const std::string& user_id,
                   const pb::Incident& incident, bool existing);
  // Tell shows `text` to `user_id` only: through `response_url` when there
  // is one, else as an ephemeral message in `channel_id`.
  void Tell(const std::string& response_url, const std::string& channel_id,
            const std::string& user_id, const std::string& text);

  // Follow-ups (slack_follow_ups.cc): `/incident followup [N] [title]` adds
  // one (lists them without a title; `followups` lists them too), and the
  // message shortcut kMakeFollowUpShortcut opens the follow-up modal with
  // the message as its draft, or tells the user why not.
  Answer RunFollowUpVerb(const std::string& verb, const std::string& arguments,
                         const SlashCommand& command);
  Answer ListFollowUps(int64_t incident_id);
  void MakeFollowUp(const MessageAction& action);
  Answer SubmitFollowUp(const nlohmann::json& payload, const ModalContext& context,
                        const std::map<std::string, std::string>& v);
  // MessageLink is the permalink of the context's message, or where it is
  // when Slack cannot say.
  std::string MessageLink(const ModalContext& context);

  // Buttons and dispatched selects (slack_actions.cc).
  void Press(const nlohmann::json& payload);
  void PressUpdate(const nlohmann::json& payload, int64_t id);
  void PressCommanderMe(const nlohmann::json& payload, int64_t id);
  void PressAddNote(const nlohmann::json& payload, int64_t id);
  void PressOpenIncident(const nlohmann::json& payload);
  void DomainPicked(const nlohmann::json& payload, const std::string& domain);
  // HolderIds resolves the incident's role holders (emails) to Slack ids.
  RoleUsers HolderIds(const pb::Incident& incident);
  // PublishHome sets `user_id`'s Home tab: their active incidents and the
  // open button.
  void PublishHome(const std::string& user_id);

  // Events (slack_events.cc).
  bool FirstDelivery(const std::string& event_id);
  void ProcessEvent(const nlohmann::json& event);
  void CaptureMessage(const nlohmann::json& event);
  void MarkKey(const nlohmann::json& event);
  int64_t IncidentForChannel(const std::string& channel_id);

  // Actor returns the email of Slack user `user_id`, or the id when Slack
  // cannot say.
  std::string Actor(const std::string& user_id);
  // TextNames names people by Actor and channels by name (their id when
  // Slack cannot say), for rich text.
  RichTextNames TextNames();

  IncidentClient core_;
  SlackClient* slack_;
  SlackNames names_;
  SystemClock clock_;
  SlackUserDirectory users_{slack_, &clock_};
  const Options options_;
  absl::Mutex mu_;
  std::set<std::string> seen_events_ ABSL_GUARDED_BY(mu_);
  std::deque<std::string> seen_order_ ABSL_GUARDED_BY(mu_);
  // Captured messages by "channel/ts": (author, text), for 📌 reactions.
  std::map<std::string, std::pair<std::string, std::string>> messages_ ABSL_GUARDED_BY(mu_);
  std::deque<std::string> message_order_ ABSL_GUARDED_BY(mu_);
  std::atomic<bool> stopping_{false};  // set first on destruction: polls give up
  Background background_;              // last: joined first, while the members above live
};

// The message shortcut's callback_id (manifest.yaml, `shortcuts`).
inline constexpr char kMakeFollowUpShortcut[] = "make_followup";

// Ephemeral returns a slash-command reply message visible to its caller.
nlohmann::json Ephemeral(const std::string& text);
// ActiveStatuses are the statuses of an incident in progress (not closed).
std::vector<pb::Status> ActiveStatuses();
// CoreErrorText explains a core failure to a Slack user, in mrkdwn (the
// core's message escaped: it may quote what people wrote).
std::string CoreErrorText(const absl::Status& status);

}  // namespace ff::slack

#endif  // FF_ADAPTERS_SLACK_SLACK_APP_H_
