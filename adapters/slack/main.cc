// firefighter-slack: the Slack adapter. Wires the real parts together:
// flags and environment, libcurl, the core's gRPC client, the HTTP server
// and, with --socket-mode, the WebSocket to Slack. Starts and stops as
// common/lifecycle.h says.
#include <cstdlib>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "CLI/CLI.hpp"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "adapters/slack/http_server.h"
#include "adapters/slack/socket_handler.h"
#include "adapters/slack/socket_mode.h"
#include "clients/http/curl_http_client.h"
#include "common/clock.h"
#include "common/host_port.h"
#include "common/lifecycle.h"
#include "nlohmann/json.hpp"
#include "spdlog/sinks/stdout_color_sinks.h"
#include "spdlog/spdlog.h"

namespace {

struct Flags {
  std::string listen = "127.0.0.1:3000";
  std::string server = "127.0.0.1:50051";
  std::string api_url = "https://slack.com/api";
  std::string token_file;
  ff::ConnectOptions core;
  std::vector<std::string> allowed_teams;
  bool socket_mode = false;
  std::string slack_ca;
  double socket_idle_seconds = 30;
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
  cli.add_flag("--socket-mode", flags.socket_mode,
               "receive Slack's requests over an outbound WebSocket (env SLACK_APP_TOKEN) instead "
               "of serving them; --listen then serves only /healthz");
  cli.add_option("--slack-ca", flags.slack_ca,
                 "Socket Mode: trust this CA for Slack's WebSocket (default: the system's CAs)")
      ->check(CLI::ExistingFile);
  cli.add_option("--socket-idle-timeout", flags.socket_idle_seconds,
                 "Socket Mode: seconds of silence after which the socket is pinged (at half) and "
                 "replaced (no answer)")
      ->capture_default_str()
      ->check(CLI::Range(1.0, 3600.0));
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
  std::string signing_secret;  // HTTP mode
  std::string bot_token;
  std::string app_token;  // Socket Mode
};

// SlackSecrets reads the tokens the mode needs from the environment. They
// are never printed, not even in part.
absl::Status SlackSecrets(bool socket_mode, Settings& settings) {
  settings.bot_token = Env("SLACK_BOT_TOKEN");
  if (!socket_mode) {
    settings.signing_secret = Env("SLACK_SIGNING_SECRET");
    if (settings.signing_secret.empty() || settings.bot_token.empty()) {
      return absl::InvalidArgumentError("set SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN");
    }
    return absl::OkStatus();
  }
  settings.app_token = Env("SLACK_APP_TOKEN");
  if (settings.app_token.empty() || settings.bot_token.empty()) {
    return absl::InvalidArgumentError(
        "--socket-mode: set SLACK_APP_TOKEN (an app-level token, xapp-…, with the "
        "connections:write scope) and SLACK_BOT_TOKEN");
  }
  if (!absl::StartsWith(settings.app_token, "xapp-")) {
    return absl::InvalidArgumentError(
        "--socket-mode: SLACK_APP_TOKEN is not an app-level token: those start with xapp- "
        "(Basic Information → App-Level Tokens in the app's settings)");
  }
  return absl::OkStatus();
}

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
  if (absl::Status secrets = SlackSecrets(flags.socket_mode, settings); !secrets.ok()) {
    return secrets;
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
  std::unique_ptr<ff::slack::SignatureVerifier> verifier;  // HTTP mode
  std::unique_ptr<ff::RateBudget> budget;                  // Socket Mode
  std::unique_ptr<ff::SlackClient> apps;
  std::unique_ptr<ff::slack::SocketModeClient> socket;
  std::unique_ptr<ff::slack::SlackHttpServer> server;
};

// WireSocket builds the Socket Mode client; /healthz answers 200 while the
// socket is connected, 503 while not, with {"socket","open","reconnects"}.
void WireSocket(const Flags& flags, const Settings& settings, Adapter& a) {
  a.budget = std::make_unique<ff::RateBudget>(&a.clock, ff::SlackRateLimits());
  a.apps = std::make_unique<ff::SlackClient>(a.http.get(), flags.api_url, settings.app_token,
                                             absl::Milliseconds(2500), a.budget.get());
  ff::slack::SocketModeClient::Options options;
  options.ca_file = flags.slack_ca;
  options.idle_timeout = absl::Seconds(flags.socket_idle_seconds);
  a.socket = std::make_unique<ff::slack::SocketModeClient>(
      a.apps.get(), ff::slack::SocketHandler(a.app.get()), options);
  a.server = std::make_unique<ff::slack::SlackHttpServer>(a.app.get(), nullptr, [&a] {
    ff::slack::SocketModeClient::Health health = a.socket->health();
    nlohmann::json body = {{"socket", health.connected ? "connected" : "disconnected"},
                           {"open", health.open},
                           {"reconnects", health.reconnects}};
    return ff::slack::HttpReply{health.connected ? 200 : 503, "application/json", body.dump()};
  });
}

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
  if (flags.socket_mode) {
    WireSocket(flags, settings, a);
    return absl::OkStatus();
  }
  a.verifier = std::make_unique<ff::slack::SignatureVerifier>(settings.signing_secret, &a.clock);
  a.server = std::make_unique<ff::slack::SlackHttpServer>(a.app.get(), a.verifier.get());
  return absl::OkStatus();
}

// ShutdownSteps: after SIGTERM or SIGINT. There is no health service to
// turn: /healthz goes with the listener. A slash command being handled gets
// its reply, and an answer still due through a response_url is sent.
std::vector<ff::ShutdownStep> ShutdownSteps(Adapter& a) {
  return {
      {"close the socket to Slack once the envelopes in hand are acked",
       [&a] {
         if (a.socket) a.socket->Stop();
       }},
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
  if (adapter.socket) {
    absl::Status connected = adapter.socket->Start();
    if (connected.code() == absl::StatusCode::kInvalidArgument) return Failed(2, connected);
    if (!connected.ok()) {
      return Failed(2,
                    absl::Status(connected.code(), absl::StrCat("Slack refused SLACK_APP_TOKEN (",
                                                                connected.message(), ")")));
    }
  }
  std::cout << "firefighter-slack "
            << (adapter.socket ? "in Socket Mode, healthz on " : "listening on ") << settings->host
            << ":" << adapter.server->port() << std::endl;
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
  // Logs go to stderr: stdout carries only the line saying it serves (a
  // supervisor reading that line need not keep draining stdout).
  spdlog::set_default_logger(spdlog::stderr_color_mt("slack"));
  return Run(flags, signals);
}
