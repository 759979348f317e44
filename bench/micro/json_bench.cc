// Micro-benchmarks of proto <-> JSON, the conversion the adapters (CLI
// --output json, webhooks) do on every message.
#include <string>

#include "absl/time/clock.h"
#include "bench/micro/bench_util.h"
#include "benchmark/benchmark.h"
#include "google/protobuf/util/json_util.h"
#include "server/core/workflow.h"

namespace ff::bench {
namespace {

pb::Incident TypicalIncident() {
  pb::Incident incident = IncidentWorkflow::Open(TypicalOpenRequest(), absl::Now()).incident;
  incident.set_id(1234);
  incident.mutable_roles()->set_commander("alice");
  incident.mutable_roles()->set_operations_lead("bob");
  return incident;
}

void BM_IncidentToJson(benchmark::State& state) {
  const pb::Incident incident = TypicalIncident();
  std::string json;
  for (auto _ : state) {
    json.clear();
    if (!google::protobuf::util::MessageToJsonString(incident, &json).ok()) {
      state.SkipWithError("MessageToJsonString failed");
    }
  }
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(json.size()));
}
BENCHMARK(BM_IncidentToJson);

void BM_JsonToIncident(benchmark::State& state) {
  std::string json;
  (void)google::protobuf::util::MessageToJsonString(TypicalIncident(), &json);
  for (auto _ : state) {
    pb::Incident incident;
    if (!google::protobuf::util::JsonStringToMessage(json, &incident).ok()) {
      state.SkipWithError("JsonStringToMessage failed");
    }
    benchmark::DoNotOptimize(incident);
  }
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(json.size()));
}
BENCHMARK(BM_JsonToIncident);

void BM_JsonToOpenRequest(benchmark::State& state) {
  std::string json;
  (void)google::protobuf::util::MessageToJsonString(TypicalOpenRequest(), &json);
  for (auto _ : state) {
    pb::OpenIncidentRequest request;
    if (!google::protobuf::util::JsonStringToMessage(json, &request).ok()) {
      state.SkipWithError("JsonStringToMessage failed");
    }
    benchmark::DoNotOptimize(request);
  }
}
BENCHMARK(BM_JsonToOpenRequest);

}  // namespace
}  // namespace ff::bench
