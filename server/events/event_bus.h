// EventBus: fans committed incident events out to live watchers.
//
// Publish is called by the store's commit observer, in commit order, so every
// subscriber sees events in the order they were committed. Publishing never
// blocks on a subscriber: each has a bounded queue, and one that falls more
// than its limit behind is cut off (it must reconnect) instead of slowing the
// writers. Memory is bounded in bytes: all queues together hold at most the
// byte budget (plus one event per subscriber that keeps up), so watchers that
// never read cost a fixed amount, not their number times the queue limit.
// Thread-safe.
#ifndef FF_SERVER_EVENTS_EVENT_BUS_H_
#define FF_SERVER_EVENTS_EVENT_BUS_H_

#include <atomic>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "firefighter/v1/incident.pb.h"
#include "server/store/store.h"

namespace ff {

// WatchLimits bound what watchers may hold (config keys in config.h).
struct WatchLimits {
  size_t queue_events = 1000;              // events queued for one watcher
  int64_t buffer_bytes = 64 << 20;         // all watchers' queued events together
  size_t max_streams = 1000;               // watchers open at once (Watch)
  size_t max_streams_per_principal = 100;  // of them for one principal (Watch)
};

// Subscription is one watcher's queue. Owned jointly by the bus and watcher.
class Subscription {
 public:
  enum class Result { kEvent, kTimeout, kClosed, kOverflow };

  Subscription(IncidentFilter filter, size_t limit, int64_t buffer_bytes,
               std::shared_ptr<std::atomic<int64_t>> queued_bytes, std::string principal)
      : filter_(std::move(filter)),
        limit_(limit),
        buffer_bytes_(buffer_bytes),
        queued_bytes_(std::move(queued_bytes)),
        principal_(std::move(principal)) {}
  ~Subscription();

  // Next waits up to `timeout` for the next event and moves it into `out`.
  // kClosed once the bus closed; kOverflow once the watcher fell too far
  // behind: more than its limit of events, or, while it has any queued,
  // the bus's byte budget for all queues would be passed.
  Result Next(pb::IncidentEvent* out, absl::Duration timeout);

 private:
  friend class EventBus;
  void Push(const pb::IncidentEvent& event, int64_t bytes);
  void Close();
  void DropQueue() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const IncidentFilter filter_;
  const size_t limit_;
  const int64_t buffer_bytes_;
  const std::shared_ptr<std::atomic<int64_t>> queued_bytes_;  // the bus's, shared
  const std::string principal_;
  absl::Mutex mu_;
  std::deque<std::pair<pb::IncidentEvent, int64_t>> queue_ ABSL_GUARDED_BY(mu_);
  bool closed_ ABSL_GUARDED_BY(mu_) = false;
  bool overflowed_ ABSL_GUARDED_BY(mu_) = false;
};

class EventBus {
 public:
  explicit EventBus(WatchLimits limits)
      : limits_(limits), queued_bytes_(std::make_shared<std::atomic<int64_t>>(0)) {}
  // `queue_limit`: events buffered per subscriber before it is cut off.
  explicit EventBus(size_t queue_limit) : EventBus(WatchLimits{queue_limit}) {}

  // Subscribe starts delivering events that match `filter` (matched against
  // the incident after each change). The subscription ends with Unsubscribe.
  // Not counted against the stream caps (in-process subscribers).
  std::shared_ptr<Subscription> Subscribe(IncidentFilter filter);
  // Watch is Subscribe for a client's stream: RESOURCE_EXHAUSTED naming the
  // limit when max_streams are open, or max_streams_per_principal for
  // `principal` (in open mode, the caller's address).
  absl::StatusOr<std::shared_ptr<Subscription>> Watch(IncidentFilter filter,
                                                      const std::string& principal);
  void Unsubscribe(const std::shared_ptr<Subscription>& subscription);

  // Publish hands the events of one commit to every matching subscriber.
  void Publish(const Committed& committed);

  // Close ends every subscription (they report kClosed) and refuses new ones
  // (they start closed). Used at shutdown so watchers let go.
  void Close();

  size_t subscriber_count();
  // Bytes of events queued for all subscribers together.
  int64_t queued_bytes() const { return queued_bytes_->load(); }

 private:
  std::shared_ptr<Subscription> Add(IncidentFilter filter, std::string principal)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const WatchLimits limits_;
  const std::shared_ptr<std::atomic<int64_t>> queued_bytes_;
  absl::Mutex mu_;
  std::vector<std::shared_ptr<Subscription>> subscribers_ ABSL_GUARDED_BY(mu_);
  size_t streams_ ABSL_GUARDED_BY(mu_) = 0;  // opened by Watch
  std::map<std::string, size_t> streams_by_principal_ ABSL_GUARDED_BY(mu_);
  bool closed_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace ff

#endif  // FF_SERVER_EVENTS_EVENT_BUS_H_
