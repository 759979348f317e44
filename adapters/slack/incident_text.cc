#include "adapters/slack/incident_text.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"

namespace ff::slack {
namespace {

std::string Lower(std::string name, absl::string_view prefix) {
  name = name.substr(prefix.size());
  absl::AsciiStrToLower(&name);
  return name;
}

std::string Or(const std::string& value, const char* fallback) {
  return value.empty() ? fallback : value;
}

std::string TimeText(const google::protobuf::Timestamp& time) {
  if (time.seconds() == 0) return "—";
  return absl::FormatTime("%Y-%m-%d %H:%M UTC", absl::FromUnixSeconds(time.seconds()),
                          absl::UTCTimeZone());
}

}  // namespace

std::string StatusText(pb::Status status) { return Lower(pb::Status_Name(status), "STATUS_"); }

std::string SeverityText(pb::Severity severity) {
  return pb::Severity_Name(severity).substr(sizeof("SEVERITY_") - 1);
}

std::string SeverityDescription(pb::Severity severity) {
  switch (severity) {
    case pb::SEVERITY_SEV1:
      return "Critical; warrants liaison with the executive committee";
    case pb::SEVERITY_SEV2:
      return "Major; impacting customers";
    case pb::SEVERITY_SEV3:
      return "Minor; affecting customers";
    case pb::SEVERITY_SEV4:
      return "Minor; not affecting customers";
    case pb::SEVERITY_SEV5:
      return "Cosmetic; not affecting customers";
    default:
      return "";
  }
}

std::string CloseReasonText(pb::CloseReason reason) {
  std::string text = Lower(pb::CloseReason_Name(reason), "CLOSE_REASON_");
  for (char& c : text) c = c == '_' ? ' ' : c;
  return text;
}

pb::Status ParseStatus(absl::string_view name) {
  pb::Status value = pb::STATUS_UNSPECIFIED;
  return pb::Status_Parse(std::string(name), &value) ? value : pb::STATUS_UNSPECIFIED;
}

pb::Severity ParseSeverity(absl::string_view name) {
  pb::Severity value = pb::SEVERITY_UNSPECIFIED;
  return pb::Severity_Parse(std::string(name), &value) ? value : pb::SEVERITY_UNSPECIFIED;
}

pb::CloseReason ParseCloseReason(absl::string_view name) {
  pb::CloseReason value = pb::CLOSE_REASON_UNSPECIFIED;
  return pb::CloseReason_Parse(std::string(name), &value) ? value : pb::CLOSE_REASON_UNSPECIFIED;
}

std::string SummaryLine(const pb::Incident& incident) {
  return absl::StrCat("#", incident.id(), " [", SeverityText(incident.severity()), ", ",
                      StatusText(incident.status()), "] ", incident.title(), " (",
                      incident.domain(), ")");
}

std::string DetailsText(const pb::Incident& incident) {
  std::string text = absl::StrCat("*Incident #", incident.id(), ": ", incident.title(), "*\n");
  absl::StrAppend(&text, "Status: ", StatusText(incident.status()), "\n");
  absl::StrAppend(&text, "Severity: ", SeverityText(incident.severity()), " — ",
                  SeverityDescription(incident.severity()), "\n");
  absl::StrAppend(&text, "Domain: ", incident.domain(), "\n");
  absl::StrAppend(&text, "Reporter: ", incident.reporter(), "\n");
  absl::StrAppend(&text, "Commander: ", Or(incident.roles().commander(), "—"), "\n");
  absl::StrAppend(&text, "Communication lead: ", Or(incident.roles().communication_lead(), "—"),
                  "\n");
  absl::StrAppend(&text, "Operations lead: ", Or(incident.roles().operations_lead(), "—"), "\n");
  absl::StrAppend(&text, "Opened: ", TimeText(incident.created_at()), "\n");
  if (incident.status() == pb::STATUS_CLOSED) {
    absl::StrAppend(&text, "Closed: ", TimeText(incident.closed_at()), " (",
                    CloseReasonText(incident.close_reason()), ")\n");
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
