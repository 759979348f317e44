// IncidentServiceImpl: the gRPC face of firefighterd.
//
// A thin translation layer: it validates requests (server/core), runs the
// workflow inside a store transaction, and converts results and statuses.
// No rule lives here. Every RPC is authorized first (server/auth); changes are
// attributed to the authenticated principal. Thread-safe: handlers run concurrently on gRPC's
// threads; all shared state is in the store and the event bus.
#ifndef FF_SERVER_GRPC_INCIDENT_SERVICE_H_
#define FF_SERVER_GRPC_INCIDENT_SERVICE_H_

#include <utility>

#include "common/clock.h"
#include "firefighter/v1/incident_service.grpc.pb.h"
#include "server/auth/authorizer.h"
#include "server/core/domain_catalog.h"
#include "server/core/follow_ups.h"
#include "server/events/event_bus.h"
#include "server/store/outbox_store.h"
#include "server/store/store.h"

namespace ff {

// The unary RPCs use gRPC's callback API: a write is answered by the group
// commit that makes it durable, so no server thread is parked per write
// (ADR 0002), and a read runs where the store's reads belong
// (Store::RunRead) with no hand-off to a thread of the synchronous server
// (ADR 0015). ListIncidents is a raw method: its answer is written as bytes
// from the stored records (ListedPage, ADR 0016). The watch stream and the
// admin RPCs stay synchronous.
using IncidentServiceBase = pb::IncidentService::WithCallbackMethod_OpenIncident<
    pb::IncidentService::WithCallbackMethod_UpdateIncident<
        pb::IncidentService::WithCallbackMethod_CloseIncident<
            pb::IncidentService::WithCallbackMethod_AddTimelineEntry<
                pb::IncidentService::WithCallbackMethod_AddFollowUp<
                    pb::IncidentService::WithCallbackMethod_UpdateFollowUp<
                        pb::IncidentService::WithCallbackMethod_GetIncident<
                            pb::IncidentService::WithRawCallbackMethod_ListIncidents<
                                pb::IncidentService::WithCallbackMethod_ListTimeline<
                                    pb::IncidentService::WithCallbackMethod_GetFollowUp<
                                        pb::IncidentService::WithCallbackMethod_ListFollowUps<
                                            pb::IncidentService::Service>>>>>>>>>>>;

class IncidentServiceImpl final : public IncidentServiceBase {
 public:
  // REQUIRES: every argument outlives the service. `auth` decides who may
  // call what (Authorizer::Open() lets everyone in).
  // `followups` are the follow-up rules' settings (due dates, time zone).
  IncidentServiceImpl(Store* store, OutboxStore* outbox, const DomainCatalog* domains,
                      const Clock* clock, EventBus* bus, const Authorizer* auth,
                      FollowUpSettings followups = {})
      : store_(store),
        outbox_(outbox),
        domains_(domains),
        clock_(clock),
        bus_(bus),
        auth_(auth),
        followups_(std::move(followups)) {}

  grpc::ServerUnaryReactor* OpenIncident(grpc::CallbackServerContext* context,
                                         const pb::OpenIncidentRequest* request,
                                         pb::Incident* response) override;
  // Reads (see IncidentServiceBase).
  grpc::ServerUnaryReactor* GetIncident(grpc::CallbackServerContext* context,
                                        const pb::GetIncidentRequest* request,
                                        pb::Incident* response) override;
  // Raw: a ListIncidentsRequest in, a ListIncidentsResponse out, as bytes.
  grpc::ServerUnaryReactor* ListIncidents(grpc::CallbackServerContext* context,
                                          const grpc::ByteBuffer* request,
                                          grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* UpdateIncident(grpc::CallbackServerContext* context,
                                           const pb::UpdateIncidentRequest* request,
                                           pb::Incident* response) override;
  grpc::ServerUnaryReactor* CloseIncident(grpc::CallbackServerContext* context,
                                          const pb::CloseIncidentRequest* request,
                                          pb::Incident* response) override;
  grpc::ServerUnaryReactor* AddTimelineEntry(grpc::CallbackServerContext* context,
                                             const pb::AddTimelineEntryRequest* request,
                                             pb::TimelineEntry* response) override;
  grpc::ServerUnaryReactor* ListTimeline(grpc::CallbackServerContext* context,
                                         const pb::ListTimelineRequest* request,
                                         pb::ListTimelineResponse* response) override;
  // Streams until the client cancels, the server shuts down (UNAVAILABLE),
  // the watcher falls too far behind (RESOURCE_EXHAUSTED) or a token reload
  // revokes its token (UNAUTHENTICATED, within 250 ms). Initial metadata
  // is sent once the subscription is in place: a client that waits for it
  // misses no later change.
  grpc::Status WatchIncidents(grpc::ServerContext* context,
                              const pb::WatchIncidentsRequest* request,
                              grpc::ServerWriter<pb::IncidentEvent>* writer) override;
  grpc::Status ListDomains(grpc::ServerContext* context, const pb::ListDomainsRequest* request,
                           pb::ListDomainsResponse* response) override;
  grpc::Status ListDeliveries(grpc::ServerContext* context,
                              const pb::ListDeliveriesRequest* request,
                              pb::ListDeliveriesResponse* response) override;
  grpc::Status RetryDelivery(grpc::ServerContext* context, const pb::RetryDeliveryRequest* request,
                             pb::Delivery* response) override;
  // Reads every incident matching the filters (stats_rpc.cc).
  grpc::Status GetStats(grpc::ServerContext* context, const pb::GetStatsRequest* request,
                        pb::GetStatsResponse* response) override;
  // Follow-ups (follow_up_rpc.cc): writes on the callback API like the
  // incident's.
  grpc::ServerUnaryReactor* AddFollowUp(grpc::CallbackServerContext* context,
                                        const pb::AddFollowUpRequest* request,
                                        pb::FollowUp* response) override;
  grpc::ServerUnaryReactor* UpdateFollowUp(grpc::CallbackServerContext* context,
                                           const pb::UpdateFollowUpRequest* request,
                                           pb::FollowUp* response) override;
  grpc::ServerUnaryReactor* GetFollowUp(grpc::CallbackServerContext* context,
                                        const pb::GetFollowUpRequest* request,
                                        pb::FollowUp* response) override;
  grpc::ServerUnaryReactor* ListFollowUps(grpc::CallbackServerContext* context,
                                          const pb::ListFollowUpsRequest* request,
                                          pb::ListFollowUpsResponse* response) override;

 private:
  // Authorize checks the call's bearer token against `permission`.
  absl::StatusOr<Caller> Authorize(const grpc::ServerContextBase* context,
                                   Permission permission) const;
  // StreamEvents writes `subscription`'s events until the watch ends (see
  // WatchIncidents) and returns how it ended.
  grpc::Status StreamEvents(grpc::ServerContext* context, Subscription& subscription,
                            grpc::ServerWriter<pb::IncidentEvent>* writer) const;

  Store* store_;
  OutboxStore* outbox_;
  const DomainCatalog* domains_;
  const Clock* clock_;
  EventBus* bus_;
  const Authorizer* auth_;
  const FollowUpSettings followups_;
};

}  // namespace ff

#endif  // FF_SERVER_GRPC_INCIDENT_SERVICE_H_
