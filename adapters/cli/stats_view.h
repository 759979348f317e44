// The table `ff stats` prints: per group (all, each severity, each domain)
// the incidents opened in the range and, for each milestone (acknowledged,
// fixed, closed), how many reached it and the p50/p90 of the time it took.
// Pure apart from writing to `out`; thread-safe.
#ifndef FF_ADAPTERS_CLI_STATS_VIEW_H_
#define FF_ADAPTERS_CLI_STATS_VIEW_H_

#include <ostream>
#include <string>

#include "absl/time/time.h"
#include "firefighter/v1/stats.pb.h"

namespace ff::cli {
namespace pb = ::firefighter::v1;

// StatsDuration renders a response time precisely enough to compare two:
// "45s", "12m30s", "2h05m", "1d06h"; "-" when `set` is false.
std::string StatsDuration(const google::protobuf::Duration& d, bool set);

// PrintStats prints a one-line summary of the range (in `zone`) and the table.
void PrintStats(const pb::GetStatsResponse& stats, absl::TimeZone zone, std::ostream& out,
                bool colour);

}  // namespace ff::cli

#endif  // FF_ADAPTERS_CLI_STATS_VIEW_H_
