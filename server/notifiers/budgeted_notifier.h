// Rate budgets for the notifiers that call a JSON-over-HTTP API directly
// (PagerDuty, Datadog, Statuspage, Confluence, Zoom, Google Calendar): their
// HTTP client is wrapped so every request first takes a slot of its bucket
// (clients/http/rate_budget.h) and a 429 pauses that bucket for every worker
// until its Retry-After. A request with no slot is not sent: the delivery
// gets BudgetWait, and the outbox defers it without counting an attempt.
// The Slack notifier keeps its budget in clients/slack instead.
// Thread-safe.
#ifndef FF_SERVER_NOTIFIERS_BUDGETED_NOTIFIER_H_
#define FF_SERVER_NOTIFIERS_BUDGETED_NOTIFIER_H_

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>

#include "absl/status/statusor.h"
#include "clients/http/http_client.h"
#include "clients/http/rate_budget.h"
#include "server/notifiers/notifier.h"

namespace ff {

// BucketOf names the budget bucket of a request ("" for none: unpaced, but
// still paused by a 429 under "" ).
using BucketOf = std::function<std::string(const HttpRequest& request)>;

// BudgetedHttpClient sends through `inner` within `budget`.
class BudgetedHttpClient final : public HttpClient {
 public:
  // REQUIRES: `inner` outlives this client.
  BudgetedHttpClient(HttpClient* inner, const Clock* clock, std::map<std::string, RateLimit> limits,
                     BucketOf bucket_of)
      : inner_(inner), budget_(clock, std::move(limits)), bucket_of_(std::move(bucket_of)) {}
  // Send returns BudgetWait (nothing sent) when the bucket has no slot;
  // otherwise what `inner` returns, having paused the bucket on a 429.
  absl::StatusOr<HttpResponse> Send(const HttpRequest& request) override;

 private:
  HttpClient* inner_;
  RateBudget budget_;
  BucketOf bucket_of_;
};

// CallerOf is the budget caller of `delivery`: its id, ranked by its
// incident's severity, so the most severe incident gets the next slot.
BudgetCaller CallerOf(const Delivery& delivery);

// MakeBudgetedNotifier builds the notifier `make` returns over an HTTP
// client within `limits`, and owns that client; its deliveries take slots as
// their incident's severity ranks (see ScopedBudgetCaller).
absl::StatusOr<std::unique_ptr<Notifier>> MakeBudgetedNotifier(
    const NotifierEnv& env, std::map<std::string, RateLimit> limits, BucketOf bucket_of,
    const std::function<absl::StatusOr<std::unique_ptr<Notifier>>(const NotifierEnv&)>& make);

}  // namespace ff

#endif  // FF_SERVER_NOTIFIERS_BUDGETED_NOTIFIER_H_
