#include "adapters/cli/raw_args.h"

#include <fstream>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "adapters/cli/value_parsing.h"
#include "clients/incident/incident_client.h"
#include "clients/incident/vocabulary.h"
#include "common/status_macros.h"

namespace ff::cli {
namespace {

bool Given(const RawArgs& raw, const char* name) { return raw.given.count(name) > 0; }

// Fills the filters shared by `list` and `watch`.
template <typename Request>
absl::Status FillFilters(const RawArgs& raw, Request* request) {
  for (const std::string& s : raw.statuses) {
    FF_ASSIGN_OR_RETURN(pb::Status status, ParseStatus(s, "--status"));
    request->add_statuses(status);
  }
  for (const std::string& s : raw.severities) {
    FF_ASSIGN_OR_RETURN(pb::Severity severity, ParseSeverity(s, "--severity"));
    request->add_severities(severity);
  }
  request->set_domain(raw.domain);
  return absl::OkStatus();
}

absl::Status FillDeliveries(const RawArgs& raw, pb::ListDeliveriesRequest* request) {
  if (Given(raw, "--incident")) {
    FF_ASSIGN_OR_RETURN(int64_t incident_id, ParseIncidentId(raw.incident));
    request->set_incident_id(incident_id);
  }
  for (const std::string& s : raw.states) {
    FF_ASSIGN_OR_RETURN(pb::DeliveryState state, ParseDeliveryState(s));
    request->add_states(state);
  }
  request->set_notifier(raw.notifier);
  request->set_page_size(raw.limit);
  return absl::OkStatus();
}

absl::Status FillStats(const RawArgs& raw, pb::GetStatsRequest* request) {
  absl::Time now = absl::Now();
  if (Given(raw, "--since")) {
    FF_ASSIGN_OR_RETURN(absl::Time since, ParseTimeArg(raw.since, now, absl::LocalTimeZone()));
    request->mutable_start()->set_seconds(absl::ToUnixSeconds(since));
  }
  if (Given(raw, "--until")) {
    FF_ASSIGN_OR_RETURN(absl::Time until, ParseTimeArg(raw.until, now, absl::LocalTimeZone()));
    request->mutable_end()->set_seconds(absl::ToUnixSeconds(until));
  }
  for (const std::string& s : raw.severities) {
    FF_ASSIGN_OR_RETURN(pb::Severity severity, ParseSeverity(s, "--severity"));
    request->add_severities(severity);
  }
  request->set_domain(raw.domain);
  return absl::OkStatus();
}

absl::Status FillOpen(const RawArgs& raw, pb::OpenIncidentRequest* request) {
  FF_ASSIGN_OR_RETURN(pb::Severity severity, ParseSeverity(raw.severity, "--severity"));
  request->set_title(raw.title);
  request->set_description(raw.description);
  request->set_domain(raw.domain);
  request->set_severity(severity);
  request->set_reporter(raw.actor);
  request->set_trigger_oncall(raw.oncall);
  request->set_dedup_key(raw.dedup_key);
  return absl::OkStatus();
}

absl::Status FillUpdate(const RawArgs& raw, pb::UpdateIncidentRequest* request) {
  request->set_actor(raw.actor);
  if (Given(raw, "--status")) {
    FF_ASSIGN_OR_RETURN(pb::Status status, ParseStatus(raw.status, "--status"));
    request->set_status(status);
  }
  if (Given(raw, "--severity")) {
    FF_ASSIGN_OR_RETURN(pb::Severity severity, ParseSeverity(raw.severity, "--severity"));
    request->set_severity(severity);
  }
  if (Given(raw, "--title")) request->set_title(raw.title);
  if (Given(raw, "--description")) request->set_description(raw.description);
  if (Given(raw, "--commander")) request->set_commander(raw.commander);
  if (Given(raw, "--comms-lead")) request->set_communication_lead(raw.comms_lead);
  if (Given(raw, "--ops-lead")) request->set_operations_lead(raw.ops_lead);
  request->set_message(raw.message);
  if (Given(raw, "--expected-version")) request->set_expected_version(raw.expected_version);
  bool changes_something = request->has_status() || request->has_severity() ||
                           request->has_title() || request->has_description() ||
                           request->has_commander() || request->has_communication_lead() ||
                           request->has_operations_lead();
  if (!changes_something) {
    return absl::InvalidArgumentError(
        "nothing to update: give at least one of --status, --severity, --title, "
        "--description, --commander, --comms-lead, --ops-lead");
  }
  return absl::OkStatus();
}

absl::Status FillClose(const RawArgs& raw, pb::CloseIncidentRequest* request) {
  FF_ASSIGN_OR_RETURN(pb::CloseReason reason, ParseCloseReason(raw.reason, "--reason"));
  request->set_actor(raw.actor);
  request->set_reason(reason);
  request->set_message(raw.message);
  if (Given(raw, "--expected-version")) request->set_expected_version(raw.expected_version);
  return absl::OkStatus();
}

// Sets the request's due_date from --due or --no-due, unset when neither.
template <typename Request>
absl::Status FillDueDate(const RawArgs& raw, Request* request) {
  if (Given(raw, "--due") && raw.no_due) {
    return absl::InvalidArgumentError("--due and --no-due: give one or the other");
  }
  if (Given(raw, "--due")) {
    FF_ASSIGN_OR_RETURN(*request->mutable_due_date(), ParseDueDate(raw.due, "--due"));
  } else if (raw.no_due) {
    request->set_due_date("");
  }
  return absl::OkStatus();
}

absl::Status FillFollowUpAdd(const RawArgs& raw, pb::AddFollowUpRequest* request) {
  FF_ASSIGN_OR_RETURN(int64_t incident_id, ParseIncidentId(raw.id));
  request->set_incident_id(incident_id);
  request->set_actor(raw.actor);
  request->set_title(raw.title);
  request->set_description(raw.description);
  request->set_owner(raw.owner);
  return FillDueDate(raw, request);
}

absl::Status FillFollowUpList(const RawArgs& raw, Invocation* inv) {
  pb::ListFollowUpsRequest* request = &inv->follow_ups;
  if (!raw.incident.empty()) {
    FF_ASSIGN_OR_RETURN(int64_t incident_id, ParseIncidentId(raw.incident));
    request->set_incident_id(incident_id);
  }
  if (raw.mine && Given(raw, "--owner")) {
    return absl::InvalidArgumentError("--mine and --owner: give one or the other");
  }
  request->set_owner(raw.mine ? raw.actor : raw.owner);
  for (const std::string& s : raw.statuses) {
    FF_ASSIGN_OR_RETURN(pb::FollowUpStatus status, ParseFollowUpStatus(s, "--status"));
    request->add_statuses(status);
  }
  request->set_overdue(raw.overdue);
  inv->max_results = raw.max_results;
  return absl::OkStatus();
}

// Fills `followup done`, `cancel` (a status alone) and `edit`.
absl::Status FillFollowUpUpdate(Command command, const RawArgs& raw,
                                pb::UpdateFollowUpRequest* request) {
  FF_ASSIGN_OR_RETURN(int64_t id, ParseFollowUpId(raw.id));
  request->set_id(id);
  request->set_actor(raw.actor);
  if (command == Command::kFollowUpDone) {
    request->set_status(pb::FOLLOW_UP_STATUS_DONE);
    return absl::OkStatus();
  }
  if (command == Command::kFollowUpCancel) {
    request->set_status(pb::FOLLOW_UP_STATUS_CANCELLED);
    return absl::OkStatus();
  }
  if (Given(raw, "--title")) request->set_title(raw.title);
  if (Given(raw, "--description")) request->set_description(raw.description);
  if (Given(raw, "--owner")) request->set_owner(raw.owner);
  FF_RETURN_IF_ERROR(FillDueDate(raw, request));
  if (raw.reopen) request->set_status(pb::FOLLOW_UP_STATUS_OPEN);
  if (Given(raw, "--expected-version")) request->set_expected_version(raw.expected_version);
  if (!request->has_title() && !request->has_description() && !request->has_owner() &&
      !request->has_due_date() && !request->has_status()) {
    return absl::InvalidArgumentError(
        "nothing to edit: give at least one of --title, --description, --owner, --due, "
        "--no-due, --reopen");
  }
  return absl::OkStatus();
}

absl::Status FillCommand(Command command, const RawArgs& raw, Invocation* inv) {
  switch (command) {
    case Command::kOpen:
      return FillOpen(raw, &inv->open);
    case Command::kUpdate:
      inv->update.set_id(inv->id);
      return FillUpdate(raw, &inv->update);
    case Command::kClose:
      inv->close.set_id(inv->id);
      return FillClose(raw, &inv->close);
    case Command::kList:
      inv->list.set_page_size(raw.limit);
      inv->all_pages = raw.all;
      return FillFilters(raw, &inv->list);
    case Command::kNote:
      inv->note.set_incident_id(inv->id);
      inv->note.set_actor(raw.actor);
      inv->note.set_text(raw.text);
      inv->note.set_kind(raw.kind);
      return absl::OkStatus();
    case Command::kWatch:
      return FillFilters(raw, &inv->watch);
    case Command::kDeliveries:
      inv->all_pages = raw.all;
      return FillDeliveries(raw, &inv->deliveries);
    case Command::kStats:
      return FillStats(raw, &inv->stats);
    case Command::kFollowUpAdd:
      return FillFollowUpAdd(raw, &inv->follow_up_add);
    case Command::kFollowUpList:
      return FillFollowUpList(raw, inv);
    case Command::kFollowUpDone:
    case Command::kFollowUpCancel:
    case Command::kFollowUpEdit:
      return FillFollowUpUpdate(command, raw, &inv->follow_up_update);
    case Command::kInfo:
    case Command::kTimeline:
    case Command::kDomains:
    case Command::kRetryDelivery:
      return absl::OkStatus();
  }
  return absl::OkStatus();
}

bool TakesId(Command command) {
  return command == Command::kUpdate || command == Command::kClose || command == Command::kInfo ||
         command == Command::kTimeline || command == Command::kNote;
}

}  // namespace

absl::StatusOr<Invocation> BuildInvocation(Command command, const RawArgs& raw) {
  Invocation inv;
  inv.command = command;
  // Checked here, not by CLI11: FF_ADDR is not an option CLI11 sees.
  FF_ASSIGN_OR_RETURN(inv.addr, ParseServerAddress(raw.addr));
  FF_ASSIGN_OR_RETURN(inv.timeout, ParseTimeout(raw.timeout));
  inv.token = raw.token;
  if (!raw.token_file.empty()) {
    FF_ASSIGN_OR_RETURN(inv.token, ReadTokenFile(raw.token_file));
  }
  inv.tls = raw.tls;
  inv.tls_ca = raw.tls_ca;
  inv.tls_cert = raw.tls_cert;
  inv.tls_key = raw.tls_key;
  if (inv.tls_cert.empty() != inv.tls_key.empty()) {
    return absl::InvalidArgumentError("--tls-cert and --tls-key go together");
  }
  inv.output = raw.output == "json" ? OutputFormat::kJson : OutputFormat::kTable;
  if (TakesId(command)) {
    FF_ASSIGN_OR_RETURN(inv.id, ParseIncidentId(raw.id));
  } else if (command == Command::kRetryDelivery) {
    FF_ASSIGN_OR_RETURN(inv.id, ParseDeliveryId(raw.id));
    inv.actor = raw.actor;
  }
  FF_RETURN_IF_ERROR(FillCommand(command, raw, &inv));
  return inv;
}

}  // namespace ff::cli
