// ff-load: drives a running firefighterd with N concurrent gRPC clients for D
// seconds per mode and prints requests/s and latency percentiles, with each
// mode's ratio to the health-check baseline measured in the same run.
// bench/README.md explains the figures. Only wiring lives here.
#include <iostream>
#include <string>
#include <vector>

#include "CLI/CLI.hpp"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/time/time.h"
#include "bench/load/latency_stats.h"
#include "bench/load/load_modes.h"
#include "bench/load/load_runner.h"
#include "nlohmann/json.hpp"

namespace {

struct Flags {
  std::string addr = "127.0.0.1:50051";
  std::string modes = "all";
  int clients = 32;
  double duration_s = 10;
  int64_t seed = 0;
  std::string output = "text";
  std::string pages = "count";
};

void PrintJson(const ff::bench::LatencySummary& s) {
  nlohmann::json j = {{"mode", s.mode},     {"clients", s.clients}, {"requests", s.requests},
                      {"errors", s.errors}, {"rps", s.rps},         {"p50_ms", s.p50_ms},
                      {"p90_ms", s.p90_ms}, {"p99_ms", s.p99_ms},   {"p999_ms", s.p999_ms}};
  std::cout << j.dump() << std::endl;
}

// PrintTable prints one row per mode; the ratios compare with the baseline
// row when the run had one.
void PrintTable(const std::vector<ff::bench::LatencySummary>& rows) {
  const ff::bench::LatencySummary* base = nullptr;
  for (const auto& r : rows) {
    if (r.mode == "baseline") base = &r;
  }
  std::cout << absl::StrFormat("%-9s %7s %9s %7s %10s %8s %8s %8s %8s %9s %9s\n", "mode", "clients",
                               "requests", "errors", "req/s", "p50 ms", "p90 ms", "p99 ms",
                               "p99.9 ms", "rps/base", "p99/base");
  for (const auto& r : rows) {
    std::string rps_ratio = "-", p99_ratio = "-";
    if (base != nullptr && base->rps > 0 && base->p99_ms > 0) {
      rps_ratio = absl::StrFormat("%.2f", r.rps / base->rps);
      p99_ratio = absl::StrFormat("%.2f", r.p99_ms / base->p99_ms);
    }
    std::cout << absl::StrFormat("%-9s %7d %9d %7d %10.0f %8.2f %8.2f %8.2f %8.2f %9s %9s\n",
                                 r.mode, r.clients, r.requests, r.errors, r.rps, r.p50_ms, r.p90_ms,
                                 r.p99_ms, r.p999_ms, rps_ratio, p99_ratio);
  }
}

int Run(const Flags& flags) {
  auto modes = ff::bench::ParseModes(flags.modes);
  if (!modes.ok()) {
    std::cerr << "ff-load: " << modes.status().message() << "\n";
    return 2;
  }
  // Several addresses are replicas of one service; clients take turns.
  const std::vector<std::string> addrs = absl::StrSplit(flags.addr, ',', absl::SkipEmpty());
  if (addrs.empty()) {
    std::cerr << "ff-load: --addr names no address\n";
    return 2;
  }
  if (flags.seed > 0) {
    absl::Time start = absl::Now();
    absl::Status s = ff::bench::SeedIncidents(addrs, flags.seed, flags.clients);
    if (!s.ok()) {
      std::cerr << "ff-load: seeding failed: " << s << "\n";
      return 1;
    }
    std::cerr << "ff-load: seeded " << flags.seed << " incidents in "
              << absl::FormatDuration(absl::Trunc(absl::Now() - start, absl::Milliseconds(1)))
              << "\n";
  }
  std::vector<ff::bench::LatencySummary> rows;
  for (ff::bench::Mode mode : *modes) {
    auto summary = ff::bench::RunMode(
        addrs, mode, flags.clients, absl::Seconds(flags.duration_s),
        flags.pages == "parse" ? ff::bench::PageHandling::kParse : ff::bench::PageHandling::kCount);
    if (!summary.ok()) {
      std::cerr << "ff-load: " << ff::bench::ModeName(mode) << ": " << summary.status() << "\n";
      return 1;
    }
    if (flags.output == "json") PrintJson(*summary);
    rows.push_back(*summary);
  }
  if (flags.output == "text") PrintTable(rows);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"ff-load: concurrent gRPC load against firefighterd"};
  Flags flags;
  app.add_option("--addr", flags.addr,
                 "firefighterd address, HOST:PORT; several, comma-separated, for replicas (clients "
                 "are spread over them in turn)")
      ->capture_default_str();
  app.add_option("--mode", flags.modes,
                 "comma-separated modes: baseline, open, update, list, mixed; or all")
      ->capture_default_str();
  app.add_option("--clients", flags.clients, "concurrent clients, one connection each")
      ->capture_default_str()
      ->check(CLI::Range(1, 4096));
  app.add_option("--duration", flags.duration_s, "seconds per mode")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  app.add_option("--seed", flags.seed,
                 "first open N incidents (with timelines) through the API, not timed")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber);
  app.add_option("--output", flags.output, "text or json (one object per mode a line)")
      ->capture_default_str()
      ->check(CLI::IsMember({"text", "json"}));
  app.add_option("--pages", flags.pages,
                 "list answers: count (walk the bytes, count the incidents; the load generator "
                 "leaves the cores to the server) or parse (build every incident, as a real client "
                 "would)")
      ->capture_default_str()
      ->check(CLI::IsMember({"count", "parse"}));
  CLI11_PARSE(app, argc, argv);
  return Run(flags);
}
