#include "server/notifiers/calendar/meeting_plan.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"

namespace ff {

absl::Time PlanMeetingStart(absl::Time reached, absl::Duration delay, int hour_utc) {
  const absl::TimeZone utc = absl::UTCTimeZone();
  const absl::Time earliest = reached + delay;
  absl::CivilDay day = absl::ToCivilDay(earliest, utc);
  for (;;) {
    absl::Time slot = absl::FromCivil(absl::CivilHour(day) + hour_utc, utc);
    absl::Weekday weekday = absl::GetWeekday(day);
    bool weekend = weekday == absl::Weekday::saturday || weekday == absl::Weekday::sunday;
    if (!weekend && slot >= earliest) return slot;
    ++day;
  }
}

bool LooksLikeEmail(absl::string_view text) {
  size_t at = text.find('@');
  if (at == absl::string_view::npos || at == 0 || text.rfind('@') != at) return false;
  absl::string_view domain = text.substr(at + 1);
  size_t dot = domain.rfind('.');
  if (dot == absl::string_view::npos || dot == 0 || dot + 1 == domain.size()) return false;
  for (char c : text) {
    unsigned char u = static_cast<unsigned char>(c);
    if (u <= ' ' || u == 0x7F || c == '"' || c == ':' || c == ';' || c == ',' || c == '<' ||
        c == '>' || c == '\\' || c == '(' || c == ')' || c == '[' || c == ']') {
      return false;
    }
  }
  return true;
}

std::vector<std::string> AttendeeEmails(const pb::Incident& incident) {
  std::vector<std::string> out;
  for (const std::string& participant : incident.participants()) {
    std::string email = absl::AsciiStrToLower(participant);
    if (!LooksLikeEmail(email) || std::find(out.begin(), out.end(), email) != out.end()) {
      continue;
    }
    out.push_back(email);
  }
  return out;
}

std::string FormatMeetingTime(absl::Time t) {
  return absl::FormatTime("%Y-%m-%d %H:%M UTC", t, absl::UTCTimeZone());
}

}  // namespace ff
