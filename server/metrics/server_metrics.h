// ServerMetrics: what firefighterd exposes at /metrics.
//
//   firefighter_rpc_requests_total{method,code}          counter
//   firefighter_rpc_latency_seconds{method}              histogram
//   firefighter_incidents{status,severity}               gauge
//   firefighter_deliveries_pending{notifier}             gauge
//   firefighter_delivery_attempts_total{notifier,result} counter
//   firefighter_reminders_total{kind}                    counter
//   firefighter_follow_ups{state}                        gauge: open, overdue
//   firefighter_build_info{version}                      gauge, always 1
//
// RPCs and delivery attempts are counted as they happen. The incident gauge
// is a census kept in step with every commit (loaded once at start-up, so a
// scrape never scans the incidents); pending deliveries are read from the
// outbox at scrape time (they are few when all is well, and their count is
// the alarm when not), and so are the follow-up counts (overdue depends on
// the day). Thread-safe.
#ifndef FF_SERVER_METRICS_SERVER_METRICS_H_
#define FF_SERVER_METRICS_SERVER_METRICS_H_

#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "server/metrics/prometheus.h"
#include "server/store/outbox_store.h"
#include "server/store/store.h"

namespace ff {

class ServerMetrics {
 public:
  // `notifiers`: the configured ones, shown with 0 pending when idle.
  ServerMetrics(std::string version, std::vector<std::string> notifiers);

  // LoadIncidents counts the stored incidents. REQUIRES: called before any
  // commit is observed (at start-up, before serving).
  absl::Status LoadIncidents(Store* store);
  // ObserveCommit keeps the incident census in step with a write.
  void ObserveCommit(const Committed& committed);
  // ObserveRpc counts one finished RPC: `method` as "package.Service/Method",
  // `code` as gRPC names it ("OK", "NOT_FOUND", …).
  void ObserveRpc(absl::string_view method, absl::string_view code, absl::Duration latency);
  // ObserveDeliveryAttempt counts one attempt: result "delivered", "retry"
  // or "dead".
  void ObserveDeliveryAttempt(absl::string_view notifier, absl::string_view result);

  // Render returns the exposition text; errors reading the outbox or the
  // follow-ups as is. `follow_ups` counts them (unset: the gauge is absent).
  absl::StatusOr<std::string> Render(
      OutboxStore* outbox,
      const std::function<absl::StatusOr<FollowUpTotals>()>& follow_ups = nullptr) const;

 private:
  using Census = std::pair<pb::Status, pb::Severity>;

  const std::string version_;
  const std::vector<std::string> notifiers_;
  SampleFamily rpc_requests_;
  HistogramFamily rpc_latency_;
  SampleFamily delivery_attempts_;
  SampleFamily reminders_;

  mutable absl::Mutex mu_;
  // Status and severity of every incident, by id.
  std::map<int64_t, Census> incidents_ ABSL_GUARDED_BY(mu_);
};

}  // namespace ff

#endif  // FF_SERVER_METRICS_SERVER_METRICS_H_
