// PagerDuty notifier: pages the on-call engineer through the Events API v2
// and names who is on call through the REST API (EXTERNAL_APIS.md §2, §8).
//
//   incident.opened          trigger (when trigger_oncall) → link "pagerduty";
//                            on-call lookup (when the domain has an
//                            escalation_policy_id and an API token is set) →
//                            participant + link "oncall" + note.
//   incident.status_changed  to FIXED: resolve (when trigger_oncall);
//                            reopened (FIXED back to INVESTIGATING or FIXING):
//                            trigger again (when trigger_oncall) → link.
//   incident.closed          resolve (when trigger_oncall).
//
// Installation identity: the dedup key is
// "firefighter-<installation id>-incident-<id>", so another FireFighter
// sharing the PagerDuty account (staging beside production, a restored
// backup) never deduplicates into, resolves or otherwise touches our alerts,
// nor we theirs: a fresh database whose incident #1 meets another
// installation's open alert for #1 pages with its own.
//
// The link "pagerduty" records what the trigger used: external_id is the
// dedup key, url is "routing-key-sha256:<first 8 hex digits of the SHA-256 of
// the routing key>" (links are shown to users, so never the key itself).
// Resolve uses the link's dedup key and the configured routing key (default or
// any domain's) with that fingerprint — PagerDuty only resolves with the key
// that triggered — even after the incident moved to another domain or its
// domain's key changed; FAILED_PRECONDITION naming the link when no configured
// key has it any more (resolve the alert in PagerDuty by hand). Links written
// before installation ids existed ("firefighter-incident-<id>", no url) still
// resolve, with the current domain's key (FAILED_PRECONDITION naming the link
// when that domain has none). Without a link, resolve sends our own dedup key
// with the current domain's key (PagerDuty drops it when nothing is open).
// Links holding another installation's dedup key are ignored.
//
// A reopen is recognised from the timeline entry the change wrote ("Reopened:
// status FIXED → FIXING", server/core/workflow.cc): the event carries only the
// incident after the change. After a resolve PagerDuty opens a new alert for
// a trigger with the same dedup key, so a reopen pages again.
//
// Idempotent: PagerDuty deduplicates triggers of an open alert by dedup key
// and drops resolves of alerts that are not open; the lookup is read-only. On
// opened with both a trigger and a lookup, the trigger is a recorded delivery
// step (delivery_steps.h): a retry after the lookup failed does not send it
// again.
// The calls themselves are clients/pagerduty; this is the policy of when.
// Thread-safe: immutable after Create.
#ifndef FF_SERVER_NOTIFIERS_PAGERDUTY_PAGERDUTY_NOTIFIER_H_
#define FF_SERVER_NOTIFIERS_PAGERDUTY_PAGERDUTY_NOTIFIER_H_

#include <memory>

#include "server/notifiers/notifier.h"

namespace ff {

// MakePagerDutyNotifierFactory builds notifiers named "pagerduty". Config:
//   events_url       Events API base (default https://events.pagerduty.com)
//   api_url          REST API base (default https://api.pagerduty.com)
//   routing_key_env  env var holding the default 32-character integration key
//   api_token_env    env var holding a REST API token (optional: no lookup)
//   domains          {"<domain>": {"routing_key_env": …, "escalation_policy_id": …}}
//   timeout_ms       per request (default 10000)
// Create fails with FAILED_PRECONDITION without an HTTP client or clock, and
// INTERNAL ("notifiers.pagerduty: no installation id") without
// NotifierEnv::installation_id.
std::unique_ptr<NotifierFactory> MakePagerDutyNotifierFactory();

}  // namespace ff

#endif  // FF_SERVER_NOTIFIERS_PAGERDUTY_PAGERDUTY_NOTIFIER_H_
