#include "server/notifiers/jira/jira_issue.h"

#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "clients/http/encoding.h"

namespace ff {
namespace {

using json = nlohmann::json;
namespace pb = ::firefighter::v1;

constexpr size_t kSummaryLimit = 255;  // characters; bytes are never fewer

json Text(const std::string& text, const std::string& href = "") {
  json node = {{"type", "text"}, {"text", text}};
  if (!href.empty()) {
    node["marks"] = json::array({{{"type", "link"}, {"attrs", {{"href", href}}}}});
  }
  return node;
}

json Paragraph(json content) { return {{"type", "paragraph"}, {"content", std::move(content)}}; }

// IncidentLinks lists the incident's Slack channel and postmortem page.
json IncidentLinks(const pb::Incident& incident) {
  json items = json::array();
  for (const pb::Link& link : incident.links()) {
    if (link.url().empty()) continue;
    std::string name = link.kind() == "slack_channel" ? "Slack channel"
                       : link.kind() == "postmortem"  ? "Postmortem"
                                                      : "";
    if (name.empty()) continue;
    items.push_back(
        {{"type", "listItem"}, {"content", json::array({Paragraph({Text(name, link.url())})})}});
  }
  return items;
}

}  // namespace

std::string InstallationLabel(absl::string_view installation_id) {
  return absl::StrCat("firefighter-", installation_id);
}

std::string IncidentLabel(int64_t incident_id) {
  return absl::StrCat("firefighter-incident-", incident_id);
}

std::string FollowUpLabel(absl::string_view installation_id, int64_t follow_up_id) {
  return absl::StrCat("firefighter-", installation_id, "-fu-", follow_up_id);
}

std::vector<std::string> IssueLabels(absl::string_view installation_id,
                                     const pb::FollowUp& follow_up,
                                     const std::vector<std::string>& extra) {
  std::vector<std::string> labels = {InstallationLabel(installation_id),
                                     IncidentLabel(follow_up.incident_id()),
                                     FollowUpLabel(installation_id, follow_up.id())};
  labels.insert(labels.end(), extra.begin(), extra.end());
  return labels;
}

std::string IssueSummary(const pb::FollowUp& follow_up) {
  std::string summary = follow_up.title();
  for (char& c : summary) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  }
  summary = std::string(absl::StripAsciiWhitespace(summary));
  if (summary.empty()) summary = absl::StrCat("Follow-up FU-", follow_up.id());
  return TruncateUtf8(std::move(summary), kSummaryLimit);
}

json IssueDescription(const pb::Incident& incident, const pb::FollowUp& follow_up,
                      const std::string& dashboard_url) {
  json content = json::array();
  for (absl::string_view line : absl::StrSplit(follow_up.description(), '\n')) {
    std::string text(absl::StripAsciiWhitespace(line));
    if (!text.empty()) content.push_back(Paragraph({Text(text)}));
  }
  std::string page =
      dashboard_url.empty() ? "" : absl::StrCat(dashboard_url, "/incidents/", incident.id());
  std::string name = absl::StrCat("incident #", incident.id());
  if (!incident.title().empty()) absl::StrAppend(&name, ": ", incident.title());
  content.push_back(
      Paragraph({Text(absl::StrCat("Follow-up FU-", follow_up.id(), " of ")), Text(name, page)}));
  std::string details;
  if (!follow_up.owner().empty()) details = absl::StrCat("Owner: ", follow_up.owner());
  if (!follow_up.due_date().empty()) {
    absl::StrAppend(&details, details.empty() ? "" : ". ", "Due: ", follow_up.due_date());
  }
  if (!details.empty()) content.push_back(Paragraph({Text(details)}));
  if (json links = IncidentLinks(incident); !links.empty()) {
    content.push_back({{"type", "bulletList"}, {"content", std::move(links)}});
  }
  return {{"type", "doc"}, {"version", 1}, {"content", std::move(content)}};
}

}  // namespace ff
