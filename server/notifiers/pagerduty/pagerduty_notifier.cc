#include "server/notifiers/pagerduty/pagerduty_notifier.h"

#include <openssl/sha.h>

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "absl/time/time.h"
#include "clients/http/encoding.h"
#include "clients/pagerduty/pagerduty_client.h"
#include "common/status_macros.h"
#include "server/core/names.h"
#include "server/core/time_util.h"
#include "server/core/workflow.h"
#include "server/notifiers/budgeted_notifier.h"
#include "server/notifiers/config_reader.h"
#include "server/notifiers/delivery_steps.h"
#include "server/notifiers/links.h"

namespace ff {
namespace {

using json = nlohmann::json;

constexpr char kName[] = "pagerduty";
constexpr char kLinkKind[] = "pagerduty";
// The link's url: which routing key triggered, without the key itself.
constexpr char kRoutingRefPrefix[] = "routing-key-sha256:";
constexpr size_t kFingerprintLength = 8;
constexpr size_t kSummaryLimit = 1024;  // Events API v2 payload.summary
constexpr size_t kRoutingKeyLength = 32;

struct DomainRoute {
  std::string routing_key;           // empty: the default one
  std::string escalation_policy_id;  // empty: no on-call lookup
};

struct PagerDutyConfig {
  std::string events_url;
  std::string api_url;
  std::string routing_key;  // default for domains without their own
  std::string api_token;    // empty: no on-call lookup
  std::map<std::string, DomainRoute> domains;
  absl::Duration timeout;
  std::string installation_id;
};

// AlertRef names one PagerDuty alert: the dedup key within the service the
// routing key leads to.
struct AlertRef {
  std::string dedup_key;
  std::string routing_key;
};

std::string DedupKey(absl::string_view installation_id, int64_t incident_id) {
  return absl::StrCat("firefighter-", installation_id, "-incident-", incident_id);
}

// LegacyDedupKey is the key triggered before installation ids existed.
std::string LegacyDedupKey(int64_t incident_id) {
  return absl::StrCat("firefighter-incident-", incident_id);
}

// Fingerprint names a routing key without revealing it: the first 8 hex
// digits of its SHA-256.
std::string Fingerprint(absl::string_view routing_key) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(routing_key.data()), routing_key.size(), digest);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (size_t i = 0; i < kFingerprintLength / 2; ++i) {
    out += {kHex[digest[i] >> 4], kHex[digest[i] & 15]};
  }
  return out;
}

// IsReopen is true for the workflow's reopen: FIXED back to INVESTIGATING or
// FIXING. The event holds the incident after the change only; the status it
// left is in the entry the change wrote ("Reopened: status FIXED → FIXING…").
bool IsReopen(const pb::IncidentEvent& event) {
  pb::Status to = event.incident().status();
  if (event.type() != kEventStatusChanged || event.entry().kind() != "status" ||
      (to != pb::STATUS_INVESTIGATING && to != pb::STATUS_FIXING)) {
    return false;
  }
  absl::string_view text = event.entry().text();
  absl::ConsumePrefix(&text, "Reopened: ");
  return absl::StartsWith(text,
                          absl::StrCat("status ", StatusName(pb::STATUS_FIXED), " \xE2\x86\x92 "));
}

// PagerDutySeverity maps FireFighter severities onto the four PagerDuty knows.
std::string PagerDutySeverity(pb::Severity severity) {
  switch (severity) {
    case pb::SEVERITY_SEV1:
      return "critical";
    case pb::SEVERITY_SEV2:
      return "error";
    case pb::SEVERITY_SEV3:
      return "warning";
    default:
      return "info";
  }
}

std::string IsoTime(const google::protobuf::Timestamp& ts, const Clock* clock) {
  absl::Time when = ts.seconds() > 0 && IsValidTimestamp(ts) ? FromTimestamp(ts) : clock->Now();
  return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", when, absl::UTCTimeZone());
}

class PagerDutyNotifier final : public Notifier {
 public:
  PagerDutyNotifier(PagerDutyConfig config, HttpClient* http, const Clock* clock)
      : config_(std::move(config)),
        client_(http, config_.events_url, config_.api_url, config_.api_token, config_.timeout),
        clock_(clock) {}

