// ReminderPolicy: which reminder, if any, an incident is due at a given time
// (issue 10). Pure: the caller passes `now`; nothing here reads a clock,
// stores or sends anything (server/reminders does, through the outbox).
//
// Four kinds, each configured per severity with an optional office-hours
// window:
//   stale       OPEN, INVESTIGATING or FIXING with no update (updated_at) for
//               N minutes: remind the commander, or the channel without one.
//   fixed       FIXED for N hours (fixed_at) without moving to POSTMORTEM;
//               SEV1–SEV3 only, the severities that need a postmortem.
//   postmortem  in POSTMORTEM for N days (postmortem_at) without being closed.
//   followup    an OPEN follow-up past its due date: remind its owner every N
//               days (DueFollowUpReminder).
// Intervals count from that baseline: interval k (k >= 1) starts at
// baseline + k*N, and each interval's reminder has its own key
// "<kind>:<baseline µs>:<k>", so the store can record it once, across ticks
// and restarts. A reminder whose interval starts outside office hours waits
// for the window to open and is then sent for the interval current at that
// moment: late intervals are not replayed one by one. A new update moves the
// baseline, so the count starts again.
// Thread-safe: immutable values and pure functions.
#ifndef FF_SERVER_CORE_REMINDER_POLICY_H_
#define FF_SERVER_CORE_REMINDER_POLICY_H_

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "firefighter/v1/incident.pb.h"
#include "server/core/follow_ups.h"

namespace ff {
namespace pb = ::firefighter::v1;

// The event and timeline kind reminders are recorded as.
inline constexpr absl::string_view kEventReminder = "incident.reminder";
inline constexpr absl::string_view kReminderEntryKind = "reminder";
inline constexpr absl::string_view kReminderActor = "firefighter";

enum class ReminderKind { kStale, kFixed, kPostmortem, kFollowUp };

// ReminderKindName returns "stale", "fixed", "postmortem" or "followup".
absl::string_view ReminderKindName(ReminderKind kind);
// ReminderKindFor is the kind of reminder an incident in `status` can get:
// kFixed in FIXED, kPostmortem in POSTMORTEM, else kStale.
ReminderKind ReminderKindFor(pb::Status status);

// OfficeHours is a weekly window in a time zone, e.g. Monday to Friday,
// 09:00 to 18:00 Europe/Paris. start < end, both minutes after midnight.
struct OfficeHours {
  std::set<absl::Weekday> days;
  int start_minute = 9 * 60;
  int end_minute = 18 * 60;
  absl::TimeZone zone = absl::UTCTimeZone();

  // Contains is true when `t` falls on one of `days` in [start, end).
  bool Contains(absl::Time t) const;
};

// ReminderRule is one kind's configuration.
struct ReminderRule {
  std::map<pb::Severity, absl::Duration> after;  // a severity absent: no reminder
  std::optional<OfficeHours> office_hours;       // absent: any time
};

struct ReminderSettings {
  ReminderRule stale;
  ReminderRule fixed;
  ReminderRule postmortem;
  // Overdue follow-ups, per the incident's severity: `after` is how often
  // the owner is reminded while the follow-up stays overdue.
  ReminderRule followup;
  // How often the scheduler looks for due reminders: the most a reminder
  // can be late.
  absl::Duration check_every = absl::Minutes(1);

  // enabled is true when any rule names a severity.
  bool enabled() const {
    return !stale.after.empty() || !fixed.after.empty() || !postmortem.after.empty() ||
           !followup.after.empty();
  }
};

// DueReminder is the reminder an incident is due now.
struct DueReminder {
  ReminderKind kind;
  int64_t interval = 0;  // k: the k-th interval since the baseline
  std::string key;       // unique per incident, kind, baseline and interval
  std::string text;      // the timeline entry and message
};

// DueReminderFor returns the reminder `incident` is due at `now` under
// `settings`, or nullopt.
std::optional<DueReminder> DueReminderFor(const pb::Incident& incident,
                                          const ReminderSettings& settings, absl::Time now);

// DueFollowUpReminder returns the reminder overdue `follow_up` (of an
// incident of `severity`) is due at `now`, or nullopt. It became overdue at
// the start of the day after its due date in the follow-up time zone;
// interval k (k >= 0) starts k * `followup.after[severity]` later, keyed
// "followup:<id>:<due date>:<k>", in office hours as the other kinds. The
// text names the owner, who is the one reminded.
std::optional<DueReminder> DueFollowUpReminder(const pb::FollowUp& follow_up, pb::Severity severity,
                                               const ReminderSettings& settings,
                                               const FollowUpSettings& followups, absl::Time now);

}  // namespace ff

#endif  // FF_SERVER_CORE_REMINDER_POLICY_H_
