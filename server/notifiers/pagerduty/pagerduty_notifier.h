// PagerDuty notifier: pages the on-call engineer through the Events API v2
// and names who is on call through the REST API (EXTERNAL_APIS.md §2, §8).
//
//   incident.opened          trigger (when trigger_oncall) with dedup key
//                            "firefighter-incident-<id>" → link "pagerduty";
//                            on-call lookup (when the domain has an
//                            escalation_policy_id and an API token is set) →
//                            participant + link "oncall" + note.
//   incident.status_changed  to FIXED: resolve (when trigger_oncall).
//   incident.closed          resolve (when trigger_oncall).
//
// Idempotent by construction: PagerDuty deduplicates triggers by dedup key and
// drops resolves for alerts that are not open; the lookup is read-only.
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
std::unique_ptr<NotifierFactory> MakePagerDutyNotifierFactory();

}  // namespace ff

#endif  // FF_SERVER_NOTIFIERS_PAGERDUTY_PAGERDUTY_NOTIFIER_H_
