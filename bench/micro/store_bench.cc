// Micro-benchmarks of SqliteStore: committing one change (WAL, synchronous =
// FULL, so each iteration includes an fsync of the WAL) and listing one page
// of 50 incidents filtered by status over tables of various sizes.
#include <cstdlib>
#include <memory>
#include <string>

#include "absl/time/clock.h"
#include "bench/micro/bench_util.h"
#include "bench/seed/bulk_seed.h"
#include "benchmark/benchmark.h"
#include "server/core/workflow.h"
#include "server/store/sqlite_store.h"

namespace ff::bench {
namespace {

std::unique_ptr<SqliteStore> MustCreate(const std::string& path) {
  auto store = SqliteStore::Create(path);
  if (!store.ok()) {
    std::fprintf(stderr, "store_bench: %s\n", std::string(store.status().message()).c_str());
    std::abort();
  }
  return *std::move(store);
}

void BM_StoreCommitOpen(benchmark::State& state) {
  const std::string path = ScratchDbPath("commit-open");
  auto store = MustCreate(path);
  const Change change = IncidentWorkflow::Open(TypicalOpenRequest(), absl::Now());
  for (auto _ : state) {
    if (!store->Open(change).ok()) state.SkipWithError("Open failed");
  }
  store.reset();
  RemoveDb(path);
}
BENCHMARK(BM_StoreCommitOpen)->UseRealTime();

void BM_StoreCommitUpdate(benchmark::State& state) {
  const std::string path = ScratchDbPath("commit-update");
  auto store = MustCreate(path);
  auto opened = store->Open(IncidentWorkflow::Open(TypicalOpenRequest(), absl::Now()));
  if (!opened.ok()) return state.SkipWithError("Open failed");
  pb::UpdateIncidentRequest request;
  request.set_id(opened->incident.id());
  request.set_actor("bob");
  int64_t n = 0;
  for (auto _ : state) {
    request.set_severity(++n % 2 == 0 ? pb::SEVERITY_SEV3 : pb::SEVERITY_SEV4);
    auto committed = store->Mutate(request.id(), [&](const pb::Incident& current) {
      return IncidentWorkflow::Update(current, request, absl::Now());
    });
    if (!committed.ok()) state.SkipWithError("Mutate failed");
  }
  store.reset();
  RemoveDb(path);
}
BENCHMARK(BM_StoreCommitUpdate)->UseRealTime();

// Arg: incidents in the table. The filter (one status of six) matches rows
// over the whole id range, so the page comes from the (status, id) index.
void BM_StoreListPage(benchmark::State& state) {
  const std::string path = ScratchDbPath("list");
  BulkSeedOptions options;
  options.incidents = state.range(0);
  options.entries_per_incident = 0;  // the timeline plays no part in List
  if (!BulkSeedDatabase(path, options).ok()) return state.SkipWithError("seeding failed");
  auto store = MustCreate(path);
  IncidentFilter filter;
  filter.statuses = {pb::STATUS_INVESTIGATING};
  for (auto _ : state) {
    auto page = store->List(filter, 50, 0);
    if (!page.ok() || page->incidents.empty()) state.SkipWithError("List failed");
    benchmark::DoNotOptimize(page);
  }
  store.reset();
  RemoveDb(path);
}
BENCHMARK(BM_StoreListPage)->Arg(1000)->Arg(100000)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace ff::bench
