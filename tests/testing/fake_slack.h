// FakeSlack: a loopback Slack Web API (EXTERNAL_APIS.md §1e, §7.4) with state.
//
// Serves POST/GET <base_url>/api/<method> for conversations.create / list /
// info / setTopic / setPurpose / invite / history / archive, chat.postMessage,
// chat.update, pins.add / list, bookmarks.add / list, users.lookupByEmail and
// usergroups.list; for the Slack app: views.open (a fresh trigger_id from
// IssueTrigger, usable once), views.update, views.publish, chat.postEphemeral
// and users.info; and response URLs (POST <base_url>/response/<id>, JSON body
// with text or blocks; invalid blocks get HTTP 400 "invalid_blocks") that
// record what they get.
//
// Block Kit. Every `blocks` a message carries (chat.postMessage, chat.update,
// chat.postEphemeral) and every view is checked against Slack's rules
// (block_kit.h). Blocks that are not a JSON array answer
// invalid_blocks_format; breaches answer {"ok":false,"error":"invalid_blocks",
// "errors":[…],"response_metadata":{"messages":["[ERROR] … [json-pointer:…]"]}}
// and views {"ok":false,"error":"invalid_arguments","response_metadata":
// {"messages":[…]}}, as Slack does. Beyond Slack's rules, a modal must have a
// callback_id and each input block a block_id and an element action_id: the
// adapter reads submissions by them.
//
// Messages (fake_slack_messages.cc). chat.update edits a message the
// bot posted, found by channel and ts: message_not_found when there is none,
// cant_update_message when someone else wrote it; `text` and `blocks` replace
// the old ones when given (blocks absent: kept, as Slack does); each edit is
// counted in Message::edits. pins.add pins a message once (already_pinned,
// message_not_found, no_item_specified); pins.list lists them, newest first.
// bookmarks.add takes channel_id, title, type (only `link`: else
// invalid_bookmark_type) and link (http:// or https://, else invalid_link),
// at most 100 a channel (too_many_bookmarks); bookmarks.list lists them.
// chat.postEphemeral needs a user who is a member of the channel
// (user_not_in_channel) and is recorded per user (EphemeralsFor).
// chat.getPermalink answers PermalinkOf(channel, message_ts) for a message
// the channel holds (channel_not_found, message_not_found).
//
// Views (fake_slack_views.cc). views.open opens a modal; views.update
// replaces a modal or Home tab found by view_id or external_id (not_found);
// views.publish sets user_id's Home tab (type home; an unknown user is
// invalid_arguments). A `hash` that is not the view's current one answers
// hash_conflict.
//
// Like Slack it answers application errors with HTTP 200 and
// {"ok":false,"error":"<code>"}; it checks `Authorization: Bearer <token>` (or
// a `token` form/query field): not_authed when absent, invalid_auth when
// wrong. Bodies may be form-encoded or JSON (JSON-typed arguments such as
// `metadata` are JSON strings in forms, objects in JSON). Channel names follow
// ^[a-z0-9_-]{1,80}$ with Slack's error codes; topics and purposes hold at
// most 250 characters (too_long).
//
// Channels are shown as Slack shows a conversation: `created` (unix seconds)
// and `creator` (kBotUserId for channels the bot made), and `topic` and
// `purpose` objects {"value","creator","last_set"} (empty, "" and 0 until
// set). AddChannel and AddMessage plant state as if made earlier, possibly by
// someone else (another installation of the app sharing the workspace).
//
// conversations.invite without force fails the whole call on the first bad
// user (already_in_channel, user_not_found, cant_invite_self); with
// force=true it invites the valid ones and lists the others in "errors"
// (ok:false only when nobody could be invited).
//
// Socket Mode. EnableSocketMode serves apps.connections.open (POST only, else
// insecure_request): with `Authorization: Bearer <app-level token>` it answers
// {"ok":true,"url":<FakeSocketMode::IssueUrl(), a one-time wss URL>}; without
// a token not_authed; with the bot token (xoxb-…) not_allowed_token_type; with
// any other token, or the token as a form field instead of the header (Slack
// takes it from the header only), invalid_auth. The app-level token on any
// other method answers not_allowed_token_type.
//
// Rate limits. Off by default. EnforceRateLimits applies Slack's per-method
// limits (per method, per workspace, per app: here, per fake) as sliding
// windows of `window` (60 s unless scaled down):
//   Tier 1, 1 call per window: apps.connections.open.
//   Tier 2, 20 calls per window: conversations.create, setTopic, setPurpose,
//     invite, archive, list; usergroups.list; pins.add, pins.list,
//     bookmarks.add.
//   Tier 3, 50 calls per window: conversations.history, conversations.info,
//     users.lookupByEmail, users.info, chat.update, bookmarks.list.
//   Tier 4, 100 calls per window: chat.postEphemeral, views.open,
//     views.update, views.publish.
//   chat.postMessage: 1 call per window/60 (1 s) per channel.
// (Tiers as Slack's method pages and SDKs give them; conversations.invite
// and users.info are published a tier higher than counted here.)
// SetRateLimit overrides one method, with or without the tiers. A call over
// its limit gets what Slack sends: HTTP 429, `Retry-After: <whole seconds
// until the oldest call in the window leaves it, at least 1>` and
// {"ok":false,"error":"ratelimited"}. Only authenticated, well-formed calls
// are limited and counted (auth is checked first, as Slack does). An admitted
// call counts toward its window whatever its answer (channel_not_found,
// missing_scope…); a 429'd one does not, but CallsOf, CallCount and
// RateLimited show it. The windows run on the wall clock, since the code
// under test does.
// RateLimitNext answers the next calls with a 429 regardless of windows.
//
// Thread-safe.
#ifndef FF_TESTS_TESTING_FAKE_SLACK_H_
#define FF_TESTS_TESTING_FAKE_SLACK_H_

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "nlohmann/json.hpp"
#include "tests/testing/fake_http_server.h"

