#include "bench/load/load_runner.h"

#include <atomic>
#include <chrono>
#include <memory>
#include <thread>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"

namespace ff::bench {
namespace {

// WorkerResult is what one client thread measured.
struct WorkerResult {
  std::vector<int64_t> latencies_ns;
  int64_t errors = 0;
};

void DriveClient(LoadClient* client, Mode mode, const absl::Notification* start,
                 std::chrono::steady_clock::time_point* end, WorkerResult* result) {
  start->WaitForNotification();
  result->latencies_ns.reserve(1 << 16);
  for (;;) {
    auto begin = std::chrono::steady_clock::now();
    if (begin >= *end) return;
    absl::Status status = client->Call(mode);
    auto done = std::chrono::steady_clock::now();
    if (status.ok()) {
      result->latencies_ns.push_back(
          std::chrono::duration_cast<std::chrono::nanoseconds>(done - begin).count());
    } else {
      ++result->errors;
    }
  }
}

}  // namespace

absl::StatusOr<LatencySummary> RunMode(const std::vector<std::string>& addrs, Mode mode,
                                       int clients, absl::Duration duration, PageHandling pages) {
  std::vector<std::unique_ptr<LoadClient>> pool;
  for (int i = 0; i < clients; ++i) {
    pool.push_back(std::make_unique<LoadClient>(addrs[i % addrs.size()], i, pages));
    if (absl::Status s = pool.back()->Prepare(mode); !s.ok()) return s;
  }
  absl::Notification start;
  std::chrono::steady_clock::time_point end;
  std::vector<WorkerResult> results(clients);
  std::vector<std::thread> threads;
  threads.reserve(clients);
  for (int i = 0; i < clients; ++i) {
    threads.emplace_back(DriveClient, pool[i].get(), mode, &start, &end, &results[i]);
  }
  const auto begin = std::chrono::steady_clock::now();
  end = begin + absl::ToChronoNanoseconds(duration);
  start.Notify();  // publishes `end` to the workers
  for (std::thread& t : threads) t.join();
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();

  std::vector<int64_t> all;
  int64_t errors = 0;
  for (WorkerResult& r : results) {
    all.insert(all.end(), r.latencies_ns.begin(), r.latencies_ns.end());
    errors += r.errors;
  }
  LatencySummary summary = Summarize(std::move(all), errors, seconds);
  summary.mode = ModeName(mode);
  summary.clients = clients;
  return summary;
}

absl::Status SeedIncidents(const std::vector<std::string>& addrs, int64_t count, int clients) {
  std::atomic<int64_t> next{0};
  absl::Mutex mu;
  absl::Status first_error;
  std::vector<std::thread> threads;
  threads.reserve(clients);
  for (int i = 0; i < clients; ++i) {
    threads.emplace_back([&, i] {
      LoadClient client(addrs[i % addrs.size()], 1000 + i);
      for (int64_t n = next++; n < count; n = next++) {
        absl::Status s = client.SeedOne(n);
        if (s.ok()) continue;
        absl::MutexLock lock(&mu);
        if (first_error.ok()) first_error = s;
        next = count;  // stop everyone
        return;
      }
    });
  }
  for (std::thread& t : threads) t.join();
  return first_error;
}

}  // namespace ff::bench
