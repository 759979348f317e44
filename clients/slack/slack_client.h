// SlackClient: the one client of Slack's Web API (EXTERNAL_APIS.md §1e),
// used by the Slack notifier (channels, invites, posts, edits, pins,
// bookmarks) and by the Slack adapter (modals, Home tabs, ephemeral replies,
// response URLs, user and channel look-ups), with one mapping of Slack's
// answers to absl codes:
//   HTTP 429 ratelimited (Retry-After) and ok:false ratelimited →
//     RESOURCE_EXHAUSTED with RetryAfterOf, and the method's budget bucket
//     paused for every caller until then;
//   invalid_auth, not_authed, account_inactive, token_revoked,
//     token_expired → UNAUTHENTICATED;
//   missing_scope, restricted_action, no_permission, not_allowed_token_type,
//     access_denied, ekm_access_denied → PERMISSION_DENIED;
//   cant_update_message → PERMISSION_DENIED;
//   channel_not_found, users_not_found, user_not_found, message_not_found,
//     not_found (a view) → NOT_FOUND;
//   is_archived, not_in_channel, user_not_in_channel, expired_trigger_id,
//     exchanged_trigger_id, too_many_bookmarks → FAILED_PRECONDITION;
//   hash_conflict (a view changed meanwhile) → ABORTED;
//   name_taken, already_archived, already_pinned → ALREADY_EXISTS;
//   internal_error, fatal_error, request_timeout, service_unavailable →
//     UNAVAILABLE; other codes → INVALID_ARGUMENT;
//   other HTTP outcomes and malformed answers as clients/http/json_call.h.
// Messages read "slack <method>: <code>" and never hold the token; for
// invalid_blocks, invalid_blocks_format and invalid_arguments they go on with
// Slack's first explanation in parentheses ("… ([ERROR] must be less than
// 3001 characters [json-pointer:/blocks/0/text/text])").
//
// With a RateBudget, every call first takes a slot of its method's bucket
// (chat.postMessage per channel): when there is none it sends nothing and
// returns BudgetWait (see rate_budget.h). SlackRateLimits() are Slack's
// published tiers.
//
// Thread-safe (stateless over a thread-safe HttpClient and RateBudget).
#ifndef FF_CLIENTS_SLACK_SLACK_CLIENT_H_
#define FF_CLIENTS_SLACK_SLACK_CLIENT_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "clients/http/http_client.h"
#include "clients/http/rate_budget.h"
#include "nlohmann/json.hpp"

namespace ff {

struct SlackChannel {
  std::string id;
  std::string name;
  bool archived = false;
  int64_t created = 0;  // unix seconds
  std::string purpose;  // its text
};

// SlackMarker is the message metadata a post carries so that it can be
// recognised later: event_type "firefighter_delivery", payload {key,
// installation}.
struct SlackMarker {
  std::string key;
  std::string installation;
};

// SlackBookmark is a link bookmarked in a channel's header.
struct SlackBookmark {
  std::string id;
  std::string title;
  std::string link;
};

// SlackRateLimits is the budget of each method as Slack publishes it, per
// workspace: Tier 2 (20 a minute) for channel set-up, pins, bookmarks.add and
// lists, Tier 3 (50) for reads, look-ups, chat.update and bookmarks.list,
// Tier 4 (100) for ephemeral messages and views, chat.postMessage 1 a
// second per channel, and apps.connections.open (Socket Mode) Tier 1, "1+ a
// minute" with small bursts tolerated: counted as 5 in 5 minutes, so a
// refresh or a reconnect soon after start-up does not wait.
std::map<std::string, RateLimit> SlackRateLimits();

class SlackClient {
 public:
  static constexpr char kMarkerEventType[] = "firefighter_delivery";

  // `base_url` is e.g. "https://slack.com/api" (no trailing slash).
  // REQUIRES: `http` (and `budget`, when given) outlive the client.
  SlackClient(HttpClient* http, std::string base_url, std::string token, absl::Duration timeout,
              RateBudget* budget = nullptr);

  // Call POSTs `args` to <base_url>/<method>, as JSON or (`as_form`, flat
  // args) as a form, and returns the body of an ok:true answer.
  absl::StatusOr<nlohmann::json> Call(const std::string& method, const nlohmann::json& args,
                                      bool as_form = false);

