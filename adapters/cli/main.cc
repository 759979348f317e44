// ff: the FireFighter command line. Parses the arguments, sends one
// IncidentService call, prints the answer; see docs/cli.md.
#include <unistd.h>

#include <cstdlib>
#include <iostream>

#include "adapters/cli/command_line.h"
#include "adapters/cli/commands.h"
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
  ff::IncidentClient client = ff::IncidentClient::Connect(invocation.addr, invocation.timeout);
  ff::cli::Terminal terminal{std::cout, std::cerr, UseColour()};
  return ff::cli::RunInvocation(invocation, client, terminal);
}
