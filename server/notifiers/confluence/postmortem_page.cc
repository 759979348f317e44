#include "server/notifiers/confluence/postmortem_page.h"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "clients/http/encoding.h"
#include "server/core/follow_ups.h"
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

std::string TrackerCell(const pb::FollowUp& follow_up) {
  if (follow_up.tracker_url().empty()) return HtmlEscape(OrDash(follow_up.tracker_key()));
  return absl::StrCat("<a href=\"", HtmlEscape(follow_up.tracker_url()), "\">",
                      HtmlEscape(OrDash(follow_up.tracker_key())), "</a>");
}

std::string FollowUpsTable(const std::vector<pb::FollowUp>& follow_ups) {
  if (follow_ups.empty()) return "<p>None yet.</p>";
  std::string out =
      "<table><tbody><tr><th>Follow-up</th><th>Title</th><th>Owner</th><th>Due</th>"
      "<th>Status</th><th>Tracker</th></tr>";
  for (const pb::FollowUp& follow_up : follow_ups) {
    absl::StrAppend(&out, "<tr><td>FU-", follow_up.id(), "</td><td>", HtmlEscape(follow_up.title()),
                    "</td><td>", HtmlEscape(OrDash(follow_up.owner())), "</td><td>",
                    HtmlEscape(OrDash(follow_up.due_date())), "</td><td>",
                    HtmlEscape(FollowUpStatusName(follow_up.status())), "</td><td>",
                    TrackerCell(follow_up), "</td></tr>");
  }
  return out + "</tbody></table>";
}

constexpr absl::string_view kFollowUpsHeading = "<h2>Follow-ups</h2>";
constexpr absl::string_view kMacroOpen = "<ac:structured-macro";
constexpr absl::string_view kMacroClose = "</ac:structured-macro>";

// FindFollowUpsSection returns [begin, end) of the macro whose parameter at
// `param` carries kFollowUpsSectionId, counting nested (and self-closing)
// macros so that one an author put inside it stays inside; nullopt when the
// markup around it is unbalanced.
std::optional<std::pair<size_t, size_t>> FindFollowUpsSection(absl::string_view body,
                                                              size_t param) {
  std::vector<size_t> open;  // starts of the macros open at `pos`
  std::optional<size_t> depth;
  size_t begin = 0;
  size_t pos = 0;
  while (true) {
    size_t next_open = body.find(kMacroOpen, pos);
    size_t next = std::min(next_open, body.find(kMacroClose, pos));
    if (!depth && param < next) {  // the parameter belongs to the innermost open macro
      if (open.empty()) return std::nullopt;
      begin = open.back();
      depth = open.size();
    }
    if (next == absl::string_view::npos) return std::nullopt;
    if (next == next_open) {
      size_t tag_end = body.find('>', next);
      if (tag_end == absl::string_view::npos) return std::nullopt;
      if (body[tag_end - 1] != '/') open.push_back(next);
      pos = tag_end + 1;
      continue;
    }
    if (open.empty()) return std::nullopt;
    open.pop_back();
    pos = next + kMacroClose.size();
    if (depth && open.size() < *depth) return std::make_pair(begin, pos);
  }
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
                             const std::vector<pb::TimelineEntry>& timeline,
                             const std::vector<pb::FollowUp>& follow_ups) {
  return absl::StrCat("<h2>Summary</h2>", SummaryTable(incident), "<h2>Description</h2><p>",
                      HtmlEscape(OrDash(incident.description())), "</p><h2>Roles</h2>",
                      RolesList(incident.roles()), "<h2>Attendees</h2>", Attendees(incident),
                      "<h2>Links</h2>", Links(incident), "<h2>Timeline</h2>", Timeline(timeline),
                      "<h2>Impact</h2><p></p><h2>Root cause</h2><p></p><h2>Actions</h2><p></p>",
                      kFollowUpsHeading, RenderFollowUpsSection(follow_ups));
}

std::string RenderFollowUpsSection(const std::vector<pb::FollowUp>& follow_ups) {
  return absl::StrCat(kMacroOpen,
                      " ac:name=\"details\" ac:schema-version=\"1\"><ac:parameter ac:name=\"id\">",
                      kFollowUpsSectionId, "</ac:parameter><ac:rich-text-body>",
                      FollowUpsTable(follow_ups), "</ac:rich-text-body>", kMacroClose);
}

absl::StatusOr<std::string> ReplaceFollowUpsSection(absl::string_view body,
                                                    absl::string_view section) {
  size_t param = body.find(absl::StrCat(">", kFollowUpsSectionId, "</ac:parameter>"));
  if (param == absl::string_view::npos) return absl::StrCat(body, kFollowUpsHeading, section);
  std::optional<std::pair<size_t, size_t>> span = FindFollowUpsSection(body, param);
  if (!span) {
    return absl::FailedPreconditionError(
        absl::StrCat("the macro holding the follow-ups section (id \"", kFollowUpsSectionId,
                     "\") is not closed; repair or delete it"));
  }
  return absl::StrCat(body.substr(0, span->first), section, body.substr(span->second));
}

}  // namespace ff
