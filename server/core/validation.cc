#include "server/core/validation.h"

#include <array>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "server/core/names.h"
#include "server/core/time_util.h"

namespace ff {
namespace {

constexpr std::array<absl::string_view, 10> kReservedKinds = {
    "opened",      "status", "severity", "role",     "title",
    "description", "closed", "reopened", "reminder", "followup"};

// Utf8Length returns the number of code points, or -1 for malformed UTF-8.
int Utf8Length(absl::string_view s) {
  int count = 0;
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    size_t len = c < 0x80           ? 1
                 : (c >> 5) == 0x6  ? 2
                 : (c >> 4) == 0xE  ? 3
                 : (c >> 3) == 0x1E ? 4
                                    : 0;
    if (len == 0 || i + len > s.size()) return -1;
    for (size_t k = 1; k < len; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return -1;
    }
    i += len;
    ++count;
  }
  return count;
}

enum class Lines { kSingle, kMulti };

absl::Status CheckText(absl::string_view field, absl::string_view value, int max_chars,
                       bool required, Lines lines) {
  if (required && absl::StripAsciiWhitespace(value).empty()) {
    return absl::InvalidArgumentError(absl::StrCat(field, " is required"));
  }
  int length = Utf8Length(value);
  if (length < 0) {
    return absl::InvalidArgumentError(absl::StrCat(field, " is not valid UTF-8"));
  }
  if (length > max_chars) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, " is ", length, " characters long; the limit is ", max_chars));
  }
  for (char ch : value) {
    unsigned char c = static_cast<unsigned char>(ch);
    bool allowed_space = lines == Lines::kMulti && (c == '\n' || c == '\t' || c == '\r');
    if ((c < 0x20 || c == 0x7F) && !allowed_space) {
      return absl::InvalidArgumentError(absl::StrCat(
          field, lines == Lines::kSingle ? " must be a single line without control characters"
                                         : " must not contain control characters"));
    }
  }
  return absl::OkStatus();
}

absl::Status CheckSeverity(absl::string_view field, int severity) {
  if (severity == pb::SEVERITY_UNSPECIFIED) {
    return absl::InvalidArgumentError(absl::StrCat(field, " is required: one of SEV1 to SEV5"));
  }
  if (!IsKnownSeverity(severity)) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, " ", severity, " is not a severity: use SEV1 to SEV5"));
  }
  return absl::OkStatus();
}

absl::Status CheckTime(absl::string_view field, const google::protobuf::Timestamp& ts,
                       absl::Time now) {
  if (!IsValidTimestamp(ts)) {
    return absl::InvalidArgumentError(absl::StrCat(field, " is not a valid timestamp"));
  }
  if (FromTimestamp(ts) > now + kMaxClockSkew) {
    return absl::InvalidArgumentError(absl::StrCat(field, " is in the future"));
  }
  return absl::OkStatus();
}

}  // namespace

std::string Clean(absl::string_view s) { return std::string(absl::StripAsciiWhitespace(s)); }

absl::Status ValidatePerson(absl::string_view field, absl::string_view value) {
  return CheckText(field, value, kPersonMaxChars, true, Lines::kSingle);
}

absl::Status ValidateName(absl::string_view field, absl::string_view value) {
  return CheckText(field, value, kNameMaxChars, false, Lines::kSingle);
}

absl::Status ValidateIncidentId(absl::string_view field, int64_t id) {
  if (id <= 0) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, " must be a positive incident number, got ", id));
  }
  return absl::OkStatus();
}

absl::Status ValidateOpen(const pb::OpenIncidentRequest& r, const DomainCatalog& domains,
                          absl::Time now) {
  FF_RETURN_IF_ERROR(CheckText("title", r.title(), kTitleMaxChars, true, Lines::kSingle));
  FF_RETURN_IF_ERROR(
      CheckText("description", r.description(), kDescriptionMaxChars, false, Lines::kMulti));
  std::string domain = Clean(r.domain());
  if (domain.empty()) {
    return absl::InvalidArgumentError(absl::StrCat("domain is required: one of ", domains.Names()));
  }
  FF_RETURN_IF_ERROR(ValidateName("domain", domain));
  if (domains.Find(domain) == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat("domain \"", domain, "\" is not configured: use one of ", domains.Names()));
  }
  FF_RETURN_IF_ERROR(CheckSeverity("severity", r.severity()));
  FF_RETURN_IF_ERROR(CheckText("reporter", r.reporter(), kPersonMaxChars, true, Lines::kSingle));
  FF_RETURN_IF_ERROR(
      CheckText("dedup_key", r.dedup_key(), kDedupKeyMaxChars, false, Lines::kSingle));
  if (r.has_occurred_at()) FF_RETURN_IF_ERROR(CheckTime("occurred_at", r.occurred_at(), now));
  return absl::OkStatus();
}

