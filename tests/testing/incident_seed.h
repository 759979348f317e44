// SeedIncidents: writes incidents with chosen timestamps into a database, as
// if the server had handled each step at that moment, so tests can compare
// what the server computes from them (GetStats, reminders) with values worked
// out by hand. Runs the real workflow on SqliteStore; the server is not
// running meanwhile.
#ifndef FF_TESTS_TESTING_INCIDENT_SEED_H_
#define FF_TESTS_TESTING_INCIDENT_SEED_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "firefighter/v1/incident.pb.h"

namespace ff::testing {

namespace pb = ::firefighter::v1;

// SeededIncident is opened at `opened`, then moves through `steps` (each a
// status reached at a time), then is closed at `closed` for `reason`.
struct SeededIncident {
  pb::Severity severity = pb::SEVERITY_SEV2;
  std::string domain = "payment";
  absl::Time opened;
  std::optional<absl::Time> occurred;  // default: opened
  std::vector<std::pair<absl::Time, pb::Status>> steps;
  std::optional<absl::Time> closed;
  pb::CloseReason reason = pb::CLOSE_REASON_RESOLVED;
};

// SeedIncidents stores `incidents` in order (ids 1, 2, …) in the database at
// `db_path`, creating it if needed. Errors name the incident and the step.
absl::Status SeedIncidents(const std::string& db_path,
                           const std::vector<SeededIncident>& incidents);

// kStatsDay is the day StatsScenario's incidents open on: 2026-01-05 UTC.
inline const absl::Time kStatsDay = absl::FromUnixSeconds(1767571200);

// StatsScenario: five incidents opened on kStatsDay and one two days before
// (outside that day), shared by the GetStats and `ff stats` tests, which
// compare against durations worked out by hand from this table (T = kStatsDay):
//   #1 SEV1 payment  opened T, occurred T-10m, investigating +5m, fixed +70m
//                    from occurred (T+60m), postmortem T+2h, closed T+24h
//   #2 SEV1 search   opened T+1h, investigating +15m, fixing +20m, fixed +3h
//   #3 SEV2 payment  opened T+2h, fixing +10m, fixed +30m, postmortem +1h,
//                    closed +2h
//   #4 SEV3 payment  opened T+3h, closed as a mistake +2m
//   #5 SEV2 search   opened T+4h, investigating +1m
//   #6 SEV2 payment  opened T-2d, investigating +1m (outside the day)
std::vector<SeededIncident> StatsScenario();

}  // namespace ff::testing

#endif  // FF_TESTS_TESTING_INCIDENT_SEED_H_
