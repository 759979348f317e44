#include "server/notifiers/config_reader.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "server/core/names.h"

namespace ff {

absl::Status ConfigReader::Error(const std::string& key, const std::string& problem) const {
  return absl::InvalidArgumentError(absl::StrCat("config: ", prefix_, ".", key, " ", problem));
}

absl::StatusOr<std::string> ConfigReader::String(const std::string& key, bool required,
                                                 const std::string& fallback) {
  known_.insert(key);
  auto it = config_.find(key);
  if (it == config_.end()) {
    if (required) return Error(key, "is required");
    return fallback;
  }
  if (!it->is_string()) return Error(key, "must be a string");
  std::string value = it->get<std::string>();
  if (required && value.empty()) return Error(key, "must not be empty");
  return value;
}

absl::StatusOr<std::string> ConfigReader::Url(const std::string& key, const std::string& fallback) {
  absl::StatusOr<std::string> url = String(key, false, fallback);
  if (!url.ok()) return url;
  bool scheme = absl::StartsWith(*url, "https://") || absl::StartsWith(*url, "http://");
  size_t host_start = url->find("://") + 3;
  if (!scheme || url->size() <= host_start || url->find(' ') != std::string::npos) {
    return Error(key, absl::StrCat("must be an http or https URL, got \"", *url, "\""));
  }
  while (absl::EndsWith(*url, "/")) url->pop_back();
  return url;
}

absl::StatusOr<std::string> ConfigReader::Secret(const std::string& key, const NotifierEnv& env,
                                                 const std::string& default_variable) {
  absl::StatusOr<std::string> variable = String(key, default_variable.empty(), default_variable);
  if (!variable.ok()) return variable.status();
  std::optional<std::string> value = env.getenv ? env.getenv(*variable) : std::nullopt;
  if (!value || value->empty()) {
    return Error(key, absl::StrCat("names environment variable ", *variable, ", which is not set"));
  }
  return *value;
}

absl::StatusOr<int64_t> ConfigReader::Int(const std::string& key, int64_t fallback, int64_t min,
                                          int64_t max) {
  known_.insert(key);
  auto it = config_.find(key);
  if (it == config_.end()) return fallback;
  if (!it->is_number_integer() || it->get<int64_t>() < min || it->get<int64_t>() > max) {
    return Error(key, absl::StrCat("must be an integer from ", min, " to ", max));
  }
  return it->get<int64_t>();
}

absl::StatusOr<std::set<int>> ConfigReader::Severities(const std::string& key,
                                                       std::set<int> fallback) {
  absl::StatusOr<std::vector<std::string>> names = Strings(key);
  if (!names.ok()) return names.status();
  if (!config_.contains(key)) return fallback;
  std::set<int> out;
  for (size_t i = 0; i < names->size(); ++i) {
    int found = 0;
    for (int s = pb::SEVERITY_SEV1; s <= pb::SEVERITY_SEV5; ++s) {
      if (SeverityName(s) == (*names)[i]) found = s;
    }
    if (found == 0) {
      return Error(absl::StrCat(key, "[", i, "]"),
                   absl::StrCat("must be one of SEV1..SEV5, got \"", (*names)[i], "\""));
    }
    out.insert(found);
  }
  return out;
}

absl::StatusOr<absl::Duration> ConfigReader::Timeout() {
  absl::StatusOr<int64_t> millis = Int("timeout_ms", 10000, 100, 120000);
  if (!millis.ok()) return millis.status();
  return absl::Milliseconds(*millis);
}

absl::StatusOr<bool> ConfigReader::Bool(const std::string& key, bool fallback) {
  known_.insert(key);
  auto it = config_.find(key);
  if (it == config_.end()) return fallback;
  if (!it->is_boolean()) return Error(key, "must be true or false");
  return it->get<bool>();
}

absl::StatusOr<std::vector<std::string>> ConfigReader::Strings(const std::string& key) {
  known_.insert(key);
  std::vector<std::string> out;
  auto it = config_.find(key);
  if (it == config_.end()) return out;
  if (!it->is_array()) return Error(key, "must be an array of strings");
  for (size_t i = 0; i < it->size(); ++i) {
    if (!(*it)[i].is_string()) return Error(absl::StrCat(key, "[", i, "]"), "must be a string");
    out.push_back((*it)[i].get<std::string>());
  }
  return out;
}

absl::StatusOr<nlohmann::json> ConfigReader::Object(const std::string& key) {
  known_.insert(key);
  auto it = config_.find(key);
  if (it == config_.end()) return nlohmann::json::object();
  if (!it->is_object()) return Error(key, "must be an object");
  return *it;
}

absl::StatusOr<std::map<std::string, RateLimit>> ConfigReader::RateLimits(
    std::map<std::string, RateLimit> defaults) {
  FF_ASSIGN_OR_RETURN(nlohmann::json limits, Object("rate_limits"));
  for (const auto& [bucket, value] : limits.items()) {
    const std::string key = absl::StrCat("rate_limits.", bucket);
    auto known = defaults.find(bucket);
    if (known == defaults.end()) return Error(key, "is not a rate-limited method");
    RateLimit limit{0, absl::Minutes(1)};
    const nlohmann::json* calls = &value;
    if (value.is_object()) {
      for (const auto& [field, ignored] : value.items()) {
        if (field != "calls" && field != "window_s") {
          return Error(absl::StrCat(key, ".", field), "is not a known key");
        }
      }
      calls = value.contains("calls") ? &value["calls"] : nullptr;
      if (calls == nullptr) return Error(absl::StrCat(key, ".calls"), "is required");
      const nlohmann::json& window = value.value("window_s", nlohmann::json(60));
      if (!window.is_number_integer() || window.get<int64_t>() < 1 ||
          window.get<int64_t>() > 3600) {
        return Error(absl::StrCat(key, ".window_s"),
                     "must be a whole number of seconds, 1 to 3600");
      }
      limit.window = absl::Seconds(window.get<int64_t>());
    }
    if (!calls->is_number_integer() || calls->get<int64_t>() < 0 ||
        calls->get<int64_t>() > 100000) {
      return Error(key, "must be a whole number of calls per minute, 0 (unlimited) to 100000");
    }
    limit.calls = static_cast<int>(calls->get<int64_t>());
    known->second = limit;
  }
  return defaults;
}

absl::Status ConfigReader::Finish() const {
  for (const auto& [key, value] : config_.items()) {
    if (known_.count(key) == 0) return Error(key, "is not a known key");
  }
  return absl::OkStatus();
}

}  // namespace ff