  absl::string_view name() const override { return kName; }

  bool Interested(const pb::IncidentEvent& event) const override {
    const pb::Incident& incident = event.incident();
    bool pages = incident.trigger_oncall() && !RoutingKeyFor(incident.domain()).empty();
    // A resolve goes with the key that triggered, whatever the domain is now.
    bool resolves = incident.trigger_oncall() && HasRoutingKey();
    if (event.type() == kEventOpened) return pages || LooksUpOnCall(incident.domain());
    if (event.type() == kEventStatusChanged) {
      return incident.status() == pb::STATUS_FIXED ? resolves : pages && IsReopen(event);
    }
    if (event.type() == kEventClosed) return resolves;
    return false;
  }

  absl::StatusOr<DeliveryResult> Deliver(const Delivery& delivery) override {
    const pb::IncidentEvent& event = delivery.event;
    if (!Interested(event)) return DeliveryResult{};
    if (event.type() == kEventOpened) return DeliverOpened(delivery);
    DeliveryResult result;
    if (IsReopen(event)) {
      FF_ASSIGN_OR_RETURN(json triggered, Trigger(event.incident(), delivery.current));
      AddTriggered(triggered, event.incident().domain(), /*again=*/true, &result);
      return result;
    }
    FF_RETURN_IF_ERROR(Resolve(delivery, &result));
    return result;
  }

 private:
  std::string RoutingKeyFor(const std::string& domain) const {
    auto it = config_.domains.find(domain);
    if (it != config_.domains.end() && !it->second.routing_key.empty()) {
      return it->second.routing_key;
    }
    return config_.routing_key;
  }

  bool HasRoutingKey() const {
    if (!config_.routing_key.empty()) return true;
    for (const auto& [domain, route] : config_.domains) {
      if (!route.routing_key.empty()) return true;
    }
    return false;
  }

  // RoutingKeyWithFingerprint returns the configured key (default or any
  // domain's) with `fingerprint`, or "" when none has it.
  std::string RoutingKeyWithFingerprint(absl::string_view fingerprint) const {
    if (!config_.routing_key.empty() && Fingerprint(config_.routing_key) == fingerprint) {
      return config_.routing_key;
    }
    for (const auto& [domain, route] : config_.domains) {
      if (!route.routing_key.empty() && Fingerprint(route.routing_key) == fingerprint) {
        return route.routing_key;
      }
    }
    return "";
  }

  std::string PolicyFor(const std::string& domain) const {
    auto it = config_.domains.find(domain);
    return it == config_.domains.end() ? "" : it->second.escalation_policy_id;
  }

  bool LooksUpOnCall(const std::string& domain) const {
    return !config_.api_token.empty() && !PolicyFor(domain).empty();
  }

  absl::StatusOr<DeliveryResult> DeliverOpened(const Delivery& delivery);
  absl::StatusOr<json> Trigger(const pb::Incident& incident, const pb::Incident& current);
  void AddTriggered(const json& triggered, const std::string& domain, bool again,
                    DeliveryResult* result);
  const pb::Link* OurLink(const pb::Incident& holder, int64_t incident_id) const;
  absl::StatusOr<std::optional<AlertRef>> AlertToResolve(const Delivery& delivery) const;
  absl::Status Resolve(const Delivery& delivery, DeliveryResult* result);
  absl::Status AddOnCall(const std::string& domain, DeliveryResult* result);
  absl::StatusOr<std::string> FindPhone(const std::string& user_id);

  void AppendNote(DeliveryResult* result, const std::string& note) {
    result->note = result->note.empty() ? note : absl::StrCat(result->note, " ", note);
  }

  const PagerDutyConfig config_;
  PagerDutyClient client_;
  const Clock* const clock_;
};

