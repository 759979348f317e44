#include "server/notifiers/calendar/ics.h"

#include <algorithm>

#include "absl/strings/str_cat.h"

namespace ff {
namespace {

constexpr size_t kMaxLineOctets = 75;

bool IsContinuationByte(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

}  // namespace

std::string IcsEscapeText(absl::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case ';':
        out += "\\;";
        break;
      case ',':
        out += "\\,";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        if (i + 1 < text.size() && text[i + 1] == '\n') ++i;  // CRLF is one break
        out += "\\n";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string IcsFoldLine(absl::string_view line) {
  std::string out;
  size_t limit = kMaxLineOctets;  // the first line has no leading space
  while (line.size() > limit) {
    size_t cut = limit;
    while (cut > 0 && IsContinuationByte(line[cut])) --cut;
    absl::StrAppend(&out, line.substr(0, cut), "\r\n ");
    line.remove_prefix(cut);
    limit = kMaxLineOctets - 1;  // continuation lines start with a space
  }
  absl::StrAppend(&out, line, "\r\n");
  return out;
}

std::string IcsTime(absl::Time t) {
  return absl::FormatTime("%Y%m%dT%H%M%SZ", t, absl::UTCTimeZone());
}

std::string RenderIcs(const IcsEvent& event) {
  std::string out;
  auto line = [&out](absl::string_view text) { out += IcsFoldLine(text); };
  line("BEGIN:VCALENDAR");
  line("VERSION:2.0");
  line("PRODID:-//FireFighter//incident-svc//EN");
  line("CALSCALE:GREGORIAN");
  line("METHOD:REQUEST");
  line("BEGIN:VEVENT");
  line(absl::StrCat("UID:", event.uid));
  line(absl::StrCat("DTSTAMP:", IcsTime(event.stamp)));
  line(absl::StrCat("DTSTART:", IcsTime(event.start)));
  line(absl::StrCat("DTEND:", IcsTime(event.end)));
  line(absl::StrCat("SUMMARY:", IcsEscapeText(event.summary)));
  if (!event.description.empty()) {
    line(absl::StrCat("DESCRIPTION:", IcsEscapeText(event.description)));
  }
  // CN is a quoted parameter value: DQUOTE cannot appear inside it.
  std::string name = event.organizer_name;
  name.erase(std::remove(name.begin(), name.end(), '"'), name.end());
  line(absl::StrCat("ORGANIZER;CN=\"", name, "\":mailto:", event.organizer_email));
  for (const std::string& email : event.attendee_emails) {
    line(
        absl::StrCat("ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;"
                     "RSVP=TRUE:mailto:",
                     email));
  }
  line(absl::StrCat("SEQUENCE:", event.sequence));
  line("STATUS:CONFIRMED");
  line("END:VEVENT");
  line("END:VCALENDAR");
  return out;
}

}  // namespace ff
