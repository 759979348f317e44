// ConfigReader: typed, validated access to one notifier's JSON config object,
// so every notifier reports errors the same way:
//   "config: notifiers.slack.base_url must be an http or https URL".
// Not thread-safe; used only while building a notifier at start-up.
#ifndef FF_SERVER_NOTIFIERS_CONFIG_READER_H_
#define FF_SERVER_NOTIFIERS_CONFIG_READER_H_

#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "clients/http/rate_budget.h"
#include "nlohmann/json.hpp"
#include "server/notifiers/notifier.h"

namespace ff {

class ConfigReader {
 public:
  // `prefix` is "notifiers.<name>"; `config` must outlive the reader.
  ConfigReader(std::string prefix, const nlohmann::json& config)
      : prefix_(std::move(prefix)), config_(config) {}

  // Each getter records the key as known. Missing optional keys give
  // `fallback`; wrong types are INVALID_ARGUMENT naming the key.
  absl::StatusOr<std::string> String(const std::string& key, bool required,
                                     const std::string& fallback = "");
  // Url: an http:// or https:// URL without a trailing slash.
  absl::StatusOr<std::string> Url(const std::string& key, const std::string& fallback);
  // Secret reads the environment variable named by `key` (e.g.
  // "bot_token_env": "SLACK_BOT_TOKEN"); INVALID_ARGUMENT when the key is
  // missing or the variable is unset or empty. Never logs the value.
  absl::StatusOr<std::string> Secret(const std::string& key, const NotifierEnv& env,
                                     const std::string& default_variable = "");
  absl::StatusOr<int64_t> Int(const std::string& key, int64_t fallback, int64_t min, int64_t max);
  absl::StatusOr<bool> Bool(const std::string& key, bool fallback);
  // Severities reads a list of "SEV1".."SEV5" names as severity numbers;
  // `fallback` when the key is absent. An empty list is returned as is.
  absl::StatusOr<std::set<int>> Severities(const std::string& key, std::set<int> fallback);
  // Timeout reads "timeout_ms": one outside call's limit, 100 ms to 120 s,
  // default 10 s — the same for every notifier.
  absl::StatusOr<absl::Duration> Timeout();
  absl::StatusOr<std::vector<std::string>> Strings(const std::string& key);
  // Object returns the sub-object at `key` (empty object when absent).
  absl::StatusOr<nlohmann::json> Object(const std::string& key);

  // RateLimits reads "rate_limits": {"<bucket>": <calls per minute>, …}, or
  // {"<bucket>": {"calls": n, "window_s": s}}, over `defaults` (the outside
  // API's published limits). A bucket not in `defaults` is a typo
  // (INVALID_ARGUMENT naming it); 0 calls means unlimited.
  absl::StatusOr<std::map<std::string, RateLimit>> RateLimits(
      std::map<std::string, RateLimit> defaults);

  // Finish is INVALID_ARGUMENT for any key no getter asked for (a typo).
  absl::Status Finish() const;

  // Error builds "config: <prefix>.<key> <problem>".
  absl::Status Error(const std::string& key, const std::string& problem) const;

 private:
  std::string prefix_;
  const nlohmann::json& config_;
  std::set<std::string> known_;
};

}  // namespace ff

#endif  // FF_SERVER_NOTIFIERS_CONFIG_READER_H_
