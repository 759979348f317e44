// Modals: the Block Kit views the adapter opens (open, update, close an
// incident) and the readers that turn a view_submission's state back into
// IncidentService requests.
//
// Block ids are the contract between the two halves and with error replies:
// {"response_action":"errors","errors":{<block id>: <message>}} marks the
// block a message is about, so each block id is the request field it fills
// (kBlock* below). private_metadata carries a ModalContext as JSON.
//
// Thread-safe: pure functions.
#ifndef FF_ADAPTERS_SLACK_MODALS_H_
#define FF_ADAPTERS_SLACK_MODALS_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "adapters/slack/rich_text.h"
#include "firefighter/v1/incident_service.pb.h"
#include "nlohmann/json.hpp"

namespace ff::slack {

namespace pb = ::firefighter::v1;

inline constexpr char kOpenCallback[] = "ff_open_incident";
inline constexpr char kUpdateCallback[] = "ff_update_incident";
inline constexpr char kCloseCallback[] = "ff_close_incident";
inline constexpr char kNoteCallback[] = "ff_add_note";
inline constexpr char kFollowUpCallback[] = "ff_add_follow_up";
// Every input element uses this action id; the block id says what it is.
inline constexpr char kActionId[] = "value";

// Where a modal came from, so late answers reach the user who opened it.
struct ModalContext {
  int64_t incident_id = 0;  // 0 for the open modal
  std::string channel_id;
  std::string response_url;
  // The incident's version the update modal showed (0: not an update modal,
  // or one from before versions were kept): its submission is refused, and
  // the modal shown again as the incident now stands, if that moved on.
  int64_t version = 0;
  // The follow-up modal's message (in channel_id), whose link its
  // submission writes into the description; "" for the other modals.
  std::string message_ts;
};
std::string EncodeContext(const ModalContext& context);
ModalContext DecodeContext(const std::string& private_metadata);  // never fails

// Block-id → message, as Slack wants in response_action "errors".
using BlockErrors = std::map<std::string, std::string>;

// OpenIncidentModal is the open form. Picking a domain dispatches a
// block_actions (block "domain") so the adapter can redraw it with
// `similar`: the active incidents of `domain`, listed as "possibly the same".
nlohmann::json OpenIncidentModal(const pb::ListDomainsResponse& domains,
                                 const ModalContext& context);
nlohmann::json OpenIncidentModal(const pb::ListDomainsResponse& domains,
                                 const ModalContext& context, const std::string& domain,
                                 const std::vector<pb::Incident>& similar);

// RoleUsers are the Slack user ids of an incident's role holders, by
// RoleField ("commander", …); a role held by someone Slack does not know is
// absent.
using RoleUsers = std::map<std::string, std::string>;

// The open and update modals take the description as rich text (a
// rich_text_input: no length limit in Slack, the core's applies), stored
// flattened to plain text by SubmittedValues.
//
// UpdateIncidentModal shows the incident as it stands: its status, and as
// initial values its severity, title, description (RichTextOf, whatever its
// length) and role holders. Status options are the core's
// allowed_next_statuses (CLOSED left to the close modal), in the
// vocabulary's words. Slack's users_select cannot be emptied
// once it has a value, so each held role gets a "clear" checkbox instead.
// The modal carries the incident's version in its context. `notice`, when
// not empty, is shown as a warning above everything else (mrkdwn, ours).
nlohmann::json UpdateIncidentModal(const pb::Incident& incident, const ModalContext& context,
                                   const RoleUsers& holders = {}, const std::string& notice = "");
// NoteModal asks for one note for the incident's timeline.
nlohmann::json NoteModal(const pb::Incident& incident, const ModalContext& context);
nlohmann::json CloseIncidentModal(const pb::Incident& incident, const ModalContext& context);

// FollowUp: what a follow-up modal starts with (plain text).
struct FollowUpDraft {
  std::string title;  // at most kMaxFollowUpTitle characters (the input's max_length)
  std::string description;
};
inline constexpr int kMaxFollowUpTitle = 200;  // the core's limit, in characters
// FollowUpModal asks for a follow-up of `incident`: title (prefilled,
// required), description (rich text, prefilled), owner (a user picker) and
// due date (a date picker; left empty, the core's default for the
// incident's severity). Blocks "title", "description", "owner", "due_date".
nlohmann::json FollowUpModal(const pb::Incident& incident, const ModalContext& context,
                             const FollowUpDraft& draft);

// HomeView is the Home tab of the person whose email is `email`: the
// active incidents in `mine` (they hold a role in or take part in) with
// what they are in each, and an "Open incident" button
// (slack_room::kOpenIncident).
nlohmann::json HomeView(const std::vector<pb::Incident>& mine, const std::string& email);

// Values a user typed or picked, by block id: text for inputs (rich text
// flattened by FlattenRichText, people and channels named by `names`), the
// option value for selects ("" when none), the values of the ticked
// checkboxes joined by ',', the user id for pickers. A rich text that
// FlattenRichText refuses is left out and its block gets the reason in
// `errors`.
std::map<std::string, std::string> SubmittedValues(const nlohmann::json& view,
                                                   const RichTextNames& names, BlockErrors* errors);

// Read*Submission fill `request` from submitted values; fields the user
// left empty stay unset. Problems found here come back in `errors`.
// Users are Slack ids here; the caller maps them to emails. Roles ticked in
// "clear_roles" are set to "" (removed); the caller drops what did not change.
void ReadOpenSubmission(const std::map<std::string, std::string>& values,
                        pb::OpenIncidentRequest* request, BlockErrors* errors);
void ReadUpdateSubmission(const std::map<std::string, std::string>& values,
                          pb::UpdateIncidentRequest* request, BlockErrors* errors);
void ReadCloseSubmission(const std::map<std::string, std::string>& values,
                         pb::CloseIncidentRequest* request, BlockErrors* errors);
// The owner is a Slack user id here; due_date stays unset when none was
// picked (the severity's default).
void ReadFollowUpSubmission(const std::map<std::string, std::string>& values,
                            pb::AddFollowUpRequest* request, BlockErrors* errors);

// ErrorsFor places a core refusal on the block it is about: INVALID_ARGUMENT
// messages start with the field name; FAILED_PRECONDITION (a workflow
// refusal) goes on `fallback_block`, as does anything unrecognised.
BlockErrors ErrorsFor(const absl::Status& status, const std::string& fallback_block);

// ErrorsReply is the view_submission answer that shows `errors`.
nlohmann::json ErrorsReply(const BlockErrors& errors);
// ViewReply is the view_submission answer that replaces the modal by `view`.
nlohmann::json ViewReply(nlohmann::json view);

}  // namespace ff::slack

#endif  // FF_ADAPTERS_SLACK_MODALS_H_
