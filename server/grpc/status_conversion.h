// The one place where internal absl::Status becomes a gRPC status.
// Stateless; thread-safe.
#ifndef FF_SERVER_GRPC_STATUS_CONVERSION_H_
#define FF_SERVER_GRPC_STATUS_CONVERSION_H_

#include "absl/status/status.h"
#include "grpcpp/support/status.h"

namespace ff {

// ToGrpcStatus keeps the code (the two enumerations share their numbers) and
// the message. INTERNAL and UNKNOWN are logged: they mean a bug.
grpc::Status ToGrpcStatus(const absl::Status& status);

}  // namespace ff

#endif  // FF_SERVER_GRPC_STATUS_CONVERSION_H_
