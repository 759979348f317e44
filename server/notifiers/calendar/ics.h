// ICS: RFC 5545 iCalendar text for one meeting invitation (METHOD:REQUEST),
// the calendar notifier's fallback when no calendar API is configured.
//
// Lines end in CRLF and are folded at 75 octets (never inside a UTF-8
// sequence); TEXT values escape backslash, ';', ',' and newlines; times are
// UTC ("20260105T140000Z"). Pure functions; thread-safe.
#ifndef FF_SERVER_NOTIFIERS_CALENDAR_ICS_H_
#define FF_SERVER_NOTIFIERS_CALENDAR_ICS_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace ff {

struct IcsEvent {
  std::string uid;   // stable per meeting so a re-sent invitation updates it
  absl::Time stamp;  // DTSTAMP: when this invitation was produced
  absl::Time start;
  absl::Time end;
  std::string summary;
  std::string description;
  std::string organizer_name;
  std::string organizer_email;
  std::vector<std::string> attendee_emails;
  int sequence = 0;  // bumped on reschedule
};

// RenderIcs returns a VCALENDAR holding one VEVENT for `event`.
// REQUIRES: the emails contain none of ':', ';', ',', '"', CR or LF.
std::string RenderIcs(const IcsEvent& event);

// IcsEscapeText escapes a TEXT value (RFC 5545 §3.3.11).
std::string IcsEscapeText(absl::string_view text);

// IcsFoldLine folds one unfolded content line (without its CRLF) into lines
// of at most 75 octets joined by CRLF + space, and ends it with CRLF.
std::string IcsFoldLine(absl::string_view line);

// IcsTime formats `t` as a UTC DATE-TIME: "YYYYMMDDTHHMMSSZ".
std::string IcsTime(absl::Time t);

}  // namespace ff

#endif  // FF_SERVER_NOTIFIERS_CALENDAR_ICS_H_
