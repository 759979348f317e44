#include "server/core/workflow.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/status_macros.h"
#include "server/core/names.h"
#include "server/core/time_util.h"
#include "server/core/validation.h"

namespace ff {
namespace {

// Move is one cell of the transition table of DESIGN.md §3 (CLOSED apart).
enum class Move {
  kSame,  // already there: nothing to do
  kAllowed,
  kNeedsMessage,  // going back or reopening: say why
  kSev1To3Only,   // FIXED → POSTMORTEM
  kForbidden,
};

Move RuleFor(pb::Status from, pb::Status to) {
  if (from == to) return Move::kSame;
  switch (from) {
    case pb::STATUS_OPEN:
    case pb::STATUS_INVESTIGATING:
      return (to == pb::STATUS_INVESTIGATING || to == pb::STATUS_FIXING || to == pb::STATUS_FIXED)
                 ? Move::kAllowed
                 : Move::kForbidden;
    case pb::STATUS_FIXING:
      if (to == pb::STATUS_FIXED) return Move::kAllowed;
      return to == pb::STATUS_INVESTIGATING ? Move::kNeedsMessage : Move::kForbidden;
    case pb::STATUS_FIXED:
      if (to == pb::STATUS_INVESTIGATING || to == pb::STATUS_FIXING) return Move::kNeedsMessage;
      return to == pb::STATUS_POSTMORTEM ? Move::kSev1To3Only : Move::kForbidden;
    default:  // POSTMORTEM leaves only by closing; CLOSED is terminal.
      return Move::kForbidden;
  }
}

constexpr pb::Status kMoveTargets[] = {pb::STATUS_INVESTIGATING, pb::STATUS_FIXING,
                                       pb::STATUS_FIXED, pb::STATUS_POSTMORTEM};

bool Contains(const std::vector<pb::Status>& statuses, pb::Status status) {
  return std::find(statuses.begin(), statuses.end(), status) != statuses.end();
}

// AllowedMoves describes, for an error message, where `incident` may go.
std::string AllowedMoves(const pb::Incident& incident) {
  IncidentWorkflow::NextStatuses next = IncidentWorkflow::NextStatusesOf(incident);
  std::vector<std::string> moves;
  for (pb::Status to : next.allowed) {
    moves.push_back(StatusName(to) +
                    (Contains(next.needing_message, to) ? " (with a message)" : ""));
  }
  if (!Contains(next.allowed, pb::STATUS_CLOSED)) {
    moves.push_back("CLOSED with a reason other than resolved");
  }
  return absl::StrCat("from ", StatusName(incident.status()), " it can go to ",
                      absl::StrJoin(moves, ", "));
}

std::string IncidentRef(const pb::Incident& incident) {
  return absl::StrCat("incident #", incident.id());
}

absl::Status CheckVersion(const pb::Incident& current, bool has_expected,
                          int64_t expected_version) {
  if (has_expected && expected_version != current.version()) {
    return absl::AbortedError(absl::StrCat(IncidentRef(current), " is at version ",
                                           current.version(), ", not the expected ",
                                           expected_version, ": reload and retry"));
  }
  return absl::OkStatus();
}

absl::Status CheckWritable(const pb::Incident& current, bool has_expected,
                           int64_t expected_version) {
  FF_RETURN_IF_ERROR(CheckVersion(current, has_expected, expected_version));
  if (current.status() == pb::STATUS_CLOSED) {
    return absl::FailedPreconditionError(
        absl::StrCat(IncidentRef(current), " is closed; a closed incident cannot change"));
  }
  return absl::OkStatus();
}

// Starts a change: the incident copied, version bumped, updated_at set.
Change BeginChange(const pb::Incident& current, absl::Time now) {
  Change change;
  change.incident = current;
  change.incident.set_version(current.version() + 1);
  *change.incident.mutable_updated_at() = ToTimestamp(now);
  return change;
}

void Record(Change& change, absl::string_view event_type, absl::string_view kind,
            absl::string_view actor, std::string text, absl::Time time) {
  ChangeRecord record;
  record.event_type = std::string(event_type);
  record.entry.set_incident_id(change.incident.id());
  *record.entry.mutable_time() = ToTimestamp(time);
  record.entry.set_kind(std::string(kind));
  record.entry.set_actor(std::string(actor));
  record.entry.set_text(std::move(text));
  change.records.push_back(std::move(record));
}

void AddParticipant(pb::Incident& incident, const std::string& person) {
  if (person.empty()) return;
  const auto& list = incident.participants();
  if (std::find(list.begin(), list.end(), person) == list.end()) {
    incident.add_participants(person);
  }
}

std::string WithMessage(std::string text, absl::string_view message) {
  if (!message.empty()) absl::StrAppend(&text, ": ", message);
  return text;
}

// Sets the first-reached timestamp of `status`.
void StampStatus(pb::Incident& incident, pb::Status status, absl::Time now) {
  google::protobuf::Timestamp* stamp = nullptr;
  switch (status) {
    case pb::STATUS_INVESTIGATING:
      stamp = incident.mutable_investigating_at();
      break;
    case pb::STATUS_FIXING:
      stamp = incident.mutable_fixing_at();
      break;
    case pb::STATUS_FIXED:
      stamp = incident.mutable_fixed_at();
      break;
    case pb::STATUS_POSTMORTEM:
      stamp = incident.mutable_postmortem_at();
      break;
    case pb::STATUS_CLOSED:
      stamp = incident.mutable_closed_at();
      break;
    default:
      return;
  }
  if (stamp->seconds() == 0 && stamp->nanos() == 0) *stamp = ToTimestamp(now);
}

void ApplyClose(Change& change, pb::CloseReason reason, absl::string_view actor,
                absl::string_view message, absl::Time now) {
  pb::Incident& incident = change.incident;
  incident.set_status(pb::STATUS_CLOSED);
  incident.set_close_reason(reason);
  StampStatus(incident, pb::STATUS_CLOSED, now);
  Record(change, kEventClosed, "closed", actor,
         WithMessage(absl::StrCat("Closed (", CloseReasonName(reason), ")"), message), now);
}

void ApplyStatus(Change& change, pb::Status to, absl::string_view actor, absl::string_view message,
                 absl::Time now) {
  pb::Incident& incident = change.incident;
  pb::Status from = incident.status();
  if (from == pb::STATUS_FIXED && to < pb::STATUS_FIXED) incident.clear_fixed_at();
  incident.set_status(to);
  StampStatus(incident, to, now);
  std::string verb = from == pb::STATUS_FIXED && to < pb::STATUS_FIXED ? "Reopened: " : "";
  Record(
      change, kEventStatusChanged, "status", actor,
      WithMessage(absl::StrCat(verb, "status ", StatusName(from), " → ", StatusName(to)), message),
      now);
}

void ApplyRole(Change& change, absl::string_view role_name, std::string* holder,
               const std::string& requested, absl::string_view actor, absl::Time now) {
  std::string next = Clean(requested);
  if (next == *holder) return;
  std::string text = absl::StrCat(role_name, ": ", next.empty() ? "nobody" : next);
  if (!holder->empty()) absl::StrAppend(&text, " (was ", *holder, ")");
  *holder = next;
  AddParticipant(change.incident, next);
  Record(change, kEventRolesChanged, "role", actor, std::move(text), now);
}

void ApplyDetails(Change& change, const pb::UpdateIncidentRequest& r, absl::string_view actor,
                  absl::Time now) {
  pb::Incident& incident = change.incident;
  if (r.has_title() && Clean(r.title()) != incident.title()) {
    std::string title = Clean(r.title());
    Record(change, kEventDetailsChanged, "title", actor,
           absl::StrCat("Title: \"", title, "\" (was \"", incident.title(), "\")"), now);
    incident.set_title(std::move(title));
  }
  if (r.has_description() && r.description() != incident.description()) {
    incident.set_description(r.description());
    Record(change, kEventDetailsChanged, "description", actor, "Description updated", now);
  }
}

}  // namespace

absl::Status IncidentWorkflow::CheckClose(const pb::Incident& incident, pb::CloseReason reason) {
  pb::Status from = incident.status();
  if (from == pb::STATUS_CLOSED) {
    return absl::FailedPreconditionError(absl::StrCat(IncidentRef(incident), " is already closed"));
  }
  if (reason != pb::CLOSE_REASON_UNSPECIFIED && reason != pb::CLOSE_REASON_RESOLVED) {
    return absl::OkStatus();  // mistake, duplicate, not an incident: from anywhere
  }
  if (from == pb::STATUS_POSTMORTEM) return absl::OkStatus();
  if (from == pb::STATUS_FIXED) {
    if (!PostmortemRequired(incident.severity())) return absl::OkStatus();
    return absl::FailedPreconditionError(
        absl::StrCat(IncidentRef(incident), " is ", SeverityName(incident.severity()),
                     ": SEV1 to SEV3 incidents need a postmortem before closing; move it to "
                     "POSTMORTEM first, or close it with a reason other than resolved"));
  }
  return absl::FailedPreconditionError(
      absl::StrCat(IncidentRef(incident), " is ", StatusName(from),
                   ": an incident is closed as resolved only once FIXED; to close it now give "
                   "another reason (mistake, duplicate, not an incident)"));
}

IncidentWorkflow::NextStatuses IncidentWorkflow::NextStatusesOf(const pb::Incident& incident) {
  NextStatuses next;
  if (incident.status() == pb::STATUS_CLOSED) return next;
  for (pb::Status to : kMoveTargets) {
    Move move = RuleFor(incident.status(), to);
    if (move == Move::kAllowed || move == Move::kNeedsMessage ||
        (move == Move::kSev1To3Only && PostmortemRequired(incident.severity()))) {
      next.allowed.push_back(to);
    }
    if (move == Move::kNeedsMessage) next.needing_message.push_back(to);
  }
  if (CheckClose(incident, pb::CLOSE_REASON_RESOLVED).ok())
    next.allowed.push_back(pb::STATUS_CLOSED);
  return next;
}

void IncidentWorkflow::DescribeNextStatuses(pb::Incident* incident) {
  NextStatuses next = NextStatusesOf(*incident);
  incident->clear_allowed_next_statuses();
  incident->clear_next_statuses_needing_message();
  for (pb::Status status : next.allowed) incident->add_allowed_next_statuses(status);
  for (pb::Status status : next.needing_message) {
    incident->add_next_statuses_needing_message(status);
  }
}

absl::Status IncidentWorkflow::CheckTransition(const pb::Incident& incident, pb::Status to,
                                               absl::string_view message) {
  if (to == pb::STATUS_CLOSED) return CheckClose(incident, pb::CLOSE_REASON_RESOLVED);
  pb::Status from = incident.status();
  if (from == pb::STATUS_CLOSED) {
    return absl::FailedPreconditionError(
        absl::StrCat(IncidentRef(incident), " is closed; a closed incident cannot change"));
  }
  switch (RuleFor(from, to)) {
    case Move::kSame:
    case Move::kAllowed:
      return absl::OkStatus();
    case Move::kNeedsMessage:
      if (!Clean(message).empty()) return absl::OkStatus();
      return absl::FailedPreconditionError(
          absl::StrCat("moving ", IncidentRef(incident), " back from ", StatusName(from), " to ",
                       StatusName(to), " needs a message saying why"));
    case Move::kSev1To3Only:
      if (PostmortemRequired(incident.severity())) return absl::OkStatus();
      return absl::FailedPreconditionError(
          absl::StrCat("a postmortem is only for SEV1 to SEV3 and ", IncidentRef(incident), " is ",
                       SeverityName(incident.severity()), "; close it from FIXED instead"));
    case Move::kForbidden:
      break;
  }
  std::string why = to == pb::STATUS_OPEN
                        ? "no incident goes back to OPEN"
                        : absl::StrCat("cannot move ", IncidentRef(incident), " from ",
                                       StatusName(from), " to ", StatusName(to));
  return absl::FailedPreconditionError(absl::StrCat(why, "; ", AllowedMoves(incident)));
}

Change IncidentWorkflow::Open(const pb::OpenIncidentRequest& r, absl::Time now) {
  Change change;
  pb::Incident& incident = change.incident;
  incident.set_title(Clean(r.title()));
  incident.set_description(r.description());
  incident.set_domain(Clean(r.domain()));
  incident.set_severity(r.severity());
  incident.set_status(pb::STATUS_OPEN);
  incident.set_reporter(Clean(r.reporter()));
  AddParticipant(incident, incident.reporter());
  incident.set_trigger_oncall(r.trigger_oncall());
  incident.set_dedup_key(Clean(r.dedup_key()));
  *incident.mutable_created_at() = ToTimestamp(now);
  *incident.mutable_updated_at() = ToTimestamp(now);
  *incident.mutable_occurred_at() =
      r.has_occurred_at() ? ToTimestamp(FromTimestamp(r.occurred_at())) : ToTimestamp(now);
  incident.set_version(1);
  Record(change, kEventOpened, "opened", incident.reporter(),
         absl::StrCat("Opened ", SeverityName(incident.severity()), " incident in ",
                      incident.domain(), ": ", incident.title()),
         now);
  return change;
}

absl::StatusOr<Change> IncidentWorkflow::Update(const pb::Incident& current,
                                                const pb::UpdateIncidentRequest& r,
                                                absl::Time now) {
  FF_RETURN_IF_ERROR(CheckWritable(current, r.has_expected_version(), r.expected_version()));
  std::string actor = Clean(r.actor());
  Change change = BeginChange(current, now);
  pb::Incident& incident = change.incident;
  // Severity first: the postmortem rule judges the move by the new severity.
  if (r.has_severity() && r.severity() != incident.severity()) {
    Record(change, kEventSeverityChanged, "severity", actor,
           absl::StrCat("Severity ", SeverityName(incident.severity()), " → ",
                        SeverityName(r.severity())),
           now);
    incident.set_severity(r.severity());
  }
  if (r.has_status() && r.status() != incident.status()) {
    if (r.status() == pb::STATUS_CLOSED) {
      FF_RETURN_IF_ERROR(CheckClose(incident, pb::CLOSE_REASON_RESOLVED));
      ApplyClose(change, pb::CLOSE_REASON_RESOLVED, actor, r.message(), now);
    } else {
      FF_RETURN_IF_ERROR(CheckTransition(incident, r.status(), r.message()));
      ApplyStatus(change, r.status(), actor, Clean(r.message()), now);
    }
  }
  pb::Roles* roles = incident.mutable_roles();
  if (r.has_commander()) {
    ApplyRole(change, "Commander", roles->mutable_commander(), r.commander(), actor, now);
  }
  if (r.has_communication_lead()) {
    ApplyRole(change, "Communication lead", roles->mutable_communication_lead(),
              r.communication_lead(), actor, now);
  }
  if (r.has_operations_lead()) {
    ApplyRole(change, "Operations lead", roles->mutable_operations_lead(), r.operations_lead(),
              actor, now);
  }
  ApplyDetails(change, r, actor, now);
  if (change.records.empty()) return Change{current, {}};  // nothing differs
  bool status_recorded = r.has_status() && r.status() != current.status();
  if (!status_recorded && !Clean(r.message()).empty()) {
    pb::TimelineEntry& first = change.records.front().entry;
    first.set_text(WithMessage(first.text(), Clean(r.message())));
  }
  return change;
}

absl::StatusOr<Change> IncidentWorkflow::Close(const pb::Incident& current,
                                               const pb::CloseIncidentRequest& r, absl::Time now) {
  FF_RETURN_IF_ERROR(CheckVersion(current, r.has_expected_version(), r.expected_version()));
  pb::CloseReason reason =
      r.reason() == pb::CLOSE_REASON_UNSPECIFIED ? pb::CLOSE_REASON_RESOLVED : r.reason();
  FF_RETURN_IF_ERROR(CheckClose(current, reason));
  Change change = BeginChange(current, now);
  ApplyClose(change, reason, Clean(r.actor()), Clean(r.message()), now);
  return change;
}

absl::StatusOr<Change> IncidentWorkflow::AddEntry(const pb::Incident& current,
                                                  const pb::AddTimelineEntryRequest& r,
                                                  absl::Time now) {
  FF_RETURN_IF_ERROR(CheckWritable(current, false, 0));
  Change change = BeginChange(current, now);
  absl::Time when = r.has_time() ? FromTimestamp(r.time()) : now;
  Record(change, kEventEntryAdded, r.kind().empty() ? "note" : r.kind(), Clean(r.actor()), r.text(),
         when);
  return change;
}

}  // namespace ff
