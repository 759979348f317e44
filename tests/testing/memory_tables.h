// MemoryTables: the rows of MemoryStore (incidents, timeline, events,
// deliveries), and MemoryWriteSteps, the WriteSteps over them that let the
// shared StoreTransaction write to memory as it writes to SQL. Copyable, so
// that a transaction can work on a copy and be dropped (rolled back) whole.
// Not thread-safe: MemoryStore guards them.
#ifndef FF_TESTS_TESTING_MEMORY_TABLES_H_
#define FF_TESTS_TESTING_MEMORY_TABLES_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "firefighter/v1/delivery.pb.h"
#include "firefighter/v1/follow_up.pb.h"
#include "firefighter/v1/incident.pb.h"
#include "server/store/write_steps.h"

namespace ff::testing {

// MemoryEvent is a row of the events table.
struct MemoryEvent {
  pb::IncidentEvent event;  // with its entry and the incident as it stood
  absl::Time created_at;
  std::string once_key;  // "" when none
};

// MemoryDelivery is a row of the deliveries table.
struct MemoryDelivery {
  int64_t id = 0;
  int64_t event_sequence = 0;
  int64_t incident_id = 0;
  std::string notifier;
  pb::DeliveryState state = pb::DELIVERY_STATE_PENDING;
  int attempts = 0;
  std::string last_error;
  absl::Time next_attempt_at;
  absl::Time created_at;
  absl::Time updated_at;
  std::optional<absl::Time> delivered_at;
  std::string progress;
};

struct MemoryTables {
  std::map<int64_t, pb::Incident> incidents;
  std::map<int64_t, pb::TimelineEntry> entries;
  std::map<int64_t, MemoryEvent> events;  // by sequence
  std::map<int64_t, MemoryDelivery> deliveries;
  std::map<int64_t, pb::FollowUp> follow_ups;
  // The last id each table gave out (never reused, as AUTOINCREMENT).
  int64_t last_incident = 0;
  int64_t last_entry = 0;
  int64_t last_sequence = 0;
  int64_t last_delivery = 0;
  int64_t last_follow_up = 0;

  // Timeline returns incident `id`'s entries, oldest first (time, then id).
  std::vector<pb::TimelineEntry> Timeline(int64_t id) const;
  // Listed is `d` as ListDeliveries shows it.
  pb::Delivery Listed(const MemoryDelivery& d) const;
};

class MemoryWriteSteps final : public WriteSteps {
 public:
  // `tables` must outlive this object.
  explicit MemoryWriteSteps(MemoryTables& tables) : t_(tables) {}

  absl::StatusOr<pb::Incident> SelectIncident(int64_t id) override;
  absl::StatusOr<std::optional<pb::Incident>> FindOpenByDedupKey(const std::string& key) override;
  absl::StatusOr<std::optional<int64_t>> InsertIncident(const pb::Incident& incident) override;
  absl::StatusOr<bool> UpdateIncident(const pb::Incident& incident,
                                      int64_t previous_version) override;
  absl::StatusOr<pb::FollowUp> SelectFollowUp(int64_t id) override;
  absl::StatusOr<int64_t> InsertFollowUp(const pb::FollowUp& follow_up) override;
  absl::Status UpdateFollowUp(const pb::FollowUp& follow_up) override;
  absl::StatusOr<int64_t> InsertEntry(const pb::TimelineEntry& entry) override;
  absl::Status InsertEvent(pb::IncidentEvent& event, const std::string& snapshot,
                           absl::Time at) override;
  absl::Status InsertDeliveries(const pb::IncidentEvent& event,
                                const std::vector<std::string>& notifiers, absl::Time at) override;
  absl::StatusOr<bool> OnceKeySeen(int64_t incident_id, const std::string& key) override;
  absl::Status MarkOnce(int64_t sequence, const std::string& key) override;
  absl::StatusOr<std::optional<DeliveryHead>> SelectDelivery(int64_t id) override;
  absl::Status SetDelivered(int64_t id, absl::Time now) override;
  absl::Status WakeSuccessors(int64_t incident_id, const std::string& notifier,
                              absl::Time now) override;
  absl::Status SetRetried(int64_t id, absl::Time now) override;

 private:
  MemoryTables& t_;
};

}  // namespace ff::testing

#endif  // FF_TESTS_TESTING_MEMORY_TABLES_H_
