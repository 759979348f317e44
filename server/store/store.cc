#include "server/store/store.h"

#include <algorithm>

#include "absl/strings/str_cat.h"

namespace ff {

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
