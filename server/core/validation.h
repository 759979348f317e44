// Field validation of IncidentService requests. Pure: no clock calls, no I/O.
//
// Every failure is INVALID_ARGUMENT with a message that starts with the
// offending field's name, so callers (Slack, the CLI) can point at it.
#ifndef FF_SERVER_CORE_VALIDATION_H_
#define FF_SERVER_CORE_VALIDATION_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "firefighter/v1/incident_service.pb.h"
#include "server/core/domain_catalog.h"

namespace ff {
namespace pb = ::firefighter::v1;

// Limits, in Unicode code points.
inline constexpr int kTitleMaxChars = 200;
inline constexpr int kDescriptionMaxChars = 4000;
inline constexpr int kPersonMaxChars = 100;
inline constexpr int kMessageMaxChars = 4000;
inline constexpr int kDedupKeyMaxChars = 255;
inline constexpr int kTimelineTextMaxChars = 40000;  // a long Slack message
inline constexpr int kKindMaxChars = 32;
inline constexpr int kNameMaxChars = 40;  // a domain's or a notifier's name
inline constexpr int32_t kDefaultPageSize = 50;
inline constexpr int32_t kMaxPageSize = 500;
// How far in the future a client-supplied time may lie (clock skew).
inline constexpr absl::Duration kMaxClockSkew = absl::Minutes(5);

// Clean returns `s` without leading and trailing ASCII white space: the form in
// which titles, names and keys are validated and stored.
std::string Clean(absl::string_view s);

// Each Validate* returns OK or INVALID_ARGUMENT naming the field.
absl::Status ValidateOpen(const pb::OpenIncidentRequest& request, const DomainCatalog& domains,
                          absl::Time now);
absl::Status ValidateUpdate(const pb::UpdateIncidentRequest& request);
absl::Status ValidateClose(const pb::CloseIncidentRequest& request);
absl::Status ValidateAddEntry(const pb::AddTimelineEntryRequest& request, absl::Time now);
// Follow-up requests (the dates' meaning is FollowUpRules').
absl::Status ValidateAddFollowUp(const pb::AddFollowUpRequest& request);
absl::Status ValidateUpdateFollowUp(const pb::UpdateFollowUpRequest& request);
absl::Status ValidateListFollowUps(const pb::ListFollowUpsRequest& request);
bool IsKnownFollowUpStatus(int status);
// ValidateIncidentId: `field` must name a positive incident number.
absl::Status ValidateIncidentId(absl::string_view field, int64_t id);
// ValidatePerson checks a required person name (actor, reporter, …).
absl::Status ValidatePerson(absl::string_view field, absl::string_view value);
// ValidateName checks an optional name that selects (a domain or a notifier
// filter): at most kNameMaxChars, one line of UTF-8.
absl::Status ValidateName(absl::string_view field, absl::string_view value);
// ValidateListFilter checks the filters shared by List, Watch and GetStats.
absl::Status ValidateListFilter(const google::protobuf::RepeatedField<int>& statuses,
                                const google::protobuf::RepeatedField<int>& severities,
                                absl::string_view domain);
// EffectivePageSize maps 0 to the default and clamps to the maximum (AIP-158);
// a negative size is INVALID_ARGUMENT.
absl::StatusOr<int32_t> EffectivePageSize(int32_t page_size);

// IsReservedTimelineKind is true for the kinds only the service writes
// ("opened", "status", …); clients may not forge them.
bool IsReservedTimelineKind(absl::string_view kind);

}  // namespace ff

#endif  // FF_SERVER_CORE_VALIDATION_H_
