// SocketHandler: Socket Mode envelopes through the same SlackApp handlers as
// HTTP mode. A slash_commands envelope's payload holds the fields of the
// form Slack would POST; an interactive one's, the JSON of the form's
// `payload` field; an events_api one's, the Events API body. The handler's
// reply becomes the ack's payload: the slash command's message, a view
// submission's response_action. A request the app refuses (a workspace not
// allowed, a malformed payload) is acked without a payload and logged; a
// refused slash command's ack tells its user why.
//
// Thread-safe, as SlackApp is.
#ifndef FF_ADAPTERS_SLACK_SOCKET_HANDLER_H_
#define FF_ADAPTERS_SLACK_SOCKET_HANDLER_H_

#include "adapters/slack/slack_app.h"
#include "adapters/slack/socket_mode.h"

namespace ff::slack {

// REQUIRES: `app` outlives the handler.
SocketModeClient::Handler SocketHandler(SlackApp* app);

}  // namespace ff::slack

#endif  // FF_ADAPTERS_SLACK_SOCKET_HANDLER_H_
