// The driver of ff-load: N client threads, each with its own connection,
// issue requests of one mode back to back (closed loop) for a fixed time and
// record each request's latency.
// Thread-safe: each call makes and joins its own threads.
#ifndef FF_BENCH_LOAD_LOAD_RUNNER_H_
#define FF_BENCH_LOAD_LOAD_RUNNER_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "bench/load/latency_stats.h"
#include "bench/load/load_modes.h"

namespace ff::bench {

// RunMode drives `mode` against `addr` with `clients` clients for `duration`
// and summarises it. Errors during the run are counted, not returned; an
// error while preparing (server unreachable) is returned, e.g. UNAVAILABLE.
// REQUIRES: clients > 0, duration > 0.
absl::StatusOr<LatencySummary> RunMode(const std::string& addr, Mode mode, int clients,
                                       absl::Duration duration);

// SeedIncidents opens `count` incidents through the API, each with a status
// change and a note, using `clients` concurrent clients. Returns the first
// error, after which seeding stops.
absl::Status SeedIncidents(const std::string& addr, int64_t count, int clients);

}  // namespace ff::bench

#endif  // FF_BENCH_LOAD_LOAD_RUNNER_H_
