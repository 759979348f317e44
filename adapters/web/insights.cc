#include "adapters/web/insights.h"

#include <map>

#include "absl/time/civil_time.h"
#include "adapters/web/incident_json.h"
#include "clients/incident/vocabulary.h"

namespace ff::web {
namespace {

google::protobuf::Timestamp StartOf(absl::CivilDay day) {
  google::protobuf::Timestamp out;
  out.set_seconds(absl::ToUnixSeconds(absl::FromCivil(day, absl::UTCTimeZone())));
  return out;
}

std::string DayOf(const google::protobuf::Timestamp& ts) {
  return absl::FormatCivilTime(absl::ToCivilDay(FromTimestamp(ts), absl::UTCTimeZone()));
}

nlohmann::json Seconds(const pb::MilestoneStats& m, const google::protobuf::Duration& d) {
  if (m.count() == 0) return nullptr;
  return d.seconds();
}

std::map<pb::Severity, const pb::StatsGroup*> BySeverity(
    const google::protobuf::RepeatedPtrField<pb::StatsGroup>& groups) {
  std::map<pb::Severity, const pb::StatsGroup*> out;
  for (const pb::StatsGroup& g : groups) out[g.severity()] = &g;
  return out;
}

nlohmann::json TimeToFix(pb::Severity severity, const pb::StatsGroup& group) {
  const pb::MilestoneStats& fix = group.time_to_fix();
  return {{"severity", std::string(Word(severity))},
          {"opened", group.incidents()},
          {"fixed", fix.count()},
          {"median_seconds", Seconds(fix, fix.p50())},
          {"p90_seconds", Seconds(fix, fix.p90())},
          {"mean_seconds", Seconds(fix, fix.mean())},
          {"max_seconds", Seconds(fix, fix.max())}};
}

nlohmann::json Week(const pb::WeekStats& week) {
  std::map<pb::Severity, const pb::StatsGroup*> seen = BySeverity(week.by_severity());
  nlohmann::json counts = nlohmann::json::object();
  for (pb::Severity s : AllSeverities()) {
    auto found = seen.find(s);
    counts[std::string(Word(s))] = found == seen.end() ? 0 : found->second->incidents();
  }
  return {{"start", DayOf(week.start())}, {"counts", counts}};
}

}  // namespace

pb::GetStatsRequest StatsRequestFor(const InsightsQuery& query) {
  pb::GetStatsRequest request;
  *request.mutable_start() = StartOf(query.from);
  *request.mutable_end() = StartOf(query.to + 1);
  request.set_weekly(true);
  return request;
}

nlohmann::json InsightsJson(const pb::GetStatsResponse& stats, const InsightsQuery& query) {
  nlohmann::json weeks = nlohmann::json::array();
  for (const pb::WeekStats& week : stats.by_week()) weeks.push_back(Week(week));
  std::map<pb::Severity, const pb::StatsGroup*> seen = BySeverity(stats.by_severity());
  nlohmann::json fix_rows = nlohmann::json::array();
  for (pb::Severity s : AllSeverities()) {
    auto found = seen.find(s);
    fix_rows.push_back(TimeToFix(s, found == seen.end() ? pb::StatsGroup() : *found->second));
  }
  return {{"from", absl::FormatCivilTime(query.from)},
          {"to", absl::FormatCivilTime(query.to)},
          {"weeks", weeks},
          {"time_to_fix", fix_rows}};
}

}  // namespace ff::web
