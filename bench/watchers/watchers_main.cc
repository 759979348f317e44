// ff-watchers: what WatchIncidents streams that never read cost firefighterd.
//
// For each watcher count N (--watchers, e.g. 0,200,1000,4000) a fresh server
// (SQLite, default limits unless --max-streams/--per-principal are given)
// gets N streams that subscribe and then never read, then --writes changes
// (opens), each an event for every stream. Prints per N the server's RSS
// before the streams and after the writes, and its thread count (a stream
// the server serves holds one; one over the caps is refused and holds none).
// --output json prints one object per N.
#include <chrono>
#include <cstdio>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "CLI/CLI.hpp"
#include "firefighter/v1/incident_service.grpc.pb.h"
#include "grpcpp/grpcpp.h"
#include "nlohmann/json.hpp"
#include "tests/testing/server_process.h"

namespace {

namespace pb = ::firefighter::v1;

constexpr int kStreamsPerConnection = 50;

struct Options {
  std::string binary;
  std::vector<int> watchers = {0, 200, 1000, 4000};
  int writes = 990;
  int max_streams = 0;    // 0: the server's default
  int per_principal = 0;  // 0: the server's default
  int hold_seconds = 30;  // how long the streams stay open
  std::string output = "text";
};

// StatusField reads a "Key:  value kB" line of /proc/PID/status as a number.
double StatusField(pid_t pid, const std::string& key) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind(key + ":", 0) == 0) return std::stod(line.substr(key.size() + 1));
  }
  return 0;
}

struct Stream {
  grpc::ClientContext context;
  std::unique_ptr<grpc::ClientReader<pb::IncidentEvent>> reader;
};

struct Figures {
  int watchers = 0;
  double rss_before_mib = 0, rss_after_mib = 0, threads = 0;
};

bool Write(pb::IncidentService::Stub& stub, int i) {
  grpc::ClientContext context;
  pb::OpenIncidentRequest open;
  open.set_title("Watched " + std::to_string(i));
  open.set_domain("payment");
  open.set_severity(pb::SEVERITY_SEV3);
  open.set_reporter("bench");
  open.set_description(std::string(400, 'x'));
  pb::Incident incident;
  return stub.OpenIncident(&context, open, &incident).ok();
}

bool Measure(const Options& options, int watchers, Figures& out) {
  ff::testing::TempDir dir;
  std::vector<std::string> args = {"--log-level", "error"};
  if (options.max_streams > 0 || options.per_principal > 0) {
    nlohmann::json config = {{"domains", {{{"name", "payment"}, {"description", "Payments"}}}}};
    if (options.max_streams > 0) config["watch_max_streams"] = options.max_streams;
    if (options.per_principal > 0)
      config["watch_max_streams_per_principal"] = options.per_principal;
    std::ofstream(dir.File("ff.json")) << config.dump();
    args.insert(args.end(), {"--config", dir.File("ff.json")});
  }
  ff::testing::ServerProcess server(options.binary, dir.File("ff.db"), args);
  if (!server.Start().ok()) return false;
  auto stub = pb::IncidentService::NewStub(
      grpc::CreateChannel(server.address(), grpc::InsecureChannelCredentials()));
  out.watchers = watchers;
  out.rss_before_mib = StatusField(server.pid(), "VmRSS") / 1024;
  // Every stream ends by this deadline at the latest.
  const auto end = std::chrono::system_clock::now() + std::chrono::seconds(options.hold_seconds);
  // A connection carries at most 100 concurrent streams (gRPC's default),
  // so the streams go over connections of their own, 50 each.
  std::vector<std::unique_ptr<pb::IncidentService::Stub>> stubs;
  std::vector<std::unique_ptr<Stream>> streams;
  for (int i = 0; i < watchers; ++i) {
    if (i % kStreamsPerConnection == 0) {
      grpc::ChannelArguments own_connection;
      own_connection.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
      stubs.push_back(pb::IncidentService::NewStub(grpc::CreateCustomChannel(
          server.address(), grpc::InsecureChannelCredentials(), own_connection)));
    }
    auto stream = std::make_unique<Stream>();
    stream->context.set_deadline(end);
    stream->reader = stubs.back()->WatchIncidents(&stream->context, pb::WatchIncidentsRequest());
    stream->reader->WaitForInitialMetadata();
    streams.push_back(std::move(stream));
  }
  for (int i = 0; i < options.writes; ++i) {
    if (!Write(*stub, i)) return false;
  }
  out.rss_after_mib = StatusField(server.pid(), "VmRSS") / 1024;
  out.threads = StatusField(server.pid(), "Threads");
  if (std::chrono::system_clock::now() >= end) {
    std::fprintf(stderr, "ff-watchers: the writes outlasted --hold-seconds\n");
    return false;
  }
  // The streams end at their deadline (or now, when the server refused
  // them) as they go out of scope.
  for (auto& stream : streams) stream->context.TryCancel();
  for (auto& stream : streams) {
    pb::IncidentEvent event;
    while (stream->reader->Read(&event)) {
    }
    stream->reader->Finish().ok();  // cancelled, or refused: either is fine here
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  CLI::App app{"What WatchIncidents streams that never read cost firefighterd"};
  app.add_option("--server-binary", options.binary, "firefighterd")->required();
  app.add_option("--watchers", options.watchers, "watcher counts to measure")->delimiter(',');
  app.add_option("--writes", options.writes, "changes made while the watchers do not read");
  app.add_option("--max-streams", options.max_streams, "watch_max_streams (default: server's)");
  app.add_option("--per-principal", options.per_principal,
                 "watch_max_streams_per_principal (default: server's)");
  app.add_option("--hold-seconds", options.hold_seconds, "how long the streams stay open");
  app.add_option("--output", options.output, "text or json")
      ->check(CLI::IsMember({"text", "json"}));
  CLI11_PARSE(app, argc, argv);
  for (int watchers : options.watchers) {
    Figures figures;
    if (!Measure(options, watchers, figures)) {
      std::fprintf(stderr, "ff-watchers: the run with %d watchers failed\n", watchers);
      return 1;
    }
    if (options.output == "json") {
      std::printf("%s\n", nlohmann::json{{"figure", "watchers"},
                                         {"watchers", figures.watchers},
                                         {"writes", options.writes},
                                         {"rss_before_mib", figures.rss_before_mib},
                                         {"rss_after_mib", figures.rss_after_mib},
                                         {"threads", figures.threads}}
                              .dump()
                              .c_str());
    } else {
      std::printf(
          "%5d watchers that never read, %d writes: RSS %.1f MiB → %.1f MiB, %.0f threads\n",
          figures.watchers, options.writes, figures.rss_before_mib, figures.rss_after_mib,
          figures.threads);
    }
  }
  return 0;
}
