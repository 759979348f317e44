// StoreTransaction: what each write of a Store or OutboxStore does inside
// its transaction, the same for every backend. It reads and writes through
// the backend's WriteSteps; the backend owns the transaction around it
// (begin, commit or roll back, group commit, telling the commit observer).
//
// A write that fails may have written part of itself: the backend must then
// roll the transaction (or the member's savepoint) back. Not thread-safe: it
// lives for one write on the thread that runs it.
#ifndef FF_SERVER_STORE_STORE_TRANSACTION_H_
#define FF_SERVER_STORE_STORE_TRANSACTION_H_

#include <cstdint>
#include <optional>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "server/store/outbox_store.h"
#include "server/store/store.h"
#include "server/store/write_steps.h"

namespace ff {

class StoreTransaction {
 public:
  // `steps` and `router` (which may be empty: no deliveries) must outlive
  // this object.
  StoreTransaction(WriteSteps& steps, const OutboxRouter& router)
      : steps_(steps), router_(router) {}

  // Open is Store::Open: the incident holding the change's dedup_key with
  // created = false, or the new incident with its events. ABORTED when the
  // dedup_key was taken by a write this transaction could not see.
  absl::StatusOr<Committed> Open(const Change& change);
  // Mutate is Store::Mutate.
  absl::StatusOr<Committed> Mutate(int64_t id, const Mutation& mutation);
  // WriteFollowUp is Store::WriteFollowUp; its events are dated by the
  // follow-up's updated_at.
  absl::StatusOr<Committed> WriteFollowUp(const FollowUpTarget& target,
                                          const FollowUpMutation& mutation);
  // RecordOnce is OutboxStore::RecordOnce; what it stored has events, a
  // write that stored nothing has none.
  absl::StatusOr<Committed> RecordOnce(int64_t id, const OnceDecision& decide, absl::Time now);
  // MarkDelivered is OutboxStore::MarkDelivered; the write-back's events, if
  // any. A delivery no longer pending is left as it is (OK, no events).
  absl::StatusOr<Committed> MarkDelivered(int64_t id, const WriteBack& write_back, absl::Time now);
  // RetryDelivery is the write of OutboxStore::RetryDelivery.
  absl::Status RetryDelivery(int64_t id, const Audit& by, absl::Time now);

 private:
  // Record stores the events `records` make of `incident` (see EventTime for
  // `when`) and their deliveries, and returns the events as stored.
  absl::StatusOr<std::vector<pb::IncidentEvent>> Record(const pb::Incident& incident,
                                                        const std::vector<ChangeRecord>& records,
                                                        std::optional<absl::Time> when,
                                                        const pb::FollowUp* follow_up = nullptr);

  // LinkTrackers stores the tracker issues of `incident`'s follow-ups and
  // returns the followup.tracker_linked events it recorded.
  absl::StatusOr<std::vector<pb::IncidentEvent>> LinkTrackers(
      const pb::Incident& incident, const std::vector<TrackerLink>& trackers, absl::Time now);

  WriteSteps& steps_;
  const OutboxRouter& router_;
};

}  // namespace ff

#endif  // FF_SERVER_STORE_STORE_TRANSACTION_H_
