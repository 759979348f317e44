// libFuzzer target: the config file parser (server/config/config.h and
// reminders_config.h). Asserts: no crash and no exception whatever the
// bytes; an error is INVALID_ARGUMENT "config: …" with a short, printable
// message; a parsed config keeps the documented bounds (unique valid domain
// names, backoffs in order, counts in range), and written back as JSON it
// parses to the same config.
#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "nlohmann/json.hpp"
#include "server/config/config.h"
#include "server/core/names.h"
#include "tests/testing/fuzz_check.h"

namespace ff {
namespace {

using nlohmann::json;

json RuleJson(const ReminderRule& rule, const char* unit_key, absl::Duration unit) {
  json after = json::object();
  for (const auto& [severity, duration] : rule.after) {
    absl::Duration remainder;
    after[SeverityName(severity)] = absl::IDivDuration(duration, unit, &remainder);
  }
  json out = {{unit_key, after}};
  if (rule.office_hours) {
    const OfficeHours& hours = *rule.office_hours;
    static constexpr const char* kDays[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
    json days = json::array();
    for (absl::Weekday day : hours.days) days.push_back(kDays[static_cast<int>(day)]);
    auto hhmm = [](int minute) {
      return absl::StrCat(minute / 600, minute / 60 % 10, ":", minute % 60 / 10, minute % 10);
    };
    out["office_hours"] = {{"days", days},
                           {"start", hhmm(hours.start_minute)},
                           {"end", hhmm(hours.end_minute)},
                           {"time_zone", hours.zone.name()}};
  }
  return out;
}

json ConfigJson(const ServerConfig& config) {
  json domains = json::array();
  for (const DomainConfig& d : config.domains) {
    domains.push_back({{"name", d.name}, {"description", d.description}, {"invite", d.invite}});
  }
  const ReminderSettings& r = config.reminders;
  return {{"domains", domains},
          {"watch_queue_limit", config.watch_queue_limit},
          {"outbox",
           {{"initial_backoff_ms", absl::ToInt64Milliseconds(config.initial_backoff)},
            {"max_backoff_ms", absl::ToInt64Milliseconds(config.max_backoff)},
            {"max_attempts", config.max_attempts},
            {"workers_per_notifier", config.workers_per_notifier}}},
          {"notifiers", config.notifiers},
          {"reminders",
           {{"check_every_seconds", absl::ToInt64Seconds(r.check_every)},
            {"stale", RuleJson(r.stale, "after_minutes", absl::Minutes(1))},
            {"fixed", RuleJson(r.fixed, "after_hours", absl::Hours(1))},
            {"postmortem", RuleJson(r.postmortem, "after_days", absl::Hours(24))}}}};
}

void CheckBounds(const ServerConfig& config) {
  FUZZ_CHECK(!config.domains.empty(), "domains");
  for (size_t i = 0; i < config.domains.size(); ++i) {
    const std::string& name = config.domains[i].name;
    FUZZ_CHECK(!name.empty() && name.size() <= 40 && name.front() != '-', name);
    for (size_t j = 0; j < i; ++j) FUZZ_CHECK(config.domains[j].name != name, name);
  }
  FUZZ_CHECK(config.watch_queue_limit >= 1, "watch_queue_limit");
  FUZZ_CHECK(config.initial_backoff > absl::ZeroDuration(), "initial_backoff");
  FUZZ_CHECK(config.initial_backoff <= config.max_backoff, "backoffs out of order");
  FUZZ_CHECK(config.max_attempts >= 1 && config.workers_per_notifier >= 1, "outbox counts");
  FUZZ_CHECK(config.notifiers.is_object(), "notifiers");
}

bool SameRule(const ReminderRule& a, const ReminderRule& b) {
  if (a.after != b.after || a.office_hours.has_value() != b.office_hours.has_value()) return false;
  if (!a.office_hours) return true;
  const OfficeHours& x = *a.office_hours;
  const OfficeHours& y = *b.office_hours;
  return x.days == y.days && x.start_minute == y.start_minute && x.end_minute == y.end_minute &&
         x.zone == y.zone;
}

void CheckRoundTrip(const ServerConfig& config) {
  std::string text = ConfigJson(config).dump();
  absl::StatusOr<ServerConfig> again = ParseConfig(text);
  FUZZ_CHECK(again.ok(), again.status().ToString());
  FUZZ_CHECK(again->domains.size() == config.domains.size(), "domains round trip");
  for (size_t i = 0; i < config.domains.size(); ++i) {
    const DomainConfig& a = config.domains[i];
    const DomainConfig& b = again->domains[i];
    FUZZ_CHECK(a.name == b.name && a.description == b.description && a.invite == b.invite, a.name);
  }
  FUZZ_CHECK(again->watch_queue_limit == config.watch_queue_limit &&
                 again->initial_backoff == config.initial_backoff &&
                 again->max_backoff == config.max_backoff &&
                 again->max_attempts == config.max_attempts &&
                 again->workers_per_notifier == config.workers_per_notifier,
             "outbox round trip");
  FUZZ_CHECK(again->notifiers == config.notifiers, "notifiers round trip");
  const ReminderSettings& r = config.reminders;
  FUZZ_CHECK(again->reminders.check_every == r.check_every &&
                 SameRule(again->reminders.stale, r.stale) &&
                 SameRule(again->reminders.fixed, r.fixed) &&
                 SameRule(again->reminders.postmortem, r.postmortem),
             "reminders round trip");
}

}  // namespace
}  // namespace ff

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  absl::StatusOr<ff::ServerConfig> config = ff::ParseConfig(text);
  if (!config.ok()) {
    ff::fuzzing::CheckParseError(config.status(), "config: ");
    return 0;
  }
  ff::CheckBounds(*config);
  ff::CheckRoundTrip(*config);
  return 0;
}
