#include "tests/testing/fake_slack_args.h"

#include "absl/time/clock.h"
#include "tests/testing/block_kit.h"

namespace ff::testing::fake_slack {

using json = nlohmann::json;

json Fail(const std::string& error) { return {{"ok", false}, {"error", error}}; }

json InvalidArguments(const std::vector<std::string>& messages) {
  json body = Fail("invalid_arguments");
  body["response_metadata"] = {{"messages", messages}};
  return body;
}

std::string Str(const Args& args, const std::string& key) {
  auto it = args.find(key);
  if (it == args.end() || it->second.is_null()) return "";
  if (it->second.is_string()) return it->second.get<std::string>();
  return it->second.dump();
}

bool Flag(const Args& args, const std::string& key) {
  std::string value = Str(args, key);
  return value == "true" || value == "1";
}

json JsonArg(const Args& args, const std::string& key) {
  auto it = args.find(key);
  if (it == args.end()) return nullptr;
  if (it->second.is_string()) return json::parse(it->second.get<std::string>(), nullptr, false);
  return it->second;
}

std::optional<json> BlocksArg(const Args& args, json* blocks) {
  *blocks = nullptr;
  if (args.count("blocks") == 0) return std::nullopt;
  json parsed = JsonArg(args, "blocks");
  if (parsed.is_discarded() || !parsed.is_array()) return Fail("invalid_blocks_format");
  std::vector<BlockKitProblem> problems = MessageBlockProblems(parsed);
  if (problems.empty()) {
    *blocks = std::move(parsed);
    return std::nullopt;
  }
  json body = Fail("invalid_blocks");
  body["errors"] = json::array();
  for (const BlockKitProblem& p : problems) {
    body["errors"].push_back(p.message + " [json-pointer:" + p.pointer + "]");
  }
  body["response_metadata"] = {{"messages", SlackErrorLines(problems)}};
  return body;
}

int64_t UnixNow() { return absl::ToUnixSeconds(absl::Now()); }

}  // namespace ff::testing::fake_slack
