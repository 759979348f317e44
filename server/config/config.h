// ServerConfig: firefighterd's settings, read from the --config JSON file or
// the built-in default, validated before anything uses them.
//
// File shape (every key optional but "domains"):
//   {
//     "domains": [
//       {"name": "payment", "description": "Payments and checkout",
//        "invite": ["@payment-oncall"]}
//     ],
//     "watch_queue_limit": 1000, "watch_buffer_bytes": 67108864,
//     "watch_max_streams": 1000, "watch_max_streams_per_principal": 100,
//     "outbox": {"initial_backoff_ms": 1000, "max_backoff_ms": 300000,
//                "max_attempts": 12, "workers_per_notifier": 4},
//     "notifiers": {"slack": {…}, "pagerduty": {…}},  // validated by each factory
//     "reminders": {…}                                 // see reminders_config.h
//   }
// Immutable after loading; thread-safe.
#ifndef FF_SERVER_CONFIG_CONFIG_H_
#define FF_SERVER_CONFIG_CONFIG_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "nlohmann/json.hpp"
#include "server/core/domain_catalog.h"
#include "server/core/follow_ups.h"
#include "server/core/reminder_policy.h"

namespace ff {

struct ServerConfig {
  std::vector<DomainConfig> domains;
  // Events buffered for one watcher before it is cut off as too slow.
  int watch_queue_limit = 1000;
  // Bytes of events buffered for all watchers together; a watcher that is
  // behind when the budget would be passed is cut off (RESOURCE_EXHAUSTED).
  int64_t watch_buffer_bytes = int64_t{64} << 20;
  // WatchIncidents streams open at once, in total and per principal (per
  // token, or per client address without tokens); over: RESOURCE_EXHAUSTED.
  int watch_max_streams = 1000;
  int watch_max_streams_per_principal = 100;
  // Delivery retries and parallelism (server/outbox).
  absl::Duration initial_backoff = absl::Seconds(1);
  absl::Duration max_backoff = absl::Minutes(5);
  int max_attempts = 12;
  int workers_per_notifier = 4;
  // The "notifiers" object as written; each notifier's factory validates its
  // own part (server/notifiers/registry.h).
  nlohmann::json notifiers = nlohmann::json::object();
  // Reminders of stale incidents and missing postmortems (none by default).
  ReminderSettings reminders;
  FollowUpSettings followups;
};

// DefaultConfig is used without --config: a few example domains.
ServerConfig DefaultConfig();

// ParseConfig reads a JSON document. INVALID_ARGUMENT naming the offending
// key (e.g. `domains[1].name`) for malformed JSON, unknown keys, wrong types,
// bad or duplicate domain names.
absl::StatusOr<ServerConfig> ParseConfig(const std::string& json_text);

// LoadConfigFile reads and parses `path`; NOT_FOUND when it cannot be read.
absl::StatusOr<ServerConfig> LoadConfigFile(const std::string& path);

}  // namespace ff

#endif  // FF_SERVER_CONFIG_CONFIG_H_
