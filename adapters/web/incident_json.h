// The JSON shapes the dashboard's endpoints answer with (documented in
// docs/web.md): incidents, timeline entries, and the time an incident spent
// in each status, and the vocabulary the pages show. Statuses, severities and
// close reasons are the vocabulary's words ("sev2", "investigating";
// clients/incident/vocabulary.h); times are RFC 3339 UTC strings, null when
// unset.
//
// Pure functions; thread-safe.
#ifndef FF_ADAPTERS_WEB_INCIDENT_JSON_H_
#define FF_ADAPTERS_WEB_INCIDENT_JSON_H_

#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "firefighter/v1/follow_up.pb.h"
#include "firefighter/v1/incident.pb.h"
#include "google/protobuf/timestamp.pb.h"
#include "nlohmann/json.hpp"

namespace ff::web {
namespace pb = ::firefighter::v1;

// TimeJson: RFC 3339 in UTC with seconds ("2024-05-31T14:02:00Z"), or null.
nlohmann::json TimeJson(absl::Time time);
nlohmann::json TimeJson(const google::protobuf::Timestamp& stamp);
absl::Time FromTimestamp(const google::protobuf::Timestamp& stamp);
// IsSet: false for the unset (zero) timestamp the core sends for "not yet".
bool IsSet(const google::protobuf::Timestamp& stamp);

// IncidentJson: the incident's fields, plus "phase" (triage.h's PhaseWord),
// "needs_commander" (NeedsCommander) and "duration": {"from" (occurred_at,
// else created_at), "until" and "ended" (DurationEndOf: the time and
// "fixed" or "closed"; both null while it runs)}. Each link has a "name",
// null until NameLinks finds one. "allowed_next_statuses" and
// "next_statuses_needing_message" are the core's, as words: the moves an
// update may make from here, and those that need a message saying why.
nlohmann::json IncidentJson(const pb::Incident& incident);

// TimelineEntryJson: the entry's fields, plus "notice" (IsDeliveryNotice).
nlohmann::json TimelineEntryJson(const pb::TimelineEntry& entry);

// FollowUpJson: the follow-up's fields, its status as a word ("open",
// "done", "cancelled"), "due_date" and the tracker's key and URL null when
// empty, and "ref", how people write it ("FU-7").
nlohmann::json FollowUpJson(const pb::FollowUp& follow_up);

// IsDeliveryNotice is true for the entries a notifier writes after a
// delivery (kind "notification": "Slack #inc-12-…: invited 3 people",
// "Datadog notebook: …"), which the incident page folds. An operator's
// retry of a delivery (kind "delivery") is someone's action, not a notice.
bool IsDeliveryNotice(const pb::TimelineEntry& entry);

// ConfluencePageTitle is the title a Confluence page link carries in its
// last segment (…/pages/<id>/<Title+In+Words>, '+' and %XX decoded), or
// null when `url` is not such a link. IncidentJson names "postmortem" and
// other page links with it.
nlohmann::json ConfluencePageTitle(absl::string_view url);

// NameLinks gives the links of `incident` (IncidentJson's shape) the names
// the incident's timeline (oldest first) records for them: the Slack
// channel's "#name" from the Slack notifier's notices, the newest one
// winning. A pb::Link carries no name of its own, so other kinds keep what
// IncidentJson found (a page title) or null.
void NameLinks(const std::vector<pb::TimelineEntry>& timeline, nlohmann::json& incident);

// VocabularyJson: every status, severity, close reason, role and follow-up
// status, in order, as {"statuses": [{"word", "label", "meaning", "phase"},
// …], "severities": […], "close_reasons": […], "roles": [{…, "field"}],
// "follow_up_statuses": […]}, where a role's "field" is
// its key in an incident's "roles". The pages read it to label what the
// endpoints return, so they hold no copy of the words.
nlohmann::json VocabularyJson();

// A stretch of time an incident spent in one status; `end` is
// absl::InfiniteFuture() while it still is in that status.
struct StatusPeriod {
  pb::Status status;
  absl::Time start;
  absl::Time end;
};

// StatusPeriods reconstructs the incident's path through the workflow from its
// timeline (oldest first): it starts OPEN at created_at and moves at each
// "status" entry ("… → FIXING") and at "closed". Entries it cannot read are
// skipped.
std::vector<StatusPeriod> StatusPeriods(const pb::Incident& incident,
                                        const std::vector<pb::TimelineEntry>& timeline);

// TimeInStatusJson sums the periods per status, in workflow order, as
// [{"status", "seconds" (finished periods), "since" (start of the current
// period, or null)}]; statuses never reached are left out.
nlohmann::json TimeInStatusJson(const std::vector<StatusPeriod>& periods);

}  // namespace ff::web

#endif  // FF_ADAPTERS_WEB_INCIDENT_JSON_H_
