#include "server/store/outbox_rules.h"

#include <algorithm>
#include <map>
#include <tuple>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "server/core/time_util.h"

namespace ff {
namespace {

// Heads returns the oldest pending delivery of each (incident, notifier):
// only it may go, so per-incident order is kept per notifier.
std::vector<const PendingDelivery*> Heads(const std::vector<PendingDelivery>& pending) {
  std::map<std::pair<int64_t, std::string>, const PendingDelivery*> heads;
  for (const PendingDelivery& p : pending) {
    auto [it, inserted] = heads.try_emplace({p.delivery.incident_id, p.delivery.notifier}, &p);
    if (!inserted && p.delivery.id < it->second->delivery.id) it->second = &p;
  }
  std::vector<const PendingDelivery*> out;
  out.reserve(heads.size());
  for (const auto& [key, head] : heads) out.push_back(head);
  return out;
}

}  // namespace

AttemptOutcome FailedAttempt(const std::string& error, std::optional<absl::Time> retry_at,
                             absl::Time now) {
  return {retry_at ? pb::DELIVERY_STATE_PENDING : pb::DELIVERY_STATE_DEAD,
          error.substr(0, kMaxDeliveryError), retry_at.value_or(now)};
}

AttemptOutcome DeferredAttempt(const std::string& reason, absl::Time until) {
  return {pb::DELIVERY_STATE_PENDING, reason.substr(0, kMaxDeliveryError), until};
}

bool DueBefore(const DueRank& a, const DueRank& b) {
  return std::tie(a.severity, a.next_attempt_at, a.id) <
         std::tie(b.severity, b.next_attempt_at, b.id);
}

std::vector<DueDelivery> PickDue(const std::vector<PendingDelivery>& pending, absl::Time now,
                                 int limit) {
  std::vector<const PendingDelivery*> due;
  for (const PendingDelivery* head : Heads(pending)) {
    if (head->rank.next_attempt_at <= now) due.push_back(head);
  }
  std::sort(due.begin(), due.end(), [](const PendingDelivery* a, const PendingDelivery* b) {
    return DueBefore(a->rank, b->rank);
  });
  std::vector<DueDelivery> out;
  for (const PendingDelivery* p : due) {
    if (out.size() == static_cast<size_t>(std::max(limit, 0))) break;
    out.push_back(p->delivery);
  }
  return out;
}

std::optional<absl::Time> NextDue(const std::vector<PendingDelivery>& pending) {
  std::optional<absl::Time> next;
  for (const PendingDelivery* head : Heads(pending)) {
    if (!next || head->rank.next_attempt_at < *next) next = head->rank.next_attempt_at;
  }
  return next;
}

absl::Status NotFoundDelivery(int64_t id) {
  return absl::NotFoundError(absl::StrCat("delivery ", id, " does not exist"));
}

absl::Status NotPendingDelivery(int64_t id, bool exists) {
  if (!exists) return NotFoundDelivery(id);
  return absl::FailedPreconditionError(absl::StrCat("delivery ", id, " is no longer pending"));
}

absl::Status CheckRetryable(int64_t id, pb::DeliveryState state) {
  if (state == pb::DELIVERY_STATE_DEAD) return absl::OkStatus();
  return absl::FailedPreconditionError(absl::StrCat(
      "delivery ", id, " is ", state == pb::DELIVERY_STATE_PENDING ? "pending" : "delivered",
      "; only a dead delivery can be retried"));
}

std::string RetryNote(int64_t id, const std::string& notifier, const std::string& last_error) {
  std::string note = absl::StrCat("Retried the ", notifier, " notification (delivery ", id, ")");
  if (!last_error.empty())
    absl::StrAppend(&note, ", which had failed: ", last_error.substr(0, 500));
  return note;
}

pb::TimelineEntry RetryEntry(int64_t incident_id, int64_t id, const std::string& notifier,
                             const std::string& last_error, const Audit& by, absl::Time now) {
  pb::TimelineEntry entry;
  entry.set_incident_id(incident_id);
  *entry.mutable_time() = ToTimestamp(now);
  entry.set_kind("delivery");
  entry.set_actor(by.actor);
  entry.set_text(RetryNote(id, notifier, last_error));
  entry.set_via(by.via);
  return entry;
}

absl::StatusOr<pb::Delivery> FindDelivery(OutboxStore& outbox, int64_t id) {
  FF_ASSIGN_OR_RETURN(std::vector<pb::Delivery> found, outbox.ListDeliveries({}, 1, id + 1));
  if (found.empty() || found[0].id() != id) return NotFoundDelivery(id);
  return found[0];
}

}  // namespace ff
