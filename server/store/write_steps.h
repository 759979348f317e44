// WriteSteps: the reads and writes one write transaction is made of, each as
// a backend says it in its own dialect (SQLite, PostgreSQL, memory). They
// decide nothing: StoreTransaction (store_transaction.h) holds the logic of
// every write and runs it over a WriteSteps.
//
// A WriteSteps belongs to one open write transaction and is used by one
// thread at a time. Any step may fail with the backend's status for a
// failed statement (UNAVAILABLE, INTERNAL); a backend that reports failures
// by exception may throw instead, and catches around the transaction.
#ifndef FF_SERVER_STORE_WRITE_STEPS_H_
#define FF_SERVER_STORE_WRITE_STEPS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "firefighter/v1/delivery.pb.h"
#include "firefighter/v1/follow_up.pb.h"
#include "firefighter/v1/incident.pb.h"

namespace ff {
namespace pb = ::firefighter::v1;

// DeliveryHead is what a write needs of a delivery's row.
struct DeliveryHead {
  int64_t incident_id = 0;
  pb::DeliveryState state = pb::DELIVERY_STATE_UNSPECIFIED;
  std::string notifier;
  std::string last_error;
};

class WriteSteps {
 public:
  virtual ~WriteSteps() = default;

  // SelectIncident reads incident `id` (locked until the transaction ends
  // where the backend locks rows); NOT_FOUND when there is none.
  virtual absl::StatusOr<pb::Incident> SelectIncident(int64_t id) = 0;
  // FindOpenByDedupKey returns the non-closed incident holding `key`, if any.
  virtual absl::StatusOr<std::optional<pb::Incident>> FindOpenByDedupKey(
      const std::string& key) = 0;
  // InsertIncident stores a new incident (its id ignored) and returns the id
  // it got, or nullopt when a non-closed incident holds its dedup_key.
  virtual absl::StatusOr<std::optional<int64_t>> InsertIncident(const pb::Incident& incident) = 0;
  // UpdateIncident writes `incident` over version `previous_version`; false
  // when the row is no longer at that version.
  virtual absl::StatusOr<bool> UpdateIncident(const pb::Incident& incident,
                                              int64_t previous_version) = 0;

  // SelectFollowUp reads follow-up `id` (locked as SelectIncident);
  // NOT_FOUND when there is none.
  virtual absl::StatusOr<pb::FollowUp> SelectFollowUp(int64_t id) = 0;
  // InsertFollowUp stores a new follow-up (its id ignored) and returns the
  // id it got.
  virtual absl::StatusOr<int64_t> InsertFollowUp(const pb::FollowUp& follow_up) = 0;
  // UpdateFollowUp writes `follow_up` over its stored row.
  virtual absl::Status UpdateFollowUp(const pb::FollowUp& follow_up) = 0;

  // InsertEntry stores timeline entry `entry` and returns its id.
  virtual absl::StatusOr<int64_t> InsertEntry(const pb::TimelineEntry& entry) = 0;
  // InsertEvent stores `event`'s entry and then `event` (its incident
  // serialised as `snapshot`, its follow-up, if any, serialised too), dated
  // `at`, and sets the entry's id and the event's sequence.
  virtual absl::Status InsertEvent(pb::IncidentEvent& event, const std::string& snapshot,
                                   absl::Time at) = 0;
  // InsertDeliveries stores a pending delivery of `event` to each of
  // `notifiers`, due (and created) at `at`.
  virtual absl::Status InsertDeliveries(const pb::IncidentEvent& event,
                                        const std::vector<std::string>& notifiers,
                                        absl::Time at) = 0;
  // OnceKeySeen is true when an event of incident `incident_id` holds `key`.
  virtual absl::StatusOr<bool> OnceKeySeen(int64_t incident_id, const std::string& key) = 0;
  // MarkOnce gives event `sequence` the once-key `key`.
  virtual absl::Status MarkOnce(int64_t sequence, const std::string& key) = 0;

  // SelectDelivery reads delivery `id` (locked as SelectIncident), or
  // nullopt when there is none.
  virtual absl::StatusOr<std::optional<DeliveryHead>> SelectDelivery(int64_t id) = 0;
  // SetDelivered ends delivery `id` as delivered at `now`: one more attempt,
  // no error, no claim.
  virtual absl::Status SetDelivered(int64_t id, absl::Time now) = 0;
  // WakeSuccessors makes the pending deliveries of (`incident_id`,
  // `notifier`) due later than `now` due at `now`.
  virtual absl::Status WakeSuccessors(int64_t incident_id, const std::string& notifier,
                                      absl::Time now) = 0;
  // SetRetried makes delivery `id` pending, due at `now`, with no claim.
  virtual absl::Status SetRetried(int64_t id, absl::Time now) = 0;
};

}  // namespace ff

#endif  // FF_SERVER_STORE_WRITE_STEPS_H_