namespace ff::testing {

class FakeSocketMode;

class FakeSlack final : public FakeHttpServer {
 public:
  static constexpr char kBotUserId[] = "UBOT0FF01";

  struct Message {
    std::string ts;
    std::string text;
    nlohmann::json metadata;        // null when the post carried none
    std::string user = kBotUserId;  // who wrote it
    nlohmann::json blocks;          // null when it has none
    int edits = 0;                  // chat.update calls that changed it
  };
  struct Pin {
    std::string ts;  // the pinned message
    std::string created_by;
    int64_t created = 0;  // unix seconds
  };
  struct Bookmark {
    std::string id;
    std::string title;
    std::string type;  // "link"
    std::string link;
    int64_t created = 0;  // unix seconds
  };
  // An ephemeral message, as chat.postEphemeral received it.
  struct Ephemeral {
    std::string channel;  // id
    std::string user;
    std::string text;
    nlohmann::json blocks;  // null when none
  };
  struct Channel {
    std::string id;
    std::string name;
    std::string topic;    // the topic's value
    std::string purpose;  // the purpose's value
    std::string creator;  // user id
    int64_t created = 0;  // unix seconds
    // Who set the topic / purpose and when (unix seconds); "" and 0 when unset.
    std::string topic_creator, purpose_creator;
    int64_t topic_last_set = 0, purpose_last_set = 0;
    bool is_private = false;
    bool archived = false;
    std::vector<std::string> members;  // user ids, the bot first
    std::vector<Message> messages;     // oldest first
    std::vector<Pin> pins;             // newest first
    std::vector<Bookmark> bookmarks;   // oldest first
  };
  // ChannelSeed describes a channel made before the test, maybe by someone
  // else: its topic and purpose count as set by `creator` at `created`.
  struct ChannelSeed {
    std::string creator = kBotUserId;
    std::optional<int64_t> created;  // unix seconds; now when unset
    std::string topic;
    std::string purpose;
    bool is_private = false;
    bool archived = false;
  };

  explicit FakeSlack(std::string token = "xoxb-fake-token");
  ~FakeSlack() override;

