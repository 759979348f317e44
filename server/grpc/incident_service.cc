#include "server/grpc/incident_service.h"

#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/open_result.h"
#include "common/status_macros.h"
#include "grpcpp/support/proto_buffer_reader.h"
#include "server/core/validation.h"
#include "server/core/workflow.h"
#include "server/grpc/listed_page.h"
#include "server/grpc/malformed_request.h"
#include "server/grpc/page_token.h"
#include "server/grpc/rpc_helpers.h"
#include "server/grpc/status_conversion.h"

namespace ff {
namespace {

// WatchPrincipal is whom a watch stream counts against: the token's
// principal, or in open mode the caller's address without its port
// ("ipv4:127.0.0.1:5000" → "ipv4:127.0.0.1").
std::string WatchPrincipal(const Caller& caller, const std::string& peer) {
  if (caller.authenticated) return caller.principal;
  if (absl::StartsWith(peer, "unix:")) return peer;
  size_t colon = peer.rfind(':');
  return colon == std::string::npos || colon <= peer.find(':') ? peer : peer.substr(0, colon);
}

// Described is `incident` as the service answers it: with the workflow's
// allowed next statuses, which are never stored.
pb::Incident Described(pb::Incident incident) {
  IncidentWorkflow::DescribeNextStatuses(&incident);
  return incident;
}

template <typename Request>
IncidentFilter FilterOf(const Request& request) {
  IncidentFilter filter;
  for (int s : request.statuses()) filter.statuses.push_back(static_cast<pb::Status>(s));
  for (int s : request.severities()) filter.severities.push_back(static_cast<pb::Severity>(s));
  filter.domain = request.domain();
  return filter;
}

}  // namespace

absl::StatusOr<Caller> IncidentServiceImpl::Authorize(const grpc::ServerContextBase* context,
                                                      Permission permission) const {
  std::optional<absl::string_view> authorization;
  const auto& metadata = context->client_metadata();
  if (auto it = metadata.find("authorization"); it != metadata.end()) {
    authorization = absl::string_view(it->second.data(), it->second.size());
  }
  return auth_->Authorize(authorization, permission);
}

grpc::ServerUnaryReactor* IncidentServiceImpl::OpenIncident(grpc::CallbackServerContext* context,
                                                            const pb::OpenIncidentRequest* request,
                                                            pb::Incident* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  absl::StatusOr<Caller> caller = Authorize(context, Permission::kWrite);
  if (!caller.ok()) {
    reactor->Finish(ToGrpcStatus(caller.status()));
    return reactor;
  }
  const Acting acting = ActingFor(*caller, request->reporter());
  pb::OpenIncidentRequest rewritten;
  if (acting.actor != request->reporter()) {
    rewritten = *request;
    rewritten.set_reporter(acting.actor);
    request = &rewritten;
  }
  absl::Time now = clock_->Now();
  if (absl::Status valid = ValidateOpen(*request, *domains_, now); !valid.ok()) {
    reactor->Finish(ToGrpcStatus(valid));
    return reactor;
  }
  Change change = IncidentWorkflow::Open(*request, now);
  StampVia(change.records, acting.via);
  // Answered by the commit itself: no thread waits for the sync.
  store_->OpenAsync(
      std::move(change), [reactor, response, context](absl::StatusOr<Committed> committed) {
        if (!committed.ok()) {
          reactor->Finish(ToGrpcStatus(committed.status()));
          return;
        }
        // Initial metadata goes out with Finish: the context is still ours.
        context->AddInitialMetadata(
            kOpenResultKey, committed->created ? kOpenResultCreated : kOpenResultDeduplicated);
        *response = Described(std::move(committed->incident));
        reactor->Finish(grpc::Status::OK);
      });
  return reactor;
}

grpc::ServerUnaryReactor* IncidentServiceImpl::GetIncident(grpc::CallbackServerContext* context,
                                                           const pb::GetIncidentRequest* request,
                                                           pb::Incident* response) {
  return ServeRead(context, store_, [this, context, request, response]() -> absl::Status {
    FF_RETURN_IF_ERROR(Authorize(context, Permission::kRead).status());
    FF_RETURN_IF_ERROR(ValidateIncidentId("id", request->id()));
    FF_ASSIGN_OR_RETURN(*response, store_->Get(request->id()));
    IncidentWorkflow::DescribeNextStatuses(response);
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* IncidentServiceImpl::ListIncidents(grpc::CallbackServerContext* context,
                                                             const grpc::ByteBuffer* request_bytes,
                                                             grpc::ByteBuffer* response) {
  return ServeRead(context, store_, [this, context, request_bytes, response]() -> absl::Status {
    FF_RETURN_IF_ERROR(Authorize(context, Permission::kRead).status());
    pb::ListIncidentsRequest request;
    grpc::ByteBuffer copy = *request_bytes;  // shares the slices
    if (!grpc::SerializationTraits<pb::ListIncidentsRequest>::Deserialize(&copy, &request).ok()) {
      return absl::InvalidArgumentError(
          MalformedRequestMessage(pb::ListIncidentsRequest::descriptor()->full_name()));
    }
    FF_RETURN_IF_ERROR(
        ValidateListFilter(request.statuses(), request.severities(), request.domain()));
    FF_ASSIGN_OR_RETURN(int32_t page_size, EffectivePageSize(request.page_size()));
    IncidentFilter filter = FilterOf(request);
    const std::string key = FilterKey(filter);
    FF_ASSIGN_OR_RETURN(int64_t before_id, DecodePageToken(request.page_token(), key));
    // Each incident's stored bytes go out as they are (ListedPage).
    ListedPage page;
    FF_ASSIGN_OR_RETURN(
        int64_t next_before_id,
        store_->ListRecords(filter, page_size, before_id,
                            [&page](const IncidentRecord& incident) { page.Add(incident); }));
    if (next_before_id > 0) page.SetNextPageToken(EncodePageToken(next_before_id, key));
    *response = page.Release();
    return absl::OkStatus();
  });
}

namespace {

// ApplyToIncident authorizes, attributes and validates, then runs
// `workflow_step` on incident `id` inside one store transaction and hands the
// result to `reply`; the shared shape of every change RPC. `original` must
// outlive the reply (gRPC keeps a request until its call is finished).
template <typename Request, typename Validate, typename WorkflowStep>
void ApplyToIncident(Store* store, const Clock* clock, absl::StatusOr<Caller> caller, int64_t id,
                     const Request& original, Validate validate, WorkflowStep workflow_step,
                     // Moved below; the check misses a move into a template-dependent call.
                     // NOLINTNEXTLINE(performance-unnecessary-value-param)
                     CommitDone reply) {
  if (!caller.ok()) return reply(caller.status());
  Acting acting = ActingFor(*caller, original.actor());
  auto storage = std::make_shared<Request>();
  const Request* request = &AsActing(original, acting, storage.get());
  if (absl::Status valid = validate(*request); !valid.ok()) return reply(valid);
  store->MutateAsync(
      id,
      [clock, request, storage, via = std::move(acting.via),
       workflow_step](const pb::Incident& current) -> absl::StatusOr<Change> {
        FF_ASSIGN_OR_RETURN(Change change, workflow_step(current, *request, clock->Now()));
        StampVia(change.records, via);
        return change;
      },
      std::move(reply));
}

// FinishWithIncident answers a change RPC with the incident as committed.
CommitDone FinishWithIncident(grpc::ServerUnaryReactor* reactor, pb::Incident* response) {
  return [reactor, response](absl::StatusOr<Committed> committed) {
    if (!committed.ok()) {
      reactor->Finish(ToGrpcStatus(committed.status()));
      return;
    }
    *response = Described(std::move(committed->incident));
    reactor->Finish(grpc::Status::OK);
  };
}

}  // namespace

grpc::ServerUnaryReactor* IncidentServiceImpl::UpdateIncident(
    grpc::CallbackServerContext* context, const pb::UpdateIncidentRequest* request,
    pb::Incident* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  ApplyToIncident(store_, clock_, Authorize(context, Permission::kWrite), request->id(), *request,
                  ValidateUpdate, IncidentWorkflow::Update, FinishWithIncident(reactor, response));
  return reactor;
}

grpc::ServerUnaryReactor* IncidentServiceImpl::CloseIncident(
    grpc::CallbackServerContext* context, const pb::CloseIncidentRequest* request,
    pb::Incident* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  ApplyToIncident(store_, clock_, Authorize(context, Permission::kWrite), request->id(), *request,
                  ValidateClose, IncidentWorkflow::Close, FinishWithIncident(reactor, response));
  return reactor;
}

grpc::ServerUnaryReactor* IncidentServiceImpl::AddTimelineEntry(
    grpc::CallbackServerContext* context, const pb::AddTimelineEntryRequest* request,
    pb::TimelineEntry* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  const absl::Time now = clock_->Now();
  ApplyToIncident(
      store_, clock_, Authorize(context, Permission::kWrite), request->incident_id(), *request,
      [now](const pb::AddTimelineEntryRequest& r) { return ValidateAddEntry(r, now); },
      IncidentWorkflow::AddEntry,
      [reactor, response](absl::StatusOr<Committed> committed) {
        if (!committed.ok()) {
          reactor->Finish(ToGrpcStatus(committed.status()));
        } else if (committed->events.size() != 1) {
          reactor->Finish(ToGrpcStatus(absl::InternalError("a timeline entry was not recorded")));
        } else {
          *response = committed->events[0].entry();
          reactor->Finish(grpc::Status::OK);
        }
      });
  return reactor;
}

grpc::ServerUnaryReactor* IncidentServiceImpl::ListTimeline(grpc::CallbackServerContext* context,
                                                            const pb::ListTimelineRequest* request,
                                                            pb::ListTimelineResponse* response) {
  return ServeRead(context, store_, [this, context, request, response]() -> absl::Status {
    FF_RETURN_IF_ERROR(Authorize(context, Permission::kRead).status());
    FF_RETURN_IF_ERROR(ValidateIncidentId("incident_id", request->incident_id()));
    FF_ASSIGN_OR_RETURN(std::vector<pb::TimelineEntry> entries,
                        store_->Timeline(request->incident_id()));
    response->mutable_entries()->Reserve(static_cast<int>(entries.size()));
    for (pb::TimelineEntry& entry : entries) *response->add_entries() = std::move(entry);
    return absl::OkStatus();
  });
}

grpc::Status IncidentServiceImpl::WatchIncidents(grpc::ServerContext* context,
                                                 const pb::WatchIncidentsRequest* request,
                                                 grpc::ServerWriter<pb::IncidentEvent>* writer) {
  absl::StatusOr<Caller> caller = Authorize(context, Permission::kRead);
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  if (absl::Status valid =
          ValidateListFilter(request->statuses(), request->severities(), request->domain());
      !valid.ok()) {
    return ToGrpcStatus(valid);
  }
  absl::StatusOr<std::shared_ptr<Subscription>> subscription =
      bus_->Watch(FilterOf(*request), WatchPrincipal(*caller, context->peer()));
  if (!subscription.ok()) return ToGrpcStatus(subscription.status());
  writer->SendInitialMetadata();
  grpc::Status result = StreamEvents(context, **subscription, writer);
  bus_->Unsubscribe(*subscription);
  return result;
}

grpc::Status IncidentServiceImpl::StreamEvents(
    grpc::ServerContext* context, Subscription& subscription,
    grpc::ServerWriter<pb::IncidentEvent>* writer) const {
  uint64_t tokens_seen = auth_->Generation();
  pb::IncidentEvent event;
  while (!context->IsCancelled()) {
    if (uint64_t tokens = auth_->Generation(); tokens != tokens_seen) {
      tokens_seen = tokens;
      absl::StatusOr<Caller> still = Authorize(context, Permission::kRead);
      if (!still.ok()) return ToGrpcStatus(still.status());
    }
    Subscription::Result next = subscription.Next(&event, absl::Milliseconds(250));
    if (next == Subscription::Result::kEvent) {
      if (event.has_incident()) IncidentWorkflow::DescribeNextStatuses(event.mutable_incident());
      if (!writer->Write(event)) break;  // the client went away
    } else if (next == Subscription::Result::kClosed) {
      return grpc::Status(grpc::StatusCode::UNAVAILABLE, "firefighterd is shutting down");
    } else if (next == Subscription::Result::kOverflow) {
      return grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED,
                          "watcher fell too far behind; reconnect and re-read the incidents");
    }
  }
  return grpc::Status::OK;
}

grpc::Status IncidentServiceImpl::ListDomains(grpc::ServerContext* context,
                                              const pb::ListDomainsRequest*,
                                              pb::ListDomainsResponse* response) {
  if (absl::StatusOr<Caller> caller = Authorize(context, Permission::kRead); !caller.ok()) {
    return ToGrpcStatus(caller.status());
  }
  for (const DomainConfig& d : domains_->domains()) {
    pb::Domain* domain = response->add_domains();
    domain->set_name(d.name);
    domain->set_description(d.description);
  }
  return grpc::Status::OK;
}

}  // namespace ff

namespace ff {
namespace {

absl::StatusOr<DeliveryFilter> DeliveryFilterOf(const pb::ListDeliveriesRequest& request) {
  DeliveryFilter filter;
  if (request.incident_id() < 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "incident_id must be an incident number or 0 for all, got ", request.incident_id()));
  }
  filter.incident_id = request.incident_id();
  FF_RETURN_IF_ERROR(ValidateName("notifier", request.notifier()));
  for (int s : request.states()) {
    if (s < pb::DELIVERY_STATE_PENDING || s > pb::DELIVERY_STATE_DEAD) {
      return absl::InvalidArgumentError(
          absl::StrCat("states contains ", s, ", which is not a delivery state"));
    }
    filter.states.push_back(static_cast<pb::DeliveryState>(s));
  }
  filter.notifier = request.notifier();
  return filter;
}

}  // namespace

grpc::Status IncidentServiceImpl::ListDeliveries(grpc::ServerContext* context,
                                                 const pb::ListDeliveriesRequest* request,
                                                 pb::ListDeliveriesResponse* response) {
  if (absl::StatusOr<Caller> caller = Authorize(context, Permission::kRead); !caller.ok()) {
    return ToGrpcStatus(caller.status());
  }
  auto page = [&]() -> absl::StatusOr<pb::ListDeliveriesResponse> {
    FF_ASSIGN_OR_RETURN(DeliveryFilter filter, DeliveryFilterOf(*request));
    FF_ASSIGN_OR_RETURN(int32_t page_size, EffectivePageSize(request->page_size()));
    FF_ASSIGN_OR_RETURN(int64_t before_id,
                        DecodePageToken(request->page_token(), FilterKey(filter)));
    FF_ASSIGN_OR_RETURN(std::vector<pb::Delivery> found,
                        outbox_->ListDeliveries(filter, page_size + 1, before_id));
    pb::ListDeliveriesResponse out;
    bool more = found.size() > static_cast<size_t>(page_size);
    if (more) found.pop_back();
    for (pb::Delivery& d : found) *out.add_deliveries() = std::move(d);
    if (more) {
      out.set_next_page_token(EncodePageToken(out.deliveries().rbegin()->id(), FilterKey(filter)));
    }
    return out;
  };
  return Answer(page(), response);
}

grpc::Status IncidentServiceImpl::RetryDelivery(grpc::ServerContext* context,
                                                const pb::RetryDeliveryRequest* request,
                                                pb::Delivery* response) {
  absl::StatusOr<Caller> caller = Authorize(context, Permission::kOperate);
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  if (request->id() <= 0) {
    return ToGrpcStatus(absl::InvalidArgumentError(
        absl::StrCat("id must be a positive delivery number, got ", request->id())));
  }
  Acting acting = ActingFor(*caller, request->actor());
  // Older clients send no actor; on an open server that is all they could
  // say anyway.
  if (!caller->authenticated && acting.actor.empty()) acting.actor = "anonymous";
  if (absl::Status valid = ValidatePerson("actor", acting.actor); !valid.ok()) {
    return ToGrpcStatus(valid);
  }
  return Answer(
      outbox_->RetryDelivery(request->id(), Audit{acting.actor, acting.via}, clock_->Now()),
      response);
}

}  // namespace ff
