// The buttons of an incident channel's live summary: the names the Slack
// notifier (server/notifiers/slack) puts on them and the Slack adapter
// (adapters/slack) dispatches on. One place, so the two can never disagree.
//
// Every button carries the incident's id, in decimal, as its `value`.
// Header-only constants; thread-safe.
#ifndef FF_CLIENTS_SLACK_ROOM_ACTIONS_H_
#define FF_CLIENTS_SLACK_ROOM_ACTIONS_H_

namespace ff::slack_room {

// block_id of the summary's actions block.
inline constexpr char kActionsBlock[] = "ff_summary_actions";
// Opens the update modal, prefilled with the incident as it stands.
inline constexpr char kUpdate[] = "ff_update";
// Makes the person who pressed it the incident commander.
inline constexpr char kCommanderMe[] = "ff_commander_me";
// Opens a one-field modal that adds a note to the timeline.
inline constexpr char kAddNote[] = "ff_add_note";
// A URL button to the incident's dashboard page (no request reaches us
// beyond Slack's acknowledgement).
inline constexpr char kOpenDashboard[] = "ff_open_dashboard";
// App Home: opens the open-incident modal.
inline constexpr char kOpenIncident[] = "ff_open_incident";

}  // namespace ff::slack_room

#endif  // FF_CLIENTS_SLACK_ROOM_ACTIONS_H_
