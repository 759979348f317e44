// IncidentWorkflow: the rules of the incident procedure (DESIGN.md §3).
//
// Pure: no gRPC, no storage, no clock calls — the caller passes `now`. Each
// operation turns the current incident and a request into a Change: the
// incident as it must stand afterwards plus the timeline entries and domain
// events to record with it, all of which the store commits in one transaction.
// Thread-safe: stateless.
#ifndef FF_SERVER_CORE_WORKFLOW_H_
#define FF_SERVER_CORE_WORKFLOW_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "firefighter/v1/incident.pb.h"
#include "firefighter/v1/incident_service.pb.h"

namespace ff {
namespace pb = ::firefighter::v1;

// Domain event types, as stored in the outbox and streamed to watchers.
inline constexpr absl::string_view kEventOpened = "incident.opened";
inline constexpr absl::string_view kEventStatusChanged = "incident.status_changed";
inline constexpr absl::string_view kEventSeverityChanged = "incident.severity_changed";
inline constexpr absl::string_view kEventRolesChanged = "incident.roles_changed";
inline constexpr absl::string_view kEventDetailsChanged = "incident.details_changed";
inline constexpr absl::string_view kEventEntryAdded = "incident.timeline_entry_added";
inline constexpr absl::string_view kEventClosed = "incident.closed";
// Written back by notifier deliveries (server/outbox): participants they added
// (e.g. the on-call person) and links they created (channel, postmortem, …).
inline constexpr absl::string_view kEventParticipantsChanged = "incident.participants_changed";
inline constexpr absl::string_view kEventLinksChanged = "incident.links_changed";

// One consequence of a change: a timeline entry and the event announcing it.
struct ChangeRecord {
  std::string event_type;
  pb::TimelineEntry entry;  // id is 0 until stored; incident_id 0 on open
};

// Change is what one request does to one incident.
struct Change {
  pb::Incident incident;              // after the change; version and updated_at are set
  std::vector<ChangeRecord> records;  // empty: nothing changed, write nothing
};

class IncidentWorkflow {
 public:
  // CheckTransition returns OK when `incident` may move to status `to` with
  // `message` (required to go back or reopen), or FAILED_PRECONDITION saying
  // why not and what is allowed. Moving to the current status is OK (no-op).
  // Moving to CLOSED is checked by CheckClose with reason RESOLVED.
  static absl::Status CheckTransition(const pb::Incident& incident, pb::Status to,
                                      absl::string_view message);
  // CheckClose returns OK when `incident` may be closed for `reason`
  // (UNSPECIFIED means RESOLVED), or FAILED_PRECONDITION.
  static absl::Status CheckClose(const pb::Incident& incident, pb::CloseReason reason);

  // NextStatuses is where an incident may go from where it stands.
  struct NextStatuses {
    // The statuses CheckTransition accepts given a message (CLOSED: closed
    // as resolved), in workflow order; the current status is not among them.
    std::vector<pb::Status> allowed;
    // The subset of `allowed` that needs a message saying why.
    std::vector<pb::Status> needing_message;
  };
  // NextStatusesOf answers for `incident`'s current status and severity;
  // both lists are empty for a closed incident.
  static NextStatuses NextStatusesOf(const pb::Incident& incident);
  // DescribeNextStatuses sets `incident`'s output fields
  // allowed_next_statuses and next_statuses_needing_message from
  // NextStatusesOf, replacing what they held.
  static void DescribeNextStatuses(pb::Incident* incident);

  // Open builds a new incident (id 0, version 1) from a request.
  // REQUIRES: ValidateOpen(request) is OK.
  static Change Open(const pb::OpenIncidentRequest& request, absl::Time now);

  // Update, Close and AddEntry apply a request to `current`. They return
  // ABORTED when expected_version is set and differs from current.version(),
  // FAILED_PRECONDITION when the rules refuse the change (closed incident,
  // illegal move, missing message). REQUIRES: the matching Validate* is OK.
  static absl::StatusOr<Change> Update(const pb::Incident& current,
                                       const pb::UpdateIncidentRequest& request, absl::Time now);
  static absl::StatusOr<Change> Close(const pb::Incident& current,
                                      const pb::CloseIncidentRequest& request, absl::Time now);
  static absl::StatusOr<Change> AddEntry(const pb::Incident& current,
                                         const pb::AddTimelineEntryRequest& request,
                                         absl::Time now);
};

}  // namespace ff

#endif  // FF_SERVER_CORE_WORKFLOW_H_
