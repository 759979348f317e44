// ff: the FireFighter command line. Parses the arguments, sends one
// IncidentService call, prints the answer; see docs/cli.md.
#include <unistd.h>

#include <cstdlib>
#include <iostream>

#include "adapters/cli/command_line.h"
#include "adapters/cli/commands.h"
#include "adapters/cli/exit_codes.h"
#include "clients/incident/incident_client.h"

namespace {

// Colour only for a human at a terminal, and never when NO_COLOR is set
// (https://no-color.org: present and not empty).
bool UseColour() {
  const char* no_color = std::getenv("NO_COLOR");
  return isatty(STDOUT_FILENO) == 1 && (no_color == nullptr || *no_color == '\0');
}

}  // namespace

int main(int argc, char** argv) {
  ff::cli::ParseResult parsed = ff::cli::ParseCommandLine(argc, argv, std::cout, std::cerr);
  if (!parsed.invocation.has_value()) return parsed.exit_code;
  const ff::cli::Invocation& invocation = *parsed.invocation;
  ff::ConnectOptions options;
  options.target = invocation.addr;
  options.timeout = invocation.timeout;
  options.token = invocation.token;
  options.tls = invocation.tls;
  options.tls_ca_file = invocation.tls_ca;
  options.tls_cert_file = invocation.tls_cert;
  options.tls_key_file = invocation.tls_key;
  absl::StatusOr<ff::IncidentClient> client = ff::IncidentClient::Connect(options);
  if (!client.ok()) {
    std::cerr << "ff: " << client.status().message() << "\n";
    return ff::cli::kExitUsage;
  }
  ff::cli::Terminal terminal{std::cout, std::cerr, UseColour()};
  return ff::cli::RunInvocation(invocation, *client, terminal);
}
