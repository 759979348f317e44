// RawArgs: the argument strings of `ff` as CLI11 stores them, and the
// conversion of one subcommand's strings into an Invocation. Internal to the
// CLI; thread-compatible.
#ifndef FF_ADAPTERS_CLI_RAW_ARGS_H_
#define FF_ADAPTERS_CLI_RAW_ARGS_H_

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "adapters/cli/command_line.h"

namespace ff::cli {

struct RawArgs {
  // Global.
  std::string addr = "127.0.0.1:50051";
  std::string timeout = "5s";
  std::string output = "table";
  std::string token;  // FF_TOKEN, or the first line of --token-file
  std::string token_file;
  bool tls = false;
  std::string tls_ca, tls_cert, tls_key;
  // Per subcommand; each subcommand binds the ones it has.
  std::string id;
  std::string actor;  // also --reporter
  std::string title, description, domain, severity, dedup_key;
  bool oncall = false;
  std::string status, commander, comms_lead, ops_lead, message, reason, text, kind;
  int64_t expected_version = 0;
  std::vector<std::string> statuses, severities;
  std::string incident, notifier;  // deliveries filters
  std::vector<std::string> states;
  std::string since, until;  // stats range
  std::string owner, due;    // followup
  bool no_due = false, mine = false, overdue = false, reopen = false;
  int max_results = 0;  // followup list --limit
  int limit = 50;
  bool all = false;
  std::string help_topic;
  // Long names of the options the user gave ("--title"), to tell "unset"
  // apart from "set to empty" (e.g. --commander "" removes the commander).
  std::set<std::string> given;
};

// BuildInvocation converts `raw` for `command`. Returns INVALID_ARGUMENT for
// combinations CLI11 cannot check (e.g. `update` with nothing to change).
absl::StatusOr<Invocation> BuildInvocation(Command command, const RawArgs& raw);

}  // namespace ff::cli

#endif  // FF_ADAPTERS_CLI_RAW_ARGS_H_
