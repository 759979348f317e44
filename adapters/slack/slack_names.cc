#include "adapters/slack/slack_names.h"

namespace ff::slack {
namespace {

// Cached returns the cached answer for `key` or asks `lookup` and keeps it.
template <typename Lookup>
absl::StatusOr<std::string> Cached(absl::Mutex& mu, std::map<std::string, std::string>& cache,
                                   const std::string& key, Lookup lookup) {
  {
    absl::MutexLock lock(&mu);
    auto it = cache.find(key);
    if (it != cache.end()) return it->second;
  }
  absl::StatusOr<std::string> answer = lookup();
  if (!answer.ok()) return answer.status();
  absl::MutexLock lock(&mu);
  cache[key] = *answer;
  return answer;
}

}  // namespace

absl::StatusOr<std::string> SlackNames::UserEmail(const std::string& user_id) {
  return Cached(mu_, emails_, user_id, [&] { return slack_->UserEmail(user_id); });
}

absl::StatusOr<std::string> SlackNames::ChannelName(const std::string& channel_id) {
  return Cached(mu_, channel_names_, channel_id, [&] { return slack_->ChannelName(channel_id); });
}

}  // namespace ff::slack
