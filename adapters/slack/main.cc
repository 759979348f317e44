// firefighter-slack: the Slack adapter. Wires the real parts together:
// flags and environment, libcurl, the core's gRPC client, the HTTP server.
#include <csignal>
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "CLI/CLI.hpp"
#include "absl/strings/numbers.h"
#include "adapters/slack/http_server.h"
#include "clients/http/curl_http_client.h"
#include "common/clock.h"
#include "spdlog/spdlog.h"

namespace {

ff::slack::SlackHttpServer* g_server = nullptr;

void OnSignal(int) {
  if (g_server != nullptr) g_server->Stop();
}

bool SplitHostPort(const std::string& address, std::string* host, int* port) {
  size_t colon = address.rfind(':');
  if (colon == std::string::npos) return false;
  *host = address.substr(0, colon);
  return absl::SimpleAtoi(address.substr(colon + 1), port) && *port >= 0 && *port < 65536;
}

std::string Env(const char* name) {
  const char* value = std::getenv(name);
  return value == nullptr ? "" : value;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App cli{"firefighter-slack: the FireFighter Slack app"};
  std::string listen = "127.0.0.1:3000";
  std::string server = "127.0.0.1:50051";
  std::string api_url = "https://slack.com/api";
  std::string token_file;
  ff::ConnectOptions core;
  std::vector<std::string> allowed_teams;
  cli.add_option("--listen", listen, "HOST:PORT to serve Slack's requests on")
      ->capture_default_str();
  cli.add_option("--server", server, "HOST:PORT of firefighterd")->capture_default_str();
  cli.add_option("--slack-api-url", api_url, "Slack Web API base URL")->capture_default_str();
  cli.add_option("--allowed-team", allowed_teams,
                 "Slack workspace (team_id) allowed to use the app; repeatable; default: any")
      ->type_name("TEAM_ID");
  cli.add_option("--token-file", token_file,
                 "file holding firefighterd's service token (default: env FF_TOKEN)")
      ->check(CLI::ExistingFile);
  cli.add_option("--tls-ca", core.tls_ca_file, "reach firefighterd over TLS, trusting this CA")
      ->check(CLI::ExistingFile);
  cli.add_flag("--tls", core.tls, "reach firefighterd over TLS, trusting the system's CAs");
  cli.add_option("--tls-cert", core.tls_cert_file, "client certificate for firefighterd")
      ->check(CLI::ExistingFile);
  cli.add_option("--tls-key", core.tls_key_file, "key of --tls-cert")->check(CLI::ExistingFile);
  CLI11_PARSE(cli, argc, argv);

  // The service token (a `responder ... service` line in firefighterd's
  // token file) lets the adapter act for the Slack user it names.
  core.token = Env("FF_TOKEN");
  if (!token_file.empty()) {
    absl::StatusOr<std::string> token = ff::ReadTokenFile(token_file);
    if (!token.ok()) {
      std::cerr << "firefighter-slack: " << token.status().message() << "\n";
      return 2;
    }
    core.token = *std::move(token);
  }

  std::string secret = Env("SLACK_SIGNING_SECRET");
  std::string token = Env("SLACK_BOT_TOKEN");
  if (secret.empty() || token.empty()) {
    std::cerr << "firefighter-slack: set SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN\n";
    return 2;
  }
  std::string host;
  int port = 0;
  if (!SplitHostPort(listen, &host, &port)) {
    std::cerr << "firefighter-slack: --listen wants HOST:PORT, got " << listen << "\n";
    return 2;
  }

  ff::SystemClock clock;
  auto http = ff::CurlHttpClient::Create();
  ff::SlackClient slack(http.get(), api_url, token, absl::Milliseconds(2500));
  core.target = server;
  core.timeout = absl::Milliseconds(1800);
  absl::StatusOr<ff::IncidentClient> client = ff::IncidentClient::Connect(core);
  if (!client.ok()) {
    std::cerr << "firefighter-slack: " << client.status().message() << "\n";
    return 2;
  }
  ff::slack::SlackApp::Options options;
  options.allowed_teams = {allowed_teams.begin(), allowed_teams.end()};
  ff::slack::SlackApp app(*std::move(client), &slack, options);
  ff::slack::SignatureVerifier verifier(secret, &clock);
  ff::slack::SlackHttpServer http_server(&app, &verifier);
  if (absl::Status started = http_server.Start(host, port); !started.ok()) {
    std::cerr << "firefighter-slack: " << started.message() << "\n";
    return 1;
  }
  g_server = &http_server;
  std::signal(SIGINT, OnSignal);
  std::signal(SIGTERM, OnSignal);
  std::cout << "firefighter-slack listening on " << host << ":" << http_server.port() << std::endl;
  http_server.Wait();
  return 0;
}
