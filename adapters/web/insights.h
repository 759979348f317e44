// Insights: the figures behind the dashboard's charts — how many incidents
// were opened each week, by severity, and how long they took to fix, by
// severity. They are GetStats's figures (server/core/stats.h), reshaped for
// the charts, so "time to fix" means what it means everywhere: occurred
// (which defaults to opened) → fixed.
//
// Pure functions; thread-safe.
#ifndef FF_ADAPTERS_WEB_INSIGHTS_H_
#define FF_ADAPTERS_WEB_INSIGHTS_H_

#include "adapters/web/query_params.h"
#include "firefighter/v1/stats.pb.h"
#include "nlohmann/json.hpp"

namespace ff::web {

// StatsRequestFor asks GetStats for the whole UTC days of `query`, weekly.
pb::GetStatsRequest StatsRequestFor(const InsightsQuery& query);

// InsightsJson reshapes GetStats's answer to StatsRequestFor(query):
//   {"from", "to",
//    "weeks": [{"start": "YYYY-MM-DD" (a Monday), "counts": {"sev1": n, …}}],
//    "time_to_fix": [{"severity", "opened", "fixed", "median_seconds",
//                     "p90_seconds", "mean_seconds", "max_seconds"}]}
// Every week touching the range is listed, empty ones too, and every
// severity; the median is GetStats's p50 (nearest rank). The *_seconds
// figures are null when no incident of that severity was fixed.
nlohmann::json InsightsJson(const pb::GetStatsResponse& stats, const InsightsQuery& query);

}  // namespace ff::web

#endif  // FF_ADAPTERS_WEB_INSIGHTS_H_
