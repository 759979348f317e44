// MemoryStore: a Store kept in memory, the fake the Store contract tests hold
// SqliteStore to. Same semantics, no durability. Thread-safe (one mutex).
#ifndef FF_TESTS_TESTING_MEMORY_STORE_H_
#define FF_TESTS_TESTING_MEMORY_STORE_H_

#include <map>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "server/store/store.h"

namespace ff::testing {

class MemoryStore final : public Store {
 public:
  absl::StatusOr<Committed> Open(const Change& change) override;
  absl::StatusOr<Committed> Mutate(int64_t id, const Mutation& mutation) override;
  absl::StatusOr<pb::Incident> Get(int64_t id) override;
  absl::StatusOr<IncidentPage> List(const IncidentFilter& filter, int32_t limit,
                                    int64_t before_id) override;
  absl::StatusOr<std::vector<pb::TimelineEntry>> Timeline(int64_t id) override;
  void SetCommitObserver(CommitObserver observer) override;

 private:
  std::vector<pb::IncidentEvent> Record(const pb::Incident& incident,
                                        const std::vector<ChangeRecord>& records)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  absl::Mutex mu_;
  std::map<int64_t, pb::Incident> incidents_ ABSL_GUARDED_BY(mu_);
  std::vector<pb::TimelineEntry> entries_ ABSL_GUARDED_BY(mu_);
  int64_t next_sequence_ ABSL_GUARDED_BY(mu_) = 1;
  CommitObserver observer_ ABSL_GUARDED_BY(mu_);
};

}  // namespace ff::testing

#endif  // FF_TESTS_TESTING_MEMORY_STORE_H_
