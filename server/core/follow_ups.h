// FollowUpRules: the rules of follow-ups, the actions that come out of an
// incident (issue 20). Pure like IncidentWorkflow: the caller passes `now`.
//
// A follow-up may be added to an incident in any status, CLOSED included. A
// due date is a calendar date in the settings' time zone and may not be
// before today there; left unset, it defaults to the incident's severity's
// `due_days` after today (none for a severity without a default). Every
// change is one timeline entry (kind "followup") and one event
// ("followup.added" / "followup.updated") on the incident; the incident
// itself is not changed (its version stays: a follow-up never invalidates a
// client's expected_version on the incident).
// Thread-safe: stateless functions over immutable settings.
#ifndef FF_SERVER_CORE_FOLLOW_UPS_H_
#define FF_SERVER_CORE_FOLLOW_UPS_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "firefighter/v1/follow_up.pb.h"
#include "firefighter/v1/incident.pb.h"
#include "server/core/workflow.h"

namespace ff {
namespace pb = ::firefighter::v1;

inline constexpr absl::string_view kEventFollowUpAdded = "followup.added";
inline constexpr absl::string_view kEventFollowUpUpdated = "followup.updated";
// Written back by the tracker notifier: the issue it made for a follow-up.
inline constexpr absl::string_view kEventFollowUpTrackerLinked = "followup.tracker_linked";
inline constexpr absl::string_view kFollowUpEntryKind = "followup";

// TrackerLink is the tracker issue a notifier made for a follow-up.
struct TrackerLink {
  int64_t follow_up_id = 0;
  std::string key;  // e.g. "OPS-123"
  std::string url;
};

// FollowUpSettings is the "followups" section of the config file.
struct FollowUpSettings {
  std::map<pb::Severity, int> due_days;  // a severity absent: no default
  absl::TimeZone zone = absl::UTCTimeZone();
};

// FollowUpChange is what one follow-up request does: the follow-up as it
// must stand afterwards (id 0: a new one) and the records to write with it.
struct FollowUpChange {
  pb::FollowUp follow_up;
  std::vector<ChangeRecord> records;  // empty: nothing changed, write nothing
};

// FormatDueDate is "YYYY-MM-DD"; ParseDueDate its inverse, INVALID_ARGUMENT
// naming `field` for anything else (quoting a short prefix).
std::string FormatDueDate(absl::CivilDay day);
absl::StatusOr<absl::CivilDay> ParseDueDate(absl::string_view field, absl::string_view text);

// TodayIn is the calendar date at `now` in the settings' zone.
absl::CivilDay TodayIn(const FollowUpSettings& settings, absl::Time now);

// IsOverdue is true for an OPEN follow-up due before `today`.
bool IsOverdue(const pb::FollowUp& follow_up, absl::CivilDay today);

// FollowUpStatusName is "open", "done" or "cancelled".
absl::string_view FollowUpStatusName(pb::FollowUpStatus status);

class FollowUpRules {
 public:
  // Add builds a new follow-up of `incident`. INVALID_ARGUMENT naming
  // due_date for a past or malformed date. REQUIRES: ValidateAddFollowUp.
  static absl::StatusOr<FollowUpChange> Add(const FollowUpSettings& settings,
                                            const pb::Incident& incident,
                                            const pb::AddFollowUpRequest& request, absl::Time now);
  // Update applies `request` to `current`: ABORTED when expected_version is
  // set and differs, INVALID_ARGUMENT naming due_date for a past date. A
  // request that changes nothing writes nothing. REQUIRES:
  // ValidateUpdateFollowUp.
  static absl::StatusOr<FollowUpChange> Update(const FollowUpSettings& settings,
                                               const pb::FollowUp& current,
                                               const pb::UpdateFollowUpRequest& request,
                                               absl::Time now);
  // LinkTracker records a tracker issue on `current` (no version check: it
  // is background work); nothing when it already holds that key and URL.
  static FollowUpChange LinkTracker(const pb::FollowUp& current, absl::string_view key,
                                    absl::string_view url, absl::Time now);
};

}  // namespace ff

#endif  // FF_SERVER_CORE_FOLLOW_UPS_H_
