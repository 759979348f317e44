// Background: runs the adapter's slow work (calls to the core and to Slack)
// off the HTTP threads, so every Slack request is answered within 3 s.
//
// RunWithin runs `work` on its own thread and waits at most `budget`: the
// answer comes back inline when it is ready in time; otherwise the caller
// gets nothing and `late` receives the answer when it is ready. The
// destructor waits for every thread still running, so REQUIRES: whatever
// `work` and `late` use outlives this object.
//
// Thread-safe.
#ifndef FF_ADAPTERS_SLACK_BACKGROUND_H_
#define FF_ADAPTERS_SLACK_BACKGROUND_H_

#include <atomic>
#include <functional>
#include <list>
#include <memory>
#include <optional>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace ff::slack {

class Background {
 public:
  Background() = default;
  ~Background();
  Background(const Background&) = delete;
  Background& operator=(const Background&) = delete;

  // Start runs `task` on a new thread and returns at once.
  void Start(std::function<void()> task);

  // RunWithin: see the file comment.
  template <typename T>
  std::optional<T> RunWithin(absl::Duration budget, std::function<T()> work,
                             std::function<void(const T&)> late);

 private:
  struct Task {
    std::thread thread;
    std::shared_ptr<std::atomic<bool>> done;
  };
  void JoinFinished() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  absl::Mutex mu_;
  std::list<Task> tasks_ ABSL_GUARDED_BY(mu_);
};

template <typename T>
std::optional<T> Background::RunWithin(absl::Duration budget, std::function<T()> work,
                                       std::function<void(const T&)> late) {
  struct Shared {
    absl::Mutex mu;
    std::optional<T> result ABSL_GUARDED_BY(mu);
    bool abandoned ABSL_GUARDED_BY(mu) = false;
  };
  auto shared = std::make_shared<Shared>();
  Start([shared, work = std::move(work), late = std::move(late)] {
    T result = work();
    {
      absl::MutexLock lock(&shared->mu);
      if (!shared->abandoned) {
        shared->result = std::move(result);
        return;
      }
    }
    if (late) late(result);
  });
  absl::MutexLock lock(&shared->mu);
  bool (*ready)(Shared*) = [](Shared* s)
                               ABSL_NO_THREAD_SAFETY_ANALYSIS { return s->result.has_value(); };
  shared->mu.AwaitWithTimeout(absl::Condition(ready, shared.get()), budget);
  if (shared->result.has_value()) return std::move(shared->result);
  shared->abandoned = true;
  return std::nullopt;
}

}  // namespace ff::slack

#endif  // FF_ADAPTERS_SLACK_BACKGROUND_H_
