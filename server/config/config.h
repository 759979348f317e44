// ServerConfig: firefighterd's settings, read from the --config JSON file or
// the built-in default, validated before anything uses them.
//
// File shape (every key optional but "domains"):
//   {
//     "domains": [
//       {"name": "payment", "description": "Payments and checkout",
//        "invite": ["@payment-oncall"]}
//     ],
//     "watch_queue_limit": 1000
//   }
// Immutable after loading; thread-safe.
#ifndef FF_SERVER_CONFIG_CONFIG_H_
#define FF_SERVER_CONFIG_CONFIG_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "server/core/domain_catalog.h"

namespace ff {

struct ServerConfig {
  std::vector<DomainConfig> domains;
  // Events buffered for one watcher before it is cut off as too slow.
  int watch_queue_limit = 1000;
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
