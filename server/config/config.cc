#include "server/config/config.h"

#include <fstream>
#include <set>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/quote.h"
#include "common/status_macros.h"
#include "nlohmann/json.hpp"
#include "server/config/config_error.h"
#include "server/config/reminders_config.h"

namespace ff {
namespace {

using nlohmann::json;

absl::Status CheckKeys(const json& object, absl::string_view where,
                       const std::set<std::string>& allowed) {
  for (const auto& [key, value] : object.items()) {
    if (allowed.count(key) == 0) {
      return ConfigError(ConfigKey(where, key), "is not a known key");
    }
  }
  return absl::OkStatus();
}

bool IsDomainName(const std::string& name) {
  if (name.empty() || name.size() > 40 || name.front() == '-') return false;
  for (char c : name) {
    if (!absl::ascii_islower(c) && !absl::ascii_isdigit(c) && c != '-') return false;
  }
  return true;
}

absl::StatusOr<std::string> StringAt(const json& object, const std::string& key,
                                     const std::string& where, bool required) {
  auto it = object.find(key);
  if (it == object.end()) {
    if (required) return ConfigError(where + "." + key, "is required");
    return std::string();
  }
  if (!it->is_string()) return ConfigError(where + "." + key, "must be a string");
  return it->get<std::string>();
}

absl::StatusOr<DomainConfig> ParseDomain(const json& d, const std::string& where) {
  if (!d.is_object()) return ConfigError(where, "must be an object");
  FF_RETURN_IF_ERROR(CheckKeys(d, where, {"name", "description", "invite"}));
  DomainConfig domain;
  FF_ASSIGN_OR_RETURN(domain.name, StringAt(d, "name", where, true));
  if (!IsDomainName(domain.name)) {
    return ConfigError(where + ".name",
                       absl::StrCat(QuoteValue(domain.name),
                                    " must be 1 to 40 lowercase letters, digits or dashes"));
  }
  FF_ASSIGN_OR_RETURN(domain.description, StringAt(d, "description", where, false));
  if (auto it = d.find("invite"); it != d.end()) {
    if (!it->is_array()) return ConfigError(where + ".invite", "must be an array of strings");
    for (size_t k = 0; k < it->size(); ++k) {
      if (!(*it)[k].is_string()) {
        return ConfigError(absl::StrCat(where, ".invite[", k, "]"), "must be a string");
      }
      domain.invite.push_back((*it)[k].get<std::string>());
    }
  }
  return domain;
}

absl::StatusOr<int64_t> IntAt(const json& object, const std::string& key, int64_t fallback,
                              int64_t min, int64_t max) {
  auto it = object.find(key);
  if (it == object.end()) return fallback;
  if (!it->is_number_integer() || it->get<int64_t>() < min || it->get<int64_t>() > max) {
    return ConfigError("outbox." + key, absl::StrCat("must be an integer from ", min, " to ", max));
  }
  return it->get<int64_t>();
}

absl::Status ParseOutbox(const json& outbox, ServerConfig& config) {
  if (!outbox.is_object()) return ConfigError("outbox", "must be an object");
  FF_RETURN_IF_ERROR(
      CheckKeys(outbox, "outbox",
                {"initial_backoff_ms", "max_backoff_ms", "max_attempts", "workers_per_notifier"}));
  FF_ASSIGN_OR_RETURN(int64_t initial, IntAt(outbox, "initial_backoff_ms", 1000, 1, 3600000));
  FF_ASSIGN_OR_RETURN(int64_t max, IntAt(outbox, "max_backoff_ms", 300000, 1, 86400000));
  if (max < initial)
    return ConfigError("outbox.max_backoff_ms", "must not be below initial_backoff_ms");
  FF_ASSIGN_OR_RETURN(int64_t attempts, IntAt(outbox, "max_attempts", 12, 1, 1000));
  FF_ASSIGN_OR_RETURN(int64_t workers, IntAt(outbox, "workers_per_notifier", 4, 1, 64));
  config.initial_backoff = absl::Milliseconds(initial);
  config.max_backoff = absl::Milliseconds(max);
  config.max_attempts = static_cast<int>(attempts);
  config.workers_per_notifier = static_cast<int>(workers);
  return absl::OkStatus();
}

}  // namespace

ServerConfig DefaultConfig() {
  ServerConfig config;
  config.domains = {
      {"payment", "Payments, checkout and billing", {}},
      {"search", "Search and recommendations", {}},
      {"main-website", "The public website", {}},
      {"backoffice", "Internal tools and back office", {}},
  };
  return config;
}

// ReadInteger sets `out` from `root[key]` when present: an integer from
// `low` to `high`, else INVALID_ARGUMENT naming the key.
template <typename Int>
absl::Status ReadInteger(const json& root, const char* key, int64_t low, int64_t high, Int& out) {
  auto it = root.find(key);
  if (it == root.end()) return absl::OkStatus();
  if (!it->is_number_integer() || it->get<int64_t>() < low || it->get<int64_t>() > high) {
    return ConfigError(key, absl::StrCat("must be an integer from ", low, " to ", high));
  }
  out = static_cast<Int>(it->get<int64_t>());
  return absl::OkStatus();
}

absl::StatusOr<ServerConfig> ParseConfig(const std::string& json_text) {
  json root = json::parse(json_text, nullptr, /*allow_exceptions=*/false);
  if (root.is_discarded()) return ConfigError("file", "is not valid JSON");
  if (!root.is_object()) return ConfigError("file", "must hold a JSON object");
  FF_RETURN_IF_ERROR(CheckKeys(
      root, "",
      {"domains", "watch_queue_limit", "watch_buffer_bytes", "watch_max_streams",
       "watch_max_streams_per_principal", "outbox", "notifiers", "reminders", "followups"}));
  ServerConfig config;
  auto domains = root.find("domains");
  if (domains == root.end()) return ConfigError("domains", "is required");
  if (!domains->is_array() || domains->empty()) {
    return ConfigError("domains", "must be a non-empty array of domains");
  }
  std::set<std::string> seen;
  for (size_t i = 0; i < domains->size(); ++i) {
    std::string where = absl::StrCat("domains[", i, "]");
    FF_ASSIGN_OR_RETURN(DomainConfig domain, ParseDomain((*domains)[i], where));
    if (!seen.insert(domain.name).second) {
      return ConfigError(where + ".name", absl::StrCat("\"", domain.name, "\" is a duplicate"));
    }
    config.domains.push_back(std::move(domain));
  }
  FF_RETURN_IF_ERROR(ReadInteger(root, "watch_queue_limit", 1, 1000000, config.watch_queue_limit));
  FF_RETURN_IF_ERROR(ReadInteger(root, "watch_buffer_bytes", 1 << 16, int64_t{1} << 34,
                                 config.watch_buffer_bytes));
  FF_RETURN_IF_ERROR(ReadInteger(root, "watch_max_streams", 1, 100000, config.watch_max_streams));
  FF_RETURN_IF_ERROR(ReadInteger(root, "watch_max_streams_per_principal", 1, 100000,
                                 config.watch_max_streams_per_principal));
  if (auto it = root.find("outbox"); it != root.end()) FF_RETURN_IF_ERROR(ParseOutbox(*it, config));
  if (auto it = root.find("notifiers"); it != root.end()) {
    if (!it->is_object()) return ConfigError("notifiers", "must be an object");
    config.notifiers = *it;
  }
  if (auto it = root.find("reminders"); it != root.end()) {
    FF_ASSIGN_OR_RETURN(config.reminders, ParseReminders(*it));
  }
  if (auto it = root.find("followups"); it != root.end()) {
    FF_ASSIGN_OR_RETURN(config.followups, ParseFollowUps(*it));
  }
  return config;
}

absl::StatusOr<ServerConfig> LoadConfigFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(absl::StrCat("config: cannot read ", path));
  std::stringstream text;
  text << in.rdbuf();
  return ParseConfig(text.str());
}

}  // namespace ff
