#include "server/notifiers/budgeted_notifier.h"

#include "absl/strings/str_cat.h"

namespace ff {
namespace {

// BudgetedNotifier owns the budgeted client its inner notifier calls through.
class BudgetedNotifier final : public Notifier {
 public:
  BudgetedNotifier(std::unique_ptr<BudgetedHttpClient> http, std::unique_ptr<Notifier> inner)
      : http_(std::move(http)), inner_(std::move(inner)) {}

  absl::string_view name() const override { return inner_->name(); }
  bool Interested(const pb::IncidentEvent& event) const override {
    return inner_->Interested(event);
  }
  bool NeedsTimeline() const override { return inner_->NeedsTimeline(); }
  bool NeedsFollowUps() const override { return inner_->NeedsFollowUps(); }
  absl::StatusOr<DeliveryResult> Deliver(const Delivery& delivery) override {
    ScopedBudgetCaller caller(CallerOf(delivery));
    return inner_->Deliver(delivery);
  }

 private:
  std::unique_ptr<BudgetedHttpClient> http_;  // before inner_: outlives it
  std::unique_ptr<Notifier> inner_;
};

}  // namespace

BudgetCaller CallerOf(const Delivery& delivery) {
  const pb::Incident& incident =
      delivery.current.id() != 0 ? delivery.current : delivery.event.incident();
  return {delivery.id, static_cast<int>(incident.severity())};
}

absl::StatusOr<HttpResponse> BudgetedHttpClient::Send(const HttpRequest& request) {
  const std::string bucket = bucket_of_(request);
  if (absl::Duration wait = budget_.Take(bucket); wait > absl::ZeroDuration()) {
    return BudgetWait(bucket.empty() ? "outside API's" : bucket, wait);
  }
  absl::StatusOr<HttpResponse> response = inner_->Send(request);
  if (response.ok() && response->status == 429) {
    absl::Status limited = HttpStatusError(*response, bucket);
    budget_.PauseFor(bucket, "", RetryAfterOf(limited).value_or(absl::Seconds(1)));
  }
  return response;
}

absl::StatusOr<std::unique_ptr<Notifier>> MakeBudgetedNotifier(
    const NotifierEnv& env, std::map<std::string, RateLimit> limits, BucketOf bucket_of,
    const std::function<absl::StatusOr<std::unique_ptr<Notifier>>(const NotifierEnv&)>& make) {
  static const SystemClock kSystemClock;
  auto http = std::make_unique<BudgetedHttpClient>(env.http,
                                                   env.clock != nullptr ? env.clock : &kSystemClock,
                                                   std::move(limits), std::move(bucket_of));
  NotifierEnv budgeted = env;
  budgeted.http = http.get();
  absl::StatusOr<std::unique_ptr<Notifier>> inner = make(budgeted);
  if (!inner.ok()) return inner.status();
  return std::unique_ptr<Notifier>(new BudgetedNotifier(std::move(http), *std::move(inner)));
}

}  // namespace ff
