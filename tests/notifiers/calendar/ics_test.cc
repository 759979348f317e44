// RFC 5545 rules the .ics fallback must keep: CRLF, folding at 75 octets,
// TEXT escaping, UTC times, the required VEVENT properties.
#include "server/notifiers/calendar/ics.h"

#include <string>
#include <vector>

#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace ff {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;

IcsEvent Event() {
  IcsEvent event;
  event.uid = "incident-42-postmortem@example.com";
  event.stamp = absl::FromUnixSeconds(1767268800);  // 2026-01-01T12:00:00Z
  event.start = absl::FromUnixSeconds(1767621600);  // 2026-01-05T14:00:00Z
  event.end = event.start + absl::Hours(1);
  event.summary = "Postmortem: #42 Checkout errors, retries; and \\ backslash";
  event.description = "Doc: https://example.atlassian.net/wiki/x\nCall: https://zoom.us/j/1";
  event.organizer_name = "FireFighter";
  event.organizer_email = "bot@example.com";
  event.attendee_emails = {"a@example.com", "b@example.com"};
  return event;
}

// Unfold undoes RFC 5545 §3.1 folding.
std::string Unfold(std::string text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text.compare(i, 3, "\r\n ") == 0) {
      i += 2;
      continue;
    }
    out += text[i];
  }
  return out;
}

TEST(IcsTest, EveryLineEndsInCrlfAndFitsIn75Octets) {
  IcsEvent event = Event();
  event.description = std::string(300, 'x') + "é€" + std::string(100, 'y');
  std::string ics = RenderIcs(event);
  ASSERT_TRUE(ics.size() >= 2 && ics.substr(ics.size() - 2) == "\r\n");
  std::vector<std::string> lines = absl::StrSplit(ics.substr(0, ics.size() - 2), "\r\n");
  for (const std::string& line : lines) {
    EXPECT_LE(line.size(), 75u) << line;
    EXPECT_EQ(line.find('\n'), std::string::npos);
    EXPECT_EQ(line.find('\r'), std::string::npos);
  }
  // No bare LF anywhere: every \n is part of a CRLF.
  for (size_t i = 0; i < ics.size(); ++i) {
    if (ics[i] == '\n') {
      EXPECT_EQ(ics[i - 1], '\r') << i;
    }
  }
  EXPECT_THAT(Unfold(ics), HasSubstr("DESCRIPTION:" + event.description + "\r\n"));
}

TEST(IcsTest, FoldingNeverSplitsAUtf8Character) {
  std::string line = "SUMMARY:" + std::string(66, 'a') + "€€€";  // € is 3 octets
  std::string folded = IcsFoldLine(line);
  std::vector<std::string> parts = absl::StrSplit(folded, "\r\n");
  ASSERT_GE(parts.size(), 2u);
  EXPECT_EQ(parts[0], "SUMMARY:" + std::string(66, 'a'));  // 74 octets: € would not fit
  EXPECT_EQ(parts[1], " €€€");
  EXPECT_EQ(Unfold(folded), line + "\r\n");
}

TEST(IcsTest, FoldsExactlyAt75Octets) {
  EXPECT_EQ(IcsFoldLine(std::string(75, 'a')), std::string(75, 'a') + "\r\n");
  std::string folded = IcsFoldLine(std::string(76 + 74, 'a'));
  EXPECT_EQ(folded, std::string(75, 'a') + "\r\n " + std::string(74, 'a') + "\r\n a\r\n");
}

TEST(IcsTest, EscapesTextValues) {
  EXPECT_EQ(IcsEscapeText("a,b;c\\d\ne\r\nf"), "a\\,b\\;c\\\\d\\ne\\nf");
  std::string ics = Unfold(RenderIcs(Event()));
  EXPECT_THAT(ics, HasSubstr("SUMMARY:Postmortem: #42 Checkout errors\\, retries\\; and \\\\ "
                             "backslash\r\n"));
  EXPECT_THAT(ics, HasSubstr("DESCRIPTION:Doc: https://example.atlassian.net/wiki/x\\nCall: "
                             "https://zoom.us/j/1\r\n"));
}

TEST(IcsTest, HasTheRequiredPropertiesInUtc) {
  std::string ics = Unfold(RenderIcs(Event()));
  std::vector<std::string> lines = absl::StrSplit(ics, "\r\n");
  EXPECT_EQ(lines.front(), "BEGIN:VCALENDAR");
  EXPECT_THAT(lines, Contains("VERSION:2.0"));
  EXPECT_THAT(lines, Contains("METHOD:REQUEST"));
  EXPECT_THAT(lines, Contains("BEGIN:VEVENT"));
  EXPECT_THAT(lines, Contains("UID:incident-42-postmortem@example.com"));
  EXPECT_THAT(lines, Contains("DTSTAMP:20260101T120000Z"));
  EXPECT_THAT(lines, Contains("DTSTART:20260105T140000Z"));
  EXPECT_THAT(lines, Contains("DTEND:20260105T150000Z"));
  EXPECT_THAT(lines, Contains("ORGANIZER;CN=\"FireFighter\":mailto:bot@example.com"));
  EXPECT_THAT(lines, Contains("ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;"
                              "PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:a@example.com"));
  EXPECT_THAT(lines, Contains("ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;"
                              "PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:b@example.com"));
  EXPECT_THAT(lines, Contains("SEQUENCE:0"));
  EXPECT_THAT(lines, Contains("END:VEVENT"));
  EXPECT_EQ(lines[lines.size() - 2], "END:VCALENDAR");
  EXPECT_EQ(lines.back(), "");  // the text ends in CRLF
}

TEST(IcsTest, TimesAreUtcWithZSuffix) {
  EXPECT_EQ(IcsTime(absl::FromUnixSeconds(1782898200)), "20260701T093000Z");
}

}  // namespace
}  // namespace ff
