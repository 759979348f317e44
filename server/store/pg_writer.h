// PgWriteSteps: the statements with which PgStore writes, the WriteSteps of
// one PostgreSQL transaction. The transaction must hold the write lock
// (kPgWriteLock) when it stores incidents or events: ids and sequences are
// taken as MAX + 1 under it. Not thread-safe: one per transaction.
#ifndef FF_SERVER_STORE_PG_WRITER_H_
#define FF_SERVER_STORE_PG_WRITER_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "server/store/pg_connection.h"
#include "server/store/write_steps.h"

namespace ff {

class PgWriteSteps final : public WriteSteps {
 public:
  // `tx` is the connection of an open transaction; it must outlive this.
  explicit PgWriteSteps(PgConnection& tx) : tx_(tx) {}

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
  PgConnection& tx_;
};

}  // namespace ff

#endif  // FF_SERVER_STORE_PG_WRITER_H_
