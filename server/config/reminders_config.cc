#include "server/config/reminders_config.h"

#include <array>
#include <set>
#include <string>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/quote.h"
#include "common/status_macros.h"
#include "server/config/config_error.h"
#include "server/core/names.h"

namespace ff {
namespace {

using nlohmann::json;

constexpr char kWhere[] = "reminders";

absl::Status CheckObject(const json& object, const std::string& where,
                         const std::set<std::string>& allowed) {
  if (!object.is_object()) return ConfigError(where, "must be an object");
  for (const auto& [key, value] : object.items()) {
    if (allowed.count(key) == 0) return ConfigError(ConfigKey(where, key), "is not a known key");
  }
  return absl::OkStatus();
}

absl::StatusOr<pb::Severity> SeverityKey(const std::string& key, const std::string& where) {
  for (int s = pb::SEVERITY_SEV1; s <= pb::SEVERITY_SEV5; ++s) {
    if (SeverityName(s) == key) return static_cast<pb::Severity>(s);
  }
  return ConfigError(ConfigKey(where, key), "is not a severity: use SEV1 to SEV5");
}

// "HH:MM" → minutes after midnight; "24:00" is allowed as an end.
absl::StatusOr<int> MinuteOfDay(const json& value, const std::string& where) {
  int hours = 0, minutes = 0;
  if (!value.is_string()) return ConfigError(where, "must be a time \"HH:MM\"");
  const std::string text = value.get<std::string>();
  if (text.size() != 5 || text[2] != ':' || !absl::SimpleAtoi(text.substr(0, 2), &hours) ||
      !absl::SimpleAtoi(text.substr(3, 2), &minutes) || hours > 24 || minutes > 59 ||
      (hours == 24 && minutes != 0)) {
    return ConfigError(where, absl::StrCat(QuoteValue(text), " must be a time \"HH:MM\""));
  }
  return hours * 60 + minutes;
}

// ParseZone reads `o.time_zone` (UTC when absent).
absl::StatusOr<absl::TimeZone> ParseZone(const json& o, const std::string& where) {
  absl::TimeZone tz;
  json zone = o.value("time_zone", json("UTC"));
  if (!zone.is_string() || !absl::LoadTimeZone(zone.get<std::string>(), &tz)) {
    return ConfigError(where + ".time_zone",
                       "must be a time zone name such as Europe/Paris or UTC");
  }
  return tz;
}

absl::StatusOr<OfficeHours> ParseOfficeHours(const json& o, const std::string& where) {
  FF_RETURN_IF_ERROR(CheckObject(o, where, {"days", "start", "end", "time_zone"}));
  static constexpr std::array<const char*, 7> kDays = {"mon", "tue", "wed", "thu",
                                                       "fri", "sat", "sun"};
  static constexpr std::array<absl::Weekday, 7> kWeekdays = {
      absl::Weekday::monday,   absl::Weekday::tuesday, absl::Weekday::wednesday,
      absl::Weekday::thursday, absl::Weekday::friday,  absl::Weekday::saturday,
      absl::Weekday::sunday};
  OfficeHours hours;
  json days = o.value("days", json::array({"mon", "tue", "wed", "thu", "fri"}));
  if (!days.is_array() || days.empty())
    return ConfigError(where + ".days", "must be a non-empty array");
  for (size_t i = 0; i < days.size(); ++i) {
    size_t found = kDays.size();
    for (size_t d = 0; d < kDays.size(); ++d) {
      if (days[i].is_string() && days[i].get<std::string>() == kDays[d]) found = d;
    }
    if (found == kDays.size()) {
      return ConfigError(absl::StrCat(where, ".days[", i, "]"), "must be one of mon, tue, …, sun");
    }
    hours.days.insert(kWeekdays[found]);
  }
  FF_ASSIGN_OR_RETURN(hours.start_minute,
                      MinuteOfDay(o.value("start", json("09:00")), where + ".start"));
  FF_ASSIGN_OR_RETURN(hours.end_minute, MinuteOfDay(o.value("end", json("18:00")), where + ".end"));
  if (hours.end_minute <= hours.start_minute)
    return ConfigError(where + ".end", "must be after start");
  FF_ASSIGN_OR_RETURN(hours.zone, ParseZone(o, where));
  return hours;
}

// ParseRule reads one kind: `unit_key` ("after_minutes", …) maps severities
// to a count of `unit`, at most `max`.
absl::StatusOr<ReminderRule> ParseRule(const json& r, const std::string& where,
                                       const std::string& unit_key, absl::Duration unit,
                                       int64_t max, bool postmortem_only) {
  FF_RETURN_IF_ERROR(CheckObject(r, where, {unit_key, "office_hours"}));
  ReminderRule rule;
  std::string after_where = where + "." + unit_key;
  auto after = r.find(unit_key);
  if (after == r.end()) return ConfigError(after_where, "is required");
  if (!after->is_object()) return ConfigError(after_where, "must map severities to numbers");
  for (const auto& [key, value] : after->items()) {
    FF_ASSIGN_OR_RETURN(pb::Severity severity, SeverityKey(key, after_where));
    if (postmortem_only && !PostmortemRequired(severity)) {
      return ConfigError(ConfigKey(after_where, key), "has no postmortem: only SEV1 to SEV3 do");
    }
    if (!value.is_number_integer() || value.get<int64_t>() < 1 || value.get<int64_t>() > max) {
      return ConfigError(ConfigKey(after_where, key),
                         absl::StrCat("must be an integer from 1 to ", max));
    }
    rule.after[severity] = unit * value.get<int64_t>();
  }
  if (auto hours = r.find("office_hours"); hours != r.end()) {
    FF_ASSIGN_OR_RETURN(rule.office_hours, ParseOfficeHours(*hours, where + ".office_hours"));
  }
  return rule;
}

}  // namespace

absl::StatusOr<ReminderSettings> ParseReminders(const json& section) {
  const std::string where = kWhere;
  FF_RETURN_IF_ERROR(CheckObject(
      section, where, {"check_every_seconds", "stale", "fixed", "postmortem", "followup"}));
  ReminderSettings settings;
  if (auto it = section.find("check_every_seconds"); it != section.end()) {
    if (!it->is_number_integer() || it->get<int64_t>() < 1 || it->get<int64_t>() > 3600) {
      return ConfigError(where + ".check_every_seconds", "must be an integer from 1 to 3600");
    }
    settings.check_every = absl::Seconds(it->get<int64_t>());
  }
  if (auto it = section.find("stale"); it != section.end()) {
    FF_ASSIGN_OR_RETURN(settings.stale, ParseRule(*it, where + ".stale", "after_minutes",
                                                  absl::Minutes(1), int64_t{7} * 24 * 60, false));
  }
  if (auto it = section.find("fixed"); it != section.end()) {
    FF_ASSIGN_OR_RETURN(settings.fixed, ParseRule(*it, where + ".fixed", "after_hours",
                                                  absl::Hours(1), int64_t{24} * 90, true));
  }
  if (auto it = section.find("postmortem"); it != section.end()) {
    FF_ASSIGN_OR_RETURN(settings.postmortem, ParseRule(*it, where + ".postmortem", "after_days",
                                                       absl::Hours(24), 365, true));
  }
  if (auto it = section.find("followup"); it != section.end()) {
    FF_ASSIGN_OR_RETURN(settings.followup, ParseRule(*it, where + ".followup", "every_days",
                                                     absl::Hours(24), 365, false));
  }
  return settings;
}

absl::StatusOr<FollowUpSettings> ParseFollowUps(const json& section) {
  const std::string where = "followups";
  FF_RETURN_IF_ERROR(CheckObject(section, where, {"due_days", "time_zone"}));
  FollowUpSettings settings;
  FF_ASSIGN_OR_RETURN(settings.zone, ParseZone(section, where));
  auto due = section.find("due_days");
  if (due == section.end()) return settings;
  const std::string due_where = where + ".due_days";
  if (!due->is_object()) return ConfigError(due_where, "must map severities to numbers of days");
  for (const auto& [key, value] : due->items()) {
    FF_ASSIGN_OR_RETURN(pb::Severity severity, SeverityKey(key, due_where));
    if (!value.is_number_integer() || value.get<int64_t>() < 0 || value.get<int64_t>() > 3650) {
      return ConfigError(ConfigKey(due_where, key), "must be an integer from 0 to 3650");
    }
    settings.due_days[severity] = static_cast<int>(value.get<int64_t>());
  }
  return settings;
}

}  // namespace ff
