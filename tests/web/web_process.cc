#include "tests/web/web_process.h"

#include <signal.h>

#include <utility>
#include <vector>

#include "common/host_port.h"

namespace ff::web::testing {

std::string WebBinary() { return FF_WEB_BINARY; }

WebProcess::WebProcess(std::string binary, std::string core, std::vector<std::string> extra_args)
    : binary_(std::move(binary)), core_(std::move(core)), extra_args_(std::move(extra_args)) {}

absl::Status WebProcess::Start() {
  std::vector<std::string> args = {binary_, "--listen",    listen_, "--server",
                                   core_,   "--log-level", "warn"};
  args.insert(args.end(), extra_args_.begin(), extra_args_.end());
  absl::StatusOr<std::string> address =
      process_.Start(std::move(args), "firefighter-web listening on ", {});
  if (!address.ok()) return address.status();
  if (!ff::SplitHostPort(*address, &host_, &port_)) {
    process_.Stop(SIGKILL);
    return absl::InternalError("firefighter-web announced no HOST:PORT: " + *address);
  }
  return absl::OkStatus();
}

}  // namespace ff::web::testing
