// What the notification benchmarks ask of a running firefighterd: whether an
// incident still has pending deliveries, and percentiles of their samples.
// Header-only; a stub is thread-safe, Percentile is pure.
#ifndef FF_BENCH_NOTIFY_OUTBOX_PROBE_H_
#define FF_BENCH_NOTIFY_OUTBOX_PROBE_H_

#include <algorithm>
#include <cstdint>
#include <vector>

#include "firefighter/v1/incident_service.grpc.pb.h"
#include "grpcpp/grpcpp.h"

namespace ff::bench {

// HasPendingDeliveries is true while incident `id` has a pending delivery
// (or the server cannot say).
inline bool HasPendingDeliveries(::firefighter::v1::IncidentService::Stub& stub, int64_t id) {
  ::firefighter::v1::ListDeliveriesRequest request;
  request.set_incident_id(id);
  request.add_states(::firefighter::v1::DELIVERY_STATE_PENDING);
  request.set_page_size(1);
  grpc::ClientContext context;
  ::firefighter::v1::ListDeliveriesResponse response;
  return !stub.ListDeliveries(&context, request, &response).ok() || !response.deliveries().empty();
}

// Percentile is the nearest-rank `p` (0..1) of `values`; 0 when empty.
inline double Percentile(std::vector<double> values, double p) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  size_t index = static_cast<size_t>(p * (values.size() - 1) + 0.5);
  return values[std::min(index, values.size() - 1)];
}

}  // namespace ff::bench

#endif  // FF_BENCH_NOTIFY_OUTBOX_PROBE_H_
