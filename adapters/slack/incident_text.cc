#include "adapters/slack/incident_text.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "clients/incident/vocabulary.h"
#include "clients/slack/mrkdwn.h"

namespace ff::slack {
namespace {

// Or is `value` escaped, or `fallback` when it is empty.
std::string Or(const std::string& value, const char* fallback) {
  return value.empty() ? fallback : SlackEscape(value);
}

}  // namespace

std::string TimeText(const google::protobuf::Timestamp& time) {
  if (time.seconds() == 0) return "—";
  return absl::FormatTime("%Y-%m-%d %H:%M UTC", absl::FromUnixSeconds(time.seconds()),
                          absl::UTCTimeZone());
}

std::string SummaryLine(const pb::Incident& incident) {
  return absl::StrCat("#", incident.id(), " [", Label(incident.severity()), ", ",
                      Label(incident.status()), "] ", SlackEscape(incident.title()), " (",
                      SlackEscape(incident.domain()), ")");
}

std::string DetailsText(const pb::Incident& incident) {
  std::string text =
      absl::StrCat("*Incident #", incident.id(), ": ", SlackEscape(incident.title()), "*\n");
  absl::StrAppend(&text, "Status: ", Label(incident.status()), "\n");
  absl::StrAppend(&text, "Severity: ", Label(incident.severity()), " — ",
                  TermOf(incident.severity()).meaning, "\n");
  absl::StrAppend(&text, "Domain: ", Or(incident.domain(), "—"), "\n");
  absl::StrAppend(&text, "Reporter: ", Or(incident.reporter(), "—"), "\n");
  for (Role role : AllRoles()) {
    absl::StrAppend(&text, Label(role), ": ", Or(HolderOf(incident.roles(), role), "—"), "\n");
  }
  absl::StrAppend(&text, "Opened: ", TimeText(incident.created_at()), "\n");
  if (incident.status() == pb::STATUS_CLOSED) {
    absl::StrAppend(&text, "Closed: ", TimeText(incident.closed_at()), " (",
                    Label(incident.close_reason()), ")\n");
  }
  if (!incident.description().empty()) {
    absl::StrAppend(&text, "\n", SlackEscape(incident.description()), "\n");
  }
  for (const pb::Link& link : incident.links()) {
    if (!link.url().empty()) {
      absl::StrAppend(&text, SlackEscape(link.kind()), ": ", SlackEscape(link.url()), "\n");
    }
  }
  return text;
}

std::string HelpText() {
  return "*FireFighter* — `/incident &lt;command&gt;`\n"
         "• `open` — open an incident (a form asks for domain, severity, title, description)\n"
         "• `update [ID]` — change status, severity, roles; add a message\n"
         "• `close [ID]` — close with a reason\n"
         "• `status [ID] STATUS [message]` — e.g. `/incident status fixed rolled back`\n"
         "• `severity [ID] SEVERITY [message]` — e.g. `/incident severity sev1`\n"
         "• `commander [ID] me|@someone` — e.g. `/incident commander me`\n"
         "• `note [ID] TEXT` — e.g. `/incident note restarted the pods`\n"
         "• `followup [ID] TITLE` — add a follow-up, e.g. `/incident followup rotate the keys`; "
         "without a title (or `followups`), list them\n"
         "• `info [ID]` — details of an incident\n"
         "• `list [all]` — incidents not closed yet (`all`: closed ones too)\n"
         "• `help` — this text\n"
         "Inside an incident channel (`inc-&lt;id&gt;-…`) the ID may be left out. A message "
         "there becomes a follow-up with *More actions → Make a follow-up*.";
}

}  // namespace ff::slack
