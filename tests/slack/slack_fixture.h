// SlackAppFixture: the real adapter server in process (real SlackApp,
// SlackClient over libcurl, signature checks on the system clock) against
// the real firefighterd and the validating FakeSlack, plus a client that
// plays Slack: signed slash commands, view submissions and events, each
// with a 3 s client-side deadline like Slack's.
#ifndef FF_TESTS_SLACK_SLACK_FIXTURE_H_
#define FF_TESTS_SLACK_SLACK_FIXTURE_H_

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/time/time.h"
#include "adapters/slack/http_server.h"
#include "adapters/slack/signature_verifier.h"
#include "adapters/slack/slack_app.h"
#include "clients/http/curl_http_client.h"
#include "common/clock.h"
#include "gtest/gtest.h"
#include "httplib.h"
#include "nlohmann/json.hpp"
#include "tests/testing/fake_slack.h"
#include "tests/testing/server_process.h"

namespace ff::slack {

inline constexpr char kSigningSecret[] = "e2e-signing-secret";

struct SlackPost {
  int status = 0;  // 0 when no answer came within 3 s
  std::string body;
  nlohmann::json Json() const { return nlohmann::json::parse(body, nullptr, false); }
};

std::string UrlEncode(const std::string& text);

// SignedPost sends `body` to `path` of the adapter on 127.0.0.1:`port`,
// signed now with kSigningSecret, `headers` added, and waits 3 s for the
// answer, as Slack does.
SlackPost SignedPost(int port, const std::string& path, const std::string& body,
                     const std::string& type, const httplib::Headers& headers = {});

// SlashCommandForm: the fields of the form Slack posts for "/incident <text>".
struct SlashCommandForm {
  std::string team;
  std::string text;
  std::string user;
  std::string channel_id;
  std::string channel_name;
  std::string response_url;
  std::string trigger_id;
};
std::string SlashCommandBody(const SlashCommandForm& form);

// The payloads Slack sends, as JSON: what Socket Mode envelopes carry and
// the HTTP requests encode. SlashCommandPayload: the slash command's form
// fields.
nlohmann::json SlashCommandPayload(const SlashCommandForm& form);
// ViewSubmissionPayload: `user` of `team` submits `view` (as opened) with
// `values`: block id → element state.
nlohmann::json ViewSubmissionPayload(const std::string& team, const std::string& user,
                                     const std::string& trigger_id, const nlohmann::json& view,
                                     const nlohmann::json& values);
// MessageShortcut: a message shortcut used on a message, as Slack describes
// it in a message_action payload.
struct MessageShortcut {
  std::string team;
  std::string user;  // who used the shortcut
  std::string callback_id;
  std::string channel_id;
  std::string channel_name;
  std::string trigger_id;
  std::string response_url;
  // The message as Slack shows it: {"type":"message","text","user","ts",…}.
  nlohmann::json message;
};
nlohmann::json MessageShortcutPayload(const MessageShortcut& shortcut);
// EventCallback: the Events API body carrying `event` under `event_id`.
nlohmann::json EventCallback(const std::string& team, const nlohmann::json& event,
                             const std::string& event_id);

// WaitFor polls `done` every 20 ms until it is true (true) or `timeout`
// passes (false).
bool WaitFor(const std::function<bool()>& done, absl::Duration timeout = absl::Seconds(10));

class SlackAppFixture : public ::testing::Test {
 protected:
  // Start wires everything with `core_address` as the --server (the real
  // firefighterd when empty).
  void Start(const std::string& core_address = "");
  void TearDown() override;

  // Post sends `body` signed now to `path`; `headers` are added.
  SlackPost Post(const std::string& path, const std::string& body, const std::string& type,
                 const httplib::Headers& headers = {});
  // Command runs "/incident <text>" as `user` in channel (id, name).
  SlackPost Command(const std::string& text, const std::string& user = "U100",
                    const std::string& channel_id = "C0GENERAL",
                    const std::string& channel_name = "general");
  // Submit submits `view` (as opened) with `values`: block id → element
  // state. A value Slack's client would not send (of another element type
  // than its block's, or text over the input's max_length) fails the test.
  SlackPost Submit(const nlohmann::json& view, const nlohmann::json& values,
                   const std::string& user = "U100");
  // Act posts a block_actions payload: `user` pressed `action` (an element
  // of Slack's "actions" array) with `extra` merged in (channel, container,
  // view, response_url…); the trigger_id is fresh.
  SlackPost Act(const nlohmann::json& action, const std::string& user,
                const nlohmann::json& extra = nlohmann::json::object());
  // Shortcut posts a message_action payload: `user` used the message
  // shortcut `callback_id` on message `ts` of channel (id, name), which
  // `author` wrote as `text`; the trigger_id and response_url are fresh.
  SlackPost Shortcut(const std::string& callback_id, const std::string& channel_id,
                     const std::string& channel_name, const std::string& ts,
                     const std::string& text, const std::string& author,
                     const std::string& user = "U100");
  // Event posts an event_callback with `event` under `event_id`.
  SlackPost Event(const nlohmann::json& event, const std::string& event_id,
                  const httplib::Headers& headers = {});

 public:
  // Element states, as Slack sends them in a view submission.
  static nlohmann::json Selected(const std::string& value) {
    return {{"type", "static_select"}, {"selected_option", {{"value", value}}}};
  }
  static nlohmann::json Typed(const std::string& value) {
    return {{"type", "plain_text_input"}, {"value", value}};
  }
  // RichTyped is a rich_text_input's state after `text` was typed into it
  // without formatting, as Slack sends it: one section holding one text
  // element (none for "").
  static nlohmann::json RichTyped(const std::string& text);
  // Rich is a rich_text_input's state holding `rich_text_value` as is.
  static nlohmann::json Rich(const nlohmann::json& rich_text_value) {
    return {{"type", "rich_text_input"}, {"rich_text_value", rich_text_value}};
  }
  static nlohmann::json User(const std::string& id) {
    return {{"type", "users_select"}, {"selected_user", id}};
  }
  // Date is a datepicker's state: "YYYY-MM-DD", or "" for none (null).
  static nlohmann::json Date(const std::string& date) {
    return {{"type", "datepicker"},
            {"selected_date", date.empty() ? nlohmann::json() : nlohmann::json(date)}};
  }

 protected:
  // Core is a client of the real firefighterd, with `core_token_`'s
  // credentials when that is set.
  IncidentClient Core() const;
  IncidentClient CoreAs(const std::string& token) const;

  // Set before Start: extra firefighterd flags, the token the adapter
  // presents to it, the adapter's options, and the workspace requests come
  // from.
  std::vector<std::string> server_args_;
  std::string adapter_token_;
  std::string core_token_;
  SlackApp::Options options_;
  std::string team_ = "T0FF01";

  ff::testing::TempDir dir_;
  std::unique_ptr<ff::testing::ServerProcess> server_;
  std::unique_ptr<ff::testing::FakeSlack> slack_;
  SystemClock clock_;
  std::unique_ptr<CurlHttpClient> http_;
  std::unique_ptr<SlackClient> api_;
  std::unique_ptr<SlackApp> app_;
  std::unique_ptr<SignatureVerifier> verifier_;
  std::unique_ptr<SlackHttpServer> adapter_;
  int next_trigger_ = 0;
};

}  // namespace ff::slack

#endif  // FF_TESTS_SLACK_SLACK_FIXTURE_H_
