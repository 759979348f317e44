// MetricsHttpServer: serves GET /metrics (Prometheus text format) on its own
// address and thread, apart from the gRPC port (--metrics-listen).
// Thread-safe; stops on destruction.
#ifndef FF_SERVER_METRICS_METRICS_HTTP_H_
#define FF_SERVER_METRICS_METRICS_HTTP_H_

#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "absl/status/statusor.h"

namespace httplib {
class Server;
}

namespace ff {

class MetricsHttpServer {
 public:
  // Render produces the exposition text; an error answers 500 with its message.
  using Render = std::function<absl::StatusOr<std::string>()>;

  // Start listens on `address` ("HOST:PORT", port 0 picks a free one).
  // INVALID_ARGUMENT for an address without a port; UNAVAILABLE when it
  // cannot be bound.
  static absl::StatusOr<std::unique_ptr<MetricsHttpServer>> Start(const std::string& address,
                                                                  Render render);
  ~MetricsHttpServer();

  // The bound port.
  int port() const { return port_; }

 private:
  MetricsHttpServer() = default;

  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  int port_ = 0;
};

}  // namespace ff

#endif  // FF_SERVER_METRICS_METRICS_HTTP_H_
