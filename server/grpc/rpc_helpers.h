// Helpers the IncidentService handlers share (incident_service.cc,
// follow_up_rpc.cc, stats_rpc.cc). Header-only; stateless, thread-safe.
#ifndef FF_SERVER_GRPC_RPC_HELPERS_H_
#define FF_SERVER_GRPC_RPC_HELPERS_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "grpcpp/support/status.h"
#include "server/auth/authorizer.h"
#include "server/core/workflow.h"
#include "server/grpc/status_conversion.h"

namespace ff {

// Answer converts a StatusOr into the response message and gRPC status.
template <typename T>
grpc::Status Answer(absl::StatusOr<T> result, T* response) {
  if (!result.ok()) return ToGrpcStatus(result.status());
  *response = *std::move(result);
  return grpc::Status::OK;
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