absl::Status ValidateUpdate(const pb::UpdateIncidentRequest& r) {
  FF_RETURN_IF_ERROR(ValidateIncidentId("id", r.id()));
  FF_RETURN_IF_ERROR(CheckText("actor", r.actor(), kPersonMaxChars, true, Lines::kSingle));
  if (r.has_status()) {
    if (r.status() == pb::STATUS_UNSPECIFIED) {
      return absl::InvalidArgumentError(
          "status must be a status: OPEN, INVESTIGATING, FIXING, FIXED, POSTMORTEM or CLOSED");
    }
    if (!IsKnownStatus(r.status())) {
      return absl::InvalidArgumentError(absl::StrCat("status ", r.status(), " is not a status"));
    }
  }
  if (r.has_severity()) FF_RETURN_IF_ERROR(CheckSeverity("severity", r.severity()));
  if (r.has_title()) {
    FF_RETURN_IF_ERROR(CheckText("title", r.title(), kTitleMaxChars, true, Lines::kSingle));
  }
  if (r.has_description()) {
    FF_RETURN_IF_ERROR(
        CheckText("description", r.description(), kDescriptionMaxChars, false, Lines::kMulti));
  }
  if (r.has_commander()) {
    FF_RETURN_IF_ERROR(
        CheckText("commander", r.commander(), kPersonMaxChars, false, Lines::kSingle));
  }
  if (r.has_communication_lead()) {
    FF_RETURN_IF_ERROR(CheckText("communication_lead", r.communication_lead(), kPersonMaxChars,
                                 false, Lines::kSingle));
  }
  if (r.has_operations_lead()) {
    FF_RETURN_IF_ERROR(
        CheckText("operations_lead", r.operations_lead(), kPersonMaxChars, false, Lines::kSingle));
  }
  FF_RETURN_IF_ERROR(CheckText("message", r.message(), kMessageMaxChars, false, Lines::kMulti));
  if (r.has_expected_version() && r.expected_version() <= 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("expected_version must be a positive version, got ", r.expected_version()));
  }
  bool changes_something = r.has_status() || r.has_severity() || r.has_title() ||
                           r.has_description() || r.has_commander() || r.has_communication_lead() ||
                           r.has_operations_lead();
  if (!changes_something) {
    return absl::InvalidArgumentError(
        "update sets no field: give status, severity, title, description or a role "
        "(use AddTimelineEntry for a note)");
  }
  return absl::OkStatus();
}

absl::Status ValidateClose(const pb::CloseIncidentRequest& r) {
  FF_RETURN_IF_ERROR(ValidateIncidentId("id", r.id()));
  FF_RETURN_IF_ERROR(CheckText("actor", r.actor(), kPersonMaxChars, true, Lines::kSingle));
  if (r.reason() != pb::CLOSE_REASON_UNSPECIFIED && !IsKnownCloseReason(r.reason())) {
    return absl::InvalidArgumentError(absl::StrCat(
        "reason ", r.reason(),
        " is not a close reason: use RESOLVED, MISTAKE, DUPLICATE or NOT_AN_INCIDENT"));
  }
  FF_RETURN_IF_ERROR(CheckText("message", r.message(), kMessageMaxChars, false, Lines::kMulti));
  if (r.has_expected_version() && r.expected_version() <= 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("expected_version must be a positive version, got ", r.expected_version()));
  }
  return absl::OkStatus();
}

bool IsReservedTimelineKind(absl::string_view kind) {
  for (absl::string_view reserved : kReservedKinds) {
    if (kind == reserved) return true;
  }
  return false;
}

absl::Status ValidateAddEntry(const pb::AddTimelineEntryRequest& r, absl::Time now) {
  FF_RETURN_IF_ERROR(ValidateIncidentId("incident_id", r.incident_id()));
  FF_RETURN_IF_ERROR(CheckText("actor", r.actor(), kPersonMaxChars, true, Lines::kSingle));
  FF_RETURN_IF_ERROR(CheckText("text", r.text(), kTimelineTextMaxChars, true, Lines::kMulti));
  const std::string& kind = r.kind();
  // The length first: the messages below quote the value.
  FF_RETURN_IF_ERROR(CheckText("kind", kind, kKindMaxChars, false, Lines::kSingle));
  if (!kind.empty()) {
    bool well_formed = absl::ascii_islower(kind[0]);
    for (char c : kind) {
      well_formed = well_formed && (absl::ascii_islower(c) || absl::ascii_isdigit(c) || c == '_');
    }
    if (!well_formed) {
      return absl::InvalidArgumentError(absl::StrCat(
          "kind \"", kind, "\" must be lower_snake_case, at most ", kKindMaxChars, " characters"));
    }
    if (IsReservedTimelineKind(kind)) {
      return absl::InvalidArgumentError(
          absl::StrCat("kind \"", kind, "\" is reserved for changes the service records itself"));
    }
  }
  if (r.has_time()) FF_RETURN_IF_ERROR(CheckTime("time", r.time(), now));
  return absl::OkStatus();
}

