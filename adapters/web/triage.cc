#include "adapters/web/triage.h"

#include <algorithm>
#include <tuple>

#include "adapters/web/incident_json.h"

namespace ff::web {
namespace {

// The sort key; smaller comes first. Newer is smaller through negation.
auto TriageKey(const pb::Incident& incident) {
  return std::make_tuple(!NeedsCommander(incident), static_cast<int>(incident.severity()),
                         static_cast<int>(PhaseOf(incident.status())),
                         -absl::ToUnixNanos(FromTimestamp(incident.created_at())), -incident.id());
}

}  // namespace

Phase PhaseOf(pb::Status status) {
  switch (status) {
    case pb::STATUS_FIXED:
    case pb::STATUS_POSTMORTEM:
      return Phase::kResolved;
    case pb::STATUS_CLOSED:
      return Phase::kClosed;
    default:
      return Phase::kResponding;
  }
}

absl::string_view PhaseWord(Phase phase) {
  switch (phase) {
    case Phase::kResponding:
      return "responding";
    case Phase::kResolved:
      return "resolved";
    case Phase::kClosed:
      return "closed";
  }
  return "responding";
}

bool NeedsCommander(const pb::Incident& incident) {
  return PhaseOf(incident.status()) == Phase::kResponding && incident.roles().commander().empty();
}

bool TriageBefore(const pb::Incident& a, const pb::Incident& b) {
  return TriageKey(a) < TriageKey(b);
}

void SortForTriage(std::vector<pb::Incident>& incidents) {
  std::sort(incidents.begin(), incidents.end(), TriageBefore);
}

std::optional<DurationEnd> DurationEndOf(const pb::Incident& incident) {
  if (IsSet(incident.fixed_at()))
    return DurationEnd{FromTimestamp(incident.fixed_at()), pb::STATUS_FIXED};
  if (IsSet(incident.closed_at())) {
    return DurationEnd{FromTimestamp(incident.closed_at()), pb::STATUS_CLOSED};
  }
  return std::nullopt;
}

}  // namespace ff::web
