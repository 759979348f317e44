// GroupCommit: lets concurrent writers share one transaction and one sync.
//
// Each writer hands Run() the body of its write. The first writer to arrive
// while no group is being committed becomes the leader: it takes every write
// queued by then (up to a limit) and commits them together through the
// GroupRunner — one BEGIN…COMMIT, so one fsync for the whole group. Writers
// that arrive meanwhile queue for the next group. Every writer gets its own
// result, and only once its group's commit has returned: an acknowledged write
// is durable. The runner decides how members fail independently (SQLite uses a
// savepoint per member). Thread-safe.
//
// Submit() is the same without a waiting caller: the write joins the queue
// and `done` is called with its result once its group is durable, on the
// thread that committed the group (a committer thread of this object's own
// when no blocking writer is leading). A server answering from `done` parks
// no thread per write.
#ifndef FF_SERVER_STORE_GROUP_COMMIT_H_
#define FF_SERVER_STORE_GROUP_COMMIT_H_

#include <cstdint>
#include <deque>
#include <functional>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "server/store/store.h"

namespace ff {

class GroupCommit {
 public:
  using Body = std::function<absl::StatusOr<Committed>()>;
  // GroupRunner runs `bodies` as one group, in order, and returns one result
  // per body. It is never called concurrently with itself.
  using GroupRunner =
      std::function<std::vector<absl::StatusOr<Committed>>(const std::vector<const Body*>& bodies)>;

  using Done = std::function<void(absl::StatusOr<Committed>)>;

  GroupCommit(GroupRunner runner, size_t max_group)
      : runner_(std::move(runner)), max_group_(max_group) {}
  // Waits for every submitted write to be committed and answered.
  ~GroupCommit();

  // Run commits `body` in the next group and returns its result.
  absl::StatusOr<Committed> Run(const Body& body);
  // Submit commits `body` in the next group and calls `done` with its
  // result, from the committing thread. `done` must be quick and must not
  // call back into this object.
  void Submit(Body body, Done done);

  // Groups committed so far, and writes waiting for a group (for tests and
  // metrics).
  int64_t groups();
  size_t waiting();

 private:
  struct Member {
    const Body* body = nullptr;
    absl::StatusOr<Committed> result = absl::UnknownError("not run");
    bool done = false;
    // Submitted writes own their body and are answered through `callback`.
    Body owned;
    Done callback;
  };

  // LeadGroups commits groups until `me` is done (nullptr: until the queue
  // is empty), then gives up the lead. REQUIRES: leading_ was set by caller.
  void LeadGroups(Member* me);
  void CommitterLoop();

  const GroupRunner runner_;
  const size_t max_group_;
  absl::Mutex mu_;
  std::deque<Member*> queue_ ABSL_GUARDED_BY(mu_);
  bool leading_ ABSL_GUARDED_BY(mu_) = false;
  int64_t groups_ ABSL_GUARDED_BY(mu_) = 0;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::thread committer_;  // started by the first Submit
};

}  // namespace ff

#endif  // FF_SERVER_STORE_GROUP_COMMIT_H_
