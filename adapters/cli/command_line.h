// The `ff` command line: turns argv into one Invocation — the IncidentService
// request to send plus how to send it and show the answer. Argument parsing is
// CLI11's; this file only declares the subcommands and converts values.
// Thread-compatible (reads the environment; no shared state).
#ifndef FF_ADAPTERS_CLI_COMMAND_LINE_H_
#define FF_ADAPTERS_CLI_COMMAND_LINE_H_

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>

#include "absl/time/time.h"
#include "firefighter/v1/incident_service.pb.h"

namespace ff::cli {
namespace pb = ::firefighter::v1;

enum class Command {
  kOpen,
  kUpdate,
  kClose,
  kInfo,
  kList,
  kTimeline,
  kNote,
  kWatch,
  kDomains,
  kDeliveries,
  kRetryDelivery,
  kStats,
  kFollowUpAdd,
  kFollowUpList,
  kFollowUpDone,
  kFollowUpCancel,
  kFollowUpEdit,
};
enum class OutputFormat { kTable, kJson };

// Invocation: one parsed command. Only the request of `command` is filled.
struct Invocation {
  Command command = Command::kInfo;
  std::string addr;        // --addr / FF_ADDR
  absl::Duration timeout;  // --timeout, per call
  std::string token;       // FF_TOKEN / --token-file; sent as a bearer token
  bool tls = false;        // --tls, or implied by --tls-ca / --tls-cert
  std::string tls_ca, tls_cert, tls_key;
  OutputFormat output = OutputFormat::kTable;
  int64_t id = 0;          // info, timeline; retry-delivery: the delivery's id
  bool all_pages = false;  // list --all, deliveries --all
  // followup list: show at most this many follow-ups (0: every one), paging
  // through ListFollowUps until then.
  int max_results = 0;
  pb::OpenIncidentRequest open;
  pb::UpdateIncidentRequest update;
  pb::CloseIncidentRequest close;
  pb::ListIncidentsRequest list;
  pb::AddTimelineEntryRequest note;
  pb::WatchIncidentsRequest watch;
  pb::ListDeliveriesRequest deliveries;
  std::string actor;  // retry-delivery: who asks
  pb::GetStatsRequest stats;
  pb::AddFollowUpRequest follow_up_add;
  pb::UpdateFollowUpRequest follow_up_update;  // followup done, cancel, edit
  pb::ListFollowUpsRequest follow_ups;
};

// ParseResult: either a command to run or the exit code ff ends with now.
struct ParseResult {
  std::optional<Invocation> invocation;
  int exit_code = 0;
};

// ParseCommandLine parses argv. Help (`ff help`, `--help`) is printed on
// `out` with exit code 0; usage errors on `err`, prefixed "ff: ", with exit
// code 2 (kExitUsage). Reads FF_ADDR, FF_USER and FF_TOKEN from the
// environment.
ParseResult ParseCommandLine(int argc, const char* const* argv, std::ostream& out,
                             std::ostream& err);

}  // namespace ff::cli

#endif  // FF_ADAPTERS_CLI_COMMAND_LINE_H_
