// Dispatcher: delivers the outbox's pending deliveries to their notifiers.
//
// A scheduler thread takes due deliveries from the OutboxStore (only the
// oldest pending one per incident and notifier, and never one whose
// predecessor is still in flight, so order per incident is kept) and hands
// them to the notifier's own worker lane. A delivery that must wait for an
// outside system's rate budget (clients/http/rate_budget.h) goes back to the
// store, due when the budget has room, without counting an attempt; its
// worker goes on with other deliveries. Each attempt can record its progress
// (Delivery::record_progress), and the next one resumes from it. Lanes are separate, so a notifier
// that hangs or fails never delays the others — nor any RPC: delivery runs
// entirely off the request path. Outcomes are recorded in the store; pending
// work survives restarts because it lives there, not here. Thread-safe.
#ifndef FF_SERVER_OUTBOX_DISPATCHER_H_
#define FF_SERVER_OUTBOX_DISPATCHER_H_

#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "common/clock.h"
#include "server/notifiers/notifier.h"
#include "server/outbox/retry_policy.h"
#include "server/store/outbox_store.h"

namespace ff {

class Dispatcher {
 public:
  struct Options {
    RetryPolicy retry;
    int workers_per_notifier = 4;
    int batch = 64;  // deliveries taken per scheduling pass
    absl::Duration idle_poll = absl::Seconds(1);
    // Told of every attempt's outcome: "delivered", "retry", "dead", or
    // "deferred" when it waited for a rate budget (for the metrics). Called on worker threads; must
    // be thread-safe.
    std::function<void(absl::string_view notifier, absl::string_view result)> on_attempt;
    // Reads an incident's follow-ups, for the notifiers that show them
    // (Notifier::NeedsFollowUps); unset: none are given. Thread-safe.
    std::function<absl::StatusOr<std::vector<pb::FollowUp>>(int64_t incident_id)> follow_ups;
  };

  // REQUIRES: `store`, `clock` and the notifiers outlive the dispatcher.
  Dispatcher(OutboxStore* store, const std::vector<Notifier*>& notifiers, const Clock* clock,
             Options options);
  ~Dispatcher();  // Stop()s

  // Start launches the scheduler and the worker lanes.
  void Start();
  // Wake tells the scheduler that something may have become due (a commit).
  void Wake();
  // Stop lets in-flight deliveries finish (an HTTP call ends by its timeout)
  // and joins every thread; pending deliveries stay in the store.
  void Stop();

 private:
  struct Lane;
  using Key = std::pair<int64_t, std::string>;  // incident, notifier

  void ScheduleLoop();
  // Schedule hands due deliveries to their lanes; returns how many.
  int Schedule();
  void WorkLoop(Lane* lane);
  // Finished ends `due`'s turn: its waiting successor, if any, goes next.
  void Finished(Lane* lane, const DueDelivery& due);
  void Deliver(Notifier* notifier, const DueDelivery& due);
  absl::Duration TimeUntilNextDue();

  OutboxStore* store_;
  const Clock* clock_;
  const Options options_;
  std::map<std::string, std::unique_ptr<Lane>> lanes_;  // by notifier name

  absl::Mutex mu_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  bool woken_ ABSL_GUARDED_BY(mu_) = false;
  std::map<Key, int64_t> in_flight_ ABSL_GUARDED_BY(mu_);  // the delivery id
  // A delivery found due while its predecessor was still in flight waits
  // here for it, rather than going back to the store: a store that claims
  // deliveries (several replicas) would not return it before its claim
  // expired.
  std::map<Key, DueDelivery> waiting_ ABSL_GUARDED_BY(mu_);
  std::thread scheduler_;
  std::vector<std::thread> workers_;
};

}  // namespace ff

#endif  // FF_SERVER_OUTBOX_DISPATCHER_H_
