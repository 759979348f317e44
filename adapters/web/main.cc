// firefighter-web: the web dashboard. Wires the real parts together: flags,
// the gRPC channel to firefighterd, the event hub and the HTTP server.
// Starts and stops as common/lifecycle.h says.
#include <cstdlib>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "CLI/CLI.hpp"
#include "adapters/web/core_channel.h"
#include "adapters/web/dashboard_actions.h"
#include "adapters/web/dashboard_api.h"
#include "adapters/web/event_hub.h"
#include "adapters/web/web_server.h"
#include "common/host_port.h"
#include "common/lifecycle.h"
#include "spdlog/sinks/stdout_color_sinks.h"
#include "spdlog/spdlog.h"

namespace {

struct Flags {
  std::string listen = "127.0.0.1:8080";
  std::string server = "127.0.0.1:50051";
  std::string log_level = "info";
  std::string token_file;
  ff::ConnectOptions core;
  ff::web::AccessOptions access;
};

// AddAccessFlags: who may read the dashboard (adapters/web/access_policy.h).
void AddAccessFlags(CLI::App& cli, Flags& flags) {
  ff::web::AccessOptions& access = flags.access;
  cli.add_option("--auth-proxy-header", access.auth_proxy_header,
                 "header an authenticating proxy sets to the signed-in viewer "
                 "(e.g. X-Forwarded-Email); requests without it get 401")
      ->type_name("NAME");
  cli.add_option("--trusted-proxy", access.trusted_proxies,
                 "address or CIDR of the proxy allowed to set --auth-proxy-header; repeatable; "
                 "other peers get 403")
      ->type_name("CIDR");
  cli.add_flag("--allow-anonymous-viewers", access.allow_anonymous_viewers,
               "let anyone who reaches a non-loopback --listen read the dashboard");
  cli.add_option("--allowed-host", access.allowed_hosts,
                 "host name the dashboard is served under, besides the loopback names; "
                 "repeatable; other Host headers get 421")
      ->type_name("NAME");
}

void AddFlags(CLI::App& cli, Flags& flags) {
  cli.add_option("--listen", flags.listen, "HOST:PORT to serve the dashboard on (port 0: any)")
      ->capture_default_str();
  cli.add_option("--server", flags.server, "HOST:PORT of firefighterd")->capture_default_str();
  cli.add_option("--log-level", flags.log_level, "trace, debug, info, warn, error or off")
      ->capture_default_str()
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "off"}));
  cli.add_option("--token-file", flags.token_file,
                 "file holding firefighterd's token for the dashboard (default: env FF_TOKEN)")
      ->check(CLI::ExistingFile);
  cli.add_flag("--tls", flags.core.tls, "reach firefighterd over TLS, trusting the system's CAs");
  cli.add_option("--tls-ca", flags.core.tls_ca_file,
                 "reach firefighterd over TLS, trusting this CA")
      ->check(CLI::ExistingFile);
  cli.add_option("--tls-cert", flags.core.tls_cert_file, "client certificate for firefighterd")
      ->check(CLI::ExistingFile);
  cli.add_option("--tls-key", flags.core.tls_key_file, "key of --tls-cert")
      ->check(CLI::ExistingFile);
  AddAccessFlags(cli, flags);
}

// Settings: what the flags and the environment say, checked before anything
// starts.
struct Settings {
  std::string host;
  int port = 0;
  ff::ConnectOptions core;
  ff::web::AccessPolicy access;
};