absl::StatusOr<DeliveryResult> PagerDutyNotifier::DeliverOpened(const Delivery& delivery) {
  const pb::Incident& incident = delivery.event.incident();
  const bool looks_up = LooksUpOnCall(incident.domain());
  DeliveryResult result;
  if (incident.trigger_oncall() && !RoutingKeyFor(incident.domain()).empty()) {
    auto trigger = [&](bool) { return Trigger(incident, delivery.current); };
    // With a lookup to follow, the trigger is recorded so that a retry after
    // the lookup failed does not send it again. Unguarded: a repeated trigger
    // only deduplicates into the open alert, so a lost answer needs no look.
    DeliverySteps steps(delivery);
    FF_ASSIGN_OR_RETURN(json triggered, looks_up ? steps.Run("trigger", trigger, /*guarded=*/false)
                                                 : trigger(false));
    AddTriggered(triggered, incident.domain(), /*again=*/false, &result);
  }
  if (looks_up) FF_RETURN_IF_ERROR(AddOnCall(incident.domain(), &result));
  return result;
}

// Trigger pages for `incident` and returns what the link must record:
// {"dedup_key": …, "routing_key_sha256": …}.
absl::StatusOr<json> PagerDutyNotifier::Trigger(const pb::Incident& incident,
                                                const pb::Incident& current) {
  std::string summary =
      TruncateUtf8(absl::StrCat("[", SeverityName(incident.severity()), "] #", incident.id(), " ",
                                incident.domain(), ": ", incident.title()),
                   kSummaryLimit);
  json details = {{"incident_id", incident.id()},
                  {"title", incident.title()},
                  {"description", incident.description()},
                  {"domain", incident.domain()},
                  {"severity", SeverityName(incident.severity())},
                  {"status", StatusName(incident.status())},
                  {"reporter", incident.reporter()},
                  {"commander", incident.roles().commander()}};
  const std::string routing_key = RoutingKeyFor(incident.domain());
  const std::string dedup_key = DedupKey(config_.installation_id, incident.id());
  json event = {{"routing_key", routing_key},
                {"event_action", "trigger"},
                {"dedup_key", dedup_key},
                {"client", "FireFighter"},
                {"payload",
                 {{"summary", summary},
                  {"source", "firefighter"},
                  {"severity", PagerDutySeverity(incident.severity())},
                  {"timestamp", IsoTime(incident.created_at(), clock_)},
                  {"component", incident.domain()},
                  {"class", "incident"},
                  {"custom_details", details}}}};
  if (const pb::Link* channel = FindLink(current, "slack_channel")) {
    event["links"] = json::array({{{"href", channel->url()}, {"text", "Incident Slack channel"}}});
  }
  FF_RETURN_IF_ERROR(client_.Enqueue(event, "pagerduty trigger"));
  return json{{"dedup_key", dedup_key}, {"routing_key_sha256", Fingerprint(routing_key)}};
}

void PagerDutyNotifier::AddTriggered(const json& triggered, const std::string& domain, bool again,
                                     DeliveryResult* result) {
  const std::string dedup_key = triggered.value("dedup_key", "");
  pb::Link link;
  link.set_kind(kLinkKind);
  link.set_external_id(dedup_key);
  link.set_url(absl::StrCat(kRoutingRefPrefix, triggered.value("routing_key_sha256", "")));
  result->links.push_back(link);
  AppendNote(result, absl::StrCat("PagerDuty paged the on-call for ", domain,
                                  again ? " again, the incident was reopened" : "", " (dedup key ",
                                  dedup_key, ")."));
}

// OurLink returns, among the links of `holder`, the "pagerduty" link of an
// alert this installation triggered for incident `incident_id` (or, from
// before installation ids, any FireFighter did), or nullptr.
const pb::Link* PagerDutyNotifier::OurLink(const pb::Incident& holder, int64_t incident_id) const {
  const std::string ours = DedupKey(config_.installation_id, incident_id);
  const std::string legacy = LegacyDedupKey(incident_id);
  const pb::Link* found = nullptr;
  for (const pb::Link& link : holder.links()) {
    if (link.kind() != kLinkKind) continue;
    if (link.external_id() == ours) return &link;
    if (link.external_id() == legacy) found = &link;
  }
  return found;
}

