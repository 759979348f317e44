#include "server/notifiers/slack/slack_notifier.h"

#include <algorithm>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "clients/slack/slack_client.h"
#include "clients/slack/slack_users.h"
#include "common/status_macros.h"
#include "server/core/follow_ups.h"
#include "server/core/reminder_policy.h"
#include "server/core/workflow.h"
#include "server/notifiers/budgeted_notifier.h"
#include "server/notifiers/config_reader.h"
#include "server/notifiers/delivery_steps.h"
#include "server/notifiers/links.h"
#include "server/notifiers/slack/slack_messages.h"

namespace ff {
namespace {

// How far back a post whose outcome was lost is looked for: it was made by
// an attempt of the same delivery, moments ago.
constexpr int kHistoryWindow = 100;
// Links posted in the channel, by the notifier that writes each back: a
// links_changed event from that notifier is the news of its link.
constexpr std::pair<const char*, const char*> kPostedLinks[] = {
    {"postmortem", "confluence"}, {"call", "meeting"}, {"postmortem_meeting", "calendar"}};
// The links bookmarked in the channel's header once they exist, with their
// titles ("dashboard" is the dashboard's page, when its address is set).
constexpr std::pair<const char*, const char*> kBookmarkedLinks[] = {{"call", "Incident call"},
                                                                    {"postmortem", "Postmortem"}};
// The link that records the live summary: external_id is the message ts.
constexpr char kSummaryLink[] = "slack_summary";
// A deferred delivery whose incident has no channel yet looks again after this.
constexpr absl::Duration kChannelWait = absl::Minutes(1);
// A channel found under our name after a lost answer is ours only if it was
// made after the incident (less this much clock skew).
constexpr int64_t kCreatedSkewSeconds = 300;

struct SlackConfig {
  std::string base_url;
  std::string token;
  std::string global_channel;
  std::string workspace_url;
  std::string dashboard_url;
  absl::Duration timeout;
  std::map<std::string, RateLimit> limits;
};

bool IsChannelId(const std::string& id) {
  if (id.size() < 3 || (id[0] != 'C' && id[0] != 'G')) return false;
  return std::all_of(id.begin(), id.end(),
                     [](char c) { return absl::ascii_isupper(c) || absl::ascii_isdigit(c); });
}

// RunOnce performs step `name` (an idempotent call: setting a topic,
// pinning) unless an earlier attempt did.
absl::Status RunOnce(DeliverySteps& steps, const std::string& name,
                     const std::function<absl::Status()>& call) {
  return steps
      .Run(
          name,
          [&](bool) -> absl::StatusOr<nlohmann::json> {
            absl::Status status = call();
            if (!status.ok()) return status;
            return true;
          },
          /*guarded=*/false)
      .status();
}

// PostedLinkKindsOf names the link kinds a links_changed event is news of:
// those its writer (the entry's actor) stores.
std::vector<std::string> PostedLinkKindsOf(const pb::IncidentEvent& event) {
  std::vector<std::string> kinds;
  for (const auto& [kind, writer] : kPostedLinks) {
    if (event.entry().actor() == writer) kinds.emplace_back(kind);
  }
  return kinds;
}

class SlackNotifier final : public Notifier {
 public:
  SlackNotifier(SlackConfig config, HttpClient* http, const Clock* clock,
                const DomainCatalog* domains, std::string installation)
      : config_(std::move(config)),
        clock_(clock),
        budget_(clock, config_.limits),
        api_(http, config_.base_url, config_.token, config_.timeout, &budget_),
        users_(&api_, clock),
        domains_(domains),
        installation_(std::move(installation)) {}

  absl::string_view name() const override { return "slack"; }
  bool Interested(const pb::IncidentEvent& event) const override;
  // The summary's "latest update" is the newest entry of the timeline.
  bool NeedsTimeline() const override { return true; }
  // The summary counts the follow-ups.
  bool NeedsFollowUps() const override { return true; }
  absl::StatusOr<DeliveryResult> Deliver(const Delivery& delivery) override;

