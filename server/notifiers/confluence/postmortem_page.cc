#include "server/notifiers/confluence/postmortem_page.h"

#include <algorithm>
#include <cstdint>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "clients/http/encoding.h"
#include "server/core/names.h"
#include "server/core/time_util.h"

namespace ff {
namespace {

constexpr size_t kMaxTitleBytes = 255;

bool IsSet(const google::protobuf::Timestamp& ts) { return ts.seconds() != 0 || ts.nanos() != 0; }

// OccurredAt is when the incident started hurting: occurred_at, or
// created_at when the reporter did not say.
const google::protobuf::Timestamp& OccurredAt(const pb::Incident& incident) {
  return IsSet(incident.occurred_at()) ? incident.occurred_at() : incident.created_at();
}

std::string FormatTime(const google::protobuf::Timestamp& ts) {
  if (!IsSet(ts) || !IsValidTimestamp(ts)) return "—";
  return absl::FormatTime("%Y-%m-%d %H:%M UTC", FromTimestamp(ts), absl::UTCTimeZone());
}

// HumanDuration renders "1d 2h 5m" (minutes precision).
std::string HumanDuration(absl::Duration d) {
  int64_t minutes = absl::ToInt64Minutes(d);
  if (minutes < 0) return "—";
  std::string out;
  constexpr int64_t kMinutesPerDay = int64_t{24} * 60;
  if (minutes >= kMinutesPerDay) absl::StrAppend(&out, minutes / kMinutesPerDay, "d ");
  if (minutes >= 60) absl::StrAppend(&out, (minutes / 60) % 24, "h ");
  absl::StrAppend(&out, minutes % 60, "m");
  return out;
}

std::string Duration(const pb::Incident& incident) {
  const auto& from = OccurredAt(incident);
  if (!IsSet(incident.fixed_at()) || !IsSet(from) || !IsValidTimestamp(from) ||
      !IsValidTimestamp(incident.fixed_at())) {
    return "—";
  }
  return HumanDuration(FromTimestamp(incident.fixed_at()) - FromTimestamp(from));
}

std::string Row(absl::string_view name, absl::string_view value) {
  return absl::StrCat("<tr><th>", HtmlEscape(name), "</th><td>", HtmlEscape(value), "</td></tr>");
}

std::string OrDash(const std::string& s) { return s.empty() ? "—" : s; }

std::string SummaryTable(const pb::Incident& incident) {
  const auto& occurred = OccurredAt(incident);
  std::string date =
      IsSet(occurred) && IsValidTimestamp(occurred)
          ? absl::FormatTime("%Y-%m-%d", FromTimestamp(occurred), absl::UTCTimeZone())
          : "—";
  return absl::StrCat(
      "<table><tbody>", Row("Incident", absl::StrCat("#", incident.id())), Row("Date", date),
      Row("Occurred", FormatTime(occurred)), Row("Detected", FormatTime(incident.created_at())),
      Row("Fixed", FormatTime(incident.fixed_at())),
      Row("Duration (occurred → fixed)", Duration(incident)),
      Row("Severity", SeverityName(incident.severity())), Row("Domain", OrDash(incident.domain())),
      Row("Reporter", OrDash(incident.reporter())), "</tbody></table>");
}

std::string RolesList(const pb::Roles& roles) {
  return absl::StrCat(
      "<ul><li>Incident commander: ", HtmlEscape(OrDash(roles.commander())),
      "</li><li>Communication lead: ", HtmlEscape(OrDash(roles.communication_lead())),
      "</li><li>Operations lead: ", HtmlEscape(OrDash(roles.operations_lead())), "</li></ul>");
}

std::string Attendees(const pb::Incident& incident) {
  if (incident.participants().empty()) return "<p>—</p>";
  std::string out = "<ul>";
  for (const std::string& p : incident.participants()) {
    absl::StrAppend(&out, "<li>", HtmlEscape(p), "</li>");
  }
  return out + "</ul>";
}

// Links lists the incident's other footprints (channel, call, …); the
// postmortem page itself is left out.
std::string Links(const pb::Incident& incident) {
  std::string out;
  for (const pb::Link& link : incident.links()) {
    if (link.kind() == "postmortem" || link.url().empty()) continue;
    absl::StrAppend(&out, "<li>", HtmlEscape(link.kind()), ": <a href=\"", HtmlEscape(link.url()),
                    "\">", HtmlEscape(link.url()), "</a></li>");
  }
  return out.empty() ? "<p>—</p>" : absl::StrCat("<ul>", out, "</ul>");
}

std::string Timeline(const std::vector<pb::TimelineEntry>& timeline) {
  if (timeline.empty()) return "<p>—</p>";
  std::string out =
      "<table><tbody><tr><th>Time (UTC)</th><th>Kind</th><th>Who</th><th>What</th></tr>";
  for (const pb::TimelineEntry& entry : timeline) {
    absl::StrAppend(&out, "<tr><td>", HtmlEscape(FormatTime(entry.time())), "</td><td>",
                    HtmlEscape(entry.kind()), "</td><td>", HtmlEscape(entry.actor()), "</td><td>",
                    HtmlEscape(entry.text()), "</td></tr>");
  }
  return out + "</tbody></table>";
}

}  // namespace

std::string HtmlEscape(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string PostmortemFolderTitle(const pb::Incident& incident) {
  const auto& occurred = OccurredAt(incident);
  absl::Time when = IsValidTimestamp(occurred) ? FromTimestamp(occurred) : absl::UnixEpoch();
  return absl::FormatTime("%Y-%m", when, absl::UTCTimeZone());
}

std::string PostmortemPageTitle(const pb::Incident& incident, absl::string_view suffix) {
  std::string title = absl::StrCat("Postmortem #", incident.id(), ": ", incident.title());
  size_t limit = kMaxTitleBytes - std::min(suffix.size(), kMaxTitleBytes);
  return absl::StrCat(TruncateUtf8(std::move(title), limit), suffix);
}

std::string RenderPostmortem(const pb::Incident& incident,
                             const std::vector<pb::TimelineEntry>& timeline) {
  return absl::StrCat("<h2>Summary</h2>", SummaryTable(incident), "<h2>Description</h2><p>",
                      HtmlEscape(OrDash(incident.description())), "</p><h2>Roles</h2>",
                      RolesList(incident.roles()), "<h2>Attendees</h2>", Attendees(incident),
                      "<h2>Links</h2>", Links(incident), "<h2>Timeline</h2>", Timeline(timeline),
                      "<h2>Impact</h2><p></p><h2>Root cause</h2><p></p><h2>Actions</h2><p></p>");
}

}  // namespace ff
