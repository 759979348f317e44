// SlackWebApi: the few Slack Web API calls the adapter makes (views.open,
// chat.postEphemeral, users.info, conversations.info) and replies through a
// response_url, over HttpClient with a bot token (EXTERNAL_APIS.md §1e).
//
// users.info answers (user id → email) are cached for the process lifetime:
// a workspace member's email rarely changes and the lookup sits on the path
// of every captured message.
//
// Thread-safe.
#ifndef FF_ADAPTERS_SLACK_SLACK_WEB_API_H_
#define FF_ADAPTERS_SLACK_SLACK_WEB_API_H_

#include <map>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "clients/http/http_client.h"
#include "nlohmann/json.hpp"

namespace ff::slack {

class SlackWebApi {
 public:
  // `base_url` is e.g. "https://slack.com/api" (no trailing slash). Each call
  // gives up after `timeout`. REQUIRES: `http` outlives this object.
  SlackWebApi(HttpClient* http, std::string base_url, std::string bot_token,
              absl::Duration timeout);

  // Call POSTs `args` as JSON (or, with `as_form`, flat args as a form) to <base_url>/<method> and
  // returns the answer when "ok" is true. Transport errors as HttpClient reports them;
  // RESOURCE_EXHAUSTED for 429; FAILED_PRECONDITION with Slack's error code
  // for {"ok":false}; INTERNAL for a body that is not JSON.
  absl::StatusOr<nlohmann::json> Call(const std::string& method, const nlohmann::json& args,
                                      bool as_form = false);

  // OpenView opens `view` (a modal) for the short-lived `trigger_id`.
  absl::Status OpenView(const std::string& trigger_id, const nlohmann::json& view);
  // PostEphemeral shows `text` to `user` only, in `channel`.
  absl::Status PostEphemeral(const std::string& channel, const std::string& user,
                             const std::string& text);
  // Respond POSTs `message` (e.g. {"response_type":"ephemeral","text":…}) to
  // a slash command or interaction response_url. UNAVAILABLE/DEADLINE_EXCEEDED
  // on transport errors; INTERNAL for a non-2xx answer.
  absl::Status Respond(const std::string& response_url, const nlohmann::json& message);
  // UserEmail returns the profile email of `user_id` (cached), or the
  // user id itself when the profile has none (bots, missing users:email).
  absl::StatusOr<std::string> UserEmail(const std::string& user_id);
  // ChannelName returns the name of channel `channel_id` (cached).
  absl::StatusOr<std::string> ChannelName(const std::string& channel_id);

 private:
  HttpClient* http_;
  const std::string base_url_;
  const std::string token_;
  const absl::Duration timeout_;
  absl::Mutex mu_;
  std::map<std::string, std::string> emails_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, std::string> channel_names_ ABSL_GUARDED_BY(mu_);
};

}  // namespace ff::slack

#endif  // FF_ADAPTERS_SLACK_SLACK_WEB_API_H_
