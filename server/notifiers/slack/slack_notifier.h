// Slack notifier: one channel per incident, kept informed, plus headlines in
// the global incidents channel (DESIGN.md §4; EXTERNAL_APIS.md §1e).
//
//   incident.opened               create #inc-<id>-<domain>-<title-slug> (or
//                                 reuse it on name_taken), set the topic,
//                                 invite reporter, role holders, domain
//                                 invitees and participants, post the summary
//                                 there and in the global channel → link
//                                 "slack_channel" (external_id = channel id).
//   incident.status_changed       post; copy to global when the status is FIXED.
//   incident.severity_changed     post; copy to global when raised to SEV1–2.
//   incident.roles_changed        post + invite the role holders.
//   incident.participants_changed invite the participants.
//   incident.links_changed        post each "postmortem", "call" and
//                                 "postmortem_meeting" link of the incident
//                                 not posted before (see below).
//   incident.closed               post (with the postmortem link when there is
//                                 one), then archive (already_archived is fine).
//   incident.reminder             post the reminder in the channel, mentioning
//                                 the commander (<!here> when there is none).
//
// People: Slack ids (U…/W…) are invited as is, "name@host" through
// users.lookupByEmail, "@handle" through usergroups.list; bare names and
// people Slack does not know are skipped and named in the delivery's note.
//
// Idempotent: the channel is found before it is created; invites are no-ops
// for members; every post carries message metadata with a key — the event
// sequence (or the delivery id) and its destination, or, for links, the link
// itself ("link:<kind>:<url>") — and is skipped when a recent message of the
// channel already has that key. So a link is posted once however many
// links_changed events list it, and a redelivered event posts nothing twice.
//
// Events other than opened find the channel through the incident's
// "slack_channel" link, else by its deterministic name; when neither exists
// the channel was never created (per-incident order is guaranteed), and the
// delivery fails with FAILED_PRECONDITION.
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
//   timeout_ms      per request (default 10000)
std::unique_ptr<NotifierFactory> MakeSlackNotifierFactory();

}  // namespace ff

#endif  // FF_SERVER_NOTIFIERS_SLACK_SLACK_NOTIFIER_H_
