#include "server/core/reminder_policy.h"

#include "absl/strings/str_cat.h"
#include "server/core/names.h"
#include "server/core/time_util.h"

namespace ff {
namespace {

// Applicable returns the rule and baseline that apply to `incident` in its
// current status, or nullopt.
struct Applicable {
  ReminderKind kind;
  const ReminderRule* rule;
  const google::protobuf::Timestamp* baseline;
};

std::optional<Applicable> ApplicableRule(const pb::Incident& incident,
                                         const ReminderSettings& settings) {
  switch (incident.status()) {
    case pb::STATUS_OPEN:
    case pb::STATUS_INVESTIGATING:
    case pb::STATUS_FIXING:
      return Applicable{ReminderKind::kStale, &settings.stale, &incident.updated_at()};
    case pb::STATUS_FIXED:
      if (!PostmortemRequired(incident.severity())) return std::nullopt;
      return Applicable{ReminderKind::kFixed, &settings.fixed, &incident.fixed_at()};
    case pb::STATUS_POSTMORTEM:
      return Applicable{ReminderKind::kPostmortem, &settings.postmortem, &incident.postmortem_at()};
    default:
      return std::nullopt;
  }
}

// Since renders whole days, hours and minutes: "5d", "1h30m", "30m".
std::string Since(absl::Duration d) {
  constexpr int64_t kMinutesPerDay = int64_t{24} * 60;
  int64_t minutes = absl::ToInt64Minutes(d);
  std::string out;
  if (minutes >= kMinutesPerDay) absl::StrAppend(&out, minutes / kMinutesPerDay, "d");
  if (minutes % kMinutesPerDay >= 60) absl::StrAppend(&out, minutes % kMinutesPerDay / 60, "h");
  if (minutes % 60 > 0 || out.empty()) absl::StrAppend(&out, minutes % 60, "m");
  return out;
}

std::string ReminderText(ReminderKind kind, const pb::Incident& incident, absl::Duration elapsed) {
  std::string since = Since(elapsed);
  switch (kind) {
    case ReminderKind::kStale:
      return absl::StrCat("Reminder: no update for ", since, " (", StatusName(incident.status()),
                          ", ", SeverityName(incident.severity()),
                          "). Post an update, or move the incident on.");
    case ReminderKind::kFixed:
      return absl::StrCat("Reminder: FIXED for ", since, " without a postmortem. ",
                          SeverityName(incident.severity()),
                          " incidents need one: move it to POSTMORTEM.");
    case ReminderKind::kPostmortem:
      return absl::StrCat("Reminder: in POSTMORTEM for ", since,
                          ". Hold the review and close the incident.");
    case ReminderKind::kFollowUp:
      break;  // DueFollowUpReminder words its own
  }
  return "";
}

}  // namespace

absl::string_view ReminderKindName(ReminderKind kind) {
  switch (kind) {
    case ReminderKind::kStale:
      return "stale";
    case ReminderKind::kFixed:
      return "fixed";
    case ReminderKind::kPostmortem:
      return "postmortem";
    case ReminderKind::kFollowUp:
      return "followup";
  }
  return "";
}

ReminderKind ReminderKindFor(pb::Status status) {
  if (status == pb::STATUS_FIXED) return ReminderKind::kFixed;
  if (status == pb::STATUS_POSTMORTEM) return ReminderKind::kPostmortem;
  return ReminderKind::kStale;
}

bool OfficeHours::Contains(absl::Time t) const {
  absl::CivilSecond local = absl::ToCivilSecond(t, zone);
  if (days.count(absl::GetWeekday(local)) == 0) return false;
  int minute = local.hour() * 60 + local.minute();
  return minute >= start_minute && minute < end_minute;
}

std::optional<DueReminder> DueReminderFor(const pb::Incident& incident,
                                          const ReminderSettings& settings, absl::Time now) {
  std::optional<Applicable> applicable = ApplicableRule(incident, settings);
  if (!applicable) return std::nullopt;
  auto after = applicable->rule->after.find(incident.severity());
  if (after == applicable->rule->after.end() || after->second <= absl::ZeroDuration()) {
    return std::nullopt;
  }
  int64_t baseline_micros = ToUnixMicros(*applicable->baseline);
  if (baseline_micros == 0) return std::nullopt;  // never reached: nothing to count from
  absl::Time baseline = absl::FromUnixMicros(baseline_micros);
  absl::Duration remainder;  // IDivDuration writes it unconditionally
  int64_t interval = absl::IDivDuration(now - baseline, after->second, &remainder);
  if (interval < 1) return std::nullopt;
  const std::optional<OfficeHours>& hours = applicable->rule->office_hours;
  if (hours && !hours->Contains(now)) return std::nullopt;
  DueReminder due;
  due.kind = applicable->kind;
  due.interval = interval;
  due.key = absl::StrCat(ReminderKindName(due.kind), ":", baseline_micros, ":", interval);
  due.text = ReminderText(due.kind, incident, after->second * interval);
  return due;
}

std::optional<DueReminder> DueFollowUpReminder(const pb::FollowUp& follow_up, pb::Severity severity,
                                               const ReminderSettings& settings,
                                               const FollowUpSettings& followups, absl::Time now) {
  if (!IsOverdue(follow_up, TodayIn(followups, now))) return std::nullopt;
  const ReminderRule& rule = settings.followup;
  auto every = rule.after.find(severity);
  if (every == rule.after.end() || every->second <= absl::ZeroDuration()) return std::nullopt;
  absl::StatusOr<absl::CivilDay> due = ParseDueDate("due_date", follow_up.due_date());
  if (!due.ok()) return std::nullopt;  // stored dates are well formed
  const absl::Time overdue_at = absl::FromCivil(*due + 1, followups.zone);
  if (now < overdue_at) return std::nullopt;
  if (rule.office_hours && !rule.office_hours->Contains(now)) return std::nullopt;
  absl::Duration remainder;
  const int64_t interval = absl::IDivDuration(now - overdue_at, every->second, &remainder);
  DueReminder reminder;
  reminder.kind = ReminderKind::kFollowUp;
  reminder.interval = interval;
  reminder.key =
      absl::StrCat("followup:", follow_up.id(), ":", follow_up.due_date(), ":", interval);
  const int64_t days_late = (TodayIn(followups, now) - *due);
  reminder.text = absl::StrCat(
      "Reminder: follow-up FU-", follow_up.id(), " \"", follow_up.title(), "\" was due ",
      follow_up.due_date(), " (", days_late, days_late == 1 ? " day" : " days", " ago)",
      follow_up.owner().empty() ? ", and has no owner"
                                : absl::StrCat(", owner ", follow_up.owner()),
      ". Mark it done, or give it a new due date.");
  return reminder;
}

}  // namespace ff
