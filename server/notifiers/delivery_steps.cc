#include "server/notifiers/delivery_steps.h"

#include <utility>

#include "common/status_macros.h"

namespace ff {

using json = nlohmann::json;

DeliverySteps::DeliverySteps(const Delivery& delivery)
    : delivery_(delivery),
      progress_(delivery.progress.is_object() ? delivery.progress : json::object()) {
  if (!progress_.contains("done") || !progress_["done"].is_object()) {
    progress_["done"] = json::object();
  }
}

const json* DeliverySteps::Done(const std::string& name) const {
  const json& done = progress_["done"];
  auto it = done.find(name);
  return it == done.end() ? nullptr : &*it;
}

absl::StatusOr<json> DeliverySteps::Run(const std::string& name, const StepCall& call,
                                        bool guarded) {
  if (const json* done = Done(name)) return *done;
  const bool in_doubt = progress_.value("started", "") == name;
  if (guarded && !in_doubt) {
    progress_["started"] = name;
    FF_RETURN_IF_ERROR(Record());
  }
  absl::StatusOr<json> result = call(in_doubt);
  if (!result.ok()) {
    // A definite refusal did nothing outside: the next attempt may call
    // straight away. A lost outcome leaves the step in doubt.
    if (guarded && !MayHaveTakenEffect(result.status())) {
      progress_.erase("started");
      (void)Record();  // best effort: a stale mark only costs a look
    }
    return result;
  }
  progress_["done"][name] = *result;
  progress_.erase("started");
  FF_RETURN_IF_ERROR(Record());
  return result;
}

absl::Status DeliverySteps::Record() {
  if (!delivery_.record_progress) return absl::OkStatus();
  return delivery_.record_progress(progress_);
}

}  // namespace ff
