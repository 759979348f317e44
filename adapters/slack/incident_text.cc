#include "adapters/slack/incident_text.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "clients/incident/vocabulary.h"

namespace ff::slack {
namespace {

std::string Or(const std::string& value, const char* fallback) {
  return value.empty() ? fallback : value;
}

std::string TimeText(const google::protobuf::Timestamp& time) {
  if (time.seconds() == 0) return "—";
  return absl::FormatTime("%Y-%m-%d %H:%M UTC", absl::FromUnixSeconds(time.seconds()),
                          absl::UTCTimeZone());
}

}  // namespace

std::string SummaryLine(const pb::Incident& incident) {
  return absl::StrCat("#", incident.id(), " [", Label(incident.severity()), ", ",
                      Label(incident.status()), "] ", incident.title(), " (", incident.domain(),
                      ")");
}

std::string DetailsText(const pb::Incident& incident) {
  std::string text = absl::StrCat("*Incident #", incident.id(), ": ", incident.title(), "*\n");
  absl::StrAppend(&text, "Status: ", Label(incident.status()), "\n");
  absl::StrAppend(&text, "Severity: ", Label(incident.severity()), " — ",
                  TermOf(incident.severity()).meaning, "\n");
  absl::StrAppend(&text, "Domain: ", incident.domain(), "\n");
  absl::StrAppend(&text, "Reporter: ", incident.reporter(), "\n");
  for (Role role : AllRoles()) {
    absl::StrAppend(&text, Label(role), ": ", Or(HolderOf(incident.roles(), role), "—"), "\n");
  }
  absl::StrAppend(&text, "Opened: ", TimeText(incident.created_at()), "\n");
  if (incident.status() == pb::STATUS_CLOSED) {
    absl::StrAppend(&text, "Closed: ", TimeText(incident.closed_at()), " (",
                    Label(incident.close_reason()), ")\n");
  }
  if (!incident.description().empty()) absl::StrAppend(&text, "\n", incident.description(), "\n");
  for (const pb::Link& link : incident.links()) {
    if (!link.url().empty()) absl::StrAppend(&text, link.kind(), ": ", link.url(), "\n");
  }
  return text;
}

std::string HelpText() {
  return "*FireFighter* — `/incident <command>`\n"
         "• `open` — open an incident (a form asks for domain, severity, title, description)\n"
         "• `update [ID]` — change status, severity, roles; add a message\n"
         "• `close [ID]` — close with a reason\n"
         "• `info [ID]` — details of an incident\n"
         "• `list` — incidents not closed yet\n"
         "• `help` — this text\n"
         "Inside an incident channel (`inc-<id>-…`) the ID may be left out.";
}

}  // namespace ff::slack
