// Datadog notifier: an event in the Datadog event stream for every incident
// change that matters to monitoring, and one notebook per incident
// (EXTERNAL_APIS.md §3).
//
//   incident.opened            event + notebook (find-before-create by name)
//                              → link "datadog_notebook"
//   incident.status_changed    event
//   incident.severity_changed  event
//   incident.closed            event
//
// Events carry tags incident:<id>, severity:sevN, domain:<d>, the configured
// tags, and firefighter_event:<sequence>: before posting, the notifier
// searches for that tag so a delivery repeated after a timeout posts nothing
// twice. aggregation_key "firefighter-incident-<id>" groups an incident's
// events. Thread-safe: immutable after Create.
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
std::unique_ptr<NotifierFactory> MakeDatadogNotifierFactory();

}  // namespace ff

#endif  // FF_SERVER_NOTIFIERS_DATADOG_DATADOG_NOTIFIER_H_
