// OutboxStore: the durable side of notification delivery.
//
// Deliveries are rows written by the store in the same transaction as the
// change whose event they carry (one per interested notifier, chosen by the
// OutboxRouter), so no committed change can lose its notifications. The
// dispatcher (server/outbox) takes due deliveries from here, one at a time per
// incident and notifier, and records each outcome. Thread-safe.
#ifndef FF_SERVER_STORE_OUTBOX_STORE_H_
#define FF_SERVER_STORE_OUTBOX_STORE_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "firefighter/v1/delivery.pb.h"
#include "firefighter/v1/incident.pb.h"
#include "server/core/follow_ups.h"
#include "server/core/workflow.h"

namespace ff {
namespace pb = ::firefighter::v1;

// OutboxRouter names the notifiers interested in an event (incident snapshot
// included). Runs inside write transactions: quick, no I/O.
using OutboxRouter = std::function<std::vector<std::string>(const pb::IncidentEvent& event)>;

// DueDelivery identifies a delivery whose turn has come.
struct DueDelivery {
  int64_t id = 0;
  int64_t incident_id = 0;
  std::string notifier;
};

// StoredDelivery is everything a notifier needs for one delivery.
struct StoredDelivery {
  int64_t id = 0;
  std::string notifier;
  pb::DeliveryState state = pb::DELIVERY_STATE_UNSPECIFIED;
  absl::Time next_attempt_at;               // when it is due, if pending
  int attempts = 0;                         // attempts made before this one
  pb::IncidentEvent event;                  // as committed, with its entry
  pb::Incident current;                     // as it stands now
  std::vector<pb::TimelineEntry> timeline;  // filled on request
  std::string progress;                     // what SaveProgress last stored ("" at first)
};

// WriteBack is what a delivered notification adds to its incident.
struct WriteBack {
  std::vector<pb::Link> links;  // upserted by (kind, external_id)
  std::vector<std::string> participants;
  std::string note;   // a "notification" timeline entry when not empty
  std::string actor;  // the notifier's name
  // Tracker issues for follow-ups of the delivery's incident (others are
  // ignored), each stored as FollowUpRules::LinkTracker says.
  std::vector<TrackerLink> trackers;
};

// Audit names who asked for an operator action; it is written to the
// incident's timeline with the action, in the same transaction.
struct Audit {
  std::string actor;
  std::string via;  // the service principal acting for `actor`, if any
};

// OnceRecord is background work recorded at most once per incident and key
// (a reminder per interval): a timeline entry, its event and deliveries.
struct OnceRecord {
  std::string key;
  ChangeRecord record;
  // About a follow-up (a follow-up reminder): the follow-up as the decision
  // saw it. Nothing is recorded unless it still stands OPEN with the same
  // due date inside the transaction; the event carries it as it stands.
  std::optional<pb::FollowUp> follow_up;
};
// OnceDecision picks the record to store from the incident as it stands
// inside the write transaction, or nullopt for none. Quick, no I/O.
using OnceDecision = std::function<std::optional<OnceRecord>(const pb::Incident& current)>;

struct DeliveryFilter {
  int64_t incident_id = 0;
  std::vector<pb::DeliveryState> states;
  std::string notifier;
};

// RetryNote is the timeline text every store writes when delivery `id` to
// `notifier` is retried after it died of `last_error`.
std::string RetryNote(int64_t id, const std::string& notifier, const std::string& last_error);

class OutboxStore {
 public:
  virtual ~OutboxStore() = default;

  // SetOutboxRouter installs the router. REQUIRES: before the first write.
  virtual void SetOutboxRouter(OutboxRouter router) = 0;

