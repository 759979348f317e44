// How every store turns one write into its domain events: one event per
// change record, carrying the incident as written and the record's timeline
// entry. The store then assigns the entry's id and the event's sequence.
// Pure functions; thread-safe.
#ifndef FF_SERVER_STORE_EVENT_BUILDER_H_
#define FF_SERVER_STORE_EVENT_BUILDER_H_

#include <optional>

#include "absl/time/time.h"
#include "firefighter/v1/incident.pb.h"
#include "server/core/workflow.h"

namespace ff {
namespace pb = ::firefighter::v1;

// BuildEvent is the event `record` makes of a write that left `incident` as
// it is: its type, the incident snapshot and the entry, attributed to the
// incident. Entry id and sequence are 0 until stored.
pb::IncidentEvent BuildEvent(const pb::Incident& incident, const ChangeRecord& record);

// EventTime is when the events of a write are dated and their deliveries
// due: `when` if given (background work, which leaves the incident as it
// was), else the incident's updated_at.
absl::Time EventTime(const pb::Incident& incident, std::optional<absl::Time> when);

}  // namespace ff

#endif  // FF_SERVER_STORE_EVENT_BUILDER_H_
