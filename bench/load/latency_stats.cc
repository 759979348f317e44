#include "bench/load/latency_stats.h"

#include <algorithm>
#include <cmath>

namespace ff::bench {

int64_t Percentile(const std::vector<int64_t>& sorted, double q) {
  if (sorted.empty()) return 0;
  auto rank = static_cast<size_t>(std::ceil(q * static_cast<double>(sorted.size())));
  rank = std::clamp<size_t>(rank, 1, sorted.size());
  return sorted[rank - 1];
}

LatencySummary Summarize(std::vector<int64_t> latencies_ns, int64_t errors, double seconds) {
  std::sort(latencies_ns.begin(), latencies_ns.end());
  auto ms = [&](double q) { return static_cast<double>(Percentile(latencies_ns, q)) / 1e6; };
  LatencySummary s;
  s.requests = static_cast<int64_t>(latencies_ns.size()) + errors;
  s.errors = errors;
  s.rps = static_cast<double>(latencies_ns.size()) / seconds;
  s.p50_ms = ms(0.50);
  s.p90_ms = ms(0.90);
  s.p99_ms = ms(0.99);
  s.p999_ms = ms(0.999);
  return s;
}

}  // namespace ff::bench
