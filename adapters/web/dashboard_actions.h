// DashboardActions: what the dashboard changes in firefighterd, on behalf
// of the signed-in person (the POST routes under /api/, in docs/web.md).
// The body is read by action_request.h; the change is made with the
// dashboard's own (service) token and the person as actor, so the timeline
// says "alice@example.com via <the token's name>".
//
// Each call answers a whole HTTP reply:
//   200 {"incident"} (201 for a declared incident, 201 {"entry"} for a note);
//   201 {"follow_up"} for an added follow-up, 200 {"follow_up"} for a
//       changed one;
//   400 {"error", "field"}: a bad body or a value firefighterd refused
//       (INVALID_ARGUMENT); "field" names the body field, null when none;
//   404 {"error", "field": null}: no such incident or follow-up;
//   409 {"error", "field"}: the workflow refused the move
//       (FAILED_PRECONDITION; "field" is "status", "message" or "reason"),
//       or the incident (follow-up) changed since the page read it
//       (ABORTED; "expected_version");
//   502/503 as DashboardApi's ErrorReply.
//
// Thread-safe: the IncidentClient is.
#ifndef FF_ADAPTERS_WEB_DASHBOARD_ACTIONS_H_
#define FF_ADAPTERS_WEB_DASHBOARD_ACTIONS_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "adapters/web/dashboard_api.h"
#include "clients/incident/incident_client.h"

namespace ff::web {

// ActionErrorReply maps a failure of an action to its reply (codes above).
// `refused_field` is the field a FAILED_PRECONDITION is about ("" for
// none), unless its message says a message is needed.
HttpReply ActionErrorReply(const absl::Status& status, absl::string_view refused_field);

class DashboardActions {
 public:
  explicit DashboardActions(IncidentClient client) : client_(std::move(client)) {}

  // REQUIRES for each: `person` is the signed-in email, not empty.
  // Declare: POST /api/incidents.
  HttpReply Declare(const std::string& person, absl::string_view body) const;
  // Update: POST /api/incidents/{id}/update.
  HttpReply Update(const std::string& person, const std::string& id_text,
                   absl::string_view body) const;
  // TakeCommand: POST /api/incidents/{id}/take-command.
  HttpReply TakeCommand(const std::string& person, const std::string& id_text,
                        absl::string_view body) const;
  // AddNote: POST /api/incidents/{id}/notes.
  HttpReply AddNote(const std::string& person, const std::string& id_text,
                    absl::string_view body) const;
  // Close: POST /api/incidents/{id}/close.
  HttpReply Close(const std::string& person, const std::string& id_text,
                  absl::string_view body) const;
  // AddFollowUp: POST /api/incidents/{id}/followups.
  HttpReply AddFollowUp(const std::string& person, const std::string& id_text,
                        absl::string_view body) const;
  // UpdateFollowUp: POST /api/followups/{id}/update (edit, done, cancel,
  // reopen: the body says which).
  HttpReply UpdateFollowUp(const std::string& person, const std::string& id_text,
                           absl::string_view body) const;

 private:
  IncidentClient client_;
};

}  // namespace ff::web

#endif  // FF_ADAPTERS_WEB_DASHBOARD_ACTIONS_H_
