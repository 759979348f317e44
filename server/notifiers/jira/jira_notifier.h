// Jira notifier: mirrors each follow-up as a Jira Cloud issue (issue 20).
//
//   followup.added    find the follow-up's issue, or create it: summary =
//                     title, ADF description with a link back to the
//                     incident, assignee = the owner's Jira account (looked
//                     up by e-mail; none when not found), labels = the
//                     markers of jira_issue.h and the configured ones
//   followup.updated  the same, then bring the summary, assignee and due
//                     date in line with the follow-up, and when it is DONE or
//                     CANCELLED perform the configured transition — once: not
//                     when the issue already stands where that transition
//                     leads, nor when it is already in a done status
// Every delivery returns the issue as a TrackerLink (key, <url>/browse/<key>)
// when the follow-up does not hold it yet; the store keeps it on the
// follow-up. followup.tracker_linked (that write-back) is not delivered here.
//
// Idempotent across retries and lost answers: the issue is the one the
// follow-up holds (tracker_key, read from Delivery::follow_ups), else the one
// carrying the follow-up's marker label (a JQL search), else a new one. The
// create is a guarded delivery step: when its answer was lost, the next
// attempt searches for the marker only once Jira's eventually consistent
// search has had `index_delay_s` to index it, then creates again only if it
// is not there. A follow-up that is no longer OPEN and has no issue gets
// none. A follow-up reopened after DONE keeps its issue as it is.
// Thread-safe: immutable after Create.
#ifndef FF_SERVER_NOTIFIERS_JIRA_JIRA_NOTIFIER_H_
#define FF_SERVER_NOTIFIERS_JIRA_JIRA_NOTIFIER_H_

#include <memory>

#include "server/notifiers/notifier.h"

namespace ff {

// MakeJiraNotifierFactory builds notifiers named "jira". Config:
//   url                   the site, e.g. https://acme.atlassian.net (required)
//   email                 the account the API token belongs to (required)
//   token_env             env var holding its API token (default
//                         JIRA_API_TOKEN)
//   project_key           e.g. "OPS" (required)
//   issue_type            e.g. "Task" (required)
//   done_transition       transition name for DONE, e.g. "Done" (required)
//   cancelled_transition  transition name for CANCELLED, e.g. "Won't Do"
//                         (required)
//   labels                extra labels on every issue (no spaces)
//   dashboard_url         the web dashboard, for the link back to the
//                         incident (optional)
//   index_delay_s         how long Jira's search may take to show a new issue
//                         (default 30)
//   rate_limits           {"api": calls a minute}: unpaced by default (Jira
//                         publishes no fixed limit for API-token traffic); a
//                         429 pauses every delivery until its Retry-After
//   timeout_ms            per request (default 10000)
// INVALID_ARGUMENT naming the key for a missing or bad value or an unknown
// key; INTERNAL when the environment lacks an installation id.
std::unique_ptr<NotifierFactory> MakeJiraNotifierFactory();

}  // namespace ff

#endif  // FF_SERVER_NOTIFIERS_JIRA_JIRA_NOTIFIER_H_
