// Human-readable views of IncidentService answers: a card for one incident,
// aligned tables for lists, one line per watched change.
// Thread-compatible: a View is used by one thread at a time.
#ifndef FF_ADAPTERS_CLI_INCIDENT_VIEWS_H_
#define FF_ADAPTERS_CLI_INCIDENT_VIEWS_H_

#include <ostream>

#include "absl/time/time.h"
#include "firefighter/v1/incident.pb.h"
#include "firefighter/v1/incident_service.pb.h"

namespace ff::cli {
namespace pb = ::firefighter::v1;

class View {
 public:
  // `out` must outlive the view. `colour` turns ANSI styles on; times are
  // shown in `zone`, ages relative to `now`.
  View(std::ostream& out, bool colour, absl::TimeZone zone, absl::Time now)
      : out_(out), colour_(colour), zone_(zone), now_(now) {}

  // Incident prints a card: title line, then one "key  value" line per field.
  void Incident(const pb::Incident& incident) const;
  // Updated prints one line after a change: "Updated incident #1:
  // investigating, SEV2, commander alice (version 2)."
  void Updated(const pb::Incident& incident) const;
  // Closed prints one line: "Closed incident #1 (resolved) after 2h05m."
  void Closed(const pb::Incident& incident) const;
  // IncidentList prints a table: ID SEV STATUS DOMAIN TITLE DURATION COMMANDER,
  // or "No incidents." when the list is empty.
  void IncidentList(const pb::ListIncidentsResponse& list) const;
  // Timeline prints a table: TIME KIND ACTOR TEXT.
  void Timeline(const pb::ListTimelineResponse& timeline) const;
  // Domains prints a table: NAME DESCRIPTION.
  void Domains(const pb::ListDomainsResponse& domains) const;
  // Event prints one line: time, #id, change, severity, status, title, and
  // the timeline entry's actor and text when there is one.
  void Event(const pb::IncidentEvent& event) const;

 private:
  void Field(const char* key, const std::string& value) const;
  std::string Severity(int severity) const;
  std::string Status(int status) const;

  std::ostream& out_;
  bool colour_;
  absl::TimeZone zone_;
  absl::Time now_;
};

}  // namespace ff::cli

#endif  // FF_ADAPTERS_CLI_INCIDENT_VIEWS_H_
