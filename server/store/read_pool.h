// ReadPool: a few threads that run a store's blocking reads for callers that
// must not wait themselves (gRPC's callback threads; see Store::RunRead).
//
// Work runs in the order it was queued, on whichever thread is free. The
// destructor runs what is still queued, then joins: every read queued is
// answered, so no RPC is left without a status at shutdown. Thread-safe.
#ifndef FF_SERVER_STORE_READ_POOL_H_
#define FF_SERVER_STORE_READ_POOL_H_

#include <deque>
#include <functional>
#include <thread>
#include <vector>

#include "absl/synchronization/mutex.h"

namespace ff {

class ReadPool {
 public:
  // REQUIRES: threads >= 1.
  explicit ReadPool(int threads);
  ~ReadPool();
  ReadPool(const ReadPool&) = delete;
  ReadPool& operator=(const ReadPool&) = delete;

  // Run queues `work`; it must not throw.
  void Run(std::function<void()> work);

 private:
  void Loop();
  bool Ready() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return stopping_ || !queue_.empty(); }

  absl::Mutex mu_;
  std::deque<std::function<void()>> queue_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::vector<std::thread> threads_;
};

}  // namespace ff

#endif  // FF_SERVER_STORE_READ_POOL_H_
