// Insights: the figures behind the dashboard's charts, computed from a set of
// incidents — how many were opened each week, by severity, and how long they
// took to fix (opened → fixed), by severity.
//
// Pure functions; thread-safe.
#ifndef FF_ADAPTERS_WEB_INSIGHTS_H_
#define FF_ADAPTERS_WEB_INSIGHTS_H_

#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "adapters/web/query_params.h"
#include "firefighter/v1/incident.pb.h"
#include "nlohmann/json.hpp"

namespace ff::web {

// InRange: whether `incident` was opened (created_at) on a UTC day from
// query.from to query.to, both included.
bool InRange(const pb::Incident& incident, const InsightsQuery& query);

// InsightsJson summarises `incidents` (those outside the range are ignored):
//   {"from", "to",
//    "weeks": [{"start": "YYYY-MM-DD" (a Monday), "counts": {"sev1": n, …}}],
//    "time_to_fix": [{"severity", "opened", "fixed", "median_seconds",
//                     "mean_seconds", "max_seconds"}]}
// Every week touching the range is listed, empty ones too; the *_seconds
// figures are null when no incident of that severity was fixed.
nlohmann::json InsightsJson(const std::vector<pb::Incident>& incidents, const InsightsQuery& query);

}  // namespace ff::web

#endif  // FF_ADAPTERS_WEB_INSIGHTS_H_
