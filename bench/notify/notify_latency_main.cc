// ff-notify-latency: how long from OpenIncident to every notification of the
// opening delivered, with every outside system faked on loopback and
// answering at once, and Slack's per-channel post pacing lifted (ff-storm
// measures pacing against enforced limits). Starts its own firefighterd
// (--server-binary) with every notifier enabled, opens incidents one after
// another, and for each waits until the incident has no pending delivery
// (write-backs create their own deliveries in the same transaction that
// completes the first, so "none pending" means the whole cascade is done).
// Prints p50/p90/p99 in ms, or one JSON object with --output json.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "CLI/CLI.hpp"
#include "bench/notify/outbox_probe.h"
#include "clients/slack/slack_client.h"
#include "firefighter/v1/incident_service.grpc.pb.h"
#include "grpcpp/grpcpp.h"
#include "nlohmann/json.hpp"
#include "tests/testing/outside_world.h"
#include "tests/testing/server_process.h"

namespace {

namespace pb = ::firefighter::v1;
using Clock = std::chrono::steady_clock;

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"ff-notify-latency: open → every notification delivered, with zero-latency fakes"};
  std::string binary, output = "text";
  int incidents = 50;
  app.add_option("--server-binary", binary, "firefighterd to start")->required();
  app.add_option("--incidents", incidents, "incidents to open, one at a time")
      ->check(CLI::Range(1, 100000));
  app.add_option("--output", output, "text or json")->check(CLI::IsMember({"text", "json"}));
  CLI11_PARSE(app, argc, argv);

  ff::testing::OutsideWorld world;
  world.SetSecretsInEnvironment();
  ff::testing::TempDir dir;
  nlohmann::json config = world.Config();
  // The fakes have no rate limits, and this figure is the pipeline's own
  // latency: Slack's published tiers (20 channels a minute; one post a
  // second per channel, which would hold the opening's second post for a
  // second) are lifted here, all of them, or the run would measure the
  // tiers from its eleventh incident on; ff-storm measures the pacing.
  nlohmann::json unlimited = nlohmann::json::object();
  for (const auto& [method, limit] : ff::SlackRateLimits()) unlimited[method] = 0;
  config["notifiers"]["slack"]["rate_limits"] = unlimited;
  // The same for the other notifiers' published limits.
  const std::map<std::string, std::vector<std::string>> buckets = {{"statuspage", {"api"}},
                                                                   {"pagerduty", {"events"}}};
  for (const auto& [notifier, names] : buckets) {
    if (!config["notifiers"].contains(notifier)) continue;
    for (const std::string& name : names) config["notifiers"][notifier]["rate_limits"][name] = 0;
  }
  std::ofstream(dir.File("ff.json")) << config.dump();
  ff::testing::ServerProcess server(binary, dir.File("ff.db"),
                                    {"--config", dir.File("ff.json"), "--log-level", "error"});
  if (!server.Start().ok()) {
    std::fprintf(stderr, "ff-notify-latency: firefighterd did not start\n");
    return 1;
  }
  auto stub = pb::IncidentService::NewStub(
      grpc::CreateChannel(server.address(), grpc::InsecureChannelCredentials()));
  std::vector<double> millis;
  for (int i = 0; i < incidents; ++i) {
    pb::OpenIncidentRequest open;
    open.set_title("Latency probe " + std::to_string(i));
    open.set_domain("payment");
    open.set_severity(pb::SEVERITY_SEV2);  // Slack, PagerDuty, Datadog, Statuspage, Zoom
    open.set_reporter("alice@example.com");
    open.set_trigger_oncall(true);
    grpc::ClientContext context;
    pb::Incident incident;
    Clock::time_point start = Clock::now();
    if (!stub->OpenIncident(&context, open, &incident).ok()) return 1;
    Clock::time_point deadline = start + std::chrono::seconds(30);
    while (ff::bench::HasPendingDeliveries(*stub, incident.id())) {
      if (Clock::now() > deadline) {
        std::fprintf(stderr, "ff-notify-latency: incident #%s never settled\n",
                     std::to_string(incident.id()).c_str());
        return 1;
      }
    }
    millis.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
  }
  double p50 = ff::bench::Percentile(millis, 0.5), p90 = ff::bench::Percentile(millis, 0.9),
         p99 = ff::bench::Percentile(millis, 0.99);
  if (output == "json") {
    std::printf("%s\n", nlohmann::json{{"figure", "open_to_notified"},
                                       {"incidents", incidents},
                                       {"p50_ms", p50},
                                       {"p90_ms", p90},
                                       {"p99_ms", p99}}
                            .dump()
                            .c_str());
  } else {
    std::printf(
        "open -> every notification delivered (%d incidents): p50 %.1f ms, p90 %.1f ms, "
        "p99 %.1f ms\n",
        incidents, p50, p90, p99);
  }
  return 0;
}
