// Notifier: one outside system (Slack, PagerDuty, …) told about incident
// changes, fed by the durable outbox.
//
// The outbox asks Interested() inside the transaction that commits a change,
// and stores one delivery per interested notifier; the dispatcher later calls
// Deliver(), retrying with backoff on retryable errors, in order per incident,
// possibly more than once for the same delivery (after a crash or timeout):
// Deliver must be idempotent (find-before-create, dedup keys).
// Implementations are thread-safe: deliveries for different incidents run
// concurrently.
#ifndef FF_SERVER_NOTIFIERS_NOTIFIER_H_
#define FF_SERVER_NOTIFIERS_NOTIFIER_H_

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "clients/http/http_client.h"
#include "common/clock.h"
#include "firefighter/v1/follow_up.pb.h"
#include "firefighter/v1/incident.pb.h"
#include "nlohmann/json.hpp"
#include "server/core/domain_catalog.h"
#include "server/core/follow_ups.h"

namespace ff {
namespace pb = ::firefighter::v1;

// Delivery is one event for one notifier.
struct Delivery {
  int64_t id = 0;
  std::string notifier;
  // The event as committed: its type, the incident as it stood right after
  // the change, and the timeline entry the change wrote.
  pb::IncidentEvent event;
  // The incident as it stands now, with the links earlier deliveries stored
  // (e.g. the Slack channel a status post goes to).
  pb::Incident current;
  // The incident's whole timeline, oldest first; filled only for notifiers
  // whose NeedsTimeline() is true (it costs a read per delivery).
  std::vector<pb::TimelineEntry> timeline;
  int attempt = 1;  // 1 for the first try
  // What earlier attempts of this delivery recorded through
  // `record_progress` (an empty object on a first attempt). Use DeliverySteps
  // (delivery_steps.h) rather than reading it directly.
  nlohmann::json progress = nlohmann::json::object();
  // Stores `progress` durably before the notifier goes on, so a retry —
  // after an error, a timeout or a kill -9 — resumes at the step that did
  // not finish. Empty: progress is not kept (each attempt starts afresh).
  std::function<absl::Status(const nlohmann::json& progress)> record_progress;
  // The incident's follow-ups, by id; filled only for notifiers whose
  // NeedsFollowUps() is true.
  std::vector<pb::FollowUp> follow_ups = {};
};

// DeliveryResult is what a delivery learned that the incident must keep.
struct DeliveryResult {
  // Upserted by kind + external_id onto the incident ("slack_channel",
  // "postmortem", "meeting", "pagerduty", "statuspage", "datadog_notebook", …).
  std::vector<pb::Link> links;
  // Added to the incident's participants (e.g. the on-call person).
  std::vector<std::string> participants;
  // One line for the incident timeline, kind "notification" (empty: none).
  std::string note;
  // Stored on the follow-ups they name (tracker_key, tracker_url), each
  // change announced as "followup.tracker_linked" (server/core/follow_ups.h).
  std::vector<TrackerLink> trackers;
};

class Notifier {
 public:
  virtual ~Notifier() = default;
  // The configuration key and delivery label: "slack", "pagerduty", …
  virtual absl::string_view name() const = 0;
  // Interested is true when this notifier acts on `event`. Pure and quick: it
  // runs inside the write transaction.
  virtual bool Interested(const pb::IncidentEvent& event) const = 0;
  // NeedsTimeline is true for notifiers that render the timeline (the
  // postmortem page): the dispatcher then fills Delivery::timeline.
  virtual bool NeedsTimeline() const { return false; }
  // NeedsFollowUps is true for notifiers that show the incident's follow-ups
  // (the postmortem page, the Slack summary's counts): the dispatcher then
  // fills Delivery::follow_ups.
  virtual bool NeedsFollowUps() const { return false; }
  // Deliver performs the side effects of one delivery. Errors follow
  // clients/http/http_client.h: retryable codes are retried with backoff,
  // honouring RetryAfterOf(status); others end the delivery as dead.
  virtual absl::StatusOr<DeliveryResult> Deliver(const Delivery& delivery) = 0;
};

// NotifierEnv is what a factory may hand to the notifiers it builds.
struct NotifierEnv {
  HttpClient* http = nullptr;    // outlives the notifiers
  const Clock* clock = nullptr;  // outlives the notifiers
  const DomainCatalog* domains = nullptr;
  // Reads an environment variable; secrets come only from there.
  std::function<std::optional<std::string>(const std::string& name)> getenv;
  // The database's installation id: 16 lower-case hex digits, made once per
  // database. Every marker a notifier leaves in an outside system (message
  // metadata, dedup keys, event ids, tags) carries it, and a notifier never
  // adopts, edits or posts into an object that does not carry it: another
  // FireFighter (staging beside production, a restored backup) may share the
  // same accounts.
  std::string installation_id;
};

class NotifierFactory {
 public:
  virtual ~NotifierFactory() = default;
  virtual absl::string_view name() const = 0;
  // Create validates `config` (the object under "notifiers.<name>") and
  // builds the notifier. INVALID_ARGUMENT naming the key as
  // "config: notifiers.<name>.<key> …" for a missing key, a bad URL, a secret
  // environment variable that is unset, or an unknown key.
  virtual absl::StatusOr<std::unique_ptr<Notifier>> Create(const nlohmann::json& config,
                                                           const NotifierEnv& env) const = 0;
};

}  // namespace ff

#endif  // FF_SERVER_NOTIFIERS_NOTIFIER_H_