// LoadSettings reads the dashboard's token (env FF_TOKEN unless
// --token-file), the address to listen on and who may read there: like
// firefighterd, a --listen other machines can reach needs an access rule.
absl::StatusOr<Settings> LoadSettings(const Flags& flags) {
  Settings settings;
  settings.core = flags.core;
  settings.core.target = flags.server;
  if (const char* token = std::getenv("FF_TOKEN"); token != nullptr) settings.core.token = token;
  if (!flags.token_file.empty()) {
    absl::StatusOr<std::string> token = ff::ReadTokenFile(flags.token_file);
    if (!token.ok()) return token.status();
    settings.core.token = *std::move(token);
  }
  if (!ff::SplitHostPort(flags.listen, &settings.host, &settings.port)) {
    return absl::InvalidArgumentError("--listen wants HOST:PORT, got " + flags.listen);
  }
  absl::StatusOr<ff::web::AccessPolicy> access =
      ff::web::AccessPolicy::Create(flags.access, settings.host);
  if (!access.ok()) return access.status();
  settings.access = *std::move(access);
  return settings;
}

// Logs go to stderr: stdout carries only the "listening on" line.
void StartLogging(const Flags& flags) {
  spdlog::set_default_logger(spdlog::stderr_color_mt("web"));
  spdlog::set_level(spdlog::level::from_str(flags.log_level));
}

// Dashboard: the parts, in the order they are built (destroyed in reverse).
struct Dashboard {
  std::unique_ptr<ff::web::DashboardApi> api;
  std::unique_ptr<ff::web::DashboardActions> actions;
  std::unique_ptr<ff::web::EventHub> hub;
  std::unique_ptr<ff::web::WebServer> server;
};

// Wire builds the dashboard; INVALID_ARGUMENT for a bad TLS setting.
absl::Status Wire(const Settings& settings, Dashboard& d) {
  absl::StatusOr<std::shared_ptr<grpc::Channel>> channel =
      ff::web::CreateCoreChannel(settings.core);
  if (!channel.ok()) return channel.status();
  ff::IncidentClient client(*channel, absl::Seconds(5));
  d.api = std::make_unique<ff::web::DashboardApi>(client);
  d.actions = std::make_unique<ff::web::DashboardActions>(client);
  d.hub = std::make_unique<ff::web::EventHub>(*channel);
  d.server = std::make_unique<ff::web::WebServer>(d.api.get(), d.actions.get(), d.hub.get(),
                                                  settings.access);
  spdlog::info("who may read: {}", settings.access.Describe());
  return absl::OkStatus();
}

// ShutdownSteps: after SIGTERM or SIGINT. There is no health service to
// turn: /healthz goes with the listener. Open event streams end first (a
// browser sees its stream end and reconnects elsewhere), then requests being
// served get their full answer.
std::vector<ff::ShutdownStep> ShutdownSteps(Dashboard& d) {
  return {
      {"end the event streams", [&d] { d.hub->Stop(); }},
      {"stop accepting requests and finish those in flight", [&d] { d.server->Stop(); }},
  };
}

// Failed prints why the dashboard cannot start and returns `exit_status`.
int Failed(int exit_status, const absl::Status& status) {
  std::cerr << "firefighter-web: " << status.message() << "\n";
  return exit_status;
}

int Run(const Flags& flags, const ff::StopSignals& signals) {
  absl::StatusOr<Settings> settings = LoadSettings(flags);
  if (!settings.ok()) return Failed(2, settings.status());
  StartLogging(flags);
  Dashboard dashboard;
  if (absl::Status wired = Wire(*settings, dashboard); !wired.ok()) return Failed(2, wired);
  if (absl::Status started = dashboard.server->Start(settings->host, settings->port);
      !started.ok()) {
    return Failed(1, started);
  }
  dashboard.hub->Start();
  std::cout << "firefighter-web listening on " << settings->host << ":" << dashboard.server->port()
            << std::endl;
  return ff::ServeUntilStopped(signals, ShutdownSteps(dashboard));
}

}  // namespace

int main(int argc, char** argv) {
  // First, before any thread starts: SIGTERM and SIGINT are taken by
  // ServeUntilStopped, never by a handler.
  ff::StopSignals signals = ff::StopSignals::Block(/*reload_on_hangup=*/false);
  CLI::App cli{"firefighter-web: the FireFighter web dashboard"};
  Flags flags;
  AddFlags(cli, flags);
  CLI11_PARSE(cli, argc, argv);
  return Run(flags, signals);
}