// AlertToResolve reads what the trigger recorded (delivery.current, else the
// event's incident); nullopt when there is nothing to resolve.
absl::StatusOr<std::optional<AlertRef>> PagerDutyNotifier::AlertToResolve(
    const Delivery& delivery) const {
  const pb::Incident& incident = delivery.event.incident();
  const pb::Link* link = OurLink(delivery.current, incident.id());
  if (link == nullptr) link = OurLink(incident, incident.id());
  if (link != nullptr && !link->url().empty()) {
    absl::string_view fingerprint = link->url();
    std::string routing_key;
    if (absl::ConsumePrefix(&fingerprint, kRoutingRefPrefix)) {
      routing_key = RoutingKeyWithFingerprint(fingerprint);
    }
    if (routing_key.empty()) {
      return absl::FailedPreconditionError(absl::StrCat(
          "pagerduty resolve: link \"", kLinkKind, "\" ", link->external_id(), " (", link->url(),
          ") names a routing key that is no longer configured; resolve the alert in PagerDuty"));
    }
    return std::optional<AlertRef>(AlertRef{link->external_id(), std::move(routing_key)});
  }
  // No record of a trigger, or one from before installation ids (no routing
  // key recorded): the current domain's key is all there is to go by.
  std::string routing_key = RoutingKeyFor(incident.domain());
  if (link == nullptr) {
    if (routing_key.empty()) return std::optional<AlertRef>();
    return std::optional<AlertRef>(
        AlertRef{DedupKey(config_.installation_id, incident.id()), std::move(routing_key)});
  }
  if (routing_key.empty()) {
    return absl::FailedPreconditionError(
        absl::StrCat("pagerduty resolve: link \"", kLinkKind, "\" ", link->external_id(),
                     " records no routing key and domain ", incident.domain(), " has none"));
  }
  return std::optional<AlertRef>(AlertRef{link->external_id(), std::move(routing_key)});
}

absl::Status PagerDutyNotifier::Resolve(const Delivery& delivery, DeliveryResult* result) {
  FF_ASSIGN_OR_RETURN(std::optional<AlertRef> alert, AlertToResolve(delivery));
  if (!alert) return absl::OkStatus();
  // PagerDuty drops a resolve for an alert that is not open, so resolving at
  // FIXED and again at close (or twice after a retry) is harmless.
  json event = {{"routing_key", alert->routing_key},
                {"event_action", "resolve"},
                {"dedup_key", alert->dedup_key}};
  FF_RETURN_IF_ERROR(client_.Enqueue(event, "pagerduty resolve"));
  AppendNote(result, absl::StrCat("PagerDuty alert ", alert->dedup_key, " resolved."));
  return absl::OkStatus();
}

absl::Status PagerDutyNotifier::AddOnCall(const std::string& domain, DeliveryResult* result) {
  FF_ASSIGN_OR_RETURN(std::optional<OnCallPerson> person, client_.FindOnCall(PolicyFor(domain)));
  if (!person) {
    AppendNote(result, absl::StrCat("Nobody is on call for ", domain, " in PagerDuty."));
    return absl::OkStatus();
  }
  if (!person->email.empty()) result->participants.push_back(person->email);
  pb::Link link;
  link.set_kind("oncall");
  link.set_external_id(person->id);
  link.set_url(person->html_url);
  result->links.push_back(link);
  std::vector<std::string> contact;
  if (!person->email.empty()) contact.push_back(person->email);
  if (!person->phone.empty()) contact.push_back(person->phone);
  std::string note = absl::StrCat("On call for ", domain, ": ", person->name);
  if (!contact.empty()) absl::StrAppend(&note, " (", absl::StrJoin(contact, ", "), ")");
  AppendNote(result, note);
  return absl::OkStatus();
}

// ReadRoutingKey reads an optional "*_env" key naming a 32-character key.
absl::StatusOr<std::string> ReadRoutingKey(ConfigReader& reader, const json& config,
                                           const NotifierEnv& env) {
  if (!config.contains("routing_key_env")) {
    FF_RETURN_IF_ERROR(reader.String("routing_key_env", false).status());
    return std::string();
  }
  FF_ASSIGN_OR_RETURN(std::string key, reader.Secret("routing_key_env", env));
  if (key.size() != kRoutingKeyLength) {
    return reader.Error("routing_key_env",
                        "names an environment variable that does not hold a 32-character "
                        "integration key");
  }
  return key;
}

