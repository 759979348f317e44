// LatencySummary: what one load mode measured — counts, throughput and
// latency percentiles — and how to compute it from raw samples.
// Pure functions; thread-compatible.
#ifndef FF_BENCH_LOAD_LATENCY_STATS_H_
#define FF_BENCH_LOAD_LATENCY_STATS_H_

#include <cstdint>
#include <string>
#include <vector>

namespace ff::bench {

struct LatencySummary {
  std::string mode;
  int clients = 0;
  int64_t requests = 0;                                    // completed, successful or not
  int64_t errors = 0;                                      // non-OK answers
  double rps = 0;                                          // successful requests per second
  double p50_ms = 0, p90_ms = 0, p99_ms = 0, p999_ms = 0;  // of successful requests
};

// Summarize sorts `latencies_ns` (successful requests only) and returns the
// summary of a run of `seconds` seconds. REQUIRES: seconds > 0.
LatencySummary Summarize(std::vector<int64_t> latencies_ns, int64_t errors, double seconds);

// Percentile returns the nearest-rank `q` quantile (0 < q <= 1) of sorted
// `values`, or 0 when empty.
int64_t Percentile(const std::vector<int64_t>& sorted, double q);

}  // namespace ff::bench

#endif  // FF_BENCH_LOAD_LATENCY_STATS_H_
