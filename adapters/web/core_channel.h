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
#include "grpcpp/channel.h"

namespace ff::web {

struct CoreChannelOptions {
  std::string target;  // "host:port" of firefighterd
  // Sent as `authorization: Bearer <token>` on every call when not empty
  // (a `viewer ... service` token in firefighterd's token file).
  std::string token;
  // TLS when `tls` is set or a CA is given: the server is verified against
  // `tls_ca_file` (PEM) or the system's roots; a client certificate is
  // presented when both `tls_cert_file` and `tls_key_file` are given.
  bool tls = false;
  std::string tls_ca_file;
  std::string tls_cert_file;
  std::string tls_key_file;
};

// CreateCoreChannel returns a channel to `options.target`, or an error when
// a TLS file cannot be read or a certificate comes without its key. It
// connects lazily; calls on it fail with UNAVAILABLE while the server is
// unreachable. Reconnection attempts are capped at a
// couple of seconds apart so the dashboard recovers quickly when the server
// comes back (gRPC's default cap is two minutes).
absl::StatusOr<std::shared_ptr<grpc::Channel>> CreateCoreChannel(const CoreChannelOptions& options);

}  // namespace ff::web

#endif  // FF_ADAPTERS_WEB_CORE_CHANNEL_H_
