// The rules of a delivery's life that every OutboxStore follows, whatever
// holds its rows: what a failed or deferred attempt leaves behind, which
// deliveries are due and in which order, when a delivery may be retried, and
// the statuses an unknown or finished delivery gets. The SQL backends write
// these rules in their statements where they must (outbox_sql.h); everything
// else decides here. Pure functions; thread-safe.
#ifndef FF_SERVER_STORE_OUTBOX_RULES_H_
#define FF_SERVER_STORE_OUTBOX_RULES_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "server/store/outbox_store.h"

namespace ff {

// kMaxDeliveryError is how much of an error or deferral reason a delivery
// keeps (its last_error).
inline constexpr size_t kMaxDeliveryError = 2000;

// AttemptOutcome is what a delivery's row holds after an attempt that did
// not deliver: its state, last error and when it is due again (for a dead
// delivery, the time it died).
struct AttemptOutcome {
  pb::DeliveryState state = pb::DELIVERY_STATE_PENDING;
  std::string last_error;
  absl::Time next_attempt_at;
};

// FailedAttempt is the outcome of an attempt that failed at `now` with
// `error`: pending again at `retry_at`, or dead when there is none. It counts
// as an attempt.
AttemptOutcome FailedAttempt(const std::string& error, std::optional<absl::Time> retry_at,
                             absl::Time now);

// DeferredAttempt is the outcome of waiting for an outside system's budget
// until `until`: still pending, `reason` shown as its last error. It is no
// attempt.
AttemptOutcome DeferredAttempt(const std::string& reason, absl::Time until);

// DueRank is what orders due deliveries: the most severe incident first
// (lowest severity number), then the longest due, then the oldest.
struct DueRank {
  int64_t severity = 0;
  absl::Time next_attempt_at;
  int64_t id = 0;
};
// DueBefore is true when `a` goes before `b`.
bool DueBefore(const DueRank& a, const DueRank& b);

// PendingDelivery is a pending delivery as the due rules see it.
struct PendingDelivery {
  DueDelivery delivery;
  DueRank rank;
};

// PickDue returns up to `limit` of `pending` due at `now`, each the oldest
// (lowest id) pending one of its (incident, notifier), in DueBefore order:
// OutboxStore::DueDeliveries over rows held in memory.
std::vector<DueDelivery> PickDue(const std::vector<PendingDelivery>& pending, absl::Time now,
                                 int limit);
// NextDue is the earliest next_attempt_at among the heads of `pending` (see
// PickDue), or nullopt: OutboxStore::NextDueTime over rows held in memory.
std::optional<absl::Time> NextDue(const std::vector<PendingDelivery>& pending);

// NotFoundDelivery is the NOT_FOUND status for delivery `id`.
absl::Status NotFoundDelivery(int64_t id);

// NotPendingDelivery explains why a change of pending delivery `id` found
// nothing to change: NOT_FOUND when it does not `exist`, FAILED_PRECONDITION
// (it is delivered or dead) when it does.
absl::Status NotPendingDelivery(int64_t id, bool exists);

// CheckRetryable is OK when delivery `id` in `state` may be retried by an
// operator (it is dead), FAILED_PRECONDITION saying what it is otherwise.
absl::Status CheckRetryable(int64_t id, pb::DeliveryState state);

// RetryEntry is the timeline entry (kind "delivery") that records, at `now`,
// that `by` retried delivery `id` to `notifier` after it died of
// `last_error`.
pb::TimelineEntry RetryEntry(int64_t incident_id, int64_t id, const std::string& notifier,
                             const std::string& last_error, const Audit& by, absl::Time now);

// FindDelivery reads delivery `id` back as ListDeliveries shows it, or
// NOT_FOUND.
absl::StatusOr<pb::Delivery> FindDelivery(OutboxStore& outbox, int64_t id);

}  // namespace ff

#endif  // FF_SERVER_STORE_OUTBOX_RULES_H_
