#include "adapters/slack/incident_blocks.h"

#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "adapters/slack/incident_text.h"
#include "adapters/slack/slack_markup.h"
#include "clients/incident/vocabulary.h"

namespace ff::slack {
namespace {

using json = nlohmann::json;

constexpr size_t kMaxSectionText = 3000;
constexpr size_t kMaxFieldText = 2000;

json Mrkdwn(std::string text) { return {{"type", "mrkdwn"}, {"text", std::move(text)}}; }

json Section(const std::string& block_id, std::string text) {
  return {{"type", "section"}, {"block_id", block_id}, {"text", Mrkdwn(std::move(text))}};
}

json Context(const std::string& block_id, std::string text) {
  return {{"type", "context"}, {"block_id", block_id}, {"elements", {Mrkdwn(std::move(text))}}};
}

// Field is "*name*\nvalue", `value` written by people (escaped and cut).
json Field(absl::string_view name, const std::string& value) {
  std::string shown = value.empty() ? "—" : EscapedPrefix(value, kMaxFieldText - 100);
  return Mrkdwn(absl::StrCat("*", name, "*\n", shown));
}

json Facts(const pb::Incident& incident) {
  json fields = json::array();
  fields.push_back(Field("Status", std::string(Label(incident.status()))));
  fields.push_back(Field("Severity", absl::StrCat(Label(incident.severity()), " — ",
                                                  TermOf(incident.severity()).meaning)));
  fields.push_back(Field("Domain", incident.domain()));
  fields.push_back(Field("Reporter", incident.reporter()));
  for (Role role : AllRoles())
    fields.push_back(Field(Label(role), HolderOf(incident.roles(), role)));
  if (incident.status() == pb::STATUS_CLOSED) {
    fields.push_back(Field("Closed", absl::StrCat(TimeText(incident.closed_at()), " (",
                                                  Label(incident.close_reason()), ")")));
  }
  return {{"type", "section"}, {"block_id", "facts"}, {"fields", fields}};
}

// LinkText is "<url|kind>" for a web link, the escaped text otherwise.
std::string LinkText(const pb::Link& link) {
  std::string kind = SlackEscape(link.kind().empty() ? "link" : link.kind());
  if (!absl::StartsWith(link.url(), "https://") && !absl::StartsWith(link.url(), "http://")) {
    return absl::StrCat(kind, ": ", SlackEscape(link.url()));
  }
  std::string url = absl::StrReplaceAll(SlackEscape(link.url()), {{"|", "%7C"}});
  return absl::StrCat("<", url, "|", absl::StrReplaceAll(kind, {{"|", "/"}}), ">");
}

json Links(const pb::Incident& incident) {
  std::string text = "*Links*";
  for (const pb::Link& link : incident.links()) {
    if (link.url().empty()) continue;
    std::string line = absl::StrCat("\n• ", LinkText(link));
    if (text.size() + line.size() > kMaxSectionText) break;
    text += line;
  }
  return Section("links", text);
}

// Ephemeral is a message only its caller sees.
json EphemeralBlocks(std::string text, json blocks) {
  return {{"response_type", "ephemeral"}, {"text", std::move(text)}, {"blocks", std::move(blocks)}};
}

}  // namespace

json InfoMessage(const pb::Incident& incident) {
  json blocks = json::array();
  blocks.push_back(
      Section("title", absl::StrCat("*Incident #", incident.id(), ": ",
                                    EscapedPrefix(incident.title(), kMaxSectionText - 40), "*")));
  blocks.push_back(Facts(incident));
  if (!incident.description().empty()) {
    blocks.push_back(
        Section("description", EscapedPrefix(incident.description(), kMaxSectionText)));
  }
  bool has_links = false;
  for (const pb::Link& link : incident.links()) has_links = has_links || !link.url().empty();
  if (has_links) blocks.push_back(Links(incident));
  blocks.push_back(Context("opened", absl::StrCat("Opened ", TimeText(incident.created_at()),
                                                  " · version ", incident.version())));
  return EphemeralBlocks(DetailsText(incident), std::move(blocks));
}

namespace {

// IncidentSection is one incident of the list: "#12 Title" and its facts.
json IncidentSection(const pb::Incident& incident) {
  std::string commander = HolderOf(incident.roles(), Role::kCommander);
  std::string text =
      absl::StrCat("*#", incident.id(), "* ", EscapedPrefix(incident.title(), 1000), "\n",
                   Label(incident.severity()), " · ", Label(incident.status()), " · ",
                   EscapedPrefix(incident.domain().empty() ? "—" : incident.domain(), 200),
                   " · commander ", commander.empty() ? "—" : EscapedPrefix(commander, 500),
                   " · opened ", TimeText(incident.created_at()));
  return Section(absl::StrCat("incident-", incident.id()), text);
}

std::string MoreText(int more, bool more_pages, bool all) {
  std::string count = absl::StrCat(more, more_pages ? "+" : "");
  if (all) return absl::StrCat("…and ", count, " more (`ff list --all` shows them all)");
  return absl::StrCat("…and ", count, " more (`ff list` shows them all)");
}

}  // namespace

json ListMessage(const IncidentList& list) {
  const auto& incidents = list.page.incidents();
  const char* heading = list.all ? "All incidents" : "Incidents in progress";
  if (incidents.empty()) {
    std::string text = list.all ? "No incident yet." : "No incident in progress. :tada:";
    return EphemeralBlocks(text, json::array({Section("heading", text)}));
  }
  json blocks = json::array({Section("heading", absl::StrCat("*", heading, "*"))});
  std::string fallback = absl::StrCat("*", heading, "*\n");
  int shown = std::min(incidents.size(), kListShown);
  for (int i = 0; i < shown; ++i) {
    blocks.push_back(IncidentSection(incidents[i]));
    absl::StrAppend(&fallback, "• ", SummaryLine(incidents[i]), "\n");
  }
  bool more_pages = !list.page.next_page_token().empty();
  if (incidents.size() > shown || more_pages) {
    std::string more = MoreText(incidents.size() - shown, more_pages, list.all);
    blocks.push_back(Context("more", more));
    absl::StrAppend(&fallback, more, "\n");
  }
  return EphemeralBlocks(fallback, std::move(blocks));
}

}  // namespace ff::slack
