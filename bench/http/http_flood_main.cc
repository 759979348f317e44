// ff-http-flood: measures an adapter's HTTP server under the loads of issue
// 17 (bench/README.md, "Adapters under load"):
//   --mode slow: --connections clients each dribble a request one byte a
//     second, and never finish it (row 8);
//   --mode streams: --connections open event streams (GET /api/events), as
//     many open dashboards (row 11).
// With the load in place it times sequential GETs of each --path for
// --duration seconds (a fresh connection each, as a load balancer's probe)
// and prints their p50/p99/max and the server's RSS (--pid).
//   --mode load: the GETs are the load (issue 21, many viewers of one
//     dashboard): --connections keep-alive connections each GET each --path
//     back to back (closed loop) for --duration seconds; it prints req/s,
//     the failures (transport errors and answers other than 200) and the
//     p50/p90/p99/p99.9 of the answers that were 200.
#include <algorithm>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "CLI/CLI.hpp"
#include "absl/strings/str_format.h"
#include "absl/synchronization/blocking_counter.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "bench/load/latency_stats.h"
#include "httplib.h"
#include "nlohmann/json.hpp"
#include "tests/testing/raw_connection.h"

namespace {

using ff::testing::RawConnection;

struct Flags {
  int port = 0;
  std::string mode = "streams";
  int connections = 2000;
  std::vector<std::string> paths = {"/healthz"};
  double duration = 10;
  int pid = 0;
  std::string output = "text";
};

// RssMiB: the resident set of `pid` (VmRSS of /proc/PID/status), in MiB.
double RssMiB(int pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stod(line.substr(6)) / 1024;
  }
  return 0;
}

// OpenLoad opens the connections of `mode`; false when one could not be.
bool OpenLoad(const Flags& flags, std::vector<std::unique_ptr<RawConnection>>& load) {
  const std::string request = flags.mode == "streams"
                                  ? "GET /api/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
                                  : "POST /slack/commands HTTP/1.1\r\nHost: 127.0.0.1\r\nX";
  for (int i = 0; i < flags.connections; ++i) {
    load.push_back(std::make_unique<RawConnection>(flags.port));
    if (!load.back()->ok() || !load.back()->Send(request)) return false;
  }
  if (flags.mode != "streams") return true;
  for (auto& stream : load) {
    if (stream->ReadUntil("retry:", absl::Seconds(30)).find("retry:") == std::string::npos) {
      return false;
    }
  }
  return true;
}

// Measure times GETs of `path` for the flags' duration; the slow clients
// each send one more byte a second meanwhile.
void Measure(const Flags& flags, const std::string& path,
             std::vector<std::unique_ptr<RawConnection>>& load) {
  std::vector<int64_t> latencies;
  int64_t errors = 0;
  absl::Time start = absl::Now(), next_byte = start;
  while (absl::Now() - start < absl::Seconds(flags.duration)) {
    if (flags.mode == "slow" && absl::Now() >= next_byte) {
      for (auto& client : load) client->Send("-", absl::Milliseconds(1));
      next_byte += absl::Seconds(1);
    }
    absl::Time sent = absl::Now();
    std::string answer = ff::testing::Fetch(flags.port, "GET", path);
    if (ff::testing::StatusOf(answer) == 200) {
      latencies.push_back(absl::ToInt64Nanoseconds(absl::Now() - sent));
    } else {
      ++errors;
    }
  }
  ff::bench::LatencySummary s = ff::bench::Summarize(latencies, errors, flags.duration);
  int64_t max = latencies.empty() ? 0 : *std::max_element(latencies.begin(), latencies.end());
  std::cout << absl::StrFormat(
      "%-7s %5d connections  GET %-15s %6d ok %3d failed  p50 %6.2f ms  p99 %6.2f ms  "
      "max %7.2f ms  RSS %6.1f MiB\n",
      flags.mode, flags.connections, path, s.requests - s.errors, errors, s.p50_ms, s.p99_ms,
      max / 1e6, RssMiB(flags.pid));
}

// ClosedLoop: what the viewers of one closed-loop run share.
struct ClosedLoop {
  explicit ClosedLoop(int clients) : connected(clients) {}
  absl::BlockingCounter connected;  // each client, after its first GET
  absl::Notification go;            // `end` is set: start timing
  absl::Time end;
  absl::Mutex mu;
  std::vector<int64_t> latencies ABSL_GUARDED_BY(mu);
  int64_t errors ABSL_GUARDED_BY(mu) = 0;
};

