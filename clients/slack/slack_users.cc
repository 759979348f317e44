#include "clients/slack/slack_users.h"

#include <algorithm>
#include <iterator>
#include <utility>

#include "absl/strings/ascii.h"

namespace ff {

SlackUserDirectory::SlackUserDirectory(SlackClient* slack, const Clock* clock)
    : SlackUserDirectory(slack, clock, Options()) {}

SlackUserDirectory::SlackUserDirectory(SlackClient* slack, const Clock* clock, Options options)
    : slack_(slack), clock_(clock), options_(options) {}

absl::StatusOr<std::optional<std::string>> SlackUserDirectory::IdForEmail(
    const std::string& email) {
  const std::string key = absl::AsciiStrToLower(absl::StripAsciiWhitespace(email));
  {
    absl::MutexLock lock(&mu_);
    auto it = entries_.find(key);
    if (it != entries_.end() && clock_->Now() < it->second.expires) return it->second.id;
  }
  absl::StatusOr<std::optional<std::string>> answer = slack_->LookupUserByEmail(key);
  if (!answer.ok()) return answer.status();
  absl::Duration ttl = answer->has_value() ? options_.found_ttl : options_.not_found_ttl;
  absl::MutexLock lock(&mu_);
  Store(key, Entry{*answer, clock_->Now() + ttl});
  return answer;
}

void SlackUserDirectory::Forget(const std::string& email) {
  absl::MutexLock lock(&mu_);
  entries_.erase(absl::AsciiStrToLower(absl::StripAsciiWhitespace(email)));
}

void SlackUserDirectory::Store(const std::string& key, Entry entry) {
  if (entries_.size() >= options_.max_entries && entries_.count(key) == 0) {
    const absl::Time now = clock_->Now();
    for (auto it = entries_.begin(); it != entries_.end();) {
      it = it->second.expires <= now ? entries_.erase(it) : std::next(it);
    }
    while (!entries_.empty() && entries_.size() >= options_.max_entries) {
      auto soonest = std::min_element(entries_.begin(), entries_.end(), [](auto& a, auto& b) {
        return a.second.expires < b.second.expires;
      });
      entries_.erase(soonest);
    }
  }
  entries_[key] = std::move(entry);
}

}  // namespace ff
