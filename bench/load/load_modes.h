// The request mixes ff-load can drive against a firefighterd, one per mode:
//   baseline  grpc.health.v1.Health/Check (service ""): the cheapest RPC the
//             server answers, i.e. what the transport alone can do;
//   open      OpenIncident (one durable write each);
//   update    UpdateIncident toggling the severity of the client's own
//             incident (one durable write each, no version conflicts);
//   list      ListIncidents, first page of 50, status = INVESTIGATING;
//   mixed     per request: 10% open, 20% update, 20% get, 50% list.
// A LoadClient belongs to one worker thread: not thread-safe.
#ifndef FF_BENCH_LOAD_LOAD_MODES_H_
#define FF_BENCH_LOAD_LOAD_MODES_H_

#include <cstdint>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "clients/incident/incident_client.h"
#include "grpc/health/v1/health.grpc.pb.h"

namespace ff::bench {

enum class Mode { kBaseline, kOpen, kUpdate, kList, kMixed };

// ParseModes reads "baseline,open,…" or "all"; INVALID_ARGUMENT names an
// unknown mode.
absl::StatusOr<std::vector<Mode>> ParseModes(const std::string& text);
const char* ModeName(Mode mode);

// NewChannel opens a channel of its own (its own TCP connection) to `addr`,
// so N clients are N connections as N separate processes would be.
std::shared_ptr<grpc::Channel> NewChannel(const std::string& addr);

class LoadClient {
 public:
  // `id` seeds the random choices and names the client's incidents.
  LoadClient(const std::string& addr, int id);

  // Prepare does the untimed setup of `mode` (update: open the incident to
  // update). Returns the RPC's error.
  absl::Status Prepare(Mode mode);
  // Call makes one request of `mode` and returns its status.
  absl::Status Call(Mode mode);

  // Seed opens one incident with a timeline: a status change and a note.
  absl::Status SeedOne(int64_t n);

 private:
  absl::Status Open();
  absl::Status Update();
  absl::Status List();
  absl::Status Get();
  absl::Status HealthCheck();

  std::shared_ptr<grpc::Channel> channel_;
  IncidentClient client_;
  std::unique_ptr<grpc::health::v1::Health::Stub> health_;
  std::mt19937_64 random_;
  int id_;
  int64_t calls_ = 0;
  int64_t own_incident_ = 0;  // the incident `update` changes
  int64_t last_opened_ = 0;   // an incident `get` reads
};

}  // namespace ff::bench

#endif  // FF_BENCH_LOAD_LOAD_MODES_H_
