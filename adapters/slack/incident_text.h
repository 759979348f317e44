// Human text for incidents in Slack: enum names, one-line summaries, the
// `/incident info` details and the `/incident help` text.
//
// Thread-safe: pure functions.
#ifndef FF_ADAPTERS_SLACK_INCIDENT_TEXT_H_
#define FF_ADAPTERS_SLACK_INCIDENT_TEXT_H_

#include <string>

#include "absl/strings/string_view.h"
#include "firefighter/v1/incident_service.pb.h"

namespace ff::slack {

namespace pb = ::firefighter::v1;

std::string StatusText(pb::Status status);        // "investigating"
std::string SeverityText(pb::Severity severity);  // "SEV2"
std::string SeverityDescription(pb::Severity severity);
std::string CloseReasonText(pb::CloseReason reason);  // "resolved"

// ParseStatus / ParseSeverity / ParseCloseReason accept the enum name
// ("STATUS_FIXING") and return *_UNSPECIFIED for anything else.
pb::Status ParseStatus(absl::string_view name);
pb::Severity ParseSeverity(absl::string_view name);
pb::CloseReason ParseCloseReason(absl::string_view name);

std::string SummaryLine(const pb::Incident& incident);  // "#3 [SEV2, open] Title (domain)"
std::string DetailsText(const pb::Incident& incident);  // multi-line mrkdwn
std::string HelpText();

}  // namespace ff::slack

#endif  // FF_ADAPTERS_SLACK_INCIDENT_TEXT_H_
