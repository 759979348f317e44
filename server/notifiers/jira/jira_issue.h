// What a follow-up looks like as a Jira issue: its marker labels, its
// summary and its description in Atlassian Document Format. Pure functions;
// thread-safe.
#ifndef FF_SERVER_NOTIFIERS_JIRA_JIRA_ISSUE_H_
#define FF_SERVER_NOTIFIERS_JIRA_JIRA_ISSUE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "firefighter/v1/follow_up.pb.h"
#include "firefighter/v1/incident.pb.h"
#include "nlohmann/json.hpp"

namespace ff {

// The marker labels every issue carries:
//   "firefighter-<installation>"               made by this installation;
//   "firefighter-incident-<incident id>"       the incident it came from;
//   "firefighter-<installation>-fu-<fu id>"    the follow-up it mirrors —
// the one an issue is found by, so another installation's issue for its own
// FU-<id> is never adopted.
std::string InstallationLabel(absl::string_view installation_id);
std::string IncidentLabel(int64_t incident_id);
std::string FollowUpLabel(absl::string_view installation_id, int64_t follow_up_id);

// IssueLabels is the markers, then `extra` (the configured labels).
std::vector<std::string> IssueLabels(absl::string_view installation_id,
                                     const ::firefighter::v1::FollowUp& follow_up,
                                     const std::vector<std::string>& extra);

// IssueSummary is the follow-up's title on one line, cut to Jira's 255
// characters.
std::string IssueSummary(const ::firefighter::v1::FollowUp& follow_up);

// IssueDescription is an ADF document: the follow-up's description (a
// paragraph per line), a line naming the follow-up and its incident
// ("Follow-up FU-3 of incident #42: Checkout fails", the incident linked to
// <dashboard_url>/incidents/<id> when `dashboard_url` is set), its owner and
// due date, and the incident's Slack channel and postmortem page when linked.
nlohmann::json IssueDescription(const ::firefighter::v1::Incident& incident,
                                const ::firefighter::v1::FollowUp& follow_up,
                                const std::string& dashboard_url);

}  // namespace ff

#endif  // FF_SERVER_NOTIFIERS_JIRA_JIRA_ISSUE_H_
