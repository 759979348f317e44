// SlackApp's buttons and dispatched selects (block_actions): the live
// summary's buttons (clients/slack/room_actions.h), the Home tab's open
// button and the open modal's domain select. Each runs in the background
// after the press is acknowledged; refusals go to the presser only.
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "adapters/slack/slack_app.h"
#include "clients/incident/vocabulary.h"
#include "clients/slack/room_actions.h"
#include "spdlog/spdlog.h"

namespace ff::slack {

using json = nlohmann::json;

namespace {

// ChannelOf is the channel a press came from ("" for a Home tab or modal).
std::string ChannelOf(const json& payload) {
  std::string channel = StringAt(payload, "/channel/id");
  return channel.empty() ? StringAt(payload, "/container/channel_id") : channel;
}

}  // namespace

void SlackApp::Press(const json& payload) {
  if (!payload.contains("actions") || !payload["actions"].is_array() ||
      payload["actions"].empty()) {
    return;
  }
  const json& action = payload["actions"][0];
  std::string action_id = StringAt(action, "/action_id");
  if (StringAt(payload, "/view/callback_id") == kOpenCallback &&
      StringAt(action, "/block_id") == "domain") {
    return DomainPicked(payload, StringAt(action, "/selected_option/value"));
  }
  if (action_id == slack_room::kOpenIncident) return PressOpenIncident(payload);
  int64_t id = 0;
  // kOpenDashboard is a URL button: Slack opens the page, nothing to do.
  if (!absl::SimpleAtoi(StringAt(action, "/value"), &id) || id <= 0) return;
  if (action_id == slack_room::kUpdate) PressUpdate(payload, id);
  if (action_id == slack_room::kCommanderMe) PressCommanderMe(payload, id);
  if (action_id == slack_room::kAddNote) PressAddNote(payload, id);
}

void SlackApp::Tell(const std::string& response_url, const std::string& channel_id,
                    const std::string& user_id, const std::string& text) {
  absl::Status sent;
  if (!response_url.empty()) {
    sent = slack_->Respond(response_url, Ephemeral(text));
  } else if (!channel_id.empty()) {
    sent = slack_->PostEphemeral(channel_id, user_id, text);
  }
  if (!sent.ok()) spdlog::warn("could not tell {}: {}", user_id, sent.ToString());
}

RoleUsers SlackApp::HolderIds(const pb::Incident& incident) {
  RoleUsers ids;
  for (Role role : AllRoles()) {
    const std::string& holder = HolderOf(incident.roles(), role);
    if (absl::StrContains(holder, '@')) {
      absl::StatusOr<std::optional<std::string>> id = users_.IdForEmail(holder);
      if (id.ok() && id->has_value()) ids[std::string(RoleField(role))] = **id;
      if (!id.ok()) spdlog::warn("users.lookupByEmail failed: {}", id.status().ToString());
    } else if (absl::StartsWith(holder, "U") || absl::StartsWith(holder, "W")) {
      ids[std::string(RoleField(role))] = holder;  // recorded as a Slack id
    }
  }
  return ids;
}

void SlackApp::PressUpdate(const json& payload, int64_t id) {
  std::string user = StringAt(payload, "/user/id");
  std::string channel = ChannelOf(payload);
  absl::StatusOr<pb::Incident> incident = core_.GetIncident(id);
  if (!incident.ok()) return Tell("", channel, user, CoreErrorText(incident.status()));
  ModalContext context{id, channel, StringAt(payload, "/response_url")};
  absl::Status opened =
      slack_->OpenView(StringAt(payload, "/trigger_id"),
                       UpdateIncidentModal(*incident, context, HolderIds(*incident)));
  if (!opened.ok())
    Tell("", channel, user, absl::StrCat(":x: Could not open the form: ", opened.message()));
}

void SlackApp::PressCommanderMe(const json& payload, int64_t id) {
  std::string user = StringAt(payload, "/user/id");
  std::string email = Actor(user);
  pb::UpdateIncidentRequest request;
  request.set_id(id);
  request.set_actor(email);
  request.set_commander(email);
  absl::StatusOr<pb::Incident> updated = core_.UpdateIncident(request);
  if (!updated.ok()) Tell("", ChannelOf(payload), user, CoreErrorText(updated.status()));
}

void SlackApp::PressAddNote(const json& payload, int64_t id) {
  std::string user = StringAt(payload, "/user/id");
  std::string channel = ChannelOf(payload);
  absl::StatusOr<pb::Incident> incident = core_.GetIncident(id);
  if (!incident.ok()) return Tell("", channel, user, CoreErrorText(incident.status()));
  ModalContext context{id, channel, StringAt(payload, "/response_url")};
  absl::Status opened =
      slack_->OpenView(StringAt(payload, "/trigger_id"), NoteModal(*incident, context));
  if (!opened.ok())
    Tell("", channel, user, absl::StrCat(":x: Could not open the form: ", opened.message()));
}

void SlackApp::PressOpenIncident(const json& payload) {
  absl::StatusOr<pb::ListDomainsResponse> domains = core_.ListDomains();
  if (!domains.ok()) {
    spdlog::warn("open from the Home tab: {}", domains.status().ToString());
    return;
  }
  absl::Status opened =
      slack_->OpenView(StringAt(payload, "/trigger_id"), OpenIncidentModal(*domains, {}));
  if (!opened.ok()) spdlog::warn("open from the Home tab: {}", opened.ToString());
}

// DomainPicked redraws the open modal with the domain's active incidents;
// inputs keep what the user typed, since their block and action ids stay.
void SlackApp::DomainPicked(const json& payload, const std::string& domain) {
  absl::StatusOr<pb::ListDomainsResponse> domains = core_.ListDomains();
  pb::ListIncidentsRequest request;
  for (pb::Status status : ActiveStatuses()) request.add_statuses(status);
  request.set_domain(domain);
  request.set_page_size(10);
  absl::StatusOr<pb::ListIncidentsResponse> list = core_.ListIncidents(request);
  if (!domains.ok() || !list.ok() || domain.empty()) {
    spdlog::warn("similar incidents of \"{}\" not shown: {} {}", domain,
                 domains.status().ToString(), list.status().ToString());
    return;
  }
  std::vector<pb::Incident> similar(list->incidents().begin(), list->incidents().end());
  ModalContext context = DecodeContext(StringAt(payload, "/view/private_metadata"));
  absl::Status updated = slack_->UpdateView(StringAt(payload, "/view/id"),
                                            OpenIncidentModal(*domains, context, domain, similar),
                                            StringAt(payload, "/view/hash"));
  // ABORTED: the user changed the form meanwhile; their next pick redraws it.
  if (!updated.ok()) spdlog::info("open modal not redrawn: {}", updated.ToString());
}

void SlackApp::PublishHome(const std::string& user_id) {
  std::string email = Actor(user_id);
  pb::ListIncidentsRequest request;
  for (pb::Status status : ActiveStatuses()) request.add_statuses(status);
  request.set_page_size(500);
  absl::StatusOr<pb::ListIncidentsResponse> list = core_.ListIncidents(request);
  if (!list.ok()) {
    spdlog::warn("Home tab of {} not published: {}", user_id, list.status().ToString());
    return;
  }
  std::vector<pb::Incident> mine;
  for (const pb::Incident& incident : list->incidents()) {
    bool in = false;
    for (Role role : AllRoles()) in = in || HolderOf(incident.roles(), role) == email;
    for (const std::string& participant : incident.participants()) {
      in = in || participant == email;
    }
    if (in) mine.push_back(incident);
  }
  absl::Status published = slack_->PublishView(user_id, HomeView(mine, email));
  if (!published.ok()) spdlog::warn("views.publish for {}: {}", user_id, published.ToString());
}

}  // namespace ff::slack