  // "http://127.0.0.1:PORT/api": the notifier's base_url.
  std::string api_url() const { return base_url() + "/api"; }
  const std::string& token() const { return token_; }

  // AddUser registers a workspace member findable by users.lookupByEmail,
  // named `name` (the email's local part when empty).
  void AddUser(const std::string& id, const std::string& email, const std::string& name = "");
  // AddMember puts user `user_id` in channel `channel_id`; false when there
  // is no such channel.
  bool AddMember(const std::string& channel_id, const std::string& user_id);
  // AddUserGroup registers a user group ("S…" id) with its handle (no "@").
  void AddUserGroup(const std::string& id, const std::string& handle,
                    std::vector<std::string> users);
  // AddChannel creates a channel the bot is in, as if made earlier (by the
  // bot, now, unless `seed` says otherwise); returns its id. Names are not
  // checked: a test may plant what it likes.
  std::string AddChannel(const std::string& name);
  std::string AddChannel(const std::string& name, const ChannelSeed& seed);
  // AddMessage puts a bot message in channel `channel_id` as if posted earlier
  // (by this or another installation), with `metadata` ({"event_type",
  // "event_payload"}) or null. Returns its ts, or "" when there is no such
  // channel.
  std::string AddMessage(const std::string& channel_id, const std::string& text,
                         nlohmann::json metadata = nullptr);
  // AddMessageBy puts a message written by user `user_id` in `channel_id`;
  // returns its ts, or "" when there is no such channel.
  std::string AddMessageBy(const std::string& channel_id, const std::string& user_id,
                           const std::string& text);
  // EnableSocketMode makes apps.connections.open answer URLs of `socket`
  // (which must outlive this fake) to callers holding `app_token` (xapp-…).
  void EnableSocketMode(FakeSocketMode* socket, std::string app_token);
  // Deny makes `method` answer missing_scope (a token without the scope).
  void Deny(const std::string& method);
  // Allow undoes Deny (the scope was granted).
  void Allow(const std::string& method);

  // EnforceRateLimits turns on Slack's tiers (see the file comment), each a
  // sliding window of `window`; chat.postMessage's per-channel window is
  // window/60. Calling it again changes the window and keeps what was counted.
  void EnforceRateLimits(absl::Duration window = absl::Seconds(60));
  // SetRateLimit lets `method` have `per_window` calls per window (the
  // EnforceRateLimits one, 60 s until it is called) whether or not the tiers
  // are on, counted across the workspace: for chat.postMessage it replaces
  // the per-channel rule. 0 refuses every call; a negative count lifts the
  // method's limit.
  void SetRateLimit(const std::string& method, int per_window);
  // RateLimitNext answers the next `count` calls (any method, before their
  // auth is checked) with 429 ratelimited and Retry-After: retry_after_seconds.
  void RateLimitNext(int count, int retry_after_seconds);
  // RateLimited counts the calls of `method` answered 429 ratelimited, by a
  // window or RateLimitNext; RateLimitedTotal counts them for all methods.
  int RateLimited(const std::string& method);
  int RateLimitedTotal();

  // IssueTrigger returns a trigger_id views.open accepts once, as Slack puts
  // in a slash command or interaction.
  std::string IssueTrigger();
  // A response_url for a slash command; what is posted to it is in Responses().
  std::string ResponseUrl(const std::string& id) const { return base_url() + "/response/" + id; }
  std::vector<nlohmann::json> Responses();
  // Views opened by views.open, in order, as views.update last left them.
  std::vector<nlohmann::json> OpenedViews();
  // HomeView is the Home tab last published for `user_id`, if any.
  std::optional<nlohmann::json> HomeView(const std::string& user_id);
  // EphemeralsFor lists what chat.postEphemeral showed `user_id`, in order.
  std::vector<Ephemeral> EphemeralsFor(const std::string& user_id);
  // PermalinkOf is the permalink chat.getPermalink gives message `ts` of
  // `channel_id`: "https://ff.slack.com/archives/<channel>/p<ts without '.'>".
  static std::string PermalinkOf(const std::string& channel_id, const std::string& ts);
  // MessageAt is message `ts` of channel `channel_id`, as last edited.
  std::optional<Message> MessageAt(const std::string& channel_id, const std::string& ts);

