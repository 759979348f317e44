#include "common/lifecycle.h"

#include <pthread.h>

#include "spdlog/spdlog.h"

namespace ff {

StopSignals StopSignals::Block(bool reload_on_hangup) {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  if (reload_on_hangup) sigaddset(&set, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  return StopSignals(set);
}

int StopSignals::Await(const std::function<void()>& reload) const {
  int received = 0;
  while (sigwait(&set_, &received) != 0 || received == SIGHUP) {
    if (received == SIGHUP && reload) reload();
    received = 0;
  }
  return received;
}

int ServeUntilStopped(const StopSignals& signals, const std::vector<ShutdownStep>& steps,
                      const std::function<void()>& reload) {
  int received = signals.Await(reload);
  spdlog::info("received {}; shutting down", received == SIGINT ? "SIGINT" : "SIGTERM");
  for (const ShutdownStep& step : steps) {
    spdlog::debug("shutting down: {}", step.what);
    step.run();
  }
  spdlog::info("stopped");
  return 0;
}

}  // namespace ff