  // DueDeliveries returns up to `limit` pending deliveries due at `now`, each
  // the oldest pending one of its (incident, notifier): order is kept. The
  // most severe incidents' deliveries come first (then the longest due), so
  // when an outside system's rate limit is the bottleneck, SEV1 goes ahead.
  virtual absl::StatusOr<std::vector<DueDelivery>> DueDeliveries(absl::Time now, int limit) = 0;
  // NextDueTime is the earliest time a pending delivery DueDeliveries would
  // return becomes due: deliveries queued behind another delivery of the same
  // incident and notifier do not count (they wait for it, not for a time).
  virtual absl::StatusOr<std::optional<absl::Time>> NextDueTime() = 0;

  // InstallationId returns this database's installation id: 16 lower-case
  // hex digits made once, when the database was created or migrated, and
  // never changed. Notifiers put it in every marker they leave outside, so
  // that another installation's objects in the same accounts are told apart.
  virtual absl::StatusOr<std::string> InstallationId() = 0;

  // LoadDelivery reads delivery `id` with its event, the current incident and,
  // when `with_timeline`, the timeline. NOT_FOUND when there is none.
  virtual absl::StatusOr<StoredDelivery> LoadDelivery(int64_t id, bool with_timeline) = 0;

  // MarkDelivered ends delivery `id` as delivered and applies `write_back` to
  // its incident in the same transaction. Links and participants that change
  // the incident produce incident.links_changed / participants_changed events
  // (and their deliveries). Write-backs do not bump the incident's version:
  // background work never invalidates a client's expected_version. Pending
  // deliveries of the same incident and notifier that were deferred (they
  // waited for this one's work, e.g. a Slack channel) become due at `now`.
  virtual absl::Status MarkDelivered(int64_t id, const WriteBack& write_back, absl::Time now) = 0;
  // MarkFailed records a failed attempt: pending again at `retry_at`, or dead
  // when `retry_at` is empty.
  virtual absl::Status MarkFailed(int64_t id, const std::string& error,
                                  std::optional<absl::Time> retry_at, absl::Time now) = 0;

  // SaveProgress stores `progress` (opaque to the store; see
  // server/notifiers/delivery_steps.h) on pending delivery `id`, so that its
  // next attempt resumes where this one got to. NOT_FOUND when there is no
  // delivery `id`; FAILED_PRECONDITION when it is no longer pending.
  virtual absl::Status SaveProgress(int64_t id, const std::string& progress, absl::Time now) = 0;
  // Defer makes pending delivery `id` due again at `until` without counting
  // an attempt: it waited for an outside system's rate budget, it did not
  // fail. `reason` is shown as its last error until then.
  virtual absl::Status Defer(int64_t id, absl::Time until, const std::string& reason,
                             absl::Time now) = 0;

  // ListDeliveries returns matching deliveries, newest first, ids below
  // `before_id` (0: from the newest), at most `limit`.
  virtual absl::StatusOr<std::vector<pb::Delivery>> ListDeliveries(const DeliveryFilter& filter,
                                                                   int32_t limit,
                                                                   int64_t before_id) = 0;
  // RecordOnce runs `decide` on incident `id` inside one write transaction
  // and stores what it returns, unless incident `id` recorded that key before
  // (a second tick, a restart). The record's event (with its deliveries, due
  // at `now`) shows the incident unchanged: no version or updated_at bump,
  // so background work never counts as an update. Returns true when stored,
  // false when there was nothing to store; NOT_FOUND when there is no
  // incident `id`; UNAVAILABLE when the database is busy.
  virtual absl::StatusOr<bool> RecordOnce(int64_t id, const OnceDecision& decide,
                                          absl::Time now) = 0;

  // RetryDelivery makes dead delivery `id` pending and due at `now`, and
  // records on its incident's timeline (kind "delivery") who did it.
  // NOT_FOUND, or FAILED_PRECONDITION when it is not dead.
  virtual absl::StatusOr<pb::Delivery> RetryDelivery(int64_t id, const Audit& by,
                                                     absl::Time now) = 0;
};

}  // namespace ff

#endif  // FF_SERVER_STORE_OUTBOX_STORE_H_