  // UserNames maps each workspace member's id to their name (AddUser).
  std::map<std::string, std::string> UserNames();
  std::vector<Channel> channels();
  std::optional<Channel> ChannelById(const std::string& id);
  std::optional<Channel> ChannelByName(const std::string& name);
  // Calls of `method` that reached the fake (all outcomes, 429s included), in
  // order; CallCount is their number.
  std::vector<RecordedRequest> CallsOf(const std::string& method);
  int CallCount(const std::string& method) { return static_cast<int>(CallsOf(method).size()); }

 protected:
  void RegisterRoutes(httplib::Server& server) override;

 private:
  using Args = std::map<std::string, nlohmann::json>;
  struct Reply {
    int status = 200;
    nlohmann::json body;
    std::optional<int> retry_after;
  };

  using Handler = nlohmann::json (FakeSlack::*)(const Args&);
  // RateWindow: at most `calls` calls per sliding `window`, counted under `key`.
  struct RateWindow {
    std::string key;
    int calls;
    absl::Duration window;
  };

  void Handle(const httplib::Request& request, httplib::Response& response);
  Reply Dispatch(const std::string& method, const httplib::Request& request);
  // HandlerFor returns the handler of `method`, or nullptr when not served.
  static Handler HandlerFor(const std::string& method);
  // Parse fills `args` from the query and the form or JSON body; returns an
  // error code ("invalid_json", …) or "".
  std::string Parse(const httplib::Request& request, Args& args);
  std::string CheckAuth(const httplib::Request& request, const Args& args);
  // OpenConnection answers apps.connections.open, authenticated by the
  // app-level token (see the file comment).
  Reply OpenConnection(const httplib::Request& request, const Args& args);
  // TakeInjectedRateLimit consumes one RateLimitNext answer, if any is left.
  std::optional<Reply> TakeInjectedRateLimit(const std::string& method);
  // Admit counts the call toward its window and returns nullopt, or returns
  // the Retry-After seconds of a call over its limit (which is not counted).
  std::optional<int> Admit(const std::string& method, const Args& args);
  std::optional<RateWindow> WindowOf(const std::string& method, const Args& args)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(state_mu_);

  nlohmann::json Create(const Args& args);
  nlohmann::json List(const Args& args);
  nlohmann::json SetTopic(const Args& args);
  nlohmann::json SetPurpose(const Args& args);
  nlohmann::json Invite(const Args& args);
  nlohmann::json History(const Args& args);
  nlohmann::json Archive(const Args& args);
  nlohmann::json PostMessage(const Args& args);
  nlohmann::json LookupByEmail(const Args& args);
  nlohmann::json UserGroups(const Args& args);
  nlohmann::json UserInfo(const Args& args);
  nlohmann::json ConversationInfo(const Args& args);

  // fake_slack_messages.cc
  nlohmann::json UpdateMessage(const Args& args);
  nlohmann::json PostEphemeral(const Args& args);
  nlohmann::json Permalink(const Args& args);
  nlohmann::json AddPin(const Args& args);
  nlohmann::json ListPins(const Args& args);
  nlohmann::json AddBookmark(const Args& args);
  nlohmann::json ListBookmarks(const Args& args);
  nlohmann::json MessageJson(const Message& message) const;
  // FindMessage finds message `ts` in `channel`; nullptr if none.
  static Message* FindMessage(Channel& channel, const std::string& ts);

  // fake_slack_views.cc
  nlohmann::json OpenView(const Args& args);
  nlohmann::json UpdateView(const Args& args);
  nlohmann::json PublishView(const Args& args);
  // StoreView gives `view` its id and a fresh hash, as Slack returns it.
  void StoreView(nlohmann::json& view, const std::string& id)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(state_mu_);
  void HandleResponse(const httplib::Request& request, httplib::Response& response);