 private:
  absl::StatusOr<DeliveryResult> Opened(const Delivery& delivery, DeliverySteps& steps);
  absl::StatusOr<DeliveryResult> Changed(const Delivery& delivery, const SlackChannel& channel,
                                         DeliverySteps& steps);
  // PostChange posts the channel's (and the global channel's) line for a
  // status, severity, role or note change.
  absl::Status PostChange(const Delivery& delivery, const SlackChannel& channel,
                          const Mentions& mentions, DeliverySteps& steps);
  absl::Status PostLinks(const Delivery& delivery, const SlackChannel& channel,
                         DeliverySteps& steps);
  absl::StatusOr<DeliveryResult> Closed(const Delivery& delivery, const SlackChannel& channel,
                                        const Mentions& mentions, DeliverySteps& steps);
  // PostSummary posts the live summary once and pins it; returns its link.
  absl::StatusOr<pb::Link> PostSummary(const Delivery& delivery, const SlackChannel& channel,
                                       const Mentions& mentions, DeliverySteps& steps,
                                       bool look_first);
  // UpdateSummary edits the live summary to show the incident as it stands;
  // the summary is posted (found first) when the channel has none yet.
  absl::Status UpdateSummary(const Delivery& delivery, const SlackChannel& channel,
                             const Mentions& mentions, DeliverySteps& steps,
                             DeliveryResult& result);
  nlohmann::json Summary(const Delivery& delivery, const Mentions& mentions) const;
  // SetTopic sets the channel topic (status · severity · commander). Unless
  // the channel is `fresh` (just made), the topic is read first and set only
  // when it differs: conversations.info is Tier 3, setTopic Tier 2.
  absl::Status SetTopic(const SlackChannel& channel, const pb::Incident& incident,
                        const Mentions& mentions, DeliverySteps& steps, bool fresh = false);
  // Bookmark bookmarks `url` under `title` once (step "bookmark:<kind>").
  absl::Status Bookmark(const SlackChannel& channel, const std::string& kind,
                        const std::string& title, const std::string& url, DeliverySteps& steps);
  // MentionsOf resolves the people of `people` Slack knows to "<@U…>".
  absl::StatusOr<Mentions> MentionsOf(const std::vector<std::string>& people);
  // CreateChannel makes the incident's channel, under its name or, when
  // another installation (or anyone) holds that, a suffixed one.
  absl::StatusOr<SlackChannel> CreateChannel(const pb::Incident& incident, bool in_doubt);
  bool IsOurs(const SlackChannel& channel, const pb::Incident& incident) const;
  std::string SuffixedName(const std::string& name) const;
  std::string Purpose(const pb::Incident& incident) const;
  // Post posts `text` in `channel` once as step `step`, tagged with `key`;
  // the channel's history is read only when an earlier try's outcome was lost.
  // With `blocks` (not null) the post is Block Kit with `text` as fallback.
  absl::Status Post(DeliverySteps& steps, const std::string& step, const std::string& channel,
                    const std::string& text, const std::string& key,
                    const nlohmann::json& blocks = nullptr);
  absl::StatusOr<nlohmann::json> Invite(const std::string& channel,
                                        const std::vector<std::string>& people);
  // MentionOf is "<@U…>" for a person Slack knows, else the name as text, or
  // "" for nobody: reminders name the commander so Slack notifies them.
  absl::StatusOr<std::string> MentionOf(const std::string& person);
  absl::Status Resolve(const std::string& person, std::vector<std::string>& ids,
                       std::vector<std::string>& unknown);

