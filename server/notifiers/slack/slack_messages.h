// Pure text for the Slack notifier: the incident channel's name and topic,
// the messages it posts, and how a person string maps to a Slack identity.
// Stateless; thread-safe.
#ifndef FF_SERVER_NOTIFIERS_SLACK_SLACK_MESSAGES_H_
#define FF_SERVER_NOTIFIERS_SLACK_SLACK_MESSAGES_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "clients/slack/mrkdwn.h"  // SlackEscape
#include "firefighter/v1/follow_up.pb.h"
#include "firefighter/v1/incident.pb.h"
#include "nlohmann/json.hpp"

namespace ff {
namespace pb = ::firefighter::v1;

// ChannelName is "inc-<id>-<domain>-<title-slug>": lowercase ASCII letters,
// digits and '-', at most 80 characters (Slack's rule), never ending in '-'.
// The domain part is left out when the incident has none.
std::string IncidentChannelName(const pb::Incident& incident);

// Mentions maps a person as FireFighter stores them (an email, a Slack id)
// to how the bot names them: "<@U…>" when Slack knows them. A person missing
// from the map is named as (escaped) text.
using Mentions = std::map<std::string, std::string>;

// NameOf is the mention of `person`: from `mentions`, or "<@U…>" when the
// person is a Slack user id; else the person escaped ("" → "").
std::string NameOf(const Mentions& mentions, const std::string& person);

// PeopleOf lists the people an event's posts and the summary may name: the
// reporter, the role holders, the entry's actor and every email-like word of
// the entry's text (e.g. a role change's previous holder).
std::vector<std::string> PeopleOf(const pb::IncidentEvent& event, const pb::Incident& current);

// ChannelTopic is "<STATUS> · <SEV> · <commander> — #<id> <title>", cut to
// Slack's 250 characters; `commander` is how to name the commander ("" for
// none).
std::string ChannelTopic(const pb::Incident& incident, const std::string& commander);

// A person as given to FireFighter (reporter, role holder, domain invitee).
struct SlackPerson {
  enum class Kind { kUserId, kEmail, kUserGroup, kUnknown };
  Kind kind = Kind::kUnknown;
  std::string value;  // the id, the email, or the group handle without "@"
};
// ClassifyPerson: "U012AB3CD"/"W…" → user id; "@handle" → user group;
// "name@host" → email; anything else (a bare name) → unknown.
SlackPerson ClassifyPerson(const std::string& person);

// Messages. `channel_link` is Slack link markup "<url|#name>".
std::string OpenedChannelMessage(const pb::Incident& incident);
std::string OpenedGlobalMessage(const pb::Incident& incident, const std::string& channel_link,
                                const Mentions& mentions = {});
std::string ChangeMessage(const pb::IncidentEvent& event, const Mentions& mentions = {});
std::string FixedGlobalMessage(const pb::Incident& incident, const std::string& channel_link);
std::string SeverityGlobalMessage(const pb::Incident& incident, const std::string& channel_link);
std::string LinkMessage(const pb::Incident& incident, const pb::Link& link);
std::string ClosedMessage(const pb::IncidentEvent& event, const pb::Link* postmortem,
                          const Mentions& mentions = {});
// ReminderMessage addresses `commander` (a mention, or "" when there is none:
// then the channel) with the reminder's text.
std::string ReminderMessage(const pb::IncidentEvent& event, const std::string& commander);

// RoleMessage announces a role change from its timeline entry ("Commander:
// alice@x (was bob@x)"): "<@U…> is now incident commander (was <@U…>)", or
// "<role> is now unassigned"; the ChangeMessage when the entry cannot be read.
std::string RoleMessage(const pb::IncidentEvent& event, const Mentions& mentions);

// The live summary: one message per incident channel, edited in place.
struct SummaryContext {
  // The latest timeline entry (its text, author and time), if any.
  const pb::TimelineEntry* latest = nullptr;
  // When the summary is rendered: how long the incident has lasted so far.
  absl::Time now;
  // The dashboard's address (no trailing slash), "" when not configured.
  std::string dashboard_url;
  Mentions mentions;
  // The incident's follow-ups (Delivery::follow_ups), counted in the
  // summary; null or empty: no follow-ups field.
  const std::vector<pb::FollowUp>* follow_ups = nullptr;
};

// FollowUpCounts is the summary's follow-ups field: "2 open (1 overdue) ·
// 3 done" (the overdue ones as the core judged them, FollowUp.overdue; the
// cancelled ones not shown), or "" when there are none.
std::string FollowUpCounts(const std::vector<pb::FollowUp>& follow_ups);

// SummaryBlocks renders the live summary as Block Kit: title, severity and
// its meaning, status, domain, duration, the three roles, the follow-ups'
// counts (when there are any), the incident's links, the latest update, and
// the buttons named in
// clients/slack/room_actions.h (each carrying the incident id). Within Block
// Kit's limits (text ≤ 3000 characters, ≤ 50 blocks).
nlohmann::json SummaryBlocks(const pb::Incident& incident, const SummaryContext& context);
// SummaryText is the summary's notification fallback: one line.
std::string SummaryText(const pb::Incident& incident);
// DashboardPage is the incident's page on the dashboard, "" without one.
std::string DashboardPage(const std::string& dashboard_url, int64_t id);
// SeverityMeaning says what a severity means, e.g. "major: many users".
std::string SeverityMeaning(int severity);
// DurationText is "3d 4h", "2h 5m" or "7m" (at least "0m").
std::string DurationText(absl::Duration duration);

// SeverityRaisedToMajor is true when a severity change moved the incident to
// SEV1 or SEV2 from a lesser severity (read from the entry "Severity SEV3 →
// SEV1"; when the entry cannot be read, any change to SEV1–2 counts).
bool SeverityRaisedToMajor(const pb::IncidentEvent& event);

}  // namespace ff

#endif  // FF_SERVER_NOTIFIERS_SLACK_SLACK_MESSAGES_H_
