// ff-storm: an alert storm against a Slack that enforces its published rate
// limits (the loopback fake, sliding 60 s windows, 429 + Retry-After).
//
// Opens --incidents incidents within a second (a tenth SEV1, the rest SEV3)
// and moves each to INVESTIGATING, then waits until every one of them has
// no pending delivery. Prints:
//   - completion time ÷ the minimum Slack's tiers allow for it: Tier 2 lets
//     20 channels be made a minute, so the last batch is made after
//     (ceil(n/20) - 1) minutes, and its headlines (which link the channel)
//     then go one a second into the global channel: (last batch - 1) s more;
//   - the 429s Slack answered;
//   - firefighterd's CPU seconds during the storm, and during 60 s of idle
//     with deliveries waiting (Slack then refuses channel creation with 429
//     and a whole window's Retry-After while the probe's incidents wait);
//   - OpenIncident p99 measured by a probe (--probe-rate opens a second,
//     SEV5) during the storm, beside the same probe against an identical
//     server with no storm.
// --output json prints one object.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "CLI/CLI.hpp"
#include "bench/notify/outbox_probe.h"
#include "firefighter/v1/incident_service.grpc.pb.h"
#include "grpcpp/grpcpp.h"
#include "nlohmann/json.hpp"
#include "tests/testing/outside_world.h"
#include "tests/testing/postgres_cluster.h"
#include "tests/testing/server_process.h"

