// The bodies of the dashboard's actions (the POST routes under /api/, listed
// in docs/web.md), read into firefighterd's requests on behalf of `person`,
// the signed-in email.
//
// A body is one JSON object of the action's fields and nothing else. Every
// error is INVALID_ARGUMENT with a message that starts with the field it is
// about and quotes at most a short prefix of what was sent:
//   body: not a JSON object
//   severity: must be a string
//   severity: unknown value "sev9"; expected one of sev1, …
//   colour: not a field of this action; expected one of title, …
// FieldOf reads the field back, from these and from firefighterd's own
// messages ("title is 201 characters long; the limit is 200").
//
// Pure functions; thread-safe.
#ifndef FF_ADAPTERS_WEB_ACTION_REQUEST_H_
#define FF_ADAPTERS_WEB_ACTION_REQUEST_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "firefighter/v1/incident_service.pb.h"

namespace ff::web {
namespace pb = ::firefighter::v1;

// ReadDeclare: {"domain", "severity" (a word: "sev2"), "title",
// "description", "page_oncall" (bool)}, reported by `person`.
absl::StatusOr<pb::OpenIncidentRequest> ReadDeclare(absl::string_view body,
                                                    const std::string& person);

// ReadUpdate: any of {"status", "severity" (words), "title", "description",
// "commander", "communication_lead", "operations_lead" ("" removes the
// holder), "message", "expected_version" (integer)}; absent or null fields
// stay as they are. INVALID_ARGUMENT naming "body" when nothing would change.
absl::StatusOr<pb::UpdateIncidentRequest> ReadUpdate(absl::string_view body, int64_t id,
                                                     const std::string& person);

// ReadTakeCommand: {"expected_version"?, "message"?}; `person` becomes the
// incident's commander.
absl::StatusOr<pb::UpdateIncidentRequest> ReadTakeCommand(absl::string_view body, int64_t id,
                                                          const std::string& person);

// ReadNote: {"text"}, a note on the incident's timeline.
absl::StatusOr<pb::AddTimelineEntryRequest> ReadNote(absl::string_view body, int64_t id,
                                                     const std::string& person);

// ReadClose: {"reason" (a close reason's word; default resolved), "message",
// "expected_version"?}.
absl::StatusOr<pb::CloseIncidentRequest> ReadClose(absl::string_view body, int64_t id,
                                                   const std::string& person);

// ReadAddFollowUp: {"title", "description", "owner", "due_date"} for
// incident `id`. An absent or null due_date leaves the severity's default
// to the core; "" asks for none; else "YYYY-MM-DD".
absl::StatusOr<pb::AddFollowUpRequest> ReadAddFollowUp(absl::string_view body, int64_t id,
                                                       const std::string& person);

// ReadUpdateFollowUp: any of {"title", "description", "owner" ("" removes
// the owner), "due_date" ("" removes it), "status" (a follow-up status word:
// open, done, cancelled), "expected_version" (integer)} for follow-up `id`.
// INVALID_ARGUMENT naming "body" when nothing would change.
absl::StatusOr<pb::UpdateFollowUpRequest> ReadUpdateFollowUp(absl::string_view body, int64_t id,
                                                             const std::string& person);

// FieldOf returns the field `message` is about: the run of lower-case
// letters and '_' it starts with, when a colon follows (this file's
// messages, and ParseIncidentId's "id: …"), or a space follows and it is a
// field of some action (firefighterd's "title is required"); else "" (e.g.
// "incident #3 is closed; …").
std::string FieldOf(absl::string_view message);

}  // namespace ff::web

#endif  // FF_ADAPTERS_WEB_ACTION_REQUEST_H_
