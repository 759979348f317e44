// Statuspage notifier: keeps a public status page incident in step with a
// customer-facing FireFighter incident (EXTERNAL_APIS.md §4).
//
//   incident.opened            severity published → create → link "statuspage"
//   incident.status_changed    update status: OPEN/INVESTIGATING → investigating,
//                              FIXING → identified, FIXED → monitoring,
//                              POSTMORTEM → resolved (customers are done once
//                              the fix holds; the postmortem is internal and
//                              may take days), CLOSED → resolved
//   incident.severity_changed  update impact_override; create the incident if
//                              the severity just became customer-facing
//   incident.closed            resolved
//
// Idempotent: the status page incident is found through the "statuspage" link
// or, failing that, among unresolved incidents by metadata
// {"firefighter":{"incident_id":"<id>","installation":"<installation id>"}}
// before one is created; updates read the incident first and skip what is
// already so, so a repeated delivery adds no second incident update.
// Another FireFighter may publish on the same page: an incident found by the
// search whose marker lacks our installation id (theirs, or one made before
// markers) is never patched or linked; ours is created beside it. An incident
// the FireFighter incident already links (made before markers) is used as
// before. Statuspage's public messages are generic on
// purpose: timeline text is internal. The calls themselves are
// clients/statuspage. Thread-safe: immutable after Create.
#ifndef FF_SERVER_NOTIFIERS_STATUSPAGE_STATUSPAGE_NOTIFIER_H_
#define FF_SERVER_NOTIFIERS_STATUSPAGE_STATUSPAGE_NOTIFIER_H_

#include <memory>

#include "server/notifiers/notifier.h"

namespace ff {

// MakeStatuspageNotifierFactory builds notifiers named "statuspage". Config:
//   base_url       API base (default https://api.statuspage.io)
//   page_id        the page to publish on (required)
//   api_key_env    env var holding the API key (required)
//   severities     customer-facing severities, e.g. ["SEV1","SEV2"]
//                  (default SEV1–SEV3)
//   component_ids  components marked degraded while the incident lasts
//   timeout_ms     per request (default 10000)
// INTERNAL "notifiers.statuspage: no installation id" when the environment
// lacks one.
std::unique_ptr<NotifierFactory> MakeStatuspageNotifierFactory();

}  // namespace ff

#endif  // FF_SERVER_NOTIFIERS_STATUSPAGE_STATUSPAGE_NOTIFIER_H_
