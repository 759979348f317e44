// Shared fixtures of the micro-benchmarks: typical requests and a scratch
// directory for databases. Thread-compatible.
#ifndef FF_BENCH_MICRO_BENCH_UTIL_H_
#define FF_BENCH_MICRO_BENCH_UTIL_H_

#include <string>

#include "firefighter/v1/incident_service.pb.h"

namespace ff::bench {

// TypicalOpenRequest is a valid request as the Slack modal sends it.
firefighter::v1::OpenIncidentRequest TypicalOpenRequest();

// ScratchDbPath returns a fresh database path under $FF_BENCH_DIR (default
// /var/tmp, which unlike /tmp is rarely a tmpfs: fsync must reach a disk for
// commit figures to mean anything), removing any leftover files of that name.
std::string ScratchDbPath(const std::string& name);

// RemoveDb deletes a database and its -wal and -shm files.
void RemoveDb(const std::string& path);

}  // namespace ff::bench

#endif  // FF_BENCH_MICRO_BENCH_UTIL_H_
