// Meeting plan: when the postmortem meeting happens and who is invited.
// Pure functions; thread-safe.
#ifndef FF_SERVER_NOTIFIERS_CALENDAR_MEETING_PLAN_H_
#define FF_SERVER_NOTIFIERS_CALENDAR_MEETING_PLAN_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "firefighter/v1/incident.pb.h"

namespace ff {
namespace pb = ::firefighter::v1;

// PlanMeetingStart returns the first `hour_utc`:00 UTC on a weekday (Mon–Fri)
// that is at least `delay` after `reached` (when the incident reached
// POSTMORTEM). Memories are still fresh two days later, and a fixed hour
// (14:00 UTC by default: afternoon in Europe, morning on the US east coast)
// beats a meeting at whatever minute the status happened to change.
// REQUIRES: 0 <= hour_utc <= 23.
absl::Time PlanMeetingStart(absl::Time reached, absl::Duration delay, int hour_utc);

// LooksLikeEmail is true for "local@domain.tld" without spaces, quotes or
// the separators iCalendar and mail headers give meaning to (: ; , < >).
bool LooksLikeEmail(absl::string_view text);

// AttendeeEmails returns the incident's participants that look like emails,
// lower-cased, without duplicates, in participant order.
std::vector<std::string> AttendeeEmails(const pb::Incident& incident);

// FormatMeetingTime renders "2026-01-05 14:00 UTC" for notes.
std::string FormatMeetingTime(absl::Time t);

}  // namespace ff

#endif  // FF_SERVER_NOTIFIERS_CALENDAR_MEETING_PLAN_H_
