// Command execution for `ff`: sends an Invocation's request through the
// IncidentClient and prints the answer, or the failure and its exit code.
// Thread-compatible: one command runs at a time on the calling thread.
#ifndef FF_ADAPTERS_CLI_COMMANDS_H_
#define FF_ADAPTERS_CLI_COMMANDS_H_

#include <ostream>

#include "adapters/cli/command_line.h"
#include "clients/incident/incident_client.h"

namespace ff::cli {

// Where a command writes: answers on `out`, failures on `err`.
struct Terminal {
  std::ostream& out;
  std::ostream& err;
  bool colour;  // ANSI styles in tables; never in JSON
};

// RunInvocation runs `invocation` and returns ff's exit code (exit_codes.h).
// Failures print "ff: <what was attempted>: <server message>" on `err`.
// `watch` returns only when the stream ends or output can no longer be written.
int RunInvocation(const Invocation& invocation, const IncidentClient& client,
                  const Terminal& terminal);

}  // namespace ff::cli

#endif  // FF_ADAPTERS_CLI_COMMANDS_H_
