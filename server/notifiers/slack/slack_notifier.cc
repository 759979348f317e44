#include "server/notifiers/slack/slack_notifier.h"

#include <algorithm>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/status_macros.h"
#include "server/core/reminder_policy.h"
#include "server/core/workflow.h"
#include "server/notifiers/config_reader.h"
#include "server/notifiers/slack/slack_messages.h"
#include "server/notifiers/slack/slack_web_api.h"

namespace ff {
namespace {

// How far back a repeat is looked for: an event is redelivered soon after
// its first try; a link may have been posted long before the next
// links_changed event lists it again.
constexpr int kEventWindow = 100;
constexpr int kLinkWindow = 1000;
constexpr const char* kPostedLinkKinds[] = {"postmortem", "call", "postmortem_meeting"};

struct SlackConfig {
  std::string base_url;
  std::string token;
  std::string global_channel;
  std::string workspace_url;
  absl::Duration timeout;
};

const pb::Link* FindLink(const pb::Incident& incident, const std::string& kind) {
  for (const pb::Link& link : incident.links()) {
    if (link.kind() == kind) return &link;
  }
  return nullptr;
}

bool IsPostedLink(const pb::Link& link) {
  return std::find(std::begin(kPostedLinkKinds), std::end(kPostedLinkKinds), link.kind()) !=
         std::end(kPostedLinkKinds);
}

bool IsChannelId(const std::string& id) {
  if (id.size() < 3 || (id[0] != 'C' && id[0] != 'G')) return false;
  return std::all_of(id.begin(), id.end(),
                     [](char c) { return absl::ascii_isupper(c) || absl::ascii_isdigit(c); });
}

// People Slack could not place, for the delivery's note.
struct Invited {
  int count = 0;
  std::vector<std::string> unknown;
};

class SlackNotifier final : public Notifier {
 public:
  SlackNotifier(SlackConfig config, HttpClient* http, const DomainCatalog* domains)
      : config_(std::move(config)),
        api_(http, config_.base_url, config_.token, config_.timeout),
        domains_(domains) {}

  absl::string_view name() const override { return "slack"; }
  bool Interested(const pb::IncidentEvent& event) const override;
  absl::StatusOr<DeliveryResult> Deliver(const Delivery& delivery) override;

 private:
  absl::StatusOr<DeliveryResult> Opened(const Delivery& delivery);
  absl::StatusOr<DeliveryResult> Changed(const Delivery& delivery, const SlackChannel& channel);
  absl::StatusOr<SlackChannel> FindOrCreate(const pb::Incident& incident);
  // Existing finds the channel of a later event; `found_by_name` says the
  // incident had no link to it yet.
  absl::StatusOr<SlackChannel> Existing(const Delivery& delivery, bool* found_by_name);
  absl::Status PostOnce(const std::string& channel, const std::string& text, const std::string& key,
                        int window);
  absl::StatusOr<Invited> Invite(const std::string& channel, std::vector<std::string> people);
  // MentionOf is "<@U…>" for a person Slack knows, else the name as text, or
  // "" for nobody: reminders name the commander so Slack notifies them.
  absl::StatusOr<std::string> MentionOf(const std::string& person);
  absl::Status Resolve(const std::string& person, std::vector<std::string>& ids,
                       std::vector<std::string>& unknown);

  pb::Link ChannelLink(const SlackChannel& channel) const;
  static std::string Mention(const SlackChannel& channel) {
    return absl::StrCat("<#", channel.id, "|", channel.name, ">");
  }
  static std::string EventKey(const Delivery& delivery, const char* where) {
    int64_t sequence = delivery.event.sequence();
    return sequence > 0 ? absl::StrCat("event:", sequence, ":", where)
                        : absl::StrCat("delivery:", delivery.id, ":", where);
  }
  static std::string InviteNote(const SlackChannel& channel, const Invited& invited);

