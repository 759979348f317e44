// IncidentServiceImpl's follow-up RPCs: validation and the rules of
// server/core/follow_ups.h, run inside one store write (WriteFollowUp).
#include <memory>
#include <utility>

#include "common/status_macros.h"
#include "server/core/follow_ups.h"
#include "server/core/validation.h"
#include "server/grpc/incident_service.h"
#include "server/grpc/page_token.h"
#include "server/grpc/rpc_helpers.h"
#include "server/grpc/status_conversion.h"

namespace ff {
namespace {

// Described is `follow_up` as the service answers it: with `overdue` judged
// on today.
pb::FollowUp Described(pb::FollowUp follow_up, absl::CivilDay today) {
  follow_up.set_overdue(IsOverdue(follow_up, today));
  return follow_up;
}

// FinishWithFollowUp answers a follow-up write with the follow-up as stored.
CommitDone FinishWithFollowUp(grpc::ServerUnaryReactor* reactor, pb::FollowUp* response,
                              absl::CivilDay today) {
  return [reactor, response, today](absl::StatusOr<Committed> committed) {
    if (!committed.ok()) {
      reactor->Finish(ToGrpcStatus(committed.status()));
      return;
    }
    *response = Described(std::move(committed->follow_up), today);
    reactor->Finish(grpc::Status::OK);
  };
}

// WriteFollowUp authorizes, attributes and validates, then runs `rule` on
// `target` inside one store write; the shared shape of AddFollowUp and
// UpdateFollowUp. `original` must outlive the reply.
template <typename Request, typename Validate, typename Rule>
void WriteFollowUp(Store* store, absl::StatusOr<Caller> caller, const FollowUpTarget& target,
                   const Request& original, Validate validate, Rule rule,
                   // Moved below; the check misses a move into a template-dependent call.
                   // NOLINTNEXTLINE(performance-unnecessary-value-param)
                   CommitDone reply) {
  if (!caller.ok()) return reply(caller.status());
  Acting acting = ActingFor(*caller, original.actor());
  auto storage = std::make_shared<Request>();
  const Request* request = &AsActing(original, acting, storage.get());
  if (absl::Status valid = validate(*request); !valid.ok()) return reply(valid);
  store->WriteFollowUpAsync(
      target,
      [request, storage, via = std::move(acting.via), rule](
          const pb::Incident& incident,
          const pb::FollowUp* current) -> absl::StatusOr<FollowUpChange> {
        FF_ASSIGN_OR_RETURN(FollowUpChange change, rule(incident, current, *request));
        StampVia(change.records, via);
        return change;
      },
      std::move(reply));
}

}  // namespace

grpc::ServerUnaryReactor* IncidentServiceImpl::AddFollowUp(grpc::CallbackServerContext* context,
                                                           const pb::AddFollowUpRequest* request,
                                                           pb::FollowUp* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  const absl::Time now = clock_->Now();
  const FollowUpSettings* settings = &followups_;
  WriteFollowUp(
      store_, Authorize(context, Permission::kWrite), FollowUpTarget{request->incident_id(), 0},
      *request, ValidateAddFollowUp,
      [settings, now](const pb::Incident& incident, const pb::FollowUp* /*none*/,
                      const pb::AddFollowUpRequest& r) {
        return FollowUpRules::Add(*settings, incident, r, now);
      },
      FinishWithFollowUp(reactor, response, TodayIn(followups_, now)));
  return reactor;
}

grpc::ServerUnaryReactor* IncidentServiceImpl::UpdateFollowUp(
    grpc::CallbackServerContext* context, const pb::UpdateFollowUpRequest* request,
    pb::FollowUp* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  const absl::Time now = clock_->Now();
  const FollowUpSettings* settings = &followups_;
  WriteFollowUp(
      store_, Authorize(context, Permission::kWrite), FollowUpTarget{0, request->id()}, *request,
      ValidateUpdateFollowUp,
      [settings, now](const pb::Incident& /*incident*/, const pb::FollowUp* current,
                      const pb::UpdateFollowUpRequest& r) {
        return FollowUpRules::Update(*settings, *current, r, now);
      },
      FinishWithFollowUp(reactor, response, TodayIn(followups_, now)));
  return reactor;
}

grpc::ServerUnaryReactor* IncidentServiceImpl::GetFollowUp(grpc::CallbackServerContext* context,
                                                           const pb::GetFollowUpRequest* request,
                                                           pb::FollowUp* response) {
  return ServeRead(context, store_, [this, context, request, response]() -> absl::Status {
    FF_RETURN_IF_ERROR(Authorize(context, Permission::kRead).status());
    if (request->id() <= 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("id must be a positive follow-up number, got ", request->id()));
    }
    FF_ASSIGN_OR_RETURN(pb::FollowUp found, store_->GetFollowUp(request->id()));
    *response = Described(std::move(found), TodayIn(followups_, clock_->Now()));
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* IncidentServiceImpl::ListFollowUps(
    grpc::CallbackServerContext* context, const pb::ListFollowUpsRequest* request,
    pb::ListFollowUpsResponse* response) {
  return ServeRead(context, store_, [this, context, request, response]() -> absl::Status {
    FF_RETURN_IF_ERROR(Authorize(context, Permission::kRead).status());
    const absl::CivilDay today = TodayIn(followups_, clock_->Now());
    FF_RETURN_IF_ERROR(ValidateListFollowUps(*request));
    FF_ASSIGN_OR_RETURN(int32_t page_size, EffectivePageSize(request->page_size()));
    FollowUpFilter filter;
    filter.incident_id = request->incident_id();
    filter.owner = Clean(request->owner());
    for (int s : request->statuses()) filter.statuses.push_back(static_cast<pb::FollowUpStatus>(s));
    const std::string key = FilterKey(filter, request->overdue());
    if (request->overdue()) filter.overdue_before = FormatDueDate(today);
    FF_ASSIGN_OR_RETURN(int64_t after_id, DecodePageToken(request->page_token(), key));
    FF_ASSIGN_OR_RETURN(FollowUpPage found, store_->ListFollowUps(filter, page_size, after_id));
    for (pb::FollowUp& f : found.follow_ups) {
      *response->add_follow_ups() = Described(std::move(f), today);
    }
    if (found.next_after_id > 0) {
      response->set_next_page_token(EncodePageToken(found.next_after_id, key));
    }
    return absl::OkStatus();
  });
}

}  // namespace ff