absl::Status ValidateAddFollowUp(const pb::AddFollowUpRequest& r) {
  FF_RETURN_IF_ERROR(ValidateIncidentId("incident_id", r.incident_id()));
  FF_RETURN_IF_ERROR(CheckText("actor", r.actor(), kPersonMaxChars, true, Lines::kSingle));
  FF_RETURN_IF_ERROR(CheckText("title", r.title(), kTitleMaxChars, true, Lines::kSingle));
  FF_RETURN_IF_ERROR(
      CheckText("description", r.description(), kDescriptionMaxChars, false, Lines::kMulti));
  FF_RETURN_IF_ERROR(CheckText("owner", r.owner(), kPersonMaxChars, false, Lines::kSingle));
  // The shape only (and a bounded quote): whether it is past is the rules'.
  return CheckText("due_date", r.due_date(), kNameMaxChars, false, Lines::kSingle);
}

absl::Status ValidateUpdateFollowUp(const pb::UpdateFollowUpRequest& r) {
  if (r.id() <= 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("id must be a positive follow-up number, got ", r.id()));
  }
  FF_RETURN_IF_ERROR(CheckText("actor", r.actor(), kPersonMaxChars, true, Lines::kSingle));
  if (r.has_title()) {
    FF_RETURN_IF_ERROR(CheckText("title", r.title(), kTitleMaxChars, true, Lines::kSingle));
  }
  if (r.has_description()) {
    FF_RETURN_IF_ERROR(
        CheckText("description", r.description(), kDescriptionMaxChars, false, Lines::kMulti));
  }
  if (r.has_owner()) {
    FF_RETURN_IF_ERROR(CheckText("owner", r.owner(), kPersonMaxChars, false, Lines::kSingle));
  }
  if (r.has_due_date()) {
    FF_RETURN_IF_ERROR(CheckText("due_date", r.due_date(), kNameMaxChars, false, Lines::kSingle));
  }
  if (r.has_status() && !IsKnownFollowUpStatus(r.status())) {
    return absl::InvalidArgumentError(
        absl::StrCat("status ", static_cast<int>(r.status()),
                     " is not a follow-up status: OPEN, DONE or CANCELLED"));
  }
  return absl::OkStatus();
}

bool IsKnownFollowUpStatus(int status) {
  return status == pb::FOLLOW_UP_STATUS_OPEN || status == pb::FOLLOW_UP_STATUS_DONE ||
         status == pb::FOLLOW_UP_STATUS_CANCELLED;
}

absl::Status ValidateListFollowUps(const pb::ListFollowUpsRequest& r) {
  if (r.incident_id() < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("incident_id must not be negative, got ", r.incident_id()));
  }
  FF_RETURN_IF_ERROR(CheckText("owner", r.owner(), kPersonMaxChars, false, Lines::kSingle));
  for (int s : r.statuses()) {
    if (!IsKnownFollowUpStatus(s)) {
      return absl::InvalidArgumentError(
          absl::StrCat("statuses contains ", s, ", which is not a follow-up status"));
    }
  }
  return EffectivePageSize(r.page_size()).status();
}

absl::Status ValidateListFilter(const google::protobuf::RepeatedField<int>& statuses,
                                const google::protobuf::RepeatedField<int>& severities,
                                absl::string_view domain) {
  FF_RETURN_IF_ERROR(ValidateName("domain", domain));
  for (int s : statuses) {
    if (!IsKnownStatus(s)) {
      return absl::InvalidArgumentError(
          absl::StrCat("statuses contains ", StatusName(s), ", which is not a status"));
    }
  }
  for (int s : severities) {
    if (!IsKnownSeverity(s)) {
      return absl::InvalidArgumentError(
          absl::StrCat("severities contains ", SeverityName(s), ", which is not a severity"));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<int32_t> EffectivePageSize(int32_t page_size) {
  if (page_size < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("page_size must not be negative, got ", page_size));
  }
  if (page_size == 0) return kDefaultPageSize;
  return page_size > kMaxPageSize ? kMaxPageSize : page_size;
}

}  // namespace ff
