// Human-readable names of the domain enums, as used in error messages and
// timeline entries ("INVESTIGATING", "SEV2", "duplicate"). Pure; thread-safe.
#ifndef FF_SERVER_CORE_NAMES_H_
#define FF_SERVER_CORE_NAMES_H_

#include <string>

#include "firefighter/v1/enums.pb.h"

namespace ff {
namespace pb = ::firefighter::v1;

// StatusName returns "OPEN" … "CLOSED", or "STATUS(<n>)" for an unknown value.
std::string StatusName(int status);
// SeverityName returns "SEV1" … "SEV5", or "SEVERITY(<n>)" for an unknown value.
std::string SeverityName(int severity);
// CloseReasonName returns "resolved", "mistake", "duplicate",
// "not an incident", or "CLOSE_REASON(<n>)" for an unknown value.
std::string CloseReasonName(int reason);

// IsKnownStatus is true for STATUS_OPEN..STATUS_CLOSED (not UNSPECIFIED).
bool IsKnownStatus(int status);
// IsKnownSeverity is true for SEV1..SEV5 (not UNSPECIFIED).
bool IsKnownSeverity(int severity);
// IsKnownCloseReason is true for RESOLVED..NOT_AN_INCIDENT (not UNSPECIFIED).
bool IsKnownCloseReason(int reason);

// PostmortemRequired is true for SEV1..SEV3: only those get a postmortem.
bool PostmortemRequired(pb::Severity severity);

}  // namespace ff

#endif  // FF_SERVER_CORE_NAMES_H_
