#include "server/core/stats.h"

#include <algorithm>
#include <optional>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "common/status_macros.h"
#include "server/core/time_util.h"
#include "server/core/validation.h"

namespace ff {
namespace {

std::optional<absl::Time> TimeOf(const google::protobuf::Timestamp& ts) {
  if (ToUnixMicros(ts) == 0) return std::nullopt;
  return FromTimestamp(ts);
}

// Acknowledged is when the incident first left OPEN: a team may go straight
// to FIXING or FIXED without passing INVESTIGATING.
std::optional<absl::Time> Acknowledged(const pb::Incident& incident) {
  std::optional<absl::Time> first;
  for (const auto* ts :
       {&incident.investigating_at(), &incident.fixing_at(), &incident.fixed_at()}) {
    std::optional<absl::Time> t = TimeOf(*ts);
    if (t && (!first || *t < *first)) first = t;
  }
  return first;
}

// Since is `to - from`, never negative: an occurred_at given a little in the
// future (clock skew) must not yield a negative time to fix.
absl::Duration Since(absl::Time from, absl::Time to) {
  return std::max(to - from, absl::ZeroDuration());
}

google::protobuf::Duration ToDuration(absl::Duration d) {
  google::protobuf::Duration out;
  int64_t micros = absl::ToInt64Microseconds(d);
  out.set_seconds(micros / 1000000);
  out.set_nanos(static_cast<int32_t>(micros % 1000000) * 1000);
  return out;
}

pb::MilestoneStats Milestone(std::vector<absl::Duration> durations) {
  pb::MilestoneStats out;
  out.set_count(static_cast<int32_t>(durations.size()));
  if (durations.empty()) return out;
  std::sort(durations.begin(), durations.end());
  absl::Duration sum;
  for (absl::Duration d : durations) sum += d;
  *out.mutable_p50() = ToDuration(NearestRankPercentile(durations, 50));
  *out.mutable_p90() = ToDuration(NearestRankPercentile(durations, 90));
  *out.mutable_mean() = ToDuration(sum / static_cast<int64_t>(durations.size()));
  *out.mutable_max() = ToDuration(durations.back());
  return out;
}

absl::Status CheckWeeks(const StatsQuery& query) {
  if (!query.weekly) return absl::OkStatus();
  int64_t weeks = (query.end - WeekStart(query.start)) / absl::Hours(24 * 7);
  if (weeks >= kMaxStatsWeeks) {
    return absl::InvalidArgumentError(
        absl::StrCat("weekly: the range spans more than ", kMaxStatsWeeks, " weeks"));
  }
  return absl::OkStatus();
}

absl::Status CheckTimestamp(absl::string_view field, const google::protobuf::Timestamp& ts) {
  if (!IsValidTimestamp(ts)) {
    return absl::InvalidArgumentError(absl::StrCat(field, " is not a valid timestamp"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<StatsQuery> ValidateStatsRequest(const pb::GetStatsRequest& request,
                                                absl::Time now) {
  StatsQuery query;
  query.end = now;
  if (request.has_end()) {
    FF_RETURN_IF_ERROR(CheckTimestamp("end", request.end()));
    query.end = FromTimestamp(request.end());
  }
  query.start = query.end - kDefaultStatsWindow;
  if (request.has_start()) {
    FF_RETURN_IF_ERROR(CheckTimestamp("start", request.start()));
    query.start = FromTimestamp(request.start());
  }
  if (query.start >= query.end) {
    return absl::InvalidArgumentError(absl::StrCat(
        "start ", absl::FormatTime(absl::RFC3339_full, query.start, absl::UTCTimeZone()),
        " must be before end ",
        absl::FormatTime(absl::RFC3339_full, query.end, absl::UTCTimeZone())));
  }
  FF_RETURN_IF_ERROR(ValidateListFilter({}, request.severities(), request.domain()));
  for (int s : request.severities()) query.severities.push_back(static_cast<pb::Severity>(s));
  query.domain = Clean(request.domain());
  query.weekly = request.weekly();
  FF_RETURN_IF_ERROR(CheckWeeks(query));
  return query;
}

absl::Time WeekStart(absl::Time t) {
  absl::CivilDay day = absl::ToCivilDay(t, absl::UTCTimeZone());
  int since_monday =
      (static_cast<int>(absl::GetWeekday(day)) + 7 - static_cast<int>(absl::Weekday::monday)) % 7;
  return absl::FromCivil(day - since_monday, absl::UTCTimeZone());
}

absl::Duration NearestRankPercentile(const std::vector<absl::Duration>& sorted, int p) {
  // rank = ceil(p * n / 100), in integers to avoid rounding surprises.
  size_t n = sorted.size();
  size_t rank = (static_cast<size_t>(p) * n + 99) / 100;
  return sorted[std::max<size_t>(rank, 1) - 1];
}

void StatsAccumulator::Add(const pb::Incident& incident) {
  absl::Time opened = FromTimestamp(incident.created_at());
  if (opened < query_.start || opened >= query_.end) return;
  if (!query_.domain.empty() && incident.domain() != query_.domain) return;
  if (!query_.severities.empty() && std::find(query_.severities.begin(), query_.severities.end(),
                                              incident.severity()) == query_.severities.end()) {
    return;
  }
  AddTo(total_, incident);
  AddTo(by_severity_[incident.severity()], incident);
  AddTo(by_domain_[incident.domain()], incident);
  if (query_.weekly) {
    Week& week = by_week_[WeekStart(opened)];
    AddTo(week.total, incident);
    AddTo(week.by_severity[incident.severity()], incident);
  }
}

void StatsAccumulator::AddTo(Group& group, const pb::Incident& incident) {
  absl::Time opened = FromTimestamp(incident.created_at());
  ++group.incidents;
  if (std::optional<absl::Time> ack = Acknowledged(incident)) {
    group.acknowledge.push_back(Since(opened, *ack));
  }
  if (std::optional<absl::Time> fixed = TimeOf(incident.fixed_at())) {
    std::optional<absl::Time> occurred = TimeOf(incident.occurred_at());
    group.fix.push_back(Since(occurred.value_or(opened), *fixed));
  }
  if (std::optional<absl::Time> closed = TimeOf(incident.closed_at())) {
    ++group.closed;
    group.close.push_back(Since(opened, *closed));
  }
}

pb::StatsGroup StatsAccumulator::ToProto(const Group& group) {
  pb::StatsGroup out;
  out.set_incidents(group.incidents);
  out.set_closed(group.closed);
  *out.mutable_time_to_acknowledge() = Milestone(group.acknowledge);
  *out.mutable_time_to_fix() = Milestone(group.fix);
  *out.mutable_time_to_close() = Milestone(group.close);
  return out;
}

pb::GetStatsResponse StatsAccumulator::Result() const {
  pb::GetStatsResponse out;
  *out.mutable_start() = ToTimestamp(query_.start);
  *out.mutable_end() = ToTimestamp(query_.end);
  *out.mutable_total() = ToProto(total_);
  AddSeverities(by_severity_, out.mutable_by_severity());
  for (const auto& [domain, group] : by_domain_) {
    pb::StatsGroup* g = out.add_by_domain();
    *g = ToProto(group);
    g->set_domain(domain);
  }
  if (query_.weekly) AddWeeks(out);
  return out;
}

void StatsAccumulator::AddSeverities(const std::map<int, Group>& groups,
                                     google::protobuf::RepeatedPtrField<pb::StatsGroup>* out) {
  for (const auto& [severity, group] : groups) {
    pb::StatsGroup* g = out->Add();
    *g = ToProto(group);
    g->set_severity(static_cast<pb::Severity>(severity));
  }
}

// AddWeeks lists every week overlapping the range, empty ones too, so a
// chart of them has no gaps.
void StatsAccumulator::AddWeeks(pb::GetStatsResponse& out) const {
  static const Week kEmpty;
  for (absl::Time w = WeekStart(query_.start); w < query_.end; w += absl::Hours(24 * 7)) {
    auto found = by_week_.find(w);
    const Week& week = found == by_week_.end() ? kEmpty : found->second;
    pb::WeekStats* row = out.add_by_week();
    *row->mutable_start() = ToTimestamp(w);
    *row->mutable_total() = ToProto(week.total);
    AddSeverities(week.by_severity, row->mutable_by_severity());
  }
}

}  // namespace ff
