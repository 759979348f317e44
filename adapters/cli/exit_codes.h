// The exit codes of `ff`: documented in docs/cli.md and stable — scripts
// depend on them. Pure; thread-safe.
#ifndef FF_ADAPTERS_CLI_EXIT_CODES_H_
#define FF_ADAPTERS_CLI_EXIT_CODES_H_

#include "absl/status/status.h"

namespace ff::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitOther = 1;        // anything else, e.g. INTERNAL
inline constexpr int kExitUsage = 2;        // bad arguments (ours or INVALID_ARGUMENT)
inline constexpr int kExitNotFound = 3;     // NOT_FOUND
inline constexpr int kExitRefused = 4;      // FAILED_PRECONDITION: workflow rules
inline constexpr int kExitConflict = 5;     // ABORTED / ALREADY_EXISTS: stale version
inline constexpr int kExitUnreachable = 6;  // UNAVAILABLE / DEADLINE_EXCEEDED
inline constexpr int kExitDenied = 7;       // UNAUTHENTICATED / PERMISSION_DENIED

// ExitCodeFor maps a failed call's status code to the exit code; OK → 0.
int ExitCodeFor(absl::StatusCode code);

}  // namespace ff::cli

#endif  // FF_ADAPTERS_CLI_EXIT_CODES_H_
