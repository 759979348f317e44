#include "server/notifiers/statuspage/statuspage_notifier.h"

#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "clients/http/encoding.h"
#include "clients/statuspage/statuspage_client.h"
#include "common/status_macros.h"
#include "server/core/names.h"
#include "server/core/workflow.h"
#include "server/notifiers/budgeted_notifier.h"
#include "server/notifiers/config_reader.h"
#include "server/notifiers/links.h"

namespace ff {
namespace {

using json = nlohmann::json;

constexpr char kName[] = "statuspage";
constexpr size_t kNameLimit = 255;

struct StatuspageConfig {
  std::string base_url;
  std::string page_id;
  std::string api_key;
  std::set<int> severities;  // pb::Severity values
  std::vector<std::string> component_ids;
  absl::Duration timeout;
  std::string installation_id;
};

std::string PageStatus(pb::Status status) {
  switch (status) {
    case pb::STATUS_FIXING:
      return "identified";
    case pb::STATUS_FIXED:
      return "monitoring";
    case pb::STATUS_POSTMORTEM:
    case pb::STATUS_CLOSED:
      return "resolved";
    default:
      return "investigating";
  }
}

std::string Impact(pb::Severity severity) {
  switch (severity) {
    case pb::SEVERITY_SEV1:
      return "critical";
    case pb::SEVERITY_SEV2:
      return "major";
    case pb::SEVERITY_SEV5:
      return "none";
    default:
      return "minor";
  }
}

std::string ComponentStatus(pb::Severity severity, const std::string& page_status) {
  if (page_status == "resolved") return "operational";
  switch (severity) {
    case pb::SEVERITY_SEV1:
      return "major_outage";
    case pb::SEVERITY_SEV2:
      return "partial_outage";
    default:
      return "degraded_performance";
  }
}

// Generic public wording: the internal timeline is not for customers.
std::string PublicMessage(const std::string& page_status) {
  if (page_status == "identified") {
    return "The issue has been identified and a fix is being implemented.";
  }
  if (page_status == "monitoring") {
    return "A fix has been implemented and we are monitoring the results.";
  }
  if (page_status == "resolved") return "This incident has been resolved.";
  return "We are investigating this issue.";
}

class StatuspageNotifier final : public Notifier {
 public:
  StatuspageNotifier(StatuspageConfig config, HttpClient* http)
      : config_(std::move(config)),
        client_(http, config_.base_url, config_.page_id, config_.api_key, config_.timeout) {}

  absl::string_view name() const override { return kName; }

  bool Interested(const pb::IncidentEvent& event) const override {
    bool published = Published(event.incident().severity());
    if (event.type() == kEventOpened) return published;
    if (event.type() == kEventStatusChanged || event.type() == kEventSeverityChanged ||
        event.type() == kEventClosed) {
      return published || FindLink(event.incident(), "statuspage") != nullptr;
    }
    return false;
  }

  absl::StatusOr<DeliveryResult> Deliver(const Delivery& delivery) override;

 private:
  bool Published(pb::Severity severity) const { return config_.severities.count(severity) > 0; }

  // FindExisting returns the status page incident for `delivery`, or null.
  absl::StatusOr<json> FindExisting(const Delivery& delivery);
  // IsOurs is true when `page` carries this installation's marker for the
  // incident.
  bool IsOurs(const json& page, int64_t incident_id) const;
  absl::StatusOr<json> CreateIncident(const pb::Incident& incident);
  // Sync patches what differs between `page` and `incident`; "" when nothing.
  absl::StatusOr<std::string> Sync(const json& page, const pb::Incident& incident);
  json Components(const pb::Incident& incident, const std::string& page_status) const;

