// ScriptedNotifier: an in-process Notifier whose answers a test scripts —
// results to return, failures to raise, calls to hold until released — and
// which records every call. For tests of the outbox itself; the real
// notifiers are tested against their HTTP fakes. Thread-safe.
#ifndef FF_TESTS_TESTING_SCRIPTED_NOTIFIER_H_
#define FF_TESTS_TESTING_SCRIPTED_NOTIFIER_H_

#include <deque>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "server/notifiers/notifier.h"

namespace ff::testing {

struct NotifierCall {
  int64_t delivery_id;
  int64_t incident_id;
  std::string event_type;
  int attempt;
  pb::Incident current;
};

class ScriptedNotifier final : public Notifier {
 public:
  // `event_types`: the events it is interested in (empty: all).
  ScriptedNotifier(std::string name, std::set<std::string> event_types = {})
      : name_(std::move(name)), event_types_(std::move(event_types)) {}

  absl::string_view name() const override { return name_; }
  bool Interested(const pb::IncidentEvent& event) const override;
  absl::StatusOr<DeliveryResult> Deliver(const Delivery& delivery) override;

  // The next calls answer these statuses, in order, before succeeding again.
  void FailWith(std::vector<absl::Status> failures);
  // Calls for `incident_id` wait until Release() (or the test ends).
  void HoldIncident(int64_t incident_id);
  void Release();
  // Successful calls for event `event_type` return `result`.
  void ResultFor(const std::string& event_type, DeliveryResult result);

  std::vector<NotifierCall> calls();
  // WaitForCalls waits until at least `n` calls have started.
  bool WaitForCalls(size_t n, absl::Duration timeout);

 private:
  const std::string name_;
  const std::set<std::string> event_types_;
  absl::Mutex mu_;
  std::vector<NotifierCall> calls_ ABSL_GUARDED_BY(mu_);
  std::deque<absl::Status> failures_ ABSL_GUARDED_BY(mu_);
  std::set<int64_t> held_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, DeliveryResult> results_ ABSL_GUARDED_BY(mu_);
};

}  // namespace ff::testing

#endif  // FF_TESTS_TESTING_SCRIPTED_NOTIFIER_H_
