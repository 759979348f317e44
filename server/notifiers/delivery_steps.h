// DeliverySteps: a delivery made of several outside calls (create a channel,
// set its topic, invite, post) that resumes, on a retry, at the step that did
// not finish instead of starting again from the first call.
//
// Each step has a name unique within its delivery. Run(name, call) performs
// the step unless an earlier attempt completed it, and records its result in
// the delivery's progress (Delivery::record_progress) before returning, so a
// retry after an error, a timeout or a kill -9 skips it. A step that can
// create something twice (a post, a channel) is marked as started before its
// call: when the next attempt finds it started but not finished — the call
// timed out, its answer was lost, the process died — `call` is told the
// outcome is in doubt and should look in the outside system for what it did
// (e.g. read the channel history) before doing it again. Only then: a first
// attempt, or a retry after a definite refusal (4xx, rate limit), calls
// straight away.
//
// Progress layout (opaque to the store): {"done": {name: result},
// "started": name}. Not thread-safe: one per delivery attempt.
#ifndef FF_SERVER_NOTIFIERS_DELIVERY_STEPS_H_
#define FF_SERVER_NOTIFIERS_DELIVERY_STEPS_H_

#include <functional>
#include <string>

#include "absl/status/statusor.h"
#include "nlohmann/json.hpp"
#include "server/notifiers/notifier.h"

namespace ff {

class DeliverySteps {
 public:
  // StepCall performs a step; `in_doubt` says an earlier attempt may have
  // performed it without recording so. Returns the step's result (any JSON,
  // kept for later attempts; null is fine).
  using StepCall = std::function<absl::StatusOr<nlohmann::json>(bool in_doubt)>;

  // REQUIRES: `delivery` outlives this object.
  explicit DeliverySteps(const Delivery& delivery);

  // Done returns the result step `name` recorded, or nullptr when it has not
  // completed.
  const nlohmann::json* Done(const std::string& name) const;

  // Run returns the recorded result of step `name` when it completed before;
  // otherwise calls `call` and records its result. With `guarded`, the step
  // is durably marked as started before the call, so that a lost outcome is
  // known to be in doubt next time. Returns the call's error (the step stays
  // to do) or the error of recording progress.
  absl::StatusOr<nlohmann::json> Run(const std::string& name, const StepCall& call,
                                     bool guarded = true);

 private:
  absl::Status Record();

  const Delivery& delivery_;
  nlohmann::json progress_;
};

}  // namespace ff

#endif  // FF_SERVER_NOTIFIERS_DELIVERY_STEPS_H_
