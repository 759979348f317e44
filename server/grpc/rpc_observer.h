// RpcObserver: a gRPC server interceptor that reports every finished call —
// its method, status code, latency and, when the call names one, the
// incident — to a listener (the /metrics counters and the per-RPC log line).
//
// Only those fields are reported: never metadata (bearer tokens travel
// there), request contents or error messages (which may echo input).
// Thread-safe: one interceptor per call; the listener is called from gRPC's
// threads concurrently and must be thread-safe.
#ifndef FF_SERVER_GRPC_RPC_OBSERVER_H_
#define FF_SERVER_GRPC_RPC_OBSERVER_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "grpcpp/support/server_interceptor.h"

namespace ff {

// The method of every call to a path no linked service declares: one label
// value, however many different paths clients send.
inline constexpr absl::string_view kUnknownMethod = "unknown";

struct RpcRecord {
  // "firefighter.v1.IncidentService/OpenIncident", or kUnknownMethod.
  std::string method;
  grpc::StatusCode code = grpc::StatusCode::OK;
  absl::Duration latency;   // arrival to status
  int64_t incident_id = 0;  // 0: the call names no incident
};

using RpcListener = std::function<void(const RpcRecord&)>;

// MakeRpcObserverFactory returns the factory to pass to
// ServerBuilder::experimental().SetInterceptorCreators.
std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface> MakeRpcObserverFactory(
    RpcListener listener);

// StatusCodeName returns gRPC's name of `code`: "OK", "INVALID_ARGUMENT", …
const char* StatusCodeName(grpc::StatusCode code);

}  // namespace ff

#endif  // FF_SERVER_GRPC_RPC_OBSERVER_H_
