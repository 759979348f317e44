// firefighter-web: the web dashboard. Wires the real parts together: flags,
// the gRPC channel to firefighterd, the event hub and the HTTP server.
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <iostream>
#include <string>
#include <thread>

#include "CLI/CLI.hpp"
#include "absl/strings/numbers.h"
#include "adapters/web/core_channel.h"
#include "adapters/web/dashboard_api.h"
#include "adapters/web/event_hub.h"
#include "adapters/web/web_server.h"
#include "spdlog/sinks/stdout_color_sinks.h"
#include "spdlog/spdlog.h"

namespace {

volatile std::sig_atomic_t g_stop = 0;

void OnSignal(int) { g_stop = 1; }

bool SplitHostPort(const std::string& address, std::string* host, int* port) {
  size_t colon = address.rfind(':');
  if (colon == std::string::npos) return false;
  *host = address.substr(0, colon);
  return absl::SimpleAtoi(address.substr(colon + 1), port) && *port >= 0 && *port < 65536;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App cli{"firefighter-web: the FireFighter web dashboard"};
  std::string listen = "127.0.0.1:8080";
  std::string server = "127.0.0.1:50051";
  std::string log_level = "info";
  std::string token_file;
  ff::ConnectOptions core;
  cli.add_option("--listen", listen, "HOST:PORT to serve the dashboard on (port 0: any)")
      ->capture_default_str();
  cli.add_option("--server", server, "HOST:PORT of firefighterd")->capture_default_str();
  cli.add_option("--log-level", log_level, "trace, debug, info, warn, error or off")
      ->capture_default_str()
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "off"}));
  cli.add_option("--token-file", token_file,
                 "file holding firefighterd's token for the dashboard (default: env FF_TOKEN)")
      ->check(CLI::ExistingFile);
  cli.add_flag("--tls", core.tls, "reach firefighterd over TLS, trusting the system's CAs");
  cli.add_option("--tls-ca", core.tls_ca_file, "reach firefighterd over TLS, trusting this CA")
      ->check(CLI::ExistingFile);
  cli.add_option("--tls-cert", core.tls_cert_file, "client certificate for firefighterd")
      ->check(CLI::ExistingFile);
  cli.add_option("--tls-key", core.tls_key_file, "key of --tls-cert")->check(CLI::ExistingFile);
  CLI11_PARSE(cli, argc, argv);

  if (const char* token = std::getenv("FF_TOKEN"); token != nullptr) core.token = token;
  if (!token_file.empty()) {
    absl::StatusOr<std::string> token = ff::ReadTokenFile(token_file);
    if (!token.ok()) {
      std::cerr << "firefighter-web: " << token.status().message() << "\n";
      return 2;
    }
    core.token = *std::move(token);
  }

  std::string host;
  int port = 0;
  if (!SplitHostPort(listen, &host, &port)) {
    std::cerr << "firefighter-web: --listen wants HOST:PORT, got " << listen << "\n";
    return 2;
  }
  // Logs go to stderr: stdout carries only the "listening on" line.
  spdlog::set_default_logger(spdlog::stderr_color_mt("web"));
  spdlog::set_level(spdlog::level::from_str(log_level));

  core.target = server;
  absl::StatusOr<std::shared_ptr<grpc::Channel>> channel = ff::web::CreateCoreChannel(core);
  if (!channel.ok()) {
    std::cerr << "firefighter-web: " << channel.status().message() << "\n";
    return 2;
  }
  ff::web::DashboardApi api(ff::IncidentClient(*channel, absl::Seconds(5)));
  ff::web::EventHub hub(*channel);
  ff::web::WebServer web(&api, &hub);
  if (absl::Status started = web.Start(host, port); !started.ok()) {
    std::cerr << "firefighter-web: " << started.message() << "\n";
    return 1;
  }
  hub.Start();
  std::signal(SIGINT, OnSignal);
  std::signal(SIGTERM, OnSignal);
  std::cout << "firefighter-web listening on " << host << ":" << web.port() << std::endl;
  // Signal handlers may not take locks, so the main thread polls the flag
  // and does the orderly shutdown itself: event streams first, then HTTP.
  while (g_stop == 0) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  hub.Stop();
  web.Stop();
  return 0;
}