  pb::Link ChannelLink(const SlackChannel& channel) const;
  static std::string Mention(const SlackChannel& channel) {
    return absl::StrCat("<#", channel.id, "|", channel.name, ">");
  }
  static std::string EventKey(const Delivery& delivery, absl::string_view where) {
    int64_t sequence = delivery.event.sequence();
    return sequence > 0 ? absl::StrCat("event:", sequence, ":", where)
                        : absl::StrCat("delivery:", delivery.id, ":", where);
  }
  static std::string InviteNote(const SlackChannel& channel, const nlohmann::json& invited);
  // Now is the incident as it stands: the current one, or the event's when
  // the delivery carries none.
  static const pb::Incident& Now(const Delivery& delivery) {
    return delivery.current.id() != 0 ? delivery.current : delivery.event.incident();
  }
  static std::string SummaryKey(const pb::Incident& incident) {
    return absl::StrCat("summary:", incident.id());
  }

  const SlackConfig config_;
  const Clock* clock_;
  RateBudget budget_;
  SlackClient api_;
  SlackUserDirectory users_;
  const DomainCatalog* domains_;
  const std::string installation_;
};

bool SlackNotifier::Interested(const pb::IncidentEvent& event) const {
  const std::string& type = event.type();
  // Any link but the ones this notifier stores itself shows in the summary.
  if (type == kEventLinksChanged) return event.entry().actor() != name();
  // A note or update from a person is the summary's latest update; the
  // notifiers' own notes are not.
  if (type == kEventEntryAdded) return event.entry().kind() != "notification";
  // A closed incident's channel is archived: its follow-ups' reminders go
  // elsewhere (the tracker, the dashboard), and their changes have no room
  // left to show them in.
  const bool closed = event.incident().status() == pb::STATUS_CLOSED;
  if (type == kEventReminder && closed) return false;
  if (type == kEventFollowUpAdded || type == kEventFollowUpUpdated) return !closed;
  return type == kEventOpened || type == kEventStatusChanged || type == kEventSeverityChanged ||
         type == kEventRolesChanged || type == kEventDetailsChanged ||
         type == kEventParticipantsChanged || type == kEventClosed || type == kEventReminder;
}

absl::StatusOr<DeliveryResult> SlackNotifier::Deliver(const Delivery& delivery) {
  // When a method's budget is the bottleneck, the most severe incident's
  // delivery gets the next slot.
  ScopedBudgetCaller caller(CallerOf(delivery));
  DeliverySteps steps(delivery);
  if (delivery.event.type() == kEventOpened) return Opened(delivery, steps);
  const pb::Link* link = FindLink(delivery.current, "slack_channel");
  if (link == nullptr || link->external_id().empty()) {
    // The opened delivery has not made the channel (it died, or waits to be
    // retried): wait for it, without using up attempts.
    return BudgetWait(absl::StrCat("Slack channel of incident #", delivery.current.id()),
                      kChannelWait);
  }
  SlackChannel channel{link->external_id(), IncidentChannelName(delivery.current), false, 0, ""};
  absl::StatusOr<DeliveryResult> changed = Changed(delivery, channel, steps);
  if (!changed.ok() && IsArchivedChannelError(changed.status()) &&
      delivery.event.type() != kEventClosed) {
    // News that arrives after the channel was archived (an on-call person
    // found late, a link made after closing) has nowhere to go: not an error.
    DeliveryResult skipped;
    skipped.note = absl::StrCat("Slack channel #", channel.name, " is archived; ",
                                delivery.event.type(), " not posted");
    return skipped;
  }
  return changed;
}

absl::StatusOr<DeliveryResult> SlackNotifier::Opened(const Delivery& delivery,
                                                     DeliverySteps& steps) {
  const pb::Incident& incident = delivery.event.incident();
  if (absl::Duration wait = budget_.Peek("conversations.create"); wait > absl::ZeroDuration()) {
    if (steps.Done("channel") == nullptr) return BudgetWait("slack conversations.create", wait);
  }
  FF_ASSIGN_OR_RETURN(nlohmann::json made,
                      steps.Run("channel", [&](bool in_doubt) -> absl::StatusOr<nlohmann::json> {
                        FF_ASSIGN_OR_RETURN(SlackChannel c, CreateChannel(incident, in_doubt));
                        return nlohmann::json{{"id", c.id}, {"name", c.name}};
                      }));
  const SlackChannel channel{made.value("id", ""), made.value("name", ""), false, 0, ""};
  FF_RETURN_IF_ERROR(
      RunOnce(steps, "purpose", [&] { return api_.SetPurpose(channel.id, Purpose(incident)); }));
  FF_ASSIGN_OR_RETURN(Mentions mentions, MentionsOf(PeopleOf(delivery.event, Now(delivery))));
  std::vector<std::string> people = {incident.reporter(), incident.roles().commander(),
                                     incident.roles().communication_lead(),
                                     incident.roles().operations_lead()};
  if (const DomainConfig* domain = domains_ ? domains_->Find(incident.domain()) : nullptr) {
    people.insert(people.end(), domain->invite.begin(), domain->invite.end());
  }
  people.insert(people.end(), delivery.current.participants().begin(),
                delivery.current.participants().end());
  FF_ASSIGN_OR_RETURN(nlohmann::json invited,
                      steps.Run(
                          "invite", [&](bool) { return Invite(channel.id, people); },
                          /*guarded=*/false));
  FF_ASSIGN_OR_RETURN(pb::Link summary,
                      PostSummary(delivery, channel, mentions, steps, /*look_first=*/false));
  if (std::string page = DashboardPage(config_.dashboard_url, incident.id()); !page.empty()) {
    FF_RETURN_IF_ERROR(Bookmark(channel, "dashboard", "Dashboard", page, steps));
  }
  FF_RETURN_IF_ERROR(Post(steps, "post:global", config_.global_channel,
                          OpenedGlobalMessage(incident, Mention(channel), mentions),
                          EventKey(delivery, "global")));
  // The topic comes last: in a storm the first changes often arrive while
  // the channel is being set up, and a topic set from the incident as it
  // then stands saves a second setTopic (Tier 2) for each of them.
  FF_RETURN_IF_ERROR(SetTopic(channel, Now(delivery), mentions, steps, /*fresh=*/true));
  DeliveryResult result;
  result.links.push_back(ChannelLink(channel));
  result.links.push_back(std::move(summary));
  result.note = InviteNote(channel, invited);
  return result;
}

absl::StatusOr<DeliveryResult> SlackNotifier::Changed(const Delivery& delivery,
                                                      const SlackChannel& channel,
                                                      DeliverySteps& steps) {
  const pb::IncidentEvent& event = delivery.event;
  const std::string& type = event.type();
  FF_ASSIGN_OR_RETURN(Mentions mentions, MentionsOf(PeopleOf(event, Now(delivery))));
  if (type == kEventClosed) return Closed(delivery, channel, mentions, steps);
  if (type == kEventLinksChanged) FF_RETURN_IF_ERROR(PostLinks(delivery, channel, steps));
  FF_RETURN_IF_ERROR(PostChange(delivery, channel, mentions, steps));
  DeliveryResult result;
  // A reminder or a new participant changes nothing the summary shows.
  if (type != kEventReminder && type != kEventParticipantsChanged) {
    FF_RETURN_IF_ERROR(UpdateSummary(delivery, channel, mentions, steps, result));
  }
  const bool commander_changed =
      type == kEventRolesChanged && absl::StartsWith(event.entry().text(), "Commander:");
  if (type == kEventStatusChanged || type == kEventSeverityChanged || commander_changed ||
      type == kEventDetailsChanged) {
    FF_RETURN_IF_ERROR(SetTopic(channel, Now(delivery), mentions, steps));
  }
  if (type == kEventRolesChanged || type == kEventParticipantsChanged) {
    const pb::Incident& now = event.incident();
    std::vector<std::string> people = {now.roles().commander(), now.roles().communication_lead(),
                                       now.roles().operations_lead()};
    if (type == kEventParticipantsChanged) {
      people.assign(now.participants().begin(), now.participants().end());
    }
    FF_ASSIGN_OR_RETURN(nlohmann::json invited,
                        steps.Run(
                            "invite", [&](bool) { return Invite(channel.id, people); },
                            /*guarded=*/false));
    result.note = InviteNote(channel, invited);
  }
  return result;
}

absl::Status SlackNotifier::PostChange(const Delivery& delivery, const SlackChannel& channel,
                                       const Mentions& mentions, DeliverySteps& steps) {
  const pb::IncidentEvent& event = delivery.event;
  const std::string& type = event.type();
  if (type == kEventStatusChanged || type == kEventSeverityChanged || type == kEventRolesChanged) {
    std::string text =
        type == kEventRolesChanged ? RoleMessage(event, mentions) : ChangeMessage(event, mentions);
    FF_RETURN_IF_ERROR(
        Post(steps, "post:channel", channel.id, text, EventKey(delivery, "channel")));
  }
  const bool fixed = type == kEventStatusChanged && event.incident().status() == pb::STATUS_FIXED;
  if (fixed || (type == kEventSeverityChanged && SeverityRaisedToMajor(event))) {
    std::string text = fixed ? FixedGlobalMessage(event.incident(), Mention(channel))
                             : SeverityGlobalMessage(event.incident(), Mention(channel));
    FF_RETURN_IF_ERROR(
        Post(steps, "post:global", config_.global_channel, text, EventKey(delivery, "global")));
  }
  if (type == kEventReminder) {
    // A follow-up's reminder is for its owner, the others for the commander.
    std::string reminded =
        NameOf(mentions, event.has_follow_up() ? event.follow_up().owner()
                                               : event.incident().roles().commander());
    FF_RETURN_IF_ERROR(Post(steps, "post:channel", channel.id, ReminderMessage(event, reminded),
                            EventKey(delivery, "channel")));
  }
  return absl::OkStatus();
}

absl::Status SlackNotifier::PostLinks(const Delivery& delivery, const SlackChannel& channel,
                                      DeliverySteps& steps) {
  for (const std::string& kind : PostedLinkKindsOf(delivery.event)) {
    const pb::Link* link = FindLink(delivery.event.incident(), kind);
    if (link == nullptr) continue;
    FF_RETURN_IF_ERROR(Post(steps, absl::StrCat("post:link:", kind), channel.id,
                            LinkMessage(delivery.event.incident(), *link),
                            EventKey(delivery, absl::StrCat("link:", kind))));
    for (const auto& [bookmarked, title] : kBookmarkedLinks) {
      if (kind != bookmarked) continue;
      FF_RETURN_IF_ERROR(Bookmark(channel, kind, title, link->url(), steps));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<DeliveryResult> SlackNotifier::Closed(const Delivery& delivery,
                                                     const SlackChannel& channel,
                                                     const Mentions& mentions,
                                                     DeliverySteps& steps) {
  const pb::Link* postmortem = FindLink(delivery.current, "postmortem");
  if (postmortem == nullptr) postmortem = FindLink(delivery.event.incident(), "postmortem");
  FF_RETURN_IF_ERROR(Post(steps, "post:channel", channel.id,
                          ClosedMessage(delivery.event, postmortem, mentions),
                          EventKey(delivery, "channel")));
  DeliveryResult result;
  FF_RETURN_IF_ERROR(UpdateSummary(delivery, channel, mentions, steps, result));
  FF_RETURN_IF_ERROR(SetTopic(channel, Now(delivery), mentions, steps));
  FF_RETURN_IF_ERROR(RunOnce(steps, "archive", [&] { return api_.Archive(channel.id); }));
  result.note = absl::StrCat("Slack channel #", channel.name, " archived");
  return result;
}

nlohmann::json SlackNotifier::Summary(const Delivery& delivery, const Mentions& mentions) const {
  SummaryContext context;
  context.now = clock_->Now();
  context.dashboard_url = config_.dashboard_url;
  context.mentions = mentions;
  context.follow_ups = &delivery.follow_ups;
  // The newest entry a person wrote (not a notifier's note); the event's own
  // entry when the timeline was not read.
  context.latest = delivery.event.has_entry() ? &delivery.event.entry() : nullptr;
  for (auto it = delivery.timeline.rbegin(); it != delivery.timeline.rend(); ++it) {
    if (it->kind() == "notification") continue;
    context.latest = &*it;
    break;
  }
  return SummaryBlocks(Now(delivery), context);
}

absl::StatusOr<pb::Link> SlackNotifier::PostSummary(const Delivery& delivery,
                                                    const SlackChannel& channel,
                                                    const Mentions& mentions, DeliverySteps& steps,
                                                    bool look_first) {
  const pb::Incident& incident = Now(delivery);
  if (look_first && steps.Done("summary") == nullptr) {
    // A channel made before the summary existed, or whose summary link was
    // not stored: find it rather than post a second one.
    FF_ASSIGN_OR_RETURN(
        std::optional<std::string> ts,
        api_.FindMarkedMessage(channel.id, {SummaryKey(incident), installation_}, kHistoryWindow));
    if (ts) {
      auto found = [&](bool) -> absl::StatusOr<nlohmann::json> { return *ts; };
      FF_RETURN_IF_ERROR(steps.Run("summary", found, /*guarded=*/false).status());
    }
  }
  FF_RETURN_IF_ERROR(Post(steps, "summary", channel.id, SummaryText(incident), SummaryKey(incident),
                          Summary(delivery, mentions)));
  const std::string ts = steps.Done("summary")->get<std::string>();
  FF_RETURN_IF_ERROR(RunOnce(steps, "pin", [&] { return api_.Pin(channel.id, ts); }));
  pb::Link link;
  link.set_kind(kSummaryLink);
  link.set_external_id(ts);
  // The message's permalink when the workspace is known, else its channel.
  link.set_url(config_.workspace_url.empty() ? ChannelLink(channel).url()
                                             : absl::StrCat(ChannelLink(channel).url(), "/p",
                                                            absl::StrReplaceAll(ts, {{".", ""}})));
  return link;
}

absl::Status SlackNotifier::UpdateSummary(const Delivery& delivery, const SlackChannel& channel,
                                          const Mentions& mentions, DeliverySteps& steps,
                                          DeliveryResult& result) {
  const pb::Link* link = FindLink(delivery.current, kSummaryLink);
  if (link == nullptr || link->external_id().empty()) {
    FF_ASSIGN_OR_RETURN(pb::Link made,
                        PostSummary(delivery, channel, mentions, steps, /*look_first=*/true));
    result.links.push_back(std::move(made));
    return absl::OkStatus();
  }
  const std::string ts = link->external_id();
  return steps
      .Run(
          "summary:update",
          [&](bool) -> absl::StatusOr<nlohmann::json> {
            absl::Status updated = api_.UpdateMessage(channel.id, ts, SummaryText(Now(delivery)),
                                                      Summary(delivery, mentions));
            // Someone deleted the summary: there is nothing to edit, and the
            // rest of the news still goes out.
            if (updated.code() == absl::StatusCode::kNotFound) return false;
            FF_RETURN_IF_ERROR(updated);
            return true;
          },
          /*guarded=*/false)
      .status();
}

absl::Status SlackNotifier::SetTopic(const SlackChannel& channel, const pb::Incident& incident,
                                     const Mentions& mentions, DeliverySteps& steps, bool fresh) {
  const std::string topic = ChannelTopic(incident, NameOf(mentions, incident.roles().commander()));
  return RunOnce(steps, "topic", [&]() -> absl::Status {
    if (!fresh) {
      absl::StatusOr<nlohmann::json> info =
          api_.Call("conversations.info", {{"channel", channel.id}}, /*as_form=*/true);
      if (!info.ok()) return info.status();
      const nlohmann::json shown =
          info->value(nlohmann::json::json_pointer("/channel/topic/value"), nlohmann::json());
      if (shown.is_string() && shown.get<std::string>() == topic) return absl::OkStatus();
    }
    return api_.SetTopic(channel.id, topic);
  });
}

absl::Status SlackNotifier::Bookmark(const SlackChannel& channel, const std::string& kind,
                                     const std::string& title, const std::string& url,
                                     DeliverySteps& steps) {
  return steps
      .Run(absl::StrCat("bookmark:", kind),
           [&](bool in_doubt) -> absl::StatusOr<nlohmann::json> {
             if (in_doubt) {
               FF_ASSIGN_OR_RETURN(std::vector<SlackBookmark> marks, api_.Bookmarks(channel.id));
               for (const SlackBookmark& mark : marks) {
                 if (mark.link == url) return mark.id;
               }
             }
             absl::StatusOr<SlackBookmark> added = api_.AddBookmark(channel.id, title, url);
             // A header full of bookmarks keeps the link in the summary only.
             if (added.status().code() == absl::StatusCode::kFailedPrecondition) return "";
             FF_RETURN_IF_ERROR(added.status());
             return added->id;
           })
      .status();
}

absl::StatusOr<Mentions> SlackNotifier::MentionsOf(const std::vector<std::string>& people) {
  Mentions mentions;
  for (const std::string& person : people) {
    FF_ASSIGN_OR_RETURN(std::string mention, MentionOf(person));
    if (absl::StartsWith(mention, "<@")) mentions[person] = mention;
  }
  return mentions;
}

absl::StatusOr<SlackChannel> SlackNotifier::CreateChannel(const pb::Incident& incident,
                                                          bool in_doubt) {
  const std::string name = IncidentChannelName(incident);
  for (const std::string& candidate : {name, SuffixedName(name)}) {
    absl::StatusOr<SlackChannel> created = api_.CreateChannel(candidate);
    if (created.ok() || created.status().code() != absl::StatusCode::kAlreadyExists) {
      return created;
    }
    // Taken. Ours only when an earlier try made it and lost the answer; on
    // a first try the name was someone else's before we came.
    if (!in_doubt) continue;
    FF_ASSIGN_OR_RETURN(std::optional<SlackChannel> found, api_.FindChannel(candidate));
    if (found && IsOurs(*found, incident)) return *found;
  }
  return absl::FailedPreconditionError(
      absl::StrCat("slack: channel names #", name, " and #", SuffixedName(name),
                   " are taken by channels this installation did not create"));
}

bool SlackNotifier::IsOurs(const SlackChannel& channel, const pb::Incident& incident) const {
  if (absl::StrContains(channel.purpose, Purpose(incident))) return true;
  // Made moments ago by the lost create (the purpose comes next): not
  // another installation's older channel.
  return channel.purpose.empty() && !channel.archived &&
         channel.created >= incident.created_at().seconds() - kCreatedSkewSeconds;
}

std::string SlackNotifier::SuffixedName(const std::string& name) const {
  std::string suffix = absl::StrCat("-", installation_.substr(0, 4));
  std::string base = name.substr(0, 80 - suffix.size());
  while (!base.empty() && base.back() == '-') base.pop_back();
  return base + suffix;
}

std::string SlackNotifier::Purpose(const pb::Incident& incident) const {
  return absl::StrCat("FireFighter incident #", incident.id(), " (ff:", installation_, ")");
}

absl::Status SlackNotifier::Post(DeliverySteps& steps, const std::string& step,
                                 const std::string& channel, const std::string& text,
                                 const std::string& key, const nlohmann::json& blocks) {
  if (steps.Done(step) != nullptr) return absl::OkStatus();
  // Check the budget before marking the step as started: a wait is no try.
  if (absl::Duration wait = budget_.Peek("chat.postMessage", channel);
      wait > absl::ZeroDuration()) {
    return BudgetWait("slack chat.postMessage", wait);
  }
  const SlackMarker marker{key, installation_};
  return steps
      .Run(step,
           [&](bool in_doubt) -> absl::StatusOr<nlohmann::json> {
             if (in_doubt) {
               FF_ASSIGN_OR_RETURN(std::optional<std::string> ts,
                                   api_.FindMarkedMessage(channel, marker, kHistoryWindow));
               if (ts) return *ts;
             }
             FF_ASSIGN_OR_RETURN(std::string ts,
                                 blocks.is_null()
                                     ? api_.PostMessage(channel, text, marker)
                                     : api_.PostMessage(channel, text, blocks, marker));
             return ts;
           })
      .status();
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

absl::StatusOr<nlohmann::json> SlackNotifier::Invite(const std::string& channel,
                                                     const std::vector<std::string>& people) {
  std::vector<std::string> ids, unknown;
  std::set<std::string> seen;
  for (const std::string& person : people) {
    if (person.empty() || !seen.insert(person).second) continue;
    FF_RETURN_IF_ERROR(Resolve(person, ids, unknown));
  }
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  int count = 0;
  if (!ids.empty()) {
    FF_ASSIGN_OR_RETURN(int skipped, api_.Invite(channel, ids));
    count = static_cast<int>(ids.size()) - skipped;
  }
  return nlohmann::json{{"count", count}, {"unknown", unknown}};
}

absl::Status SlackNotifier::Resolve(const std::string& person, std::vector<std::string>& ids,
                                    std::vector<std::string>& unknown) {
  SlackPerson slack = ClassifyPerson(person);
  switch (slack.kind) {
    case SlackPerson::Kind::kUserId:
      ids.push_back(slack.value);
      return absl::OkStatus();
    case SlackPerson::Kind::kEmail: {
      FF_ASSIGN_OR_RETURN(std::optional<std::string> id, users_.IdForEmail(slack.value));
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

std::string SlackNotifier::InviteNote(const SlackChannel& channel, const nlohmann::json& invited) {
  const int count = invited.value("count", 0);
  std::string note = absl::StrCat("Slack #", channel.name, ": invited ", count,
                                  count == 1 ? " person" : " people");
  std::vector<std::string> unknown = invited.value("unknown", std::vector<std::string>());
  if (!unknown.empty()) {
    absl::StrAppend(&note, "; not found in Slack: ", absl::StrJoin(unknown, ", "));
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
  if (config.contains("dashboard_url")) {
    FF_ASSIGN_OR_RETURN(c.dashboard_url, reader.Url("dashboard_url", ""));
    while (!c.dashboard_url.empty() && c.dashboard_url.back() == '/') c.dashboard_url.pop_back();
  }
  FF_ASSIGN_OR_RETURN(c.timeout, reader.Timeout());
  FF_ASSIGN_OR_RETURN(c.limits, reader.RateLimits(SlackRateLimits()));
  FF_RETURN_IF_ERROR(reader.Finish());
  if (env.http == nullptr) return absl::InternalError("notifiers.slack: no HTTP client given");
  if (env.installation_id.empty()) {
    return absl::InternalError("notifiers.slack: no installation id");
  }
  static const SystemClock kSystemClock;
  const Clock* clock = env.clock != nullptr ? env.clock : &kSystemClock;
  return std::unique_ptr<Notifier>(
      new SlackNotifier(std::move(c), env.http, clock, env.domains, env.installation_id));
}

}  // namespace

std::unique_ptr<NotifierFactory> MakeSlackNotifierFactory() {
  return std::make_unique<SlackNotifierFactory>();
}

}  // namespace ff
