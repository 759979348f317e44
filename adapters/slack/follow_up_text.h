// Human text for follow-ups in Slack: the answer to `/incident followup
// <title>` and the list `/incident followup` shows. mrkdwn in which every
// string people wrote (title, owner, tracker key) is escaped (SlackEscape).
//
// Thread-safe: pure functions.
#ifndef FF_ADAPTERS_SLACK_FOLLOW_UP_TEXT_H_
#define FF_ADAPTERS_SLACK_FOLLOW_UP_TEXT_H_

#include <cstdint>
#include <string>

#include "firefighter/v1/incident_service.pb.h"

namespace ff::slack {

namespace pb = ::firefighter::v1;

// How many follow-ups the list shows; the rest are counted.
inline constexpr int kFollowUpsShown = 50;

// FollowUpRef is "FU-7".
std::string FollowUpRef(int64_t id);

// FollowUpLine is one follow-up: "*FU-7* Rotate the keys — alice@example.com
// · due 2026-12-10 (overdue) · open · <url|OPS-12>" ("no owner", "no due
// date"; the tracker only once linked).
std::string FollowUpLine(const pb::FollowUp& follow_up);

// AddedFollowUpText confirms a new follow-up: ":white_check_mark: Added
// FU-7 to #12: Rotate the keys, due 2026-12-10." ("no due date").
std::string AddedFollowUpText(const pb::FollowUp& follow_up);

// FollowUpListText lists `page`'s follow-ups of incident `incident_id`
// (the first kFollowUpsShown) under a heading that counts the open and
// overdue ones among them, with "…and N more" for the rest (N+ when the
// page is not the last). With none, it says how to add one.
std::string FollowUpListText(int64_t incident_id, const pb::ListFollowUpsResponse& page);

}  // namespace ff::slack

#endif  // FF_ADAPTERS_SLACK_FOLLOW_UP_TEXT_H_
