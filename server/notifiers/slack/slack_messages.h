// Pure text for the Slack notifier: the incident channel's name and topic,
// the messages it posts, and how a person string maps to a Slack identity.
// Stateless; thread-safe.
#ifndef FF_SERVER_NOTIFIERS_SLACK_SLACK_MESSAGES_H_
#define FF_SERVER_NOTIFIERS_SLACK_SLACK_MESSAGES_H_

#include <optional>
#include <string>

#include "clients/slack/mrkdwn.h"  // SlackEscape
#include "firefighter/v1/incident.pb.h"

namespace ff {
namespace pb = ::firefighter::v1;

// ChannelName is "inc-<id>-<domain>-<title-slug>": lowercase ASCII letters,
// digits and '-', at most 80 characters (Slack's rule), never ending in '-'.
// The domain part is left out when the incident has none.
std::string IncidentChannelName(const pb::Incident& incident);

// ChannelTopic is a one-line summary, cut to Slack's 250 characters.
std::string ChannelTopic(const pb::Incident& incident);

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
std::string OpenedGlobalMessage(const pb::Incident& incident, const std::string& channel_link);
std::string ChangeMessage(const pb::IncidentEvent& event);
std::string FixedGlobalMessage(const pb::Incident& incident, const std::string& channel_link);
std::string SeverityGlobalMessage(const pb::Incident& incident, const std::string& channel_link);
std::string LinkMessage(const pb::Incident& incident, const pb::Link& link);
std::string ClosedMessage(const pb::IncidentEvent& event, const pb::Link* postmortem);
// ReminderMessage addresses `commander` (a mention, or "" when there is none:
// then the channel) with the reminder's text.
std::string ReminderMessage(const pb::IncidentEvent& event, const std::string& commander);

// SeverityRaisedToMajor is true when a severity change moved the incident to
// SEV1 or SEV2 from a lesser severity (read from the entry "Severity SEV3 →
// SEV1"; when the entry cannot be read, any change to SEV1–2 counts).
bool SeverityRaisedToMajor(const pb::IncidentEvent& event);

}  // namespace ff

#endif  // FF_SERVER_NOTIFIERS_SLACK_SLACK_MESSAGES_H_
