// The driver of ff-load: N client threads, each with its own connection,
// issue requests of one mode back to back (closed loop) for a fixed time and
// record each request's latency.
// Thread-safe: each call makes and joins its own threads.
#ifndef FF_BENCH_LOAD_LOAD_RUNNER_H_
#define FF_BENCH_LOAD_LOAD_RUNNER_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "bench/load/latency_stats.h"
#include "bench/load/load_modes.h"

namespace ff::bench {

// RunMode drives `mode` against the servers at `addrs` (replicas of one
// service: client i talks to addrs[i % size]) with `clients` clients for
// `duration` and summarises it. Errors during the run are counted, not returned; an
// error while preparing (server unreachable) is returned, e.g. UNAVAILABLE.
// REQUIRES: clients > 0, duration > 0.
// `pages` says how list answers are taken (see PageHandling).
// REQUIRES: !addrs.empty().
absl::StatusOr<LatencySummary> RunMode(const std::vector<std::string>& addrs, Mode mode,
                                       int clients, absl::Duration duration,
                                       PageHandling pages = PageHandling::kCount);

// SeedIncidents opens `count` incidents through the API, each with a status
// change and a note, using `clients` concurrent clients spread over `addrs`. Returns the first
// error, after which seeding stops.
absl::Status SeedIncidents(const std::vector<std::string>& addrs, int64_t count, int clients);

}  // namespace ff::bench

#endif  // FF_BENCH_LOAD_LOAD_RUNNER_H_