absl::StatusOr<std::map<std::string, DomainRoute>> ReadDomains(const json& domains,
                                                               const NotifierEnv& env) {
  std::map<std::string, DomainRoute> out;
  for (const auto& [domain, value] : domains.items()) {
    ConfigReader reader(absl::StrCat("notifiers.pagerduty.domains.", domain), value);
    if (!value.is_object()) {
      return absl::InvalidArgumentError(
          absl::StrCat("config: notifiers.pagerduty.domains.", domain, " must be an object"));
    }
    if (env.domains != nullptr && env.domains->Find(domain) == nullptr) {
      return absl::InvalidArgumentError(
          absl::StrCat("config: notifiers.pagerduty.domains.", domain,
                       " is not a configured domain (known: ", env.domains->Names(), ")"));
    }
    DomainRoute route;
    FF_ASSIGN_OR_RETURN(route.routing_key, ReadRoutingKey(reader, value, env));
    FF_ASSIGN_OR_RETURN(route.escalation_policy_id, reader.String("escalation_policy_id", false));
    FF_RETURN_IF_ERROR(reader.Finish());
    out.emplace(domain, std::move(route));
  }
  return out;
}

class PagerDutyNotifierFactory final : public NotifierFactory {
 public:
  absl::string_view name() const override { return kName; }

  absl::StatusOr<std::unique_ptr<Notifier>> Create(const json& config,
                                                   const NotifierEnv& env) const override {
    if (env.http == nullptr || env.clock == nullptr) {
      return absl::FailedPreconditionError("pagerduty notifier needs an HTTP client and a clock");
    }
    if (env.installation_id.empty()) {
      return absl::InternalError("notifiers.pagerduty: no installation id");
    }
    ConfigReader reader("notifiers.pagerduty", config);
    PagerDutyConfig parsed;
    FF_ASSIGN_OR_RETURN(parsed.events_url,
                        reader.Url("events_url", "https://events.pagerduty.com"));
    FF_ASSIGN_OR_RETURN(parsed.api_url, reader.Url("api_url", "https://api.pagerduty.com"));
    FF_ASSIGN_OR_RETURN(parsed.routing_key, ReadRoutingKey(reader, config, env));
    if (config.contains("api_token_env")) {
      FF_ASSIGN_OR_RETURN(parsed.api_token, reader.Secret("api_token_env", env));
    } else {
      FF_RETURN_IF_ERROR(reader.String("api_token_env", false).status());
    }
    FF_ASSIGN_OR_RETURN(json domains, reader.Object("domains"));
    FF_ASSIGN_OR_RETURN(parsed.domains, ReadDomains(domains, env));
    FF_ASSIGN_OR_RETURN(parsed.timeout, reader.Timeout());
    // Events API v2: about 120 events a minute per integration key (counted
    // here across keys, to be safe); the REST API is paced only by its 429s.
    FF_ASSIGN_OR_RETURN(auto limits, reader.RateLimits({{"events", {120, absl::Minutes(1)}},
                                                        {"rest", {0, absl::Minutes(1)}}}));
    FF_RETURN_IF_ERROR(reader.Finish());
    parsed.installation_id = env.installation_id;
    const std::string events_url = parsed.events_url;
    return MakeBudgetedNotifier(
        env, std::move(limits),
        [events_url](const HttpRequest& request) {
          return absl::StartsWith(request.url, events_url) ? "events" : "rest";
        },
        [&parsed](const NotifierEnv& budgeted) -> absl::StatusOr<std::unique_ptr<Notifier>> {
          return std::unique_ptr<Notifier>(std::make_unique<PagerDutyNotifier>(
              std::move(parsed), budgeted.http, budgeted.clock));
        });
  }
};

}  // namespace

std::unique_ptr<NotifierFactory> MakePagerDutyNotifierFactory() {
  return std::make_unique<PagerDutyNotifierFactory>();
}

}  // namespace ff
