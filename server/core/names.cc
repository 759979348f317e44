#include "server/core/names.h"

#include "absl/strings/str_cat.h"

namespace ff {

std::string StatusName(int status) {
  switch (status) {
    case pb::STATUS_OPEN:
      return "OPEN";
    case pb::STATUS_INVESTIGATING:
      return "INVESTIGATING";
    case pb::STATUS_FIXING:
      return "FIXING";
    case pb::STATUS_FIXED:
      return "FIXED";
    case pb::STATUS_POSTMORTEM:
      return "POSTMORTEM";
    case pb::STATUS_CLOSED:
      return "CLOSED";
    default:
      return absl::StrCat("STATUS(", status, ")");
  }
}

std::string SeverityName(int severity) {
  if (IsKnownSeverity(severity)) return absl::StrCat("SEV", severity);
  return absl::StrCat("SEVERITY(", severity, ")");
}

std::string CloseReasonName(int reason) {
  switch (reason) {
    case pb::CLOSE_REASON_RESOLVED:
      return "resolved";
    case pb::CLOSE_REASON_MISTAKE:
      return "mistake";
    case pb::CLOSE_REASON_DUPLICATE:
      return "duplicate";
    case pb::CLOSE_REASON_NOT_AN_INCIDENT:
      return "not an incident";
    default:
      return absl::StrCat("CLOSE_REASON(", reason, ")");
  }
}

bool IsKnownStatus(int status) { return status >= pb::STATUS_OPEN && status <= pb::STATUS_CLOSED; }

bool IsKnownSeverity(int severity) {
  return severity >= pb::SEVERITY_SEV1 && severity <= pb::SEVERITY_SEV5;
}

bool IsKnownCloseReason(int reason) {
  return reason >= pb::CLOSE_REASON_RESOLVED && reason <= pb::CLOSE_REASON_NOT_AN_INCIDENT;
}

bool PostmortemRequired(pb::Severity severity) {
  return severity >= pb::SEVERITY_SEV1 && severity <= pb::SEVERITY_SEV3;
}

}  // namespace ff
