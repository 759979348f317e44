// Datadog notifier: an event in the Datadog event stream for every incident
// change that matters to monitoring, and one notebook per incident
// (EXTERNAL_APIS.md §3).
//
//   incident.opened            event + notebook → link "datadog_notebook"
//   incident.status_changed    event
//   incident.severity_changed  event
//   incident.closed            event
//
// Markers carry the installation id (NotifierEnv::installation_id), because
// another FireFighter may post into the same Datadog organisation:
//  * Events carry tags incident:<id>, severity:sevN, domain:<d>, the
//    configured tags, firefighter_installation:<inst> and the delivery's
//    firefighter_event:<inst>-<sequence>. aggregation_key
//    "firefighter-incident-<id>" groups an incident's events.
//  * The notebook is named "Incident #<id>: <title> [ff-<inst>-<id>]"; the
//    notebook list searches names, so only a name ending in our marker is
//    ever adopted. An incident that already links a notebook (one made before
//    markers included) keeps it and nothing is looked up.
//
// Posting an event runs as a DeliverySteps step. The first try, and a retry
// after a definite refusal, post without searching. After a try whose answer
// was lost, Datadog indexes events for search only after a delay, so the
// retry searches for firefighter_event:<inst>-<sequence> only once
// `index_delay_s` has passed since the doubt was noticed; until then it
// returns UNAVAILABLE with the time left as Retry-After. Found: nothing is
// posted again; not found: the event is posted once more. Without kept
// progress (Delivery::record_progress empty) every try is a first one.
// The notebook is looked up by its marker before each create. The calls
// themselves are clients/datadog. Thread-safe: immutable after Create.
#ifndef FF_SERVER_NOTIFIERS_DATADOG_DATADOG_NOTIFIER_H_
#define FF_SERVER_NOTIFIERS_DATADOG_DATADOG_NOTIFIER_H_

#include <memory>

#include "server/notifiers/notifier.h"

namespace ff {

// MakeDatadogNotifierFactory builds notifiers named "datadog". Config:
//   base_url     API base (default https://api.datadoghq.com)
//   app_url      web UI base for notebook links (default https://app.datadoghq.com)
//   api_key_env  env var holding the API key (required)
//   app_key_env  env var holding the application key (required: notebooks)
//   tags         extra tags on every event, e.g. ["team:sre"]
//   timeout_ms   per request (default 10000)
//   index_delay_s  how long a posted event may take to become searchable
//                (default 120: Datadog documents no bound), 0..3600
// INTERNAL "notifiers.datadog: no installation id" when the environment
// lacks one.
std::unique_ptr<NotifierFactory> MakeDatadogNotifierFactory();

}  // namespace ff

#endif  // FF_SERVER_NOTIFIERS_DATADOG_DATADOG_NOTIFIER_H_
