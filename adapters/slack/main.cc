// firefighter-slack: the Slack adapter. Wires the real parts together:
// flags and environment, libcurl, the core's gRPC client, the HTTP server.
// Starts and stops as common/lifecycle.h says.
#include <cstdlib>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "CLI/CLI.hpp"
#include "adapters/slack/http_server.h"
#include "clients/http/curl_http_client.h"
#include "common/clock.h"
#include "common/host_port.h"
#include "common/lifecycle.h"
#include "spdlog/spdlog.h"

namespace {

struct Flags {
  std::string listen = "127.0.0.1:3000";
  std::string server = "127.0.0.1:50051";
  std::string api_url = "https://slack.com/api";
  std::string token_file;
  ff::ConnectOptions core;
  std::vector<std::string> allowed_teams;
};

void AddFlags(CLI::App& cli, Flags& flags) {
  cli.add_option("--listen", flags.listen, "HOST:PORT to serve Slack's requests on")
      ->capture_default_str();
  cli.add_option("--server", flags.server, "HOST:PORT of firefighterd")->capture_default_str();
  cli.add_option("--slack-api-url", flags.api_url, "Slack Web API base URL")->capture_default_str();
  cli.add_option("--allowed-team", flags.allowed_teams,
                 "Slack workspace (team_id) allowed to use the app; repeatable; default: any")
      ->type_name("TEAM_ID");
  cli.add_option("--token-file", flags.token_file,
                 "file holding firefighterd's service token (default: env FF_TOKEN)")
      ->check(CLI::ExistingFile);
  cli.add_option("--tls-ca", flags.core.tls_ca_file,
                 "reach firefighterd over TLS, trusting this CA")
      ->check(CLI::ExistingFile);
  cli.add_flag("--tls", flags.core.tls, "reach firefighterd over TLS, trusting the system's CAs");
  cli.add_option("--tls-cert", flags.core.tls_cert_file, "client certificate for firefighterd")
      ->check(CLI::ExistingFile);
  cli.add_option("--tls-key", flags.core.tls_key_file, "key of --tls-cert")
      ->check(CLI::ExistingFile);
}

std::string Env(const char* name) {
  const char* value = std::getenv(name);
  return value == nullptr ? "" : value;
}

// Settings: what the flags and the environment say, checked before anything
// starts.
struct Settings {
  std::string host;
  int port = 0;
  ff::ConnectOptions core;
  std::string signing_secret;
  std::string bot_token;
};

// LoadSettings reads the service token (a `responder ... service` line in
// firefighterd's token file lets the adapter act for the Slack user it
// names), Slack's secrets and the address to listen on.
absl::StatusOr<Settings> LoadSettings(const Flags& flags) {
  Settings settings;
  settings.core = flags.core;
  settings.core.target = flags.server;
  settings.core.timeout = absl::Milliseconds(1800);
  settings.core.token = Env("FF_TOKEN");
  if (!flags.token_file.empty()) {
    absl::StatusOr<std::string> token = ff::ReadTokenFile(flags.token_file);
    if (!token.ok()) return token.status();
    settings.core.token = *std::move(token);
  }
  settings.signing_secret = Env("SLACK_SIGNING_SECRET");
  settings.bot_token = Env("SLACK_BOT_TOKEN");
  if (settings.signing_secret.empty() || settings.bot_token.empty()) {
    return absl::InvalidArgumentError("set SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN");
  }
  if (!ff::SplitHostPort(flags.listen, &settings.host, &settings.port)) {
    return absl::InvalidArgumentError("--listen wants HOST:PORT, got " + flags.listen);
  }
  return settings;
}

// Adapter: the parts, in the order they are built (destroyed in reverse).
struct Adapter {
  ff::SystemClock clock;
  std::unique_ptr<ff::CurlHttpClient> http;
  std::unique_ptr<ff::SlackClient> slack;
  std::unique_ptr<ff::slack::SlackApp> app;
  std::unique_ptr<ff::slack::SignatureVerifier> verifier;
  std::unique_ptr<ff::slack::SlackHttpServer> server;
};

// Wire builds the adapter; INVALID_ARGUMENT for a bad TLS setting.
absl::Status Wire(const Flags& flags, const Settings& settings, Adapter& a) {
  a.http = ff::CurlHttpClient::Create();
  a.slack = std::make_unique<ff::SlackClient>(a.http.get(), flags.api_url, settings.bot_token,
                                              absl::Milliseconds(2500));
  absl::StatusOr<ff::IncidentClient> core = ff::IncidentClient::Connect(settings.core);
  if (!core.ok()) return core.status();
  ff::slack::SlackApp::Options options;
  options.allowed_teams = {flags.allowed_teams.begin(), flags.allowed_teams.end()};
  a.app = std::make_unique<ff::slack::SlackApp>(*std::move(core), a.slack.get(), options);
  a.verifier = std::make_unique<ff::slack::SignatureVerifier>(settings.signing_secret, &a.clock);
  a.server = std::make_unique<ff::slack::SlackHttpServer>(a.app.get(), a.verifier.get());
  return absl::OkStatus();
}

// ShutdownSteps: after SIGTERM or SIGINT. There is no health service to
// turn: /healthz goes with the listener. A slash command being handled gets
// its reply, and an answer still due through a response_url is sent.
std::vector<ff::ShutdownStep> ShutdownSteps(Adapter& a) {
  return {
      {"stop accepting requests and finish those in flight", [&a] { a.server->Stop(); }},
      {"finish the answers still due in the background", [&a] { a.app.reset(); }},
  };
}

// Failed prints why the adapter cannot start and returns `exit_status`.
int Failed(int exit_status, const absl::Status& status) {
  std::cerr << "firefighter-slack: " << status.message() << "\n";
  return exit_status;
}

int Run(const Flags& flags, const ff::StopSignals& signals) {
  absl::StatusOr<Settings> settings = LoadSettings(flags);
  if (!settings.ok()) return Failed(2, settings.status());
  Adapter adapter;
  if (absl::Status wired = Wire(flags, *settings, adapter); !wired.ok()) return Failed(2, wired);
  if (absl::Status started = adapter.server->Start(settings->host, settings->port); !started.ok()) {
    return Failed(1, started);
  }
  std::cout << "firefighter-slack listening on " << settings->host << ":" << adapter.server->port()
            << std::endl;
  return ff::ServeUntilStopped(signals, ShutdownSteps(adapter));
}

}  // namespace

int main(int argc, char** argv) {
  // First, before any thread starts: SIGTERM and SIGINT are taken by
  // ServeUntilStopped, never by a handler.
  ff::StopSignals signals = ff::StopSignals::Block(/*reload_on_hangup=*/false);
  CLI::App cli{"firefighter-slack: the FireFighter Slack app"};
  Flags flags;
  AddFlags(cli, flags);
  CLI11_PARSE(cli, argc, argv);
  return Run(flags, signals);
}