  const StatuspageConfig config_;
  StatuspageClient client_;
};

absl::StatusOr<DeliveryResult> StatuspageNotifier::Deliver(const Delivery& delivery) {
  DeliveryResult result;
  if (!Interested(delivery.event)) return result;
  const pb::Incident& incident = delivery.event.incident();
  FF_ASSIGN_OR_RETURN(json page, FindExisting(delivery));
  if (page.is_null()) {
    // Nothing to tell customers about an incident they never saw, or one
    // already over.
    if (!Published(incident.severity()) || PageStatus(incident.status()) == "resolved") {
      return result;
    }
    FF_ASSIGN_OR_RETURN(page, CreateIncident(incident));
    result.note = absl::StrCat("Status page incident created: ", page.value("shortlink", ""));
  } else {
    FF_ASSIGN_OR_RETURN(std::string change, Sync(page, incident));
    if (!change.empty()) result.note = absl::StrCat("Status page updated: ", change);
  }
  if (FindLink(delivery.current, "statuspage") == nullptr) {
    pb::Link link;
    link.set_kind("statuspage");
    link.set_external_id(page.value("id", ""));
    link.set_url(page.value("shortlink", ""));
    result.links.push_back(std::move(link));
  }
  return result;
}

absl::StatusOr<json> StatuspageNotifier::FindExisting(const Delivery& delivery) {
  const pb::Link* link = FindLink(delivery.current, "statuspage");
  if (link == nullptr) link = FindLink(delivery.event.incident(), "statuspage");
  if (link != nullptr && !link->external_id().empty()) {
    return client_.GetIncident(link->external_id());
  }
  // No link yet (an earlier attempt may have created it and then failed):
  // look for our marker among the unresolved incidents. Another
  // installation's incident #<id> (or one from before markers) is not ours.
  FF_ASSIGN_OR_RETURN(json list, client_.ListUnresolved());
  for (const json& page : list) {
    if (IsOurs(page, delivery.event.incident().id())) return page;
  }
  return json();
}

bool StatuspageNotifier::IsOurs(const json& page, int64_t incident_id) const {
  if (!page.is_object() || !page.contains("metadata") || !page["metadata"].is_object()) {
    return false;
  }
  const json& metadata = page["metadata"];
  if (!metadata.contains("firefighter") || !metadata["firefighter"].is_object()) return false;
  const json& marker = metadata["firefighter"];
  return marker.value("incident_id", json()) == std::to_string(incident_id) &&
         marker.value("installation", json()) == config_.installation_id;
}

json StatuspageNotifier::Components(const pb::Incident& incident,
                                    const std::string& page_status) const {
  json components = json::object();
  for (const std::string& id : config_.component_ids) {
    components[id] = ComponentStatus(incident.severity(), page_status);
  }
  return components;
}

absl::StatusOr<json> StatuspageNotifier::CreateIncident(const pb::Incident& incident) {
  std::string status = PageStatus(incident.status());
  std::string name = TruncateUtf8(incident.title(), kNameLimit);
  json body = {{"incident",
                {{"name", name},
                 {"status", status},
                 {"impact_override", Impact(incident.severity())},
                 {"body", PublicMessage(status)},
                 {"deliver_notifications", true},
                 {"metadata",
                  {{"firefighter",
                    {{"incident_id", std::to_string(incident.id())},
                     {"installation", config_.installation_id}}}}}}}};
  if (!config_.component_ids.empty()) {
    body["incident"]["component_ids"] = config_.component_ids;
    body["incident"]["components"] = Components(incident, status);
  }
  return client_.CreateIncident(body);
}

absl::StatusOr<std::string> StatuspageNotifier::Sync(const json& page,
                                                     const pb::Incident& incident) {
  std::string status = PageStatus(incident.status());
  std::string impact = Impact(incident.severity());
  json update = json::object();
  std::string change;
  if (page.value("status", "") != status) {
    update["status"] = status;
    update["body"] = PublicMessage(status);
    change = status;
  }
  if (page.value("impact_override", json()) != impact && status != "resolved") {
    update["impact_override"] = impact;
    change = change.empty() ? absl::StrCat("impact ", impact)
                            : absl::StrCat(change, ", impact ", impact);
  }
  if (update.empty()) return std::string();  // already so: a repeated delivery
  if (!config_.component_ids.empty()) update["components"] = Components(incident, status);
  json body = {{"incident", update}};
  FF_RETURN_IF_ERROR(client_.UpdateIncident(page.value("id", ""), body).status());
  return change;
}

class StatuspageNotifierFactory final : public NotifierFactory {
 public:
  absl::string_view name() const override { return kName; }

  absl::StatusOr<std::unique_ptr<Notifier>> Create(const json& config,
                                                   const NotifierEnv& env) const override {
    if (env.http == nullptr) {
      return absl::FailedPreconditionError("statuspage notifier needs an HTTP client");
    }
    ConfigReader reader("notifiers.statuspage", config);
    StatuspageConfig parsed;
    FF_ASSIGN_OR_RETURN(parsed.base_url, reader.Url("base_url", "https://api.statuspage.io"));
    FF_ASSIGN_OR_RETURN(parsed.page_id, reader.String("page_id", true));
    FF_ASSIGN_OR_RETURN(parsed.api_key, reader.Secret("api_key_env", env));
    FF_ASSIGN_OR_RETURN(
        parsed.severities,
        reader.Severities("severities", {pb::SEVERITY_SEV1, pb::SEVERITY_SEV2, pb::SEVERITY_SEV3}));
    FF_ASSIGN_OR_RETURN(parsed.component_ids, reader.Strings("component_ids"));
    FF_ASSIGN_OR_RETURN(parsed.timeout, reader.Timeout());
    // About one request a second per API key: 60 a minute.
    FF_ASSIGN_OR_RETURN(auto limits, reader.RateLimits({{"api", {60, absl::Minutes(1)}}}));
    FF_RETURN_IF_ERROR(reader.Finish());
    if (env.installation_id.empty()) {
      return absl::InternalError("notifiers.statuspage: no installation id");
    }
    parsed.installation_id = env.installation_id;
    return MakeBudgetedNotifier(
        env, std::move(limits), [](const HttpRequest&) { return "api"; },
        [&parsed](const NotifierEnv& budgeted) -> absl::StatusOr<std::unique_ptr<Notifier>> {
          return std::unique_ptr<Notifier>(
              std::make_unique<StatuspageNotifier>(std::move(parsed), budgeted.http));
        });
  }
};

}  // namespace

std::unique_ptr<NotifierFactory> MakeStatuspageNotifierFactory() {
  return std::make_unique<StatuspageNotifierFactory>();
}

}  // namespace ff
