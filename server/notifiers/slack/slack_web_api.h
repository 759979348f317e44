// SlackWebApi: the few Slack Web API methods the Slack notifier calls, with
// Slack's HTTP-200 {"ok":false,"error":…} answers mapped to absl codes:
//   ratelimited (HTTP 429 + Retry-After) → RESOURCE_EXHAUSTED with RetryAfterOf;
//   invalid_auth, not_authed, account_inactive, token_revoked → UNAUTHENTICATED;
//   missing_scope, restricted_action, no_permission → PERMISSION_DENIED;
//   channel_not_found, users_not_found → NOT_FOUND;
//   is_archived, not_in_channel → FAILED_PRECONDITION;
//   internal_error, fatal_error, request_timeout, service_unavailable → UNAVAILABLE;
//   other HTTP statuses as HttpStatusError; anything else → INVALID_ARGUMENT.
// Messages name the method and Slack's code ("slack chat.postMessage: is_archived")
// and never the token. Thread-safe (stateless over a thread-safe HttpClient).
#ifndef FF_SERVER_NOTIFIERS_SLACK_SLACK_WEB_API_H_
#define FF_SERVER_NOTIFIERS_SLACK_SLACK_WEB_API_H_

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "clients/http/http_client.h"
#include "nlohmann/json.hpp"

namespace ff {

struct SlackChannel {
  std::string id;
  std::string name;
  bool archived = false;
};

class SlackWebApi {
 public:
  // `http` must outlive the API; `base_url` has no trailing slash.
  SlackWebApi(HttpClient* http, std::string base_url, std::string token, absl::Duration timeout);

  // CreateChannel creates a public channel; ALREADY_EXISTS on name_taken.
  absl::StatusOr<SlackChannel> CreateChannel(const std::string& name);
  // FindChannel pages through conversations.list (archived included) for a
  // channel named `name`; nullopt when there is none.
  absl::StatusOr<std::optional<SlackChannel>> FindChannel(const std::string& name);
  absl::Status SetTopic(const std::string& channel, const std::string& topic);
  // Invite adds `users` (Slack ids) with force=true, so one bad or already
  // present user does not stop the others. Returns how many Slack reported
  // as not invited (already members, unknown, …); those are not errors.
  absl::StatusOr<int> Invite(const std::string& channel, const std::vector<std::string>& users);
  // LookupUserByEmail returns the user id, or nullopt on users_not_found.
  absl::StatusOr<std::optional<std::string>> LookupUserByEmail(const std::string& email);
  // UserGroupMembers returns the members of the group with `handle` (no "@"),
  // or nullopt when no group has that handle.
  absl::StatusOr<std::optional<std::vector<std::string>>> UserGroupMembers(
      const std::string& handle);
  // HasMarkedMessage is true when one of the newest `max_messages` messages
  // of `channel` carries PostMessage's marker `key` (in message metadata).
  absl::StatusOr<bool> HasMarkedMessage(const std::string& channel, const std::string& key,
                                        int max_messages);
  // PostMessage posts `text`, tagged with `key` so a repeat can be detected.
  absl::Status PostMessage(const std::string& channel, const std::string& text,
                           const std::string& key);
  // Archive archives `channel`; OK when it already is.
  absl::Status Archive(const std::string& channel);

  // The metadata event_type of marked messages.
  static constexpr char kMarkerEventType[] = "firefighter_delivery";

 private:
  using Query = std::vector<std::pair<std::string, std::string>>;
  // Post sends a JSON body; Get sends the query string. Both return the body
  // of an ok:true answer, or the mapped error.
  absl::StatusOr<nlohmann::json> Post(const std::string& method, const nlohmann::json& args);
  absl::StatusOr<nlohmann::json> Get(const std::string& method, const Query& query);
  absl::StatusOr<nlohmann::json> Send(const std::string& method, HttpRequest request);

  HttpClient* http_;
  std::string base_url_;
  std::string token_;
  absl::Duration timeout_;
};

// SlackErrorStatus maps Slack error code `error` of `method` to a status.
absl::Status SlackErrorStatus(const std::string& method, const std::string& error);

// IsArchivedChannelError is true for the status of a call that failed because
// its channel is archived (Slack's is_archived).
bool IsArchivedChannelError(const absl::Status& status);

}  // namespace ff

#endif  // FF_SERVER_NOTIFIERS_SLACK_SLACK_WEB_API_H_
