// Human text for incidents in Slack: one-line summaries, the `/incident info`
// details (the fallback text of its blocks) and the `/incident help` text.
// Statuses, severities, close reasons and roles are shown by their
// vocabulary labels (clients/incident/vocabulary.h). Everything is mrkdwn in
// which every string people wrote (title, domain, people, description,
// links) is escaped (SlackEscape): it can never mention, ping or link.
//
// Thread-safe: pure functions.
#ifndef FF_ADAPTERS_SLACK_INCIDENT_TEXT_H_
#define FF_ADAPTERS_SLACK_INCIDENT_TEXT_H_

#include <string>

#include "firefighter/v1/incident_service.pb.h"

namespace ff::slack {

namespace pb = ::firefighter::v1;

std::string SummaryLine(const pb::Incident& incident);  // "#3 [SEV2, Open] Title (domain)"
std::string DetailsText(const pb::Incident& incident);  // multi-line mrkdwn
std::string HelpText();
// TimeText is "2026-01-31 10:00 UTC", or "—" for an unset time.
std::string TimeText(const google::protobuf::Timestamp& time);

}  // namespace ff::slack

#endif  // FF_ADAPTERS_SLACK_INCIDENT_TEXT_H_
