// The one place where internal absl::Status becomes a gRPC status.
// Stateless; thread-safe.
#ifndef FF_SERVER_GRPC_STATUS_CONVERSION_H_
#define FF_SERVER_GRPC_STATUS_CONVERSION_H_

#include <cstddef>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "grpcpp/support/status.h"

namespace ff {

// The longest status message sent, in bytes. A message travels in the
// grpc-message trailer, and a trailer over the client's metadata limit (8 KiB
// by default) costs the client its call and can wedge its connection; no
// message a person reads needs more.
inline constexpr size_t kMaxStatusMessageBytes = 1024;

// CappedStatusMessage returns `message` when it fits kMaxStatusMessageBytes,
// else its longest prefix that fits with "…" after it, cut between UTF-8
// characters.
std::string CappedStatusMessage(absl::string_view message);

// ToGrpcStatus keeps the code (the two enumerations share their numbers) and
// the message, capped by CappedStatusMessage. INTERNAL and UNKNOWN are logged
// in full: they mean a bug.
grpc::Status ToGrpcStatus(const absl::Status& status);

}  // namespace ff

#endif  // FF_SERVER_GRPC_STATUS_CONVERSION_H_
