// Response metrics (MTTx) of incidents: the pure half of GetStats.
//
// An incident counts when it was opened (created_at) in [start, end). Its
// milestones are measured as they stand now:
//   time to acknowledge  created_at → the first of investigating_at,
//                        fixing_at, fixed_at (the first move out of OPEN)
//   time to fix          occurred_at (defaults to opening) → fixed_at
//   time to close        created_at → closed_at
// Percentiles use the nearest-rank method (see NearestRankPercentile), so
// every reported value is one an incident actually took.
// Pure: no clock calls, no I/O. Thread-safe: StatsAccumulator is not shared.
#ifndef FF_SERVER_CORE_STATS_H_
#define FF_SERVER_CORE_STATS_H_

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "firefighter/v1/incident.pb.h"
#include "firefighter/v1/stats.pb.h"

namespace ff {
namespace pb = ::firefighter::v1;

// How far back GetStats looks when the request gives no start.
inline constexpr absl::Duration kDefaultStatsWindow = absl::Hours(24 * 30);
// The most weeks a weekly GetStats lists (about 19 years).
inline constexpr int kMaxStatsWeeks = 1000;

// StatsQuery is a validated GetStatsRequest with its defaults applied.
struct StatsQuery {
  absl::Time start;
  absl::Time end;
  std::string domain;                    // empty: all
  std::vector<pb::Severity> severities;  // empty: all
  bool weekly = false;
};

// WeekStart returns the Monday 00:00 UTC that starts the week holding `t`.
absl::Time WeekStart(absl::Time t);

// ValidateStatsRequest returns the query, or INVALID_ARGUMENT naming the
// field: an invalid start or end timestamp, start not before end, a
// severity that is not SEV1..SEV5, or `weekly` over more than kMaxStatsWeeks.
absl::StatusOr<StatsQuery> ValidateStatsRequest(const pb::GetStatsRequest& request, absl::Time now);

// NearestRankPercentile returns the value at rank ceil(p/100 * n) (1-based)
// of `sorted`. REQUIRES: `sorted` is ascending and not empty; 0 < p <= 100.
absl::Duration NearestRankPercentile(const std::vector<absl::Duration>& sorted, int p);

// StatsAccumulator collects incidents and computes the response.
class StatsAccumulator {
 public:
  explicit StatsAccumulator(StatsQuery query) : query_(std::move(query)) {}

  // Add counts `incident` when it matches the query (range, domain,
  // severities); others are ignored.
  void Add(const pb::Incident& incident);
  // Result returns the totals, per severity (SEV1 first) and per domain (by
  // name), per week when the query is weekly, with the range used.
  pb::GetStatsResponse Result() const;

 private:
  struct Group {
    int incidents = 0;
    int closed = 0;
    std::vector<absl::Duration> acknowledge, fix, close;
  };
  static void AddTo(Group& group, const pb::Incident& incident);
  struct Week {
    Group total;
    std::map<int, Group> by_severity;
  };
  static pb::StatsGroup ToProto(const Group& group);
  static void AddSeverities(const std::map<int, Group>& groups,
                            google::protobuf::RepeatedPtrField<pb::StatsGroup>* out);
  void AddWeeks(pb::GetStatsResponse& out) const;

  const StatsQuery query_;
  Group total_;
  std::map<int, Group> by_severity_;
  std::map<std::string, Group> by_domain_;
  std::map<absl::Time, Week> by_week_;
};

}  // namespace ff

#endif  // FF_SERVER_CORE_STATS_H_
