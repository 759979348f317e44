// Micro-benchmarks of the pure core: workflow rule checks and request
// validation, the CPU work every change RPC does before touching the store.
#include "absl/time/clock.h"
#include "bench/micro/bench_util.h"
#include "benchmark/benchmark.h"
#include "server/core/domain_catalog.h"
#include "server/core/validation.h"
#include "server/core/workflow.h"

namespace ff::bench {
namespace {

pb::Incident InvestigatingIncident() {
  Change opened = IncidentWorkflow::Open(TypicalOpenRequest(), absl::Now());
  pb::Incident incident = opened.incident;
  incident.set_id(42);
  incident.set_status(pb::STATUS_INVESTIGATING);
  return incident;
}

void BM_CheckTransition(benchmark::State& state) {
  const pb::Incident incident = InvestigatingIncident();
  for (auto _ : state) {
    benchmark::DoNotOptimize(IncidentWorkflow::CheckTransition(incident, pb::STATUS_FIXING, ""));
  }
}
BENCHMARK(BM_CheckTransition);

void BM_CheckTransitionRefused(benchmark::State& state) {
  const pb::Incident incident = InvestigatingIncident();
  for (auto _ : state) {  // builds the "what is allowed instead" message
    benchmark::DoNotOptimize(
        IncidentWorkflow::CheckTransition(incident, pb::STATUS_POSTMORTEM, ""));
  }
}
BENCHMARK(BM_CheckTransitionRefused);

void BM_WorkflowUpdate(benchmark::State& state) {
  const pb::Incident incident = InvestigatingIncident();
  const absl::Time now = absl::Now();
  pb::UpdateIncidentRequest request;
  request.set_id(42);
  request.set_actor("bob");
  request.set_status(pb::STATUS_FIXING);
  request.set_commander("bob");
  for (auto _ : state) {
    benchmark::DoNotOptimize(IncidentWorkflow::Update(incident, request, now));
  }
}
BENCHMARK(BM_WorkflowUpdate);

void BM_ValidateOpen(benchmark::State& state) {
  const DomainCatalog domains({{"payment", "", {}}, {"search", "", {}}});
  const pb::OpenIncidentRequest request = TypicalOpenRequest();
  const absl::Time now = absl::Now();
  for (auto _ : state) benchmark::DoNotOptimize(ValidateOpen(request, domains, now));
}
BENCHMARK(BM_ValidateOpen);

void BM_ValidateUpdate(benchmark::State& state) {
  pb::UpdateIncidentRequest request;
  request.set_id(42);
  request.set_actor("bob");
  request.set_status(pb::STATUS_FIXING);
  request.set_message("connection pool exhausted");
  for (auto _ : state) benchmark::DoNotOptimize(ValidateUpdate(request));
}
BENCHMARK(BM_ValidateUpdate);

}  // namespace
}  // namespace ff::bench
