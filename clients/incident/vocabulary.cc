#include "clients/incident/vocabulary.h"

#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "common/quote.h"

namespace ff {
namespace {

template <typename Value>
struct Entry {
  Value value;
  Term term;
};

// The meanings of statuses, severities and roles are the procedure's own
// (the design's domain model); aliases are stored in their parsed form.
constexpr Entry<pb::Status> kStatuses[] = {
    {pb::STATUS_OPEN, {"open", "Open", "created", {}}},
    {pb::STATUS_INVESTIGATING, {"investigating", "Investigating", "looking for a root cause", {}}},
    {pb::STATUS_FIXING, {"fixing", "Fixing", "root cause found, work started", {}}},
    {pb::STATUS_FIXED, {"fixed", "Fixed", "fix applied in production; incident solved", {}}},
    {pb::STATUS_POSTMORTEM, {"postmortem", "Postmortem", "postmortem planned (SEV1 to SEV3)", {}}},
    {pb::STATUS_CLOSED,
     {"closed", "Closed", "everything back to normal; postmortem meeting held when needed", {}}},
};

constexpr absl::string_view kSev1Aliases[] = {"1"};
constexpr absl::string_view kSev2Aliases[] = {"2"};
constexpr absl::string_view kSev3Aliases[] = {"3"};
constexpr absl::string_view kSev4Aliases[] = {"4"};
constexpr absl::string_view kSev5Aliases[] = {"5"};
constexpr Entry<pb::Severity> kSeverities[] = {
    {pb::SEVERITY_SEV1,
     {"sev1", "SEV1", "critical, warrants liaison with the executive committee", kSev1Aliases}},
    {pb::SEVERITY_SEV2, {"sev2", "SEV2", "major, impacting customers", kSev2Aliases}},
    {pb::SEVERITY_SEV3, {"sev3", "SEV3", "minor, affecting customers", kSev3Aliases}},
    {pb::SEVERITY_SEV4, {"sev4", "SEV4", "minor, not affecting customers", kSev4Aliases}},
    {pb::SEVERITY_SEV5, {"sev5", "SEV5", "cosmetic, not affecting customers", kSev5Aliases}},
};

constexpr Entry<pb::CloseReason> kCloseReasons[] = {
    {pb::CLOSE_REASON_RESOLVED,
     {"resolved", "Resolved", "fixed, with a postmortem when the severity needs one", {}}},
    {pb::CLOSE_REASON_MISTAKE, {"mistake", "Opened by mistake", "opened by mistake", {}}},
    {pb::CLOSE_REASON_DUPLICATE,
     {"duplicate", "Duplicate", "another incident covers the same problem", {}}},
    {pb::CLOSE_REASON_NOT_AN_INCIDENT,
     {"not-an-incident", "Not an incident", "looked like an incident but was not one", {}}},
};

constexpr absl::string_view kCommunicationLeadAliases[] = {"comms-lead"};
constexpr absl::string_view kOperationsLeadAliases[] = {"ops-lead"};
constexpr Entry<Role> kRoles[] = {
    {Role::kCommander,
     {"commander", "Incident commander", "single source of truth; delegates", {}}},
    {Role::kCommunicationLead,
     {"communication-lead", "Communication lead",
      "communicates and manages status updates; needs no technical background",
      kCommunicationLeadAliases}},
    {Role::kOperationsLead,
     {"operations-lead", "Operations lead",
      "investigates, changes code and configuration as the commander decides",
      kOperationsLeadAliases}},
};

// A follow-up's status (issue 20): an action that came out of an incident.
constexpr Entry<pb::FollowUpStatus> kFollowUpStatuses[] = {
    {pb::FOLLOW_UP_STATUS_OPEN, {"open", "Open", "still to do", {}}},
    {pb::FOLLOW_UP_STATUS_DONE, {"done", "Done", "done", {}}},
    {pb::FOLLOW_UP_STATUS_CANCELLED, {"cancelled", "Cancelled", "will not be done", {}}},
};

constexpr Term kNoTerm = {"", "", "", {}};

template <typename Value, size_t N>
const Term& Find(const Entry<Value> (&entries)[N], Value value) {
  for (const Entry<Value>& entry : entries) {
    if (entry.value == value) return entry.term;
  }
  return kNoTerm;
}

// Built once per table (each Value type has one); never destroyed.
template <typename Value, size_t N>
absl::Span<const Value> ValuesOf(const Entry<Value> (&entries)[N]) {
  static const auto* values = [&entries] {
    auto* out = new std::vector<Value>;
    for (const Entry<Value>& entry : entries) out->push_back(entry.value);
    return out;
  }();
  return *values;
}

// The parsed form: trimmed, lower case, '_' and ' ' as '-'.
std::string Normalize(absl::string_view text) {
  std::string out(absl::StripAsciiWhitespace(text));
  for (char& c : out) c = (c == '_' || c == ' ') ? '-' : absl::ascii_tolower(c);
  return out;
}

// `enum_prefix` is the proto enum's prefix in parsed form ("close-reason-").
template <typename Value, size_t N>
absl::StatusOr<Value> Parse(const Entry<Value> (&entries)[N], absl::string_view enum_prefix,
                            absl::string_view text, absl::string_view field) {
  std::string key = Normalize(text);
  absl::string_view bare = key;
  if (!enum_prefix.empty()) absl::ConsumePrefix(&bare, enum_prefix);
  for (const Entry<Value>& entry : entries) {
    if (entry.term.word == bare) return entry.value;
    for (absl::string_view alias : entry.term.aliases) {
      if (alias == bare) return entry.value;
    }
  }
  return absl::InvalidArgumentError(absl::StrCat(field, ": unknown value ", QuoteValue(text),
                                                 "; expected one of ",
                                                 WordList(ValuesOf(entries))));
}

}  // namespace

absl::Span<const pb::Status> AllStatuses() { return ValuesOf(kStatuses); }
absl::Span<const pb::Severity> AllSeverities() { return ValuesOf(kSeverities); }
absl::Span<const pb::CloseReason> AllCloseReasons() { return ValuesOf(kCloseReasons); }
absl::Span<const Role> AllRoles() { return ValuesOf(kRoles); }
absl::Span<const pb::FollowUpStatus> AllFollowUpStatuses() { return ValuesOf(kFollowUpStatuses); }

const Term& TermOf(pb::Status status) { return Find(kStatuses, status); }
const Term& TermOf(pb::Severity severity) { return Find(kSeverities, severity); }
const Term& TermOf(pb::CloseReason reason) { return Find(kCloseReasons, reason); }
const Term& TermOf(Role role) { return Find(kRoles, role); }
const Term& TermOf(pb::FollowUpStatus status) { return Find(kFollowUpStatuses, status); }

absl::StatusOr<pb::Status> ParseStatus(absl::string_view text, absl::string_view field) {
  return Parse(kStatuses, "status-", text, field);
}

absl::StatusOr<pb::Severity> ParseSeverity(absl::string_view text, absl::string_view field) {
  return Parse(kSeverities, "severity-", text, field);
}

absl::StatusOr<pb::CloseReason> ParseCloseReason(absl::string_view text, absl::string_view field) {
  return Parse(kCloseReasons, "close-reason-", text, field);
}

absl::StatusOr<Role> ParseRole(absl::string_view text, absl::string_view field) {
  return Parse(kRoles, "", text, field);
}

absl::StatusOr<pb::FollowUpStatus> ParseFollowUpStatus(absl::string_view text,
                                                       absl::string_view field) {
  return Parse(kFollowUpStatuses, "follow-up-status-", text, field);
}

absl::string_view RoleField(Role role) {
  switch (role) {
    case Role::kCommander:
      return "commander";
    case Role::kCommunicationLead:
      return "communication_lead";
    case Role::kOperationsLead:
      return "operations_lead";
  }
  return "";
}

const std::string& HolderOf(const pb::Roles& roles, Role role) {
  switch (role) {
    case Role::kCommander:
      return roles.commander();
    case Role::kCommunicationLead:
      return roles.communication_lead();
    case Role::kOperationsLead:
      return roles.operations_lead();
  }
  static const std::string* const kNobody = new std::string;
  return *kNobody;
}

}  // namespace ff
