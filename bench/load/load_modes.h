// The request mixes ff-load can drive against a firefighterd, one per mode:
//   baseline  grpc.health.v1.Health/Check (service ""): the cheapest RPC the
//             server answers, i.e. what the transport alone can do;
//   open      OpenIncident (one durable write each);
//   update    UpdateIncident toggling the severity of the client's own
//             incident (one durable write each, no version conflicts);
//   list      ListIncidents, first page of 50, status = INVESTIGATING;
//   mixed     per request: 10% open, 20% update, 20% get, 50% list.
// A list answer is by default received as bytes and only walked to count its
// incidents (PageHandling::kCount): the load generator shares the machine
// with the server, and building 50 messages per answer to throw them away
// would take the server's cores. kParse builds them, as a real client would.
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
#include "absl/strings/string_view.h"
#include "clients/incident/incident_client.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/generic/generic_stub.h"

namespace ff::bench {

enum class Mode { kBaseline, kOpen, kUpdate, kList, kMixed };
enum class PageHandling { kCount, kParse };

// ParseModes reads "baseline,open,…" or "all"; INVALID_ARGUMENT names an
// unknown mode.
absl::StatusOr<std::vector<Mode>> ParseModes(const std::string& text);
const char* ModeName(Mode mode);

// NewChannel opens a channel of its own (its own TCP connection) to `addr`,
// so N clients are N connections as N separate processes would be.
std::shared_ptr<grpc::Channel> NewChannel(const std::string& addr);

// CountListedIncidents walks a serialized ListIncidentsResponse's top-level
// fields and returns how many incidents it holds; INTERNAL if the bytes are
// not a well-formed message.
absl::StatusOr<int> CountListedIncidents(absl::string_view bytes);

class LoadClient {
 public:
  // `id` seeds the random choices and names the client's incidents.
  LoadClient(const std::string& addr, int id, PageHandling pages = PageHandling::kCount);
  ~LoadClient();
  LoadClient(const LoadClient&) = delete;
  LoadClient& operator=(const LoadClient&) = delete;

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
  absl::Status ListCounted(const pb::ListIncidentsRequest& request);
  absl::Status Get();
  absl::Status HealthCheck();

  std::shared_ptr<grpc::Channel> channel_;
  IncidentClient client_;
  std::unique_ptr<grpc::health::v1::Health::Stub> health_;
  PageHandling pages_;
  grpc::GenericStub generic_;    // list answers as bytes (kCount)
  grpc::CompletionQueue queue_;  // this client's own: its calls wait on it
  std::mt19937_64 random_;
  int id_;
  int64_t calls_ = 0;
  int64_t own_incident_ = 0;  // the incident `update` changes
  int64_t last_opened_ = 0;   // an incident `get` reads
};

}  // namespace ff::bench

#endif  // FF_BENCH_LOAD_LOAD_MODES_H_
