// Meeting notifier (Zoom): opens the incident call for severe incidents, so
// responders have a bridge from the first minute (EXTERNAL_APIS.md §6).
//
// Acts on incident.opened with a severity in `severities`, and on
// incident.severity_changed into that set while the incident has no "call"
// link yet. Creates a scheduled meeting starting now (join before host on, so
// the call works without its host) titled "Incident #<id>: <title>" and
// stores it as link kind "call" (url = join_url, external_id = meeting id).
// The agenda ends in "[FireFighter <installation id> incident <id>]": another
// FireFighter (staging beside production, a restored backup) may use the same
// Zoom host, and its "Incident #<id>:" meetings are not ours.
// Idempotent: nothing is done when the incident already has a "call" link
// (a meeting made before markers included), and before creating one the
// host's meetings with the "Incident #<id>:" topic prefix are read (the list
// omits agendas) and only one whose agenda ends in our marker is adopted.
//
// Config ("notifiers.meeting"):
//   base_url    optional, default "https://api.zoom.us"
//   token_env   required, environment variable holding the OAuth access token
//               (Server-to-Server OAuth; the token is sent as Bearer)
//   severities  optional, default ["SEV1", "SEV2"]
//   timeout_ms  optional, per request, default 10000
// The calls themselves are clients/zoom. Thread-safe.
#ifndef FF_SERVER_NOTIFIERS_MEETING_ZOOM_NOTIFIER_H_
#define FF_SERVER_NOTIFIERS_MEETING_ZOOM_NOTIFIER_H_

#include <memory>

#include "server/notifiers/notifier.h"

namespace ff {

// MakeZoomNotifierFactory returns the factory named "meeting". Create fails
// with INTERNAL "notifiers.meeting: no installation id" when the environment
// lacks one.
std::unique_ptr<NotifierFactory> MakeZoomNotifierFactory();

}  // namespace ff

#endif  // FF_SERVER_NOTIFIERS_MEETING_ZOOM_NOTIFIER_H_
