// The "reminders" section of the config file (server/core/reminder_policy.h
// says what each reminder is):
//   "reminders": {
//     "check_every_seconds": 60,
//     "stale":      {"after_minutes": {"SEV1": 15, "SEV2": 30}},
//     "fixed":      {"after_hours": {"SEV1": 24, "SEV2": 24, "SEV3": 48},
//                    "office_hours": {"days": ["mon", "tue", "wed", "thu", "fri"],
//                                     "start": "09:00", "end": "18:00",
//                                     "time_zone": "Europe/Paris"}},
//     "postmortem": {"after_days": {"SEV1": 5, "SEV2": 5, "SEV3": 10}},
//     "followup":   {"every_days": {"SEV1": 1, "SEV2": 2, "SEV3": 7}}
//   }
// and the "followups" section (server/core/follow_ups.h):
//   "followups": {"due_days": {"SEV1": 14, "SEV2": 30}, "time_zone": "Europe/Paris"}
// A severity left out gets no reminder of that kind; "fixed" and
// "postmortem" take SEV1–SEV3 only (the others have no postmortem).
// Pure; thread-safe.
#ifndef FF_SERVER_CONFIG_REMINDERS_CONFIG_H_
#define FF_SERVER_CONFIG_REMINDERS_CONFIG_H_

#include "absl/status/statusor.h"
#include "nlohmann/json.hpp"
#include "server/core/follow_ups.h"
#include "server/core/reminder_policy.h"

namespace ff {

// ParseReminders reads the section. INVALID_ARGUMENT naming the key
// ("config: reminders.fixed.after_hours.SEV4 …") for unknown keys, wrong
// types, unknown severities, values out of range, bad days, times or zones.
absl::StatusOr<ReminderSettings> ParseReminders(const nlohmann::json& section);
// ParseFollowUps reads the "followups" section, with the same errors.
absl::StatusOr<FollowUpSettings> ParseFollowUps(const nlohmann::json& section);

}  // namespace ff

#endif  // FF_SERVER_CONFIG_REMINDERS_CONFIG_H_
