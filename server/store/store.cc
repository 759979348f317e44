#include "server/store/store.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "server/store/outbox_store.h"

namespace ff {

std::string RetryNote(int64_t id, const std::string& notifier, const std::string& last_error) {
  std::string note = absl::StrCat("Retried the ", notifier, " notification (delivery ", id, ")");
  if (!last_error.empty())
    absl::StrAppend(&note, ", which had failed: ", last_error.substr(0, 500));
  return note;
}

absl::Status NotFoundIncident(int64_t id) {
  return absl::NotFoundError(absl::StrCat("incident #", id, " does not exist"));
}

bool MatchesFilter(const pb::Incident& incident, const IncidentFilter& filter) {
  auto contains = [](const auto& list, auto value) {
    return list.empty() || std::find(list.begin(), list.end(), value) != list.end();
  };
  return contains(filter.statuses, incident.status()) &&
         contains(filter.severities, incident.severity()) &&
         (filter.domain.empty() || filter.domain == incident.domain());
}

}  // namespace ff
