// Lifecycle: how FireFighter's long-running processes (firefighterd,
// firefighter-slack, firefighter-web) start and stop, the same way.
//
// Each main is the same list of steps: block the stop signals, parse flags,
// load configuration, wire the parts, serve, and on SIGTERM or SIGINT run its
// shutdown steps in this order, then exit 0:
//   1. report NOT_SERVING where there is a health service, so load balancers
//      send new work elsewhere;
//   2. stop accepting: close the listeners and end the streams that never end
//      by themselves (a watcher gets a final status, not a cut connection);
//   3. finish the work in flight: requests already accepted get their full
//      answer, background work is done (or left stored for the next start).
//
// No signal is handled in a signal handler, where almost nothing is safe to
// call. StopSignals blocks them in the main thread before any other thread
// exists (threads inherit the mask), and ServeUntilStopped takes them on the
// main thread with sigwait, so what follows a signal is ordinary code, free to
// lock, log and join. A second SIGTERM while shutting down changes nothing;
// SIGKILL remains the way to stop at once.
//
// Thread-safety: call StopSignals::Block first thing in main, then
// ServeUntilStopped from the main thread; nothing here is shared.
#ifndef FF_COMMON_LIFECYCLE_H_
#define FF_COMMON_LIFECYCLE_H_

#include <signal.h>

#include <functional>
#include <string>
#include <vector>

namespace ff {

// StopSignals: the set of signals the process takes synchronously.
class StopSignals {
 public:
  // Block blocks SIGTERM and SIGINT, and SIGHUP too when `reload_on_hangup`,
  // in the calling thread; every thread started afterwards inherits the mask,
  // so the signals stay pending until ServeUntilStopped takes them. Without
  // `reload_on_hangup` SIGHUP keeps its default action (it ends the process).
  // REQUIRES: called in main before any thread starts.
  static StopSignals Block(bool reload_on_hangup);

  // Await blocks until SIGTERM or SIGINT arrives and returns its number. Each
  // SIGHUP before that (when blocked) calls `reload`, on this thread.
  int Await(const std::function<void()>& reload) const;

 private:
  explicit StopSignals(const sigset_t& set) : set_(set) {}
  sigset_t set_;
};

// ShutdownStep: one thing done after the stop signal. `what` names it in the
// log ("report NOT_SERVING"); `run` returns once the step is done.
struct ShutdownStep {
  std::string what;
  std::function<void()> run;
};

// ServeUntilStopped is the end of every main: it waits for SIGTERM or SIGINT
// (calling `reload` for each SIGHUP meanwhile, when `signals` blocks it), runs
// `steps` in order, logging each, and returns 0, the process's exit status.
int ServeUntilStopped(const StopSignals& signals, const std::vector<ShutdownStep>& steps,
                      const std::function<void()>& reload = nullptr);

}  // namespace ff

#endif  // FF_COMMON_LIFECYCLE_H_
