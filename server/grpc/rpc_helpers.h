// Helpers the IncidentService handlers share (incident_service.cc,
// follow_up_rpc.cc, stats_rpc.cc). Header-only; stateless, thread-safe.
#ifndef FF_SERVER_GRPC_RPC_HELPERS_H_
#define FF_SERVER_GRPC_RPC_HELPERS_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "grpcpp/server_context.h"
#include "grpcpp/support/server_callback.h"
#include "grpcpp/support/status.h"
#include "server/auth/authorizer.h"
#include "server/core/workflow.h"
#include "server/grpc/status_conversion.h"
#include "server/store/store.h"

namespace ff {

// Answer converts a StatusOr into the response message and gRPC status.
template <typename T>
grpc::Status Answer(absl::StatusOr<T> result, T* response) {
  if (!result.ok()) return ToGrpcStatus(result.status());
  *response = *std::move(result);
  return grpc::Status::OK;
}

// ServeRead answers a read RPC on gRPC's callback API: `read` — returning an
// absl::Status and filling the call's response — runs where the store's
// reads belong (Store::RunRead: at once for SQLite, on a reader thread for
// PostgreSQL), and its status finishes the call. No thread is handed the
// call and none waits for it. `read` may use the call's context, request
// and response: gRPC keeps them until Finish.
template <typename Read>
grpc::ServerUnaryReactor* ServeRead(grpc::CallbackServerContext* context, Store* store, Read read) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  store->RunRead([reactor, read = std::move(read)] { reactor->Finish(ToGrpcStatus(read())); });
  return reactor;
}

// StampVia records the service principal on every entry of a change.
inline void StampVia(std::vector<ChangeRecord>& records, const std::string& via) {
  if (via.empty()) return;
  for (ChangeRecord& record : records) record.entry.set_via(via);
}

// AsActing returns `request` with its actor replaced by whom the change is
// attributed to; `storage` holds the copy when one is needed.
template <typename Request>
const Request& AsActing(const Request& request, const Acting& acting, Request* storage) {
  if (acting.actor == request.actor()) return request;
  *storage = request;
  storage->set_actor(acting.actor);
  return *storage;
}

}  // namespace ff

#endif  // FF_SERVER_GRPC_RPC_HELPERS_H_
