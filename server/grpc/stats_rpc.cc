// IncidentServiceImpl::GetStats: reads the matching incidents page by page
// and hands them to the pure StatsAccumulator (server/core/stats.h).
#include "common/status_macros.h"
#include "server/core/stats.h"
#include "server/grpc/incident_service.h"
#include "server/grpc/status_conversion.h"

namespace ff {
namespace {

// Pages of the largest size the store serves, to keep round trips few.
constexpr int32_t kStatsPage = 500;

absl::StatusOr<pb::GetStatsResponse> Stats(Store* store, const pb::GetStatsRequest& request,
                                           absl::Time now, const FollowUpSettings& followups) {
  FF_ASSIGN_OR_RETURN(StatsQuery query, ValidateStatsRequest(request, now));
  IncidentFilter filter;
  filter.domain = query.domain;
  filter.severities = query.severities;
  StatsAccumulator stats(query);
  int64_t before_id = 0;
  do {
    FF_ASSIGN_OR_RETURN(IncidentPage page, store->List(filter, kStatsPage, before_id));
    for (const pb::Incident& incident : page.incidents) stats.Add(incident);
    before_id = page.next_before_id;
  } while (before_id > 0);
  pb::GetStatsResponse response = stats.Result();
  FF_ASSIGN_OR_RETURN(FollowUpTotals totals,
                      store->CountFollowUps(FormatDueDate(TodayIn(followups, now))));
  response.mutable_follow_ups()->set_open(static_cast<int32_t>(totals.open));
  response.mutable_follow_ups()->set_overdue(static_cast<int32_t>(totals.overdue));
  return response;
}

}  // namespace

grpc::Status IncidentServiceImpl::GetStats(grpc::ServerContext* context,
                                           const pb::GetStatsRequest* request,
                                           pb::GetStatsResponse* response) {
  if (absl::StatusOr<Caller> caller = Authorize(context, Permission::kRead); !caller.ok()) {
    return ToGrpcStatus(caller.status());
  }
  absl::StatusOr<pb::GetStatsResponse> stats = Stats(store_, *request, clock_->Now(), followups_);
  if (!stats.ok()) return ToGrpcStatus(stats.status());
  *response = *std::move(stats);
  return grpc::Status::OK;
}

}  // namespace ff