  // CreateChannel creates a public channel; ALREADY_EXISTS on name_taken.
  absl::StatusOr<SlackChannel> CreateChannel(const std::string& name);
  // FindChannel pages through conversations.list (archived included) for a
  // channel named `name`; nullopt when there is none.
  absl::StatusOr<std::optional<SlackChannel>> FindChannel(const std::string& name);
  absl::Status SetTopic(const std::string& channel, const std::string& topic);
  absl::Status SetPurpose(const std::string& channel, const std::string& purpose);
  // Invite adds `users` (Slack ids) with force=true, so one bad or present
  // user does not stop the others. Returns how many Slack did not invite
  // (already members, unknown, …); those are not errors.
  absl::StatusOr<int> Invite(const std::string& channel, const std::vector<std::string>& users);
  // LookupUserByEmail returns the user id, or nullopt on users_not_found.
  absl::StatusOr<std::optional<std::string>> LookupUserByEmail(const std::string& email);
  // UserGroupMembers returns the members of the group with `handle` (no
  // "@"), or nullopt when no group has that handle.
  absl::StatusOr<std::optional<std::vector<std::string>>> UserGroupMembers(
      const std::string& handle);
  // FindMarkedMessage returns the ts of one of the newest `max_messages`
  // messages of `channel` that carries `marker`, or nullopt.
  absl::StatusOr<std::optional<std::string>> FindMarkedMessage(const std::string& channel,
                                                               const SlackMarker& marker,
                                                               int max_messages);
  // Archive archives `channel`; OK when it already is.
  absl::Status Archive(const std::string& channel);

  // Messages, pins and bookmarks (slack_client_messages.cc). `blocks` is a
  // Block Kit array, or null for none; `text` is then the notification's
  // fallback.
  //
  // PostMessage posts `text` tagged with `marker`; returns the message ts.
  absl::StatusOr<std::string> PostMessage(const std::string& channel, const std::string& text,
                                          const SlackMarker& marker);
  // PostMessage posts `text` and `blocks` tagged with `marker`; returns the
  // message ts. INVALID_ARGUMENT on invalid blocks.
  absl::StatusOr<std::string> PostMessage(const std::string& channel, const std::string& text,
                                          const nlohmann::json& blocks, const SlackMarker& marker);
  // UpdateMessage replaces the text and blocks of the bot's message `ts` in
  // `channel` (chat.update). NOT_FOUND when there is no such message,
  // PERMISSION_DENIED when someone else wrote it.
  absl::Status UpdateMessage(const std::string& channel, const std::string& ts,
                             const std::string& text, const nlohmann::json& blocks);
  // Pin pins message `ts` in `channel`; OK when it already is.
  absl::Status Pin(const std::string& channel, const std::string& ts);
  // PinnedMessages returns the ts of the messages pinned in `channel`,
  // newest pin first.
  absl::StatusOr<std::vector<std::string>> PinnedMessages(const std::string& channel);
  // AddBookmark bookmarks `link` (http or https) in `channel`'s header under
  // `title`. FAILED_PRECONDITION when the channel has as many as Slack
  // allows.
  absl::StatusOr<SlackBookmark> AddBookmark(const std::string& channel, const std::string& title,
                                            const std::string& link);
  // Bookmarks lists `channel`'s bookmarks.
  absl::StatusOr<std::vector<SlackBookmark>> Bookmarks(const std::string& channel);
  // PostEphemeral shows `text` (and `blocks`, when not null) to `user`
  // only, in `channel`; FAILED_PRECONDITION when `user` is not a member.
  absl::Status PostEphemeral(const std::string& channel, const std::string& user,
                             const std::string& text, const nlohmann::json& blocks = nullptr);

  // Views (slack_client_messages.cc).
  //
  // OpenView opens `view` (a modal) for the short-lived `trigger_id`.
  absl::Status OpenView(const std::string& trigger_id, const nlohmann::json& view);
  // UpdateView replaces open view `view_id` with `view`; with a `hash` (from
  // the view Slack last gave), ABORTED when the view changed since.
  // NOT_FOUND when there is no such view.
  absl::Status UpdateView(const std::string& view_id, const nlohmann::json& view,
                          const std::string& hash = "");
  // PublishView sets `user_id`'s Home tab to `view` (type home).
  absl::Status PublishView(const std::string& user_id, const nlohmann::json& view);
  // Respond POSTs `message` to a slash command or interaction response_url
  // (no token: the URL is the credential). Codes as HttpStatusError.
  absl::Status Respond(const std::string& response_url, const nlohmann::json& message);
  // UserEmail returns the profile email of `user_id`, or the id itself when
  // the profile has none (bots, a token without users:read.email).
  absl::StatusOr<std::string> UserEmail(const std::string& user_id);
  // ChannelName returns the name of channel `channel_id`.
  absl::StatusOr<std::string> ChannelName(const std::string& channel_id);

 private:
  using Query = std::vector<std::pair<std::string, std::string>>;
  absl::StatusOr<nlohmann::json> Get(const std::string& method, const Query& query);
  absl::StatusOr<nlohmann::json> Send(const std::string& method, const std::string& scope,
                                      HttpRequest request);

  HttpClient* http_;
  std::string base_url_;
  std::string token_;
  absl::Duration timeout_;
  RateBudget* budget_;
};

// SlackErrorStatus maps Slack error code `error` of `method` to a status.
absl::Status SlackErrorStatus(const std::string& method, const std::string& error);

// IsArchivedChannelError is true for the status of a call that failed
// because its channel is archived (Slack's is_archived).
bool IsArchivedChannelError(const absl::Status& status);

}  // namespace ff

#endif  // FF_CLIENTS_SLACK_SLACK_CLIENT_H_
