// Argument helpers shared by FakeSlack's method files (fake_slack*.cc): how
// Slack reads a call's arguments and words its answers. Not for tests.
// Thread-safe: pure functions.
#ifndef FF_TESTS_TESTING_FAKE_SLACK_ARGS_H_
#define FF_TESTS_TESTING_FAKE_SLACK_ARGS_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "nlohmann/json.hpp"

namespace ff::testing::fake_slack {

using Args = std::map<std::string, nlohmann::json>;

// Fail is Slack's {"ok":false,"error":<error>}.
nlohmann::json Fail(const std::string& error);
// InvalidArguments is invalid_arguments with response_metadata.messages.
nlohmann::json InvalidArguments(const std::vector<std::string>& messages);
// Str reads a string argument ("" when absent or null; other JSON dumped).
std::string Str(const Args& args, const std::string& key);
// Flag is true for "true" or "1".
bool Flag(const Args& args, const std::string& key);
// JsonArg reads a JSON-typed argument: a JSON string in a form, an object
// or array in a JSON body; discarded when it does not parse, null if absent.
nlohmann::json JsonArg(const Args& args, const std::string& key);
// BlocksArg reads and checks a message's `blocks`: nullopt when absent or
// valid (then `*blocks` holds them, or null), else the failure to answer
// (invalid_blocks_format or invalid_blocks).
std::optional<nlohmann::json> BlocksArg(const Args& args, nlohmann::json* blocks);
// UnixNow is the wall clock in unix seconds.
int64_t UnixNow();

}  // namespace ff::testing::fake_slack

#endif  // FF_TESTS_TESTING_FAKE_SLACK_ARGS_H_