// ClosedLoopClient: one viewer on its own keep-alive connection. Its first
// GET (connection set-up) is not timed; then it GETs `path` back to back
// until the run's end and adds its samples and failures to the run's.
void ClosedLoopClient(int port, const std::string& path, ClosedLoop* run) {
  httplib::Client http("127.0.0.1", port);
  http.set_keep_alive(true);
  http.set_read_timeout(30, 0);
  http.Get(path.c_str());
  run->connected.DecrementCount();
  run->go.WaitForNotification();
  std::vector<int64_t> mine;
  int64_t failed = 0;
  while (absl::Now() < run->end) {
    absl::Time sent = absl::Now();
    httplib::Result result = http.Get(path.c_str());
    if (result && result->status == 200) {
      mine.push_back(absl::ToInt64Nanoseconds(absl::Now() - sent));
    } else {
      ++failed;
    }
  }
  absl::MutexLock lock(&run->mu);
  run->latencies.insert(run->latencies.end(), mine.begin(), mine.end());
  run->errors += failed;
}

void PrintClosedLoop(const Flags& flags, const std::string& path,
                     const ff::bench::LatencySummary& s) {
  if (flags.output == "json") {
    std::cout << nlohmann::json{{"mode", "load"},
                                {"clients", flags.connections},
                                {"path", path},
                                {"requests", s.requests},
                                {"errors", s.errors},
                                {"rps", s.rps},
                                {"p50_ms", s.p50_ms},
                                {"p90_ms", s.p90_ms},
                                {"p99_ms", s.p99_ms},
                                {"p999_ms", s.p999_ms},
                                {"rss_mib", RssMiB(flags.pid)}}
                     .dump()
              << std::endl;
    return;
  }
  std::cout << absl::StrFormat(
      "load    %5d connections  GET %-15s %7d ok %5d failed  %8.0f req/s  p50 %6.2f ms  "
      "p90 %6.2f ms  p99 %7.2f ms  p99.9 %7.2f ms  RSS %6.1f MiB\n",
      flags.connections, path, s.requests - s.errors, s.errors, s.rps, s.p50_ms, s.p90_ms, s.p99_ms,
      s.p999_ms, RssMiB(flags.pid));
}

// MeasureClosedLoop connects the flags' viewers, then times them all GETting
// `path` for the flags' duration and prints what they saw.
void MeasureClosedLoop(const Flags& flags, const std::string& path) {
  ClosedLoop run(flags.connections);
  std::vector<std::thread> clients;
  for (int i = 0; i < flags.connections; ++i) {
    clients.emplace_back(ClosedLoopClient, flags.port, path, &run);
  }
  run.connected.Wait();
  run.end = absl::Now() + absl::Seconds(flags.duration);
  run.go.Notify();
  for (std::thread& client : clients) client.join();
  absl::MutexLock lock(&run.mu);
  PrintClosedLoop(flags, path, ff::bench::Summarize(run.latencies, run.errors, flags.duration));
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App cli{"ff-http-flood: an adapter's HTTP latency under slow clients or open streams"};
  Flags flags;
  cli.add_option("--port", flags.port, "the adapter's port on 127.0.0.1")->required();
  cli.add_option("--mode", flags.mode, "slow, streams or load")
      ->check(CLI::IsMember({"slow", "streams", "load"}))
      ->capture_default_str();
  cli.add_option("--connections", flags.connections,
                 "slow clients, open streams, or (load) keep-alive GETting clients")
      ->capture_default_str();
  cli.add_option("--path", flags.paths, "path to time; repeatable")->capture_default_str();
  cli.add_option("--duration", flags.duration, "seconds per path")->capture_default_str();
  cli.add_option("--pid", flags.pid, "the adapter's process id, for its RSS")->required();
  cli.add_option("--output", flags.output, "text or json (load: one object per path a line)")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  CLI11_PARSE(cli, argc, argv);

  if (flags.mode == "load") {
    for (const std::string& path : flags.paths) MeasureClosedLoop(flags, path);
    return 0;
  }
  std::vector<std::unique_ptr<RawConnection>> load;
  if (!OpenLoad(flags, load)) {
    std::cerr << "ff-http-flood: could not open " << flags.connections << " connections\n";
    return 1;
  }
  for (const std::string& path : flags.paths) Measure(flags, path, load);
  return 0;
}
