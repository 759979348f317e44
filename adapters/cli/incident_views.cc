#include "adapters/cli/incident_views.h"

#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "adapters/cli/text_format.h"
#include "clients/incident/vocabulary.h"

namespace ff::cli {
namespace {

constexpr size_t kTitleColumns = 48;
constexpr size_t kKeyColumns = 14;

Style SeverityStyle(int severity) {
  switch (severity) {
    case pb::SEVERITY_SEV1:
      return Style::kBoldRed;
    case pb::SEVERITY_SEV2:
      return Style::kRed;
    case pb::SEVERITY_SEV3:
      return Style::kYellow;
    default:
      return Style::kPlain;
  }
}

Style StatusStyle(int status) {
  switch (status) {
    case pb::STATUS_FIXED:
      return Style::kGreen;
    case pb::STATUS_POSTMORTEM:
      return Style::kCyan;
    case pb::STATUS_CLOSED:
      return Style::kDim;
    default:
      return Style::kYellow;
  }
}

// The vocabulary's word, or "?" for a value this build does not know.
template <typename Value>
std::string WordOr(Value value) {
  absl::string_view word = Word(value);
  return word.empty() ? "?" : std::string(word);
}
std::string SeverityWord(int severity) { return WordOr(static_cast<pb::Severity>(severity)); }
std::string StatusWord(int status) { return WordOr(static_cast<pb::Status>(status)); }
std::string CloseReasonWord(int reason) { return WordOr(static_cast<pb::CloseReason>(reason)); }

// How long the incident has lasted: until it closed, or until now.
absl::Duration Lasted(const pb::Incident& incident, absl::Time now) {
  absl::Time end = incident.has_closed_at() ? ToTime(incident.closed_at()) : now;
  return end - ToTime(incident.created_at());
}

}  // namespace

std::string View::Severity(int severity) const {
  return Styled(SeverityWord(severity), SeverityStyle(severity), colour_);
}

std::string View::Status(int status) const {
  return Styled(StatusWord(status), StatusStyle(status), colour_);
}

void View::Field(const char* key, const std::string& value) const {
  std::string padded(key);
  padded.resize(kKeyColumns, ' ');
  out_ << "  " << padded << value << '\n';
}

void View::Incident(const pb::Incident& incident) const {
  out_ << Styled(absl::StrCat("#", incident.id(), " ", incident.title()), Style::kBold, colour_)
       << '\n';
  Field("status", Status(incident.status()));
  Field("severity", Severity(incident.severity()));
  Field("domain", OrDash(incident.domain()));
  Field("reporter", OrDash(incident.reporter()));
  Field("commander", OrDash(incident.roles().commander()));
  Field("comms lead", OrDash(incident.roles().communication_lead()));
  Field("ops lead", OrDash(incident.roles().operations_lead()));
  Field("participants", OrDash(absl::StrJoin(incident.participants(), ", ")));
  Field("on-call", incident.trigger_oncall() ? "paged" : "not paged");
  if (!incident.dedup_key().empty()) Field("dedup key", incident.dedup_key());
  absl::Time opened = ToTime(incident.created_at());
  Field("opened",
        absl::StrCat(FormatDateTime(opened, zone_), " (", HumanDuration(now_ - opened), " ago)"));
  if (incident.has_closed_at()) {
    Field("closed", absl::StrCat(FormatDateTime(ToTime(incident.closed_at()), zone_), " (",
                                 CloseReasonWord(incident.close_reason()), ", lasted ",
                                 HumanDuration(Lasted(incident, now_)), ")"));
  }
  Field("version", absl::StrCat(incident.version()));
  for (const pb::Link& link : incident.links()) {
    Field("link", absl::StrCat(link.kind(), " ", OrDash(link.url())));
  }
  if (!incident.description().empty()) {
    out_ << '\n';
    for (absl::string_view line : absl::StrSplit(incident.description(), '\n')) {
      out_ << "  " << line << '\n';
    }
  }
}

void View::Updated(const pb::Incident& incident) const {
  const std::string& commander = incident.roles().commander();
  out_ << "Updated incident #" << incident.id() << ": " << Status(incident.status()) << ", "
       << Severity(incident.severity()) << ", "
       << (commander.empty() ? "no commander" : absl::StrCat("commander ", commander))
       << " (version " << incident.version() << ").\n";
}

void View::Closed(const pb::Incident& incident) const {
  out_ << "Closed incident #" << incident.id() << " (" << CloseReasonWord(incident.close_reason())
       << ") after " << HumanDuration(Lasted(incident, now_)) << ".\n";
}

void View::IncidentList(const pb::ListIncidentsResponse& list) const {
  if (list.incidents().empty()) {
    out_ << "No incidents.\n";
    return;
  }
  TextTable table({"ID", "SEV", "STATUS", "DOMAIN", "TITLE", "DURATION", "COMMANDER"});
  for (const pb::Incident& incident : list.incidents()) {
    table.AddRow({absl::StrCat("#", incident.id()),
                  {SeverityWord(incident.severity()), SeverityStyle(incident.severity())},
                  {StatusWord(incident.status()), StatusStyle(incident.status())},
                  OrDash(incident.domain()),
                  Truncate(incident.title(), kTitleColumns),
                  HumanDuration(Lasted(incident, now_)),
                  OrDash(incident.roles().commander())});
  }
  table.Print(out_, colour_);
}

void View::Timeline(const pb::ListTimelineResponse& timeline) const {
  if (timeline.entries().empty()) {
    out_ << "No timeline entries.\n";
    return;
  }
  TextTable table({"TIME", "KIND", "ACTOR", "TEXT"});
  for (const pb::TimelineEntry& entry : timeline.entries()) {
    std::string actor = OrDash(entry.actor());
    if (!entry.via().empty()) absl::StrAppend(&actor, " via ", entry.via());
    table.AddRow({FormatDateTime(ToTime(entry.time()), zone_), entry.kind(), actor, entry.text()});
  }
  table.Print(out_, colour_);
}

void View::Domains(const pb::ListDomainsResponse& domains) const {
  TextTable table({"NAME", "DESCRIPTION"});
  for (const pb::Domain& domain : domains.domains()) {
    table.AddRow({domain.name(), OrDash(domain.description())});
  }
  table.Print(out_, colour_);
}

void View::Event(const pb::IncidentEvent& event) const {
  const pb::Incident& incident = event.incident();
  absl::Time when =
      event.has_entry() ? ToTime(event.entry().time()) : ToTime(incident.updated_at());
  absl::string_view change = event.type();
  absl::ConsumePrefix(&change, "incident.");
  std::string line = absl::StrCat(FormatClock(when, zone_), "  #", incident.id(), "  ", change,
                                  "  ", Severity(incident.severity()), "  ",
                                  Status(incident.status()), "  ", incident.title());
  if (event.has_entry() && !event.entry().text().empty()) {
    absl::StrAppend(&line, "  [", OrDash(event.entry().actor()), "] ", event.entry().text());
  }
  // Flushed per line: a watcher (or a script reading the pipe) sees each
  // change as it happens, not when a buffer fills.
  out_ << line << std::endl;
}

}  // namespace ff::cli
