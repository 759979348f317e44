#include "server/grpc/incident_service.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "server/core/validation.h"
#include "server/core/workflow.h"
#include "server/grpc/page_token.h"
#include "server/grpc/status_conversion.h"

namespace ff {
namespace {

// Answer converts a StatusOr into the response message and gRPC status.
template <typename T>
grpc::Status Answer(absl::StatusOr<T> result, T* response) {
  if (!result.ok()) return ToGrpcStatus(result.status());
  *response = *std::move(result);
  return grpc::Status::OK;
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

grpc::Status IncidentServiceImpl::OpenIncident(grpc::ServerContext*,
                                               const pb::OpenIncidentRequest* request,
                                               pb::Incident* response) {
  absl::Time now = clock_->Now();
  if (absl::Status valid = ValidateOpen(*request, *domains_, now); !valid.ok()) {
    return ToGrpcStatus(valid);
  }
  absl::StatusOr<Committed> committed = store_->Open(IncidentWorkflow::Open(*request, now));
  if (!committed.ok()) return ToGrpcStatus(committed.status());
  *response = std::move(committed->incident);
  return grpc::Status::OK;
}

grpc::Status IncidentServiceImpl::GetIncident(grpc::ServerContext*,
                                              const pb::GetIncidentRequest* request,
                                              pb::Incident* response) {
  if (absl::Status valid = ValidateIncidentId("id", request->id()); !valid.ok()) {
    return ToGrpcStatus(valid);
  }
  return Answer(store_->Get(request->id()), response);
}

grpc::Status IncidentServiceImpl::ListIncidents(grpc::ServerContext*,
                                                const pb::ListIncidentsRequest* request,
                                                pb::ListIncidentsResponse* response) {
  auto page = [&]() -> absl::StatusOr<pb::ListIncidentsResponse> {
    FF_RETURN_IF_ERROR(ValidateListFilter(request->statuses(), request->severities()));
    FF_ASSIGN_OR_RETURN(int32_t page_size, EffectivePageSize(request->page_size()));
    IncidentFilter filter = FilterOf(*request);
    FF_ASSIGN_OR_RETURN(int64_t before_id,
                        DecodePageToken(request->page_token(), FilterKey(filter)));
    FF_ASSIGN_OR_RETURN(IncidentPage found, store_->List(filter, page_size, before_id));
    pb::ListIncidentsResponse out;
    for (pb::Incident& incident : found.incidents) *out.add_incidents() = std::move(incident);
    if (found.next_before_id > 0) {
      out.set_next_page_token(EncodePageToken(found.next_before_id, FilterKey(filter)));
    }
    return out;
  };
  return Answer(page(), response);
}

namespace {

// ApplyToIncident validates, then runs `workflow_step` on incident `id` inside
// one store transaction; the shared shape of every change RPC.
template <typename Request, typename WorkflowStep>
absl::StatusOr<Committed> ApplyToIncident(Store* store, const Clock* clock, absl::Status validation,
                                          int64_t id, const Request& request,
                                          WorkflowStep workflow_step) {
  FF_RETURN_IF_ERROR(validation);
  return store->Mutate(id, [&](const pb::Incident& current) {
    return workflow_step(current, request, clock->Now());
  });
}

}  // namespace

grpc::Status IncidentServiceImpl::UpdateIncident(grpc::ServerContext*,
                                                 const pb::UpdateIncidentRequest* request,
                                                 pb::Incident* response) {
  absl::StatusOr<Committed> committed = ApplyToIncident(
      store_, clock_, ValidateUpdate(*request), request->id(), *request, IncidentWorkflow::Update);
  if (!committed.ok()) return ToGrpcStatus(committed.status());
  *response = std::move(committed->incident);
  return grpc::Status::OK;
}

grpc::Status IncidentServiceImpl::CloseIncident(grpc::ServerContext*,
                                                const pb::CloseIncidentRequest* request,
                                                pb::Incident* response) {
  absl::StatusOr<Committed> committed = ApplyToIncident(
      store_, clock_, ValidateClose(*request), request->id(), *request, IncidentWorkflow::Close);
  if (!committed.ok()) return ToGrpcStatus(committed.status());
  *response = std::move(committed->incident);
  return grpc::Status::OK;
}

grpc::Status IncidentServiceImpl::AddTimelineEntry(grpc::ServerContext*,
                                                   const pb::AddTimelineEntryRequest* request,
                                                   pb::TimelineEntry* response) {
  absl::StatusOr<Committed> committed =
      ApplyToIncident(store_, clock_, ValidateAddEntry(*request, clock_->Now()),
                      request->incident_id(), *request, IncidentWorkflow::AddEntry);
  if (!committed.ok()) return ToGrpcStatus(committed.status());
  if (committed->events.size() != 1) {
    return ToGrpcStatus(absl::InternalError("a timeline entry was not recorded"));
  }
  *response = committed->events[0].entry();
  return grpc::Status::OK;
}

grpc::Status IncidentServiceImpl::ListTimeline(grpc::ServerContext*,
                                               const pb::ListTimelineRequest* request,
                                               pb::ListTimelineResponse* response) {
  if (absl::Status valid = ValidateIncidentId("incident_id", request->incident_id()); !valid.ok()) {
    return ToGrpcStatus(valid);
  }
  absl::StatusOr<std::vector<pb::TimelineEntry>> entries = store_->Timeline(request->incident_id());
  if (!entries.ok()) return ToGrpcStatus(entries.status());
  for (pb::TimelineEntry& entry : *entries) *response->add_entries() = std::move(entry);
  return grpc::Status::OK;
}

grpc::Status IncidentServiceImpl::WatchIncidents(grpc::ServerContext* context,
                                                 const pb::WatchIncidentsRequest* request,
                                                 grpc::ServerWriter<pb::IncidentEvent>* writer) {
  if (absl::Status valid = ValidateListFilter(request->statuses(), request->severities());
      !valid.ok()) {
    return ToGrpcStatus(valid);
  }
  std::shared_ptr<Subscription> subscription = bus_->Subscribe(FilterOf(*request));
  writer->SendInitialMetadata();
  grpc::Status result = grpc::Status::OK;
  pb::IncidentEvent event;
  while (!context->IsCancelled()) {
    Subscription::Result next = subscription->Next(&event, absl::Milliseconds(250));
    if (next == Subscription::Result::kEvent) {
      if (!writer->Write(event)) break;  // the client went away
    } else if (next == Subscription::Result::kClosed) {
      result = grpc::Status(grpc::StatusCode::UNAVAILABLE, "firefighterd is shutting down");
      break;
    } else if (next == Subscription::Result::kOverflow) {
      result = grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED,
                            "watcher fell too far behind; reconnect and re-read the incidents");
      break;
    }
  }
  bus_->Unsubscribe(subscription);
  return result;
}

grpc::Status IncidentServiceImpl::ListDomains(grpc::ServerContext*, const pb::ListDomainsRequest*,
                                              pb::ListDomainsResponse* response) {
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

grpc::Status IncidentServiceImpl::ListDeliveries(grpc::ServerContext*,
                                                 const pb::ListDeliveriesRequest* request,
                                                 pb::ListDeliveriesResponse* response) {
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

grpc::Status IncidentServiceImpl::RetryDelivery(grpc::ServerContext*,
                                                const pb::RetryDeliveryRequest* request,
                                                pb::Delivery* response) {
  if (request->id() <= 0) {
    return ToGrpcStatus(absl::InvalidArgumentError(
        absl::StrCat("id must be a positive delivery number, got ", request->id())));
  }
  return Answer(outbox_->RetryDelivery(request->id(), clock_->Now()), response);
}

}  // namespace ff