  // Plant appends `message` to channel `channel_id` with a fresh ts and
  // returns the ts, or "" when there is no such channel.
  std::string Plant(const std::string& channel_id, Message message);
  // NextTs is a fresh message ts.
  std::string NextTs() ABSL_EXCLUSIVE_LOCKS_REQUIRED(state_mu_);
  // NewChannel appends a channel made by the bot now, with a fresh id.
  Channel& NewChannel(const std::string& name) ABSL_EXCLUSIVE_LOCKS_REQUIRED(state_mu_);
  // FindChannel finds a channel by id or name ("#name" too); nullptr if none.
  Channel* FindChannel(std::string key) ABSL_EXCLUSIVE_LOCKS_REQUIRED(state_mu_);
  // Channel checks shared by methods acting on a channel: "" when usable.
  std::string UsableChannel(const Args& args, Channel** channel, bool allow_archived)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(state_mu_);
  nlohmann::json ChannelJson(const Channel& channel) const;
  // UserJson is Slack's user object for member `id` with `email`.
  nlohmann::json UserJson(const std::string& id, const std::string& email) const
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(state_mu_);

  const std::string token_;
  httplib::Server* listening_ = nullptr;  // the base's current server
  absl::Mutex state_mu_;
  std::vector<Channel> channels_ ABSL_GUARDED_BY(state_mu_);
  std::map<std::string, std::string> users_by_email_ ABSL_GUARDED_BY(state_mu_);
  std::map<std::string, std::string> user_names_ ABSL_GUARDED_BY(state_mu_);  // by id
  std::set<std::string> user_ids_ ABSL_GUARDED_BY(state_mu_);
  struct Group {
    std::string id, handle;
    std::vector<std::string> users;
  };
  std::vector<Group> groups_ ABSL_GUARDED_BY(state_mu_);
  std::set<std::string> denied_ ABSL_GUARDED_BY(state_mu_);
  int rate_limit_count_ ABSL_GUARDED_BY(state_mu_) = 0;
  int rate_limit_seconds_ ABSL_GUARDED_BY(state_mu_) = 1;
  bool tiers_on_ ABSL_GUARDED_BY(state_mu_) = false;
  absl::Duration window_ ABSL_GUARDED_BY(state_mu_) = absl::Seconds(60);
  std::map<std::string, int> limit_overrides_ ABSL_GUARDED_BY(state_mu_);
  // Times of the calls counted in each window, by RateWindow::key, oldest first.
  std::map<std::string, std::deque<absl::Time>> admitted_ ABSL_GUARDED_BY(state_mu_);
  std::map<std::string, int> rate_limited_ ABSL_GUARDED_BY(state_mu_);  // 429s by method
  int next_channel_ ABSL_GUARDED_BY(state_mu_) = 1;
  int next_ts_ ABSL_GUARDED_BY(state_mu_) = 1;
  int next_trigger_ ABSL_GUARDED_BY(state_mu_) = 1;
  std::set<std::string> triggers_ ABSL_GUARDED_BY(state_mu_);  // issued, unused
  std::set<std::string> used_triggers_ ABSL_GUARDED_BY(state_mu_);
  std::vector<nlohmann::json> views_ ABSL_GUARDED_BY(state_mu_);                 // modals
  std::map<std::string, nlohmann::json> home_views_ ABSL_GUARDED_BY(state_mu_);  // by user
  int next_view_ ABSL_GUARDED_BY(state_mu_) = 1000;
  int next_bookmark_ ABSL_GUARDED_BY(state_mu_) = 1;
  std::vector<Ephemeral> ephemerals_ ABSL_GUARDED_BY(state_mu_);
  std::vector<nlohmann::json> responses_ ABSL_GUARDED_BY(state_mu_);
  FakeSocketMode* socket_mode_ ABSL_GUARDED_BY(state_mu_) = nullptr;
  std::string app_token_ ABSL_GUARDED_BY(state_mu_);
};

}  // namespace ff::testing

#endif  // FF_TESTS_TESTING_FAKE_SLACK_H_
