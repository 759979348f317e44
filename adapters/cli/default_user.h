// Who `ff` acts as when neither --actor nor --reporter says: one identity per
// person, so that a timeline does not show "root" for one change and
// "alice@example.com" (Slack's name for the same person) for the next.
//
// Thread-safe, but each call may run `git` (a child process).
#ifndef FF_ADAPTERS_CLI_DEFAULT_USER_H_
#define FF_ADAPTERS_CLI_DEFAULT_USER_H_

#include <string>

namespace ff::cli {

// DefaultUser returns $FF_USER when set and not empty; else git's
// user.email (GitUserEmail) when there is one; else the login name of the
// effective user; else "unknown".
std::string DefaultUser();

// GitUserEmail returns what `git config user.email` prints, trimmed, when
// it looks like an email (something@something); "" when git is not on PATH,
// fails, or says nothing of the sort. git runs without a shell, with stdin
// and stderr on /dev/null.
std::string GitUserEmail();

}  // namespace ff::cli

#endif  // FF_ADAPTERS_CLI_DEFAULT_USER_H_
