#include "server/metrics/server_metrics.h"

#include "absl/strings/ascii.h"
#include "common/status_macros.h"
#include "server/core/names.h"
#include "server/core/reminder_policy.h"

namespace ff {
namespace {

constexpr int32_t kPage = 500;

// Prometheus' default buckets: our RPCs range from sub-millisecond reads to
// group-committed writes of tens of milliseconds.
const std::vector<double>& LatencyBuckets() {
  static const auto* buckets =
      new std::vector<double>{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
  return *buckets;
}

std::string Lower(const std::string& s) { return absl::AsciiStrToLower(s); }

}  // namespace

ServerMetrics::ServerMetrics(std::string version, std::vector<std::string> notifiers)
    : version_(std::move(version)),
      notifiers_(std::move(notifiers)),
      rpc_requests_("firefighter_rpc_requests_total", "gRPC calls finished, by method and code.",
                    SampleFamily::Type::kCounter, {"method", "code"}),
      rpc_latency_("firefighter_rpc_latency_seconds",
                   "Time from a call's arrival to its status, by method.", {"method"},
                   LatencyBuckets()),
      delivery_attempts_("firefighter_delivery_attempts_total",
                         "Notification delivery attempts, by notifier and result "
                         "(delivered, retry, dead).",
                         SampleFamily::Type::kCounter, {"notifier", "result"}),
      reminders_("firefighter_reminders_total", "Reminders recorded, by kind.",
                 SampleFamily::Type::kCounter, {"kind"}) {}

absl::Status ServerMetrics::LoadIncidents(Store* store) {
  std::map<int64_t, Census> found;
  int64_t before_id = 0;
  do {
    FF_ASSIGN_OR_RETURN(IncidentPage page, store->List({}, kPage, before_id));
    for (const pb::Incident& i : page.incidents) found[i.id()] = {i.status(), i.severity()};
    before_id = page.next_before_id;
  } while (before_id > 0);
  absl::MutexLock lock(&mu_);
  incidents_ = std::move(found);
  return absl::OkStatus();
}

void ServerMetrics::ObserveCommit(const Committed& committed) {
  const pb::Incident& i = committed.incident;
  {
    absl::MutexLock lock(&mu_);
    incidents_[i.id()] = {i.status(), i.severity()};
  }
  for (const pb::IncidentEvent& event : committed.events) {
    if (event.type() != kEventReminder) continue;
    // A follow-up's, or the kind the incident's status decides
    // (reminder_policy.h).
    ReminderKind kind =
        event.has_follow_up() ? ReminderKind::kFollowUp : ReminderKindFor(i.status());
    reminders_.Add({std::string(ReminderKindName(kind))});
  }
}

void ServerMetrics::ObserveRpc(absl::string_view method, absl::string_view code,
                               absl::Duration latency) {
  rpc_requests_.Add({std::string(method), std::string(code)});
  rpc_latency_.Observe({std::string(method)}, absl::ToDoubleSeconds(latency));
}

void ServerMetrics::ObserveDeliveryAttempt(absl::string_view notifier, absl::string_view result) {
  delivery_attempts_.Add({std::string(notifier), std::string(result)});
}

absl::StatusOr<std::string> ServerMetrics::Render(
    OutboxStore* outbox, const std::function<absl::StatusOr<FollowUpTotals>()>& follow_ups) const {
  SampleFamily incidents("firefighter_incidents", "Incidents stored, by status and severity.",
                         SampleFamily::Type::kGauge, {"status", "severity"});
  for (int s = pb::STATUS_OPEN; s <= pb::STATUS_CLOSED; ++s) {
    for (int v = pb::SEVERITY_SEV1; v <= pb::SEVERITY_SEV5; ++v) {
      incidents.Set({Lower(StatusName(s)), SeverityName(v)}, 0);
    }
  }
  {
    absl::MutexLock lock(&mu_);
    for (const auto& [id, census] : incidents_) {
      incidents.Add({Lower(StatusName(census.first)), SeverityName(census.second)});
    }
  }
  SampleFamily pending("firefighter_deliveries_pending",
                       "Notification deliveries waiting for their turn or their next attempt.",
                       SampleFamily::Type::kGauge, {"notifier"});
  for (const std::string& n : notifiers_) pending.Set({n}, 0);
  DeliveryFilter filter;
  filter.states = {pb::DELIVERY_STATE_PENDING};
  int64_t before_id = 0;
  while (true) {
    FF_ASSIGN_OR_RETURN(std::vector<pb::Delivery> page,
                        outbox->ListDeliveries(filter, kPage, before_id));
    for (const pb::Delivery& d : page) pending.Add({d.notifier()});
    if (page.size() < static_cast<size_t>(kPage)) break;
    before_id = page.back().id();
  }
  SampleFamily build("firefighter_build_info", "The running firefighterd's version.",
                     SampleFamily::Type::kGauge, {"version"});
  build.Set({version_}, 1);

  SampleFamily follow_up_gauge("firefighter_follow_ups",
                               "Follow-ups still open, and of those the overdue ones.",
                               SampleFamily::Type::kGauge, {"state"});
  if (follow_ups) {
    FF_ASSIGN_OR_RETURN(FollowUpTotals totals, follow_ups());
    follow_up_gauge.Set({"open"}, static_cast<double>(totals.open));
    follow_up_gauge.Set({"overdue"}, static_cast<double>(totals.overdue));
  }

  std::string out;
  rpc_requests_.AppendTo(&out);
  rpc_latency_.AppendTo(&out);
  incidents.AppendTo(&out);
  pending.AppendTo(&out);
  if (follow_ups) follow_up_gauge.AppendTo(&out);
  delivery_attempts_.AppendTo(&out);
  reminders_.AppendTo(&out);
  build.AppendTo(&out);
  return out;
}

}  // namespace ff
