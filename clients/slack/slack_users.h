// SlackUserDirectory: who an email is in Slack (users.lookupByEmail), cached
// with an expiry so that every post can name people as <@U…> without
// spending the Tier 3 budget on each one.
//
// A found id is kept for `found_ttl`, a "no such member" answer for the
// shorter `not_found_ttl` (someone may join the workspace meanwhile). Errors
// are never cached: the caller sees them and the next call asks again. The
// look-ups go through the SlackClient, so they spend its RateBudget and a
// spent budget comes back as BudgetWait (nothing sent).
//
// Thread-safe. Look-ups run outside the lock: two threads missing the same
// email at once may both ask Slack, and both answers are right.
#ifndef FF_CLIENTS_SLACK_SLACK_USERS_H_
#define FF_CLIENTS_SLACK_SLACK_USERS_H_

#include <cstddef>
#include <map>
#include <optional>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "clients/slack/slack_client.h"
#include "common/clock.h"

namespace ff {

class SlackUserDirectory {
 public:
  struct Options {
    absl::Duration found_ttl = absl::Hours(1);
    absl::Duration not_found_ttl = absl::Minutes(5);
    // Past this many entries the expired ones are dropped, then the ones
    // closest to expiring.
    size_t max_entries = 10000;
  };

  // REQUIRES: `slack` and `clock` outlive the directory.
  SlackUserDirectory(SlackClient* slack, const Clock* clock);
  SlackUserDirectory(SlackClient* slack, const Clock* clock, Options options);

  // IdForEmail returns the Slack user id of the member whose email is
  // `email` (compared without case), or nullopt when the workspace has
  // none. Other failures are SlackClient's (UNAVAILABLE, a BudgetWait, …)
  // and are not cached.
  absl::StatusOr<std::optional<std::string>> IdForEmail(const std::string& email);

  // Forget drops what is known of `email`, e.g. after Slack said the cached
  // id is no longer a member.
  void Forget(const std::string& email);

 private:
  struct Entry {
    std::optional<std::string> id;  // nullopt: Slack has no such member
    absl::Time expires;
  };
  // Store keeps `entry` for `key`, making room first. REQUIRES: mu_ held.
  void Store(const std::string& key, Entry entry) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  SlackClient* slack_;
  const Clock* clock_;
  const Options options_;
  absl::Mutex mu_;
  std::map<std::string, Entry> entries_ ABSL_GUARDED_BY(mu_);  // by lower-case email
};

}  // namespace ff

#endif  // FF_CLIENTS_SLACK_SLACK_USERS_H_
