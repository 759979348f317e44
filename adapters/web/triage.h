// Triage: how the dashboard ranks active incidents (what needs someone
// first), which phase of the workflow a status belongs to, and when an
// incident's duration stops. The JSON endpoints apply these, so every client
// of the dashboard's API (the pages, a script, a wall display) gets the same
// order and the same durations without a copy of the rules.
//
// Pure functions; thread-safe.
#ifndef FF_ADAPTERS_WEB_TRIAGE_H_
#define FF_ADAPTERS_WEB_TRIAGE_H_

#include <optional>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "firefighter/v1/incident.pb.h"

namespace ff::web {
namespace pb = ::firefighter::v1;

// The three phases the overview colours statuses by.
enum class Phase {
  kResponding,  // OPEN, INVESTIGATING, FIXING: the impact is (or may be) ongoing
  kResolved,    // FIXED, POSTMORTEM: the impact is over, the follow-up is not
  kClosed,      // CLOSED
};

// PhaseOf returns the phase of `status` (UNSPECIFIED counts as responding:
// never hide something unknown at the bottom).
Phase PhaseOf(pb::Status status);

// PhaseWord: "responding", "resolved" or "closed", as the JSON says it.
absl::string_view PhaseWord(Phase phase);

// NeedsCommander is true for a responding incident nobody commands. A
// resolved one without a commander is not: its impact is over, so it does
// not need someone before a responding incident of the same severity does.
bool NeedsCommander(const pb::Incident& incident);

// TriageBefore is the strict weak order of the overview's active incidents:
// those that need a commander first, then by severity (SEV1 first), then by
// phase (responding before resolved), then newest first (created_at, then
// id).
bool TriageBefore(const pb::Incident& a, const pb::Incident& b);

// SortForTriage sorts `incidents` by TriageBefore.
void SortForTriage(std::vector<pb::Incident>& incidents);

// Where an incident's duration stops and why.
struct DurationEnd {
  absl::Time at;
  pb::Status reached;  // STATUS_FIXED or STATUS_CLOSED
};

// DurationEndOf returns when the incident's duration stops: when it was
// fixed (fixed_at, which the core clears when a fixed incident is reopened,
// so a set fixed_at means "fixed and not reopened since"), else when it was
// closed without being fixed; nullopt while it runs.
std::optional<DurationEnd> DurationEndOf(const pb::Incident& incident);

}  // namespace ff::web

#endif  // FF_ADAPTERS_WEB_TRIAGE_H_