namespace {

namespace pb = ::firefighter::v1;
using SteadyClock = std::chrono::steady_clock;
using Stub = pb::IncidentService::Stub;

struct Options {
  std::string binary;
  std::string backend = "sqlite";
  int incidents = 30;
  int probe_rate = 10;
  int probe_seconds = 20;
  int idle_seconds = 60;
  std::string output = "text";
};

// CpuSeconds is the user + system time process `pid` has used.
double CpuSeconds(pid_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string content((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
  size_t paren = content.rfind(')');
  if (paren == std::string::npos) return 0;
  std::istringstream fields(content.substr(paren + 2));
  std::string field;
  double ticks = 0;
  // After "pid (comm) ": state is field 3; utime and stime are 14 and 15.
  for (int i = 3; i <= 15 && fields >> field; ++i) {
    if (i >= 14) ticks += std::stod(field);
  }
  return ticks / static_cast<double>(sysconf(_SC_CLK_TCK));
}

absl::StatusOr<int64_t> Open(Stub& stub, const std::string& title, pb::Severity severity,
                             double* millis = nullptr) {
  pb::OpenIncidentRequest open;
  open.set_title(title);
  open.set_domain("payment");
  open.set_severity(severity);
  open.set_reporter("alice@example.com");
  grpc::ClientContext context;
  pb::Incident incident;
  SteadyClock::time_point start = SteadyClock::now();
  grpc::Status status = stub.OpenIncident(&context, open, &incident);
  if (millis != nullptr) {
    *millis = std::chrono::duration<double, std::milli>(SteadyClock::now() - start).count();
  }
  if (!status.ok()) return absl::UnavailableError(status.error_message());
  return incident.id();
}

// Probe opens SEV5 incidents at `rate` a second for `seconds`; returns each
// call's latency in ms.
std::vector<double> Probe(Stub& stub, int rate, int seconds) {
  std::vector<double> millis;
  SteadyClock::time_point next = SteadyClock::now();
  for (int i = 0; i < rate * seconds; ++i) {
    std::this_thread::sleep_until(next);
    next += std::chrono::microseconds(1000000 / rate);
    double ms = 0;
    if (Open(stub, "Probe " + std::to_string(i), pb::SEVERITY_SEV5, &ms).ok()) {
      millis.push_back(ms);
    }
  }
  return millis;
}

// Server is a firefighterd with only the Slack notifier, pointed at `world`.
class Server {
 public:
  Server(const Options& options, const ff::testing::OutsideWorld& world) {
    nlohmann::json config = world.Config();
    config["notifiers"] = {{"slack", config["notifiers"]["slack"]}};
    std::ofstream(dir_.File("ff.json")) << config.dump();
    std::string db = dir_.File("ff.db");
    if (options.backend == "postgresql") {
      auto cluster = ff::testing::PostgresCluster::Create();
      if (cluster.ok()) {
        cluster_ = *std::move(cluster);
        db = cluster_->CreateDatabase("storm").value_or("");
      }
    }
    process_ = std::make_unique<ff::testing::ServerProcess>(
        options.binary, db,
        std::vector<std::string>{"--config", dir_.File("ff.json"), "--log-level", "error"});
  }
  bool Start() {
    if (!process_->Start().ok()) return false;
    stub_ = pb::IncidentService::NewStub(
        grpc::CreateChannel(process_->address(), grpc::InsecureChannelCredentials()));
    return true;
  }
  Stub& stub() { return *stub_; }
  pid_t pid() const { return process_->pid(); }

 private:
  ff::testing::TempDir dir_;
  std::unique_ptr<ff::testing::PostgresCluster> cluster_;
  std::unique_ptr<ff::testing::ServerProcess> process_;
  std::unique_ptr<Stub> stub_;
};

struct Result {
  double took_s = 0, minimum_s = 0;
  int rate_limited = 0;
  double storm_cpu_s = 0, idle_cpu_s = 0;
  double p99_storm_ms = 0, p99_quiet_ms = 0;
};

// QuietProbe is the probe's p99 against a server with no storm.
bool QuietProbe(const Options& options, Result& result) {
  ff::testing::OutsideWorld world;
  world.slack.EnforceRateLimits();
  Server server(options, world);
  if (!server.Start()) return false;
  result.p99_quiet_ms =
      ff::bench::Percentile(Probe(server.stub(), options.probe_rate, options.probe_seconds), 0.99);
  return true;
}

bool Storm(const Options& options, Result& result) {
  ff::testing::OutsideWorld world;
  world.slack.EnforceRateLimits();
  Server server(options, world);
  if (!server.Start()) return false;
  const double cpu_before = CpuSeconds(server.pid());
  const SteadyClock::time_point start = SteadyClock::now();
  std::vector<int64_t> ids;
  for (int i = 1; i <= options.incidents; ++i) {
    auto id = Open(server.stub(), "Storm " + std::to_string(i),
                   i % 10 == 0 ? pb::SEVERITY_SEV1 : pb::SEVERITY_SEV3);
    if (!id.ok()) return false;
    ids.push_back(*id);
  }
  for (int64_t id : ids) {
    pb::UpdateIncidentRequest update;
    update.set_id(id);
    update.set_actor("bob");
    update.set_status(pb::STATUS_INVESTIGATING);
    grpc::ClientContext context;
    pb::Incident incident;
    if (!server.stub().UpdateIncident(&context, update, &incident).ok()) return false;
  }
  std::vector<double> probe;
  std::thread prober(
      [&] { probe = Probe(server.stub(), options.probe_rate, options.probe_seconds); });
  for (int64_t id : ids) {
    while (ff::bench::HasPendingDeliveries(server.stub(), id))
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  result.took_s = std::chrono::duration<double>(SteadyClock::now() - start).count();
  result.storm_cpu_s = CpuSeconds(server.pid()) - cpu_before;
  prober.join();
  result.p99_storm_ms = ff::bench::Percentile(probe, 0.99);
  result.rate_limited = world.slack.RateLimitedTotal();
  const int batches = (options.incidents + 19) / 20;
  const int last_batch = options.incidents - 20 * (batches - 1);
  result.minimum_s = (batches - 1) * 60.0 + (last_batch - 1);
  // Idle with deliveries waiting: Slack refuses every channel creation
  // (429, Retry-After a whole window) while the probe's incidents wait for
  // one; their deliveries already past that step finish first.
  world.slack.SetRateLimit("conversations.create", 0);
  const int limited = world.slack.RateLimited("conversations.create");
  for (int i = 0; i < 1200 && world.slack.RateLimited("conversations.create") == limited; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  std::this_thread::sleep_for(std::chrono::seconds(5));  // deliveries past creation settle
  const double idle_before = CpuSeconds(server.pid());
  std::this_thread::sleep_for(std::chrono::seconds(options.idle_seconds));
  result.idle_cpu_s = CpuSeconds(server.pid()) - idle_before;
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"ff-storm: an alert storm against Slack's enforced rate limits"};
  Options options;
  app.add_option("--server-binary", options.binary, "firefighterd to start")->required();
  app.add_option("--backend", options.backend, "sqlite or postgresql")
      ->check(CLI::IsMember({"sqlite", "postgresql"}));
  app.add_option("--incidents", options.incidents, "incidents in the storm")
      ->check(CLI::Range(1, 1000));
  app.add_option("--probe-rate", options.probe_rate, "probe OpenIncident calls a second")
      ->check(CLI::Range(1, 1000));
  app.add_option("--probe-seconds", options.probe_seconds, "how long the probe runs")
      ->check(CLI::Range(1, 600));
  app.add_option("--idle-seconds", options.idle_seconds, "idle CPU measurement")
      ->check(CLI::Range(1, 600));
  app.add_option("--output", options.output, "text or json")
      ->check(CLI::IsMember({"text", "json"}));
  CLI11_PARSE(app, argc, argv);

  ff::testing::OutsideWorld secrets;
  secrets.SetSecretsInEnvironment();  // the same variable names for every world
  Result result;
  if (!QuietProbe(options, result) || !Storm(options, result)) {
    std::fprintf(stderr, "ff-storm: firefighterd did not start or answer\n");
    return 1;
  }
  const double ratio = result.took_s / result.minimum_s;
  if (options.output == "json") {
    std::printf("%s\n", nlohmann::json{{"figure", "storm"},
                                       {"backend", options.backend},
                                       {"incidents", options.incidents},
                                       {"took_s", result.took_s},
                                       {"minimum_s", result.minimum_s},
                                       {"ratio", ratio},
                                       {"rate_limited", result.rate_limited},
                                       {"storm_cpu_s", result.storm_cpu_s},
                                       {"idle_cpu_s", result.idle_cpu_s},
                                       {"idle_s", options.idle_seconds},
                                       {"open_p99_storm_ms", result.p99_storm_ms},
                                       {"open_p99_quiet_ms", result.p99_quiet_ms}}
                            .dump()
                            .c_str());
    return 0;
  }
  std::printf(
      "storm of %d incidents (%s): done in %.1f s, minimum the tiers allow %.1f s, "
      "ratio %.2f\n",
      options.incidents, options.backend.c_str(), result.took_s, result.minimum_s, ratio);
  std::printf("429s received: %d\n", result.rate_limited);
  std::printf(
      "firefighterd CPU: %.2f s during the storm, %.2f s in %d s idle with deliveries "
      "waiting\n",
      result.storm_cpu_s, result.idle_cpu_s, options.idle_seconds);
  std::printf("OpenIncident p99: %.2f ms during the storm, %.2f ms without (ratio %.2f)\n",
              result.p99_storm_ms, result.p99_quiet_ms,
              result.p99_quiet_ms > 0 ? result.p99_storm_ms / result.p99_quiet_ms : 0.0);
  return 0;
}
