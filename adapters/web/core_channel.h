// CreateCoreChannel: the one place firefighter-web opens its gRPC channel to
// firefighterd. Everything the process reads goes through this channel, so
// transport options (credentials, reconnection) are decided here alone.
//
// Thread-safe: a grpc::Channel may be shared by any number of threads.
#ifndef FF_ADAPTERS_WEB_CORE_CHANNEL_H_
#define FF_ADAPTERS_WEB_CORE_CHANNEL_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "clients/incident/incident_client.h"
#include "grpcpp/channel.h"

namespace ff::web {

// CreateCoreChannel returns a channel to `options.target`, or an error when
// a TLS file cannot be read or a certificate comes without its key. It
// connects lazily; calls on it fail with UNAVAILABLE while the server is
// unreachable. Reconnection attempts are capped at a couple of seconds apart
// so the dashboard recovers quickly when the server comes back (gRPC's
// default cap is two minutes). `options.token`, when set, is added to every call (unary and streaming) as
// `authorization: Bearer <token>`; the dashboard's token is a `service`
// line in firefighterd's token file: `viewer` to read only, `responder` for
// the signed-in people's actions (docs/web.md, "Acting").
absl::StatusOr<std::shared_ptr<grpc::Channel>> CreateCoreChannel(const ConnectOptions& options);

}  // namespace ff::web

#endif  // FF_ADAPTERS_WEB_CORE_CHANNEL_H_