  const SlackConfig config_;
  SlackWebApi api_;
  const DomainCatalog* domains_;
};

bool SlackNotifier::Interested(const pb::IncidentEvent& event) const {
  const std::string& type = event.type();
  if (type == kEventLinksChanged) {
    const auto& links = event.incident().links();
    return std::any_of(links.begin(), links.end(), IsPostedLink);
  }
  return type == kEventOpened || type == kEventStatusChanged || type == kEventSeverityChanged ||
         type == kEventRolesChanged || type == kEventParticipantsChanged || type == kEventClosed ||
         type == kEventReminder;
}

absl::StatusOr<DeliveryResult> SlackNotifier::Deliver(const Delivery& delivery) {
  if (delivery.event.type() == kEventOpened) return Opened(delivery);
  bool found_by_name = false;
  FF_ASSIGN_OR_RETURN(SlackChannel channel, Existing(delivery, &found_by_name));
  absl::StatusOr<DeliveryResult> changed = Changed(delivery, channel);
  if (!changed.ok() && IsArchivedChannelError(changed.status()) &&
      delivery.event.type() != kEventClosed) {
    // News that arrives after the channel was archived (an on-call person
    // found late, a link made after closing) has nowhere to go: not an error.
    DeliveryResult skipped;
    skipped.note = absl::StrCat("Slack channel #", channel.name, " is archived; ",
                                delivery.event.type(), " not posted");
    return skipped;
  }
  FF_ASSIGN_OR_RETURN(DeliveryResult result, std::move(changed));
  if (found_by_name) result.links.push_back(ChannelLink(channel));
  return result;
}

absl::StatusOr<DeliveryResult> SlackNotifier::Opened(const Delivery& delivery) {
  const pb::Incident& incident = delivery.event.incident();
  FF_ASSIGN_OR_RETURN(SlackChannel channel, FindOrCreate(incident));
  if (channel.archived) {
    return absl::FailedPreconditionError(
        absl::StrCat("slack: channel #", channel.name, " exists but is archived"));
  }
  FF_RETURN_IF_ERROR(api_.SetTopic(channel.id, ChannelTopic(incident)));
  std::vector<std::string> people = {incident.reporter(), incident.roles().commander(),
                                     incident.roles().communication_lead(),
                                     incident.roles().operations_lead()};
  if (const DomainConfig* domain = domains_ ? domains_->Find(incident.domain()) : nullptr) {
    people.insert(people.end(), domain->invite.begin(), domain->invite.end());
  }
  people.insert(people.end(), delivery.current.participants().begin(),
                delivery.current.participants().end());
  FF_ASSIGN_OR_RETURN(Invited invited, Invite(channel.id, std::move(people)));
  FF_RETURN_IF_ERROR(PostOnce(channel.id, OpenedChannelMessage(incident),
                              EventKey(delivery, "channel"), kEventWindow));
  FF_RETURN_IF_ERROR(PostOnce(config_.global_channel,
                              OpenedGlobalMessage(incident, Mention(channel)),
                              EventKey(delivery, "global"), kEventWindow));
  DeliveryResult result;
  result.links.push_back(ChannelLink(channel));
  result.note = InviteNote(channel, invited);
  return result;
}

absl::StatusOr<DeliveryResult> SlackNotifier::Changed(const Delivery& delivery,
                                                      const SlackChannel& channel) {
  const pb::IncidentEvent& event = delivery.event;
  const std::string& type = event.type();
  DeliveryResult result;
  if (type == kEventStatusChanged || type == kEventSeverityChanged || type == kEventRolesChanged) {
    FF_RETURN_IF_ERROR(
        PostOnce(channel.id, ChangeMessage(event), EventKey(delivery, "channel"), kEventWindow));
  }
  if (type == kEventStatusChanged && event.incident().status() == pb::STATUS_FIXED) {
    FF_RETURN_IF_ERROR(PostOnce(config_.global_channel,
                                FixedGlobalMessage(event.incident(), Mention(channel)),
                                EventKey(delivery, "global"), kEventWindow));
  }
  if (type == kEventSeverityChanged && SeverityRaisedToMajor(event)) {
    FF_RETURN_IF_ERROR(PostOnce(config_.global_channel,
                                SeverityGlobalMessage(event.incident(), Mention(channel)),
                                EventKey(delivery, "global"), kEventWindow));
  }
  if (type == kEventRolesChanged || type == kEventParticipantsChanged) {
    const pb::Incident& now = event.incident();
    std::vector<std::string> people = {now.roles().commander(), now.roles().communication_lead(),
                                       now.roles().operations_lead()};
    if (type == kEventParticipantsChanged) {
      people.assign(now.participants().begin(), now.participants().end());
    }
    FF_ASSIGN_OR_RETURN(Invited invited, Invite(channel.id, std::move(people)));
    result.note = InviteNote(channel, invited);
  }
  if (type == kEventLinksChanged) {
    for (const pb::Link& link : event.incident().links()) {
      if (!IsPostedLink(link)) continue;
      FF_RETURN_IF_ERROR(PostOnce(channel.id, LinkMessage(event.incident(), link),
                                  absl::StrCat("link:", link.kind(), ":", link.url()),
                                  kLinkWindow));
    }
  }
  if (type == kEventReminder) {
    FF_ASSIGN_OR_RETURN(std::string commander, MentionOf(event.incident().roles().commander()));
    FF_RETURN_IF_ERROR(PostOnce(channel.id, ReminderMessage(event, commander),
                                EventKey(delivery, "channel"), kEventWindow));
  }
  if (type == kEventClosed) {
    const pb::Link* postmortem = FindLink(delivery.current, "postmortem");
    if (postmortem == nullptr) postmortem = FindLink(event.incident(), "postmortem");
    FF_RETURN_IF_ERROR(PostOnce(channel.id, ClosedMessage(event, postmortem),
                                EventKey(delivery, "channel"), kEventWindow));
    FF_RETURN_IF_ERROR(api_.Archive(channel.id));
    result.note = absl::StrCat("Slack channel #", channel.name, " archived");
  }
  return result;
}

absl::StatusOr<SlackChannel> SlackNotifier::FindOrCreate(const pb::Incident& incident) {
  std::string name = IncidentChannelName(incident);
  absl::StatusOr<SlackChannel> created = api_.CreateChannel(name);
  if (created.ok() || created.status().code() != absl::StatusCode::kAlreadyExists) return created;
  // name_taken: an earlier try of this delivery created it.
  FF_ASSIGN_OR_RETURN(std::optional<SlackChannel> found, api_.FindChannel(name));
  if (!found) {
    return absl::FailedPreconditionError(absl::StrCat(
        "slack: channel name #", name, " is taken but no channel the bot can see has it"));
  }
  return *found;
}

absl::StatusOr<SlackChannel> SlackNotifier::Existing(const Delivery& delivery,
                                                     bool* found_by_name) {
  *found_by_name = false;
  const pb::Link* link = FindLink(delivery.current, "slack_channel");
  if (link == nullptr) link = FindLink(delivery.event.incident(), "slack_channel");
  if (link != nullptr && !link->external_id().empty()) {
    return SlackChannel{link->external_id(), IncidentChannelName(delivery.current), false};
  }
  // The opened delivery may have created the channel and died before its
  // link was stored: look for the deterministic name.
  const pb::Incident& incident =
      delivery.current.id() != 0 ? delivery.current : delivery.event.incident();
  std::string name = IncidentChannelName(incident);
  FF_ASSIGN_OR_RETURN(std::optional<SlackChannel> found, api_.FindChannel(name));
  if (!found) {
    return absl::FailedPreconditionError(absl::StrCat(
        "slack: incident #", incident.id(), " has no Slack channel (no slack_channel link and no #",
        name, "); the opened delivery never created it"));
  }
  *found_by_name = true;
  return *found;
}

absl::Status SlackNotifier::PostOnce(const std::string& channel, const std::string& text,
                                     const std::string& key, int window) {
  FF_ASSIGN_OR_RETURN(bool posted, api_.HasMarkedMessage(channel, key, window));
  if (posted) return absl::OkStatus();
  return api_.PostMessage(channel, text, key);
}

absl::StatusOr<std::string> SlackNotifier::MentionOf(const std::string& person) {
  if (person.empty()) return std::string();
  std::vector<std::string> ids, unknown;
  FF_RETURN_IF_ERROR(Resolve(person, ids, unknown));
  // A user group resolves to its members; only a single person is mentioned.
  if (ids.size() == 1 && ClassifyPerson(person).kind != SlackPerson::Kind::kUserGroup) {
    return absl::StrCat("<@", ids[0], ">");
  }
  return SlackEscape(person);
}

absl::StatusOr<Invited> SlackNotifier::Invite(const std::string& channel,
                                              std::vector<std::string> people) {
  std::vector<std::string> ids;
  Invited invited;
  std::set<std::string> seen;
  for (const std::string& person : people) {
    if (person.empty() || !seen.insert(person).second) continue;
    FF_RETURN_IF_ERROR(Resolve(person, ids, invited.unknown));
  }
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  if (ids.empty()) return invited;
  FF_ASSIGN_OR_RETURN(int skipped, api_.Invite(channel, ids));
  invited.count = static_cast<int>(ids.size()) - skipped;
  return invited;
}

absl::Status SlackNotifier::Resolve(const std::string& person, std::vector<std::string>& ids,
                                    std::vector<std::string>& unknown) {
  SlackPerson slack = ClassifyPerson(person);
  switch (slack.kind) {
    case SlackPerson::Kind::kUserId:
      ids.push_back(slack.value);
      return absl::OkStatus();
    case SlackPerson::Kind::kEmail: {
      FF_ASSIGN_OR_RETURN(std::optional<std::string> id, api_.LookupUserByEmail(slack.value));
      if (id) ids.push_back(*id);
      if (!id) unknown.push_back(person);
      return absl::OkStatus();
    }
    case SlackPerson::Kind::kUserGroup: {
      FF_ASSIGN_OR_RETURN(auto members, api_.UserGroupMembers(slack.value));
      if (members) ids.insert(ids.end(), members->begin(), members->end());
      if (!members) unknown.push_back(person);
      return absl::OkStatus();
    }
    case SlackPerson::Kind::kUnknown:
      unknown.push_back(person);
      return absl::OkStatus();
  }
  return absl::OkStatus();
}

pb::Link SlackNotifier::ChannelLink(const SlackChannel& channel) const {
  pb::Link link;
  link.set_kind("slack_channel");
  link.set_external_id(channel.id);
  link.set_url(config_.workspace_url.empty()
                   ? absl::StrCat("https://slack.com/app_redirect?channel=", channel.id)
                   : absl::StrCat(config_.workspace_url, "/archives/", channel.id));
  return link;
}

std::string SlackNotifier::InviteNote(const SlackChannel& channel, const Invited& invited) {
  std::string note = absl::StrCat("Slack #", channel.name, ": invited ", invited.count,
                                  invited.count == 1 ? " person" : " people");
  if (!invited.unknown.empty()) {
    absl::StrAppend(&note, "; not found in Slack: ", absl::StrJoin(invited.unknown, ", "));
  }
  return note;
}

class SlackNotifierFactory final : public NotifierFactory {
 public:
  absl::string_view name() const override { return "slack"; }
  absl::StatusOr<std::unique_ptr<Notifier>> Create(const nlohmann::json& config,
                                                   const NotifierEnv& env) const override;
};

absl::StatusOr<std::unique_ptr<Notifier>> SlackNotifierFactory::Create(
    const nlohmann::json& config, const NotifierEnv& env) const {
  ConfigReader reader("notifiers.slack", config);
  SlackConfig c;
  FF_ASSIGN_OR_RETURN(c.base_url, reader.Url("base_url", "https://slack.com/api"));
  FF_ASSIGN_OR_RETURN(c.token, reader.Secret("bot_token_env", env, "SLACK_BOT_TOKEN"));
  FF_ASSIGN_OR_RETURN(c.global_channel, reader.String("global_channel", true));
  if (!IsChannelId(c.global_channel)) {
    return reader.Error("global_channel", absl::StrCat("must be a Slack channel id like "
                                                       "C0123456789, got \"",
                                                       c.global_channel, "\""));
  }
  if (config.contains("workspace_url")) {
    FF_ASSIGN_OR_RETURN(c.workspace_url, reader.Url("workspace_url", ""));
  }
  FF_ASSIGN_OR_RETURN(c.timeout, reader.Timeout());
  FF_RETURN_IF_ERROR(reader.Finish());
  if (env.http == nullptr) return absl::InternalError("notifiers.slack: no HTTP client given");
  return std::unique_ptr<Notifier>(new SlackNotifier(std::move(c), env.http, env.domains));
}

}  // namespace

std::unique_ptr<NotifierFactory> MakeSlackNotifierFactory() {
  return std::make_unique<SlackNotifierFactory>();
}

}  // namespace ff
