// Slack's mrkdwn text rules for text that came from people: the one escaping
// function the Slack notifier and the Slack adapter share, so user text can
// never mention, ping or link (Slack's "Escaping text" rules:
// api.slack.com/reference/surfaces/formatting#escaping).
//
// Thread-safe: pure functions.
#ifndef FF_CLIENTS_SLACK_MRKDWN_H_
#define FF_CLIENTS_SLACK_MRKDWN_H_

#include <string>

namespace ff {

// SlackEscape escapes &, < and > as Slack's mrkdwn requires for user text:
// "<!channel> & co" becomes "&lt;!channel&gt; &amp; co", which Slack shows
// as typed.
std::string SlackEscape(const std::string& text);

}  // namespace ff

#endif  // FF_CLIENTS_SLACK_MRKDWN_H_
