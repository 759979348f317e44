// Slack notifier: one channel per incident, kept informed, plus headlines in
// the global incidents channel (DESIGN.md §4; EXTERNAL_APIS.md §1e).
//
//   incident.opened               create #inc-<id>-<domain>-<title-slug>, set
//                                 its purpose (our marker) and topic, invite
//                                 reporter, role holders, domain invitees and
//                                 participants, post the live summary there
//                                 and pin it, bookmark the dashboard page,
//                                 post a headline in the global channel →
//                                 links "slack_channel" (external_id =
//                                 channel id) and "slack_summary"
//                                 (external_id = the summary's ts).
//   every change below            edit the summary in place (chat.update),
//                                 except for reminders and participants; a
//                                 channel without a summary link gets its
//                                 summary found by marker, or posted.
//   incident.status_changed       post; copy to global when the status is FIXED.
//   incident.severity_changed     post; copy to global when raised to SEV1–2.
//   incident.roles_changed        post "<@U…> is now incident commander" +
//                                 invite the role holders.
//   incident.details_changed      (title, description) summary only.
//   incident.timeline_entry_added a person's note (not a notifier's):
//                                 the summary's latest update.
//   incident.participants_changed invite the participants.
//   incident.links_changed        from any other notifier: the summary's
//                                 links; post (and for the call and the
//                                 postmortem, bookmark) the link its writer
//                                 stored: "postmortem" (confluence), "call"
//                                 (meeting), "postmortem_meeting" (calendar).
//   incident.closed               post (with the postmortem link when there is
//                                 one), then archive (already_archived is fine).
//   incident.reminder             post the reminder in the channel, mentioning
//                                 the commander (<!here> when there is none).
// The topic ("FIXED · SEV1 · <@U…> — #12 title") is set at open and when the
// status, severity, commander or title changes.
//
// People: Slack ids (U…/W…) are invited as is, "name@host" through
// users.lookupByEmail (cached, SlackUserDirectory), "@handle" through
// usergroups.list; bare names and people Slack does not know are skipped and
// named in the delivery's note. Posts, the summary and the topic name people
// as <@U…>, or by their email when Slack does not know them.
//
// Rate limits: every call takes a slot of its method's budget, shared by all
// workers (Slack's tiers by default, "rate_limits" to override); a delivery
// that finds no slot is deferred by the outbox without using up an attempt,
// and a 429 pauses the method for everyone until its Retry-After.
//
// Resumable and idempotent: each step (channel, purpose, topic, invite, each
// post, the summary, its pin and edit, each bookmark, archive) is recorded
// when done (DeliverySteps), so a retry continues
// at the step that failed. Posts carry message metadata {key, installation};
// the channel history is read for that marker only when an earlier try's
// outcome was lost (timeout, crash), never on a first try (and once for a
// channel that has no summary link).
//
// Never another installation's objects: later events use only the channel
// the incident links to (a delivery whose incident has no channel yet waits,
// deferred, for the opened delivery). A channel name already taken on a first
// try belongs to someone else: the channel gets the name suffixed with the
// first four digits of the installation id. After a lost answer, a taken name
// is ours only if the channel's purpose carries our marker, or it has no
// purpose yet and was made after the incident.
// Thread-safe: immutable after Create.
#ifndef FF_SERVER_NOTIFIERS_SLACK_SLACK_NOTIFIER_H_
#define FF_SERVER_NOTIFIERS_SLACK_SLACK_NOTIFIER_H_

#include <memory>

#include "server/notifiers/notifier.h"

namespace ff {

// MakeSlackNotifierFactory builds notifiers named "slack". Config:
//   base_url        Web API base (default https://slack.com/api)
//   bot_token_env   env var holding the xoxb- bot token (default SLACK_BOT_TOKEN)
//   global_channel  id of the global incidents channel (required)
//   workspace_url   e.g. https://acme.slack.com, for channel links (optional;
//                   without it links use https://slack.com/app_redirect)
//   dashboard_url   the web dashboard, e.g. https://ff.example.com (optional):
//                   the summary's link and button, and a bookmark, to
//                   <dashboard_url>/incidents/<id>
//   timeout_ms      per request (default 10000)
//   rate_limits     {"<method>": calls per minute | {"calls", "window_s"}}
//                   over Slack's published tiers (SlackRateLimits())
std::unique_ptr<NotifierFactory> MakeSlackNotifierFactory();

}  // namespace ff

#endif  // FF_SERVER_NOTIFIERS_SLACK_SLACK_NOTIFIER_H_
