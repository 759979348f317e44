// Meeting notifier (Zoom): opens the incident call for severe incidents, so
// responders have a bridge from the first minute (EXTERNAL_APIS.md §6).
//
// Acts on incident.opened with a severity in `severities`, and on
// incident.severity_changed into that set while the incident has no "call"
// link yet. Creates a scheduled meeting starting now (join before host on, so
// the call works without its host) titled "Incident #<id>: <title>" and
// stores it as link kind "call" (url = join_url, external_id = meeting id).
// Idempotent: nothing is done when the incident already has a "call" link,
// and the host's meetings are searched for the "Incident #<id>:" topic
// prefix before creating one.
//
// Config ("notifiers.meeting"):
//   base_url    optional, default "https://api.zoom.us"
//   token_env   required, environment variable holding the OAuth access token
//               (Server-to-Server OAuth; the token is sent as Bearer)
//   severities  optional, default ["SEV1", "SEV2"]
//   timeout_ms  optional, per request, default 10000
// Thread-safe.
#ifndef FF_SERVER_NOTIFIERS_MEETING_ZOOM_NOTIFIER_H_
#define FF_SERVER_NOTIFIERS_MEETING_ZOOM_NOTIFIER_H_

#include <memory>

#include "server/notifiers/notifier.h"

namespace ff {

// MakeZoomNotifierFactory returns the factory named "meeting".
std::unique_ptr<NotifierFactory> MakeZoomNotifierFactory();

}  // namespace ff

#endif  // FF_SERVER_NOTIFIERS_MEETING_ZOOM_NOTIFIER_H_
