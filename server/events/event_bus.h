// EventBus: fans committed incident events out to live watchers.
//
// Publish is called by the store's commit observer, in commit order, so every
// subscriber sees events in the order they were committed. Publishing never
// blocks on a subscriber: each has a bounded queue, and one that falls more
// than its limit behind is cut off (it must reconnect) instead of slowing the
// writers. Thread-safe.
#ifndef FF_SERVER_EVENTS_EVENT_BUS_H_
#define FF_SERVER_EVENTS_EVENT_BUS_H_

#include <deque>
#include <memory>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "firefighter/v1/incident.pb.h"
#include "server/store/store.h"

namespace ff {

// Subscription is one watcher's queue. Owned jointly by the bus and watcher.
class Subscription {
 public:
  enum class Result { kEvent, kTimeout, kClosed, kOverflow };

  Subscription(IncidentFilter filter, size_t limit) : filter_(std::move(filter)), limit_(limit) {}

  // Next waits up to `timeout` for the next event and moves it into `out`.
  // kClosed once the bus closed; kOverflow once the watcher fell too far behind.
  Result Next(pb::IncidentEvent* out, absl::Duration timeout);

 private:
  friend class EventBus;
  void Push(const pb::IncidentEvent& event);
  void Close();

  const IncidentFilter filter_;
  const size_t limit_;
  absl::Mutex mu_;
  std::deque<pb::IncidentEvent> queue_ ABSL_GUARDED_BY(mu_);
  bool closed_ ABSL_GUARDED_BY(mu_) = false;
  bool overflowed_ ABSL_GUARDED_BY(mu_) = false;
};

class EventBus {
 public:
  // `queue_limit`: events buffered per subscriber before it is cut off.
  explicit EventBus(size_t queue_limit) : queue_limit_(queue_limit) {}

  // Subscribe starts delivering events that match `filter` (matched against
  // the incident after each change). The subscription ends with Unsubscribe.
  std::shared_ptr<Subscription> Subscribe(IncidentFilter filter);
  void Unsubscribe(const std::shared_ptr<Subscription>& subscription);

  // Publish hands the events of one commit to every matching subscriber.
  void Publish(const Committed& committed);

  // Close ends every subscription (they report kClosed) and refuses new ones
  // (they start closed). Used at shutdown so watchers let go.
  void Close();

  size_t subscriber_count();

 private:
  const size_t queue_limit_;
  absl::Mutex mu_;
  std::vector<std::shared_ptr<Subscription>> subscribers_ ABSL_GUARDED_BY(mu_);
  bool closed_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace ff

#endif  // FF_SERVER_EVENTS_EVENT_BUS_H_
