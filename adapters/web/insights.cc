#include "adapters/web/insights.h"

#include <algorithm>
#include <map>

#include "adapters/web/incident_json.h"

namespace ff::web {
namespace {

constexpr pb::Severity kSeverities[] = {pb::SEVERITY_SEV1, pb::SEVERITY_SEV2, pb::SEVERITY_SEV3,
                                        pb::SEVERITY_SEV4, pb::SEVERITY_SEV5};

absl::CivilDay MondayOf(absl::CivilDay day) {
  return day - (static_cast<int>(absl::GetWeekday(day)) - static_cast<int>(absl::Weekday::monday));
}

absl::CivilDay OpenedDay(const pb::Incident& incident) {
  return absl::ToCivilDay(FromTimestamp(incident.created_at()), absl::UTCTimeZone());
}

nlohmann::json Seconds(absl::Duration d) { return absl::ToInt64Seconds(d); }

nlohmann::json TimeToFix(pb::Severity severity, int opened, std::vector<absl::Duration> fixes) {
  nlohmann::json row = {{"severity", SeverityApiName(severity)},
                        {"opened", opened},
                        {"fixed", fixes.size()},
                        {"median_seconds", nullptr},
                        {"mean_seconds", nullptr},
                        {"max_seconds", nullptr}};
  if (fixes.empty()) return row;
  std::sort(fixes.begin(), fixes.end());
  size_t n = fixes.size();
  absl::Duration median = n % 2 == 1 ? fixes[n / 2] : (fixes[n / 2 - 1] + fixes[n / 2]) / 2;
  absl::Duration sum;
  for (absl::Duration d : fixes) sum += d;
  row["median_seconds"] = Seconds(median);
  row["mean_seconds"] = Seconds(sum / static_cast<int64_t>(n));
  row["max_seconds"] = Seconds(fixes.back());
  return row;
}

}  // namespace

bool InRange(const pb::Incident& incident, const InsightsQuery& query) {
  absl::CivilDay day = OpenedDay(incident);
  return day >= query.from && day <= query.to;
}

nlohmann::json InsightsJson(const std::vector<pb::Incident>& incidents,
                            const InsightsQuery& query) {
  std::map<absl::CivilDay, std::map<pb::Severity, int>> weeks;
  for (absl::CivilDay w = MondayOf(query.from); w <= query.to; w += 7) weeks[w];
  std::map<pb::Severity, int> opened;
  std::map<pb::Severity, std::vector<absl::Duration>> fixes;
  for (const pb::Incident& incident : incidents) {
    if (!InRange(incident, query)) continue;
    ++weeks[MondayOf(OpenedDay(incident))][incident.severity()];
    ++opened[incident.severity()];
    if (incident.fixed_at().seconds() != 0) {
      fixes[incident.severity()].push_back(FromTimestamp(incident.fixed_at()) -
                                           FromTimestamp(incident.created_at()));
    }
  }

  nlohmann::json week_rows = nlohmann::json::array();
  for (const auto& [start, by_severity] : weeks) {
    nlohmann::json counts = nlohmann::json::object();
    for (pb::Severity s : kSeverities) {
      auto found = by_severity.find(s);
      counts[SeverityApiName(s)] = found == by_severity.end() ? 0 : found->second;
    }
    week_rows.push_back({{"start", absl::FormatCivilTime(start)}, {"counts", counts}});
  }
  nlohmann::json fix_rows = nlohmann::json::array();
  for (pb::Severity s : kSeverities) fix_rows.push_back(TimeToFix(s, opened[s], fixes[s]));
  return {{"from", absl::FormatCivilTime(query.from)},
          {"to", absl::FormatCivilTime(query.to)},
          {"weeks", week_rows},
          {"time_to_fix", fix_rows}};
}

}  // namespace ff::web
