// The incident vocabulary: the one place that names every status, severity,
// close reason, role and follow-up status for the adapters (the ff CLI, the Slack app, the web
// dashboard). docs/vocabulary.md lists the same words for readers.
//
// Each value has a Term:
//   word     the canonical spelling, printed wherever a value is written for
//            a script or to be typed back: lower case, words joined by
//            hyphens ("investigating", "sev2", "communication-lead");
//   label    how a UI shows it to people ("Investigating", "SEV2",
//            "Communication lead");
//   meaning  one line saying what it means ("major, impacting customers");
//   aliases  other spellings that parse to it (severities' bare numbers "2",
//            the CLI's "comms-lead").
//
// Parsing ignores case and surrounding whitespace, treats '_', ' ' and '-'
// alike ("communication_lead", "Communication lead" and "COMMUNICATION-LEAD"
// are all communication-lead), and accepts the proto enum names
// ("STATUS_FIXING", "SEVERITY_SEV2", "CLOSE_REASON_MISTAKE") as well, so
// every spelling an adapter accepted or printed before keeps working.
//
// Thread-safe: immutable tables and pure functions.
#ifndef FF_CLIENTS_INCIDENT_VOCABULARY_H_
#define FF_CLIENTS_INCIDENT_VOCABULARY_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "firefighter/v1/enums.pb.h"
#include "firefighter/v1/follow_up.pb.h"
#include "firefighter/v1/incident.pb.h"

namespace ff {
namespace pb = ::firefighter::v1;

// Role: who does what in an incident; one field of pb::Roles each.
enum class Role { kCommander, kCommunicationLead, kOperationsLead };

// Term: how one value is written. Every view points into static storage.
struct Term {
  absl::string_view word;
  absl::string_view label;
  absl::string_view meaning;
  absl::Span<const absl::string_view> aliases;
};

// All* return every value once, in workflow or severity order (the order
// lists and menus show them in); never *_UNSPECIFIED.
absl::Span<const pb::Status> AllStatuses();
absl::Span<const pb::Severity> AllSeverities();
absl::Span<const pb::CloseReason> AllCloseReasons();
absl::Span<const Role> AllRoles();
absl::Span<const pb::FollowUpStatus> AllFollowUpStatuses();

// TermOf returns the value's Term, or an empty one (every view "") for
// *_UNSPECIFIED and for values this build does not know.
const Term& TermOf(pb::Status status);
const Term& TermOf(pb::Severity severity);
const Term& TermOf(pb::CloseReason reason);
const Term& TermOf(Role role);
const Term& TermOf(pb::FollowUpStatus status);

// Word and Label: TermOf(value).word and .label.
template <typename Value>
absl::string_view Word(Value value) {
  return TermOf(value).word;
}
template <typename Value>
absl::string_view Label(Value value) {
  return TermOf(value).label;
}

// WordList joins the words of `values` with ", ": "sev1, sev2, sev3, sev4, sev5".
template <typename Value>
std::string WordList(absl::Span<const Value> values) {
  return absl::StrJoin(values, ", ",
                       [](std::string* out, Value value) { absl::StrAppend(out, Word(value)); });
}

// Parse* read a word, an alias or a proto enum name (see the top of this
// file). Anything else is INVALID_ARGUMENT with a message that starts with
// `field` and quotes at most the first 24 characters of `text`:
//   severity: unknown value "sev9"; expected one of sev1, sev2, sev3, sev4, sev5
// `field` is what the caller calls the input ("--severity" for the CLI, a
// query parameter's name for the dashboard).
absl::StatusOr<pb::Status> ParseStatus(absl::string_view text, absl::string_view field = "status");
absl::StatusOr<pb::Severity> ParseSeverity(absl::string_view text,
                                           absl::string_view field = "severity");
absl::StatusOr<pb::CloseReason> ParseCloseReason(absl::string_view text,
                                                 absl::string_view field = "reason");
absl::StatusOr<Role> ParseRole(absl::string_view text, absl::string_view field = "role");
absl::StatusOr<pb::FollowUpStatus> ParseFollowUpStatus(absl::string_view text,
                                                       absl::string_view field = "status");

// RoleField returns the name of `role`'s field in pb::Roles and in the
// request messages ("communication_lead"), which JSON objects and Slack
// block ids use as their key.
absl::string_view RoleField(Role role);

// HolderOf returns who holds `role` in `roles` ("" for nobody).
const std::string& HolderOf(const pb::Roles& roles, Role role);

}  // namespace ff

#endif  // FF_CLIENTS_INCIDENT_VOCABULARY_H_
