// CreateCoreChannel: the one place firefighter-web opens its gRPC channel to
// firefighterd. Everything the process reads goes through this channel, so
// transport options (credentials, reconnection) are decided here alone.
//
// Thread-safe: a grpc::Channel may be shared by any number of threads.
#ifndef FF_ADAPTERS_WEB_CORE_CHANNEL_H_
#define FF_ADAPTERS_WEB_CORE_CHANNEL_H_

#include <memory>
#include <string>

#include "grpcpp/channel.h"

namespace ff::web {

struct CoreChannelOptions {
  std::string target;  // "host:port" of firefighterd
};

// CreateCoreChannel returns a plaintext channel to `options.target`. It
// connects lazily and never fails here; calls on it fail with UNAVAILABLE
// while the server is unreachable. Reconnection attempts are capped at a
// couple of seconds apart so the dashboard recovers quickly when the server
// comes back (gRPC's default cap is two minutes).
std::shared_ptr<grpc::Channel> CreateCoreChannel(const CoreChannelOptions& options);

}  // namespace ff::web

#endif  // FF_ADAPTERS_WEB_CORE_CHANNEL_H_
