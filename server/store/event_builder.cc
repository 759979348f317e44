#include "server/store/event_builder.h"

#include <string>

#include "server/core/time_util.h"

namespace ff {

pb::IncidentEvent BuildEvent(const pb::Incident& incident, const ChangeRecord& record) {
  pb::IncidentEvent event;
  event.set_type(record.event_type);
  *event.mutable_incident() = incident;
  pb::TimelineEntry* entry = event.mutable_entry();
  *entry = record.entry;
  entry->set_incident_id(incident.id());
  return event;
}

absl::Time EventTime(const pb::Incident& incident, std::optional<absl::Time> when) {
  return when ? *when : absl::FromUnixMicros(ToUnixMicros(incident.updated_at()));
}

}  // namespace ff
