// SlackNames: the Slack look-ups on the path of every captured message and
// command (user id → email, channel id → name), cached for the process
// lifetime over the shared SlackClient: a member's email and a channel's name
// rarely change, and Slack's Tier 3 budget is better spent elsewhere.
// Thread-safe.
#ifndef FF_ADAPTERS_SLACK_SLACK_NAMES_H_
#define FF_ADAPTERS_SLACK_SLACK_NAMES_H_

#include <map>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "clients/slack/slack_client.h"

namespace ff::slack {

class SlackNames {
 public:
  // REQUIRES: `slack` outlives this object.
  explicit SlackNames(SlackClient* slack) : slack_(slack) {}

  // UserEmail is SlackClient::UserEmail, cached.
  absl::StatusOr<std::string> UserEmail(const std::string& user_id);
  // ChannelName is SlackClient::ChannelName, cached.
  absl::StatusOr<std::string> ChannelName(const std::string& channel_id);

 private:
  SlackClient* slack_;
  absl::Mutex mu_;
  std::map<std::string, std::string> emails_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, std::string> channel_names_ ABSL_GUARDED_BY(mu_);
};

}  // namespace ff::slack

#endif  // FF_ADAPTERS_SLACK_SLACK_NAMES_H_
