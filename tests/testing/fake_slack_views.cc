// FakeSlack's views: views.open, views.update and views.publish.
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "tests/testing/block_kit.h"
#include "tests/testing/fake_slack.h"
#include "tests/testing/fake_slack_args.h"

namespace ff::testing {
namespace {

using json = nlohmann::json;
using fake_slack::Fail;
using fake_slack::InvalidArguments;
using fake_slack::JsonArg;
using fake_slack::Str;

constexpr size_t kMaxViewBytes = 250000;  // view_too_large beyond

// AppViewProblems are what the adapter relies on beyond Slack's rules: a
// modal says which form it is (callback_id), and each input block can be
// read back by its block_id and action_id.
std::vector<std::string> AppViewProblems(const json& view) {
  std::vector<std::string> problems;
  if (view.value("type", "") != "modal") return problems;
  if (!view.contains("callback_id") || !view["callback_id"].is_string() ||
      view["callback_id"].get<std::string>().empty()) {
    problems.push_back("[ERROR] the app's modals need a callback_id [json-pointer:/view]");
  }
  const json& blocks = view["blocks"];
  for (size_t i = 0; i < blocks.size(); ++i) {
    const json& block = blocks[i];
    if (block.value("type", "") != "input") continue;
    bool ok = block.value("block_id", "") != "" && block["element"].value("action_id", "") != "";
    if (!ok) {
      problems.push_back(absl::StrCat("[ERROR] the app reads input blocks by block_id and ",
                                      "action_id [json-pointer:/view/blocks/", i, "]"));
    }
  }
  return problems;
}

// ViewFailure checks `view` (of `required_type`, "" for modal or home):
// nullopt when acceptable, else the failure to answer.
std::optional<json> ViewFailure(const json& view, const std::string& required_type) {
  if (view.is_discarded() || view.is_null()) {
    return InvalidArguments({"[ERROR] missing required field: view [json-pointer:/view]"});
  }
  std::vector<BlockKitProblem> problems = ViewProblems(view, required_type);
  if (!problems.empty()) return InvalidArguments(SlackErrorLines(problems));
  if (std::vector<std::string> app = AppViewProblems(view); !app.empty()) {
    return InvalidArguments(app);
  }
  if (view.dump().size() > kMaxViewBytes) return Fail("view_too_large");
  return std::nullopt;
}

// HashConflict is true when the call names a hash that is not `stored`'s.
bool HashConflict(const fake_slack::Args& args, const json& stored) {
  std::string hash = Str(args, "hash");
  return !hash.empty() && hash != stored.value("hash", "");
}

}  // namespace

void FakeSlack::StoreView(json& view, const std::string& id) {
  view["id"] = id;
  view["hash"] = absl::StrCat("1767225600.", next_view_++, "f1e2d3");
  if (!view.contains("state")) view["state"] = {{"values", json::object()}};
}

json FakeSlack::OpenView(const Args& args) {
  std::string trigger = Str(args, "trigger_id");
  if (trigger.empty()) return InvalidArguments({"invalid `trigger_id`"});
  std::vector<std::string> parts = absl::StrSplit(trigger, '.');
  if (parts.size() != 3) return Fail("invalid_trigger_id");
  json view = JsonArg(args, "view");
  if (std::optional<json> failure = ViewFailure(view, "modal")) return *failure;
  absl::MutexLock lock(&state_mu_);
  if (used_triggers_.count(trigger)) return Fail("exchanged_trigger_id");
  if (!triggers_.count(trigger)) return Fail("expired_trigger_id");
  triggers_.erase(trigger);
  used_triggers_.insert(trigger);
  StoreView(view, absl::StrCat("V", next_view_++));
  views_.push_back(view);
  return {{"ok", true}, {"view", view}};
}

json FakeSlack::UpdateView(const Args& args) {
  std::string id = Str(args, "view_id");
  std::string external_id = Str(args, "external_id");
  if (id.empty() && external_id.empty()) return InvalidArguments({"invalid `view_id`"});
  json view = JsonArg(args, "view");
  if (std::optional<json> failure = ViewFailure(view, "")) return *failure;
  absl::MutexLock lock(&state_mu_);
  auto matches = [&](const json& existing) {
    return id.empty() ? existing.value("external_id", "") == external_id
                      : existing.value("id", "") == id;
  };
  std::vector<json*> candidates;
  for (json& existing : views_) candidates.push_back(&existing);
  for (auto& [user, existing] : home_views_) candidates.push_back(&existing);
  for (json* existing : candidates) {
    if (!matches(*existing)) continue;
    if (HashConflict(args, *existing)) return Fail("hash_conflict");
    StoreView(view, existing->value("id", ""));
    *existing = view;
    return {{"ok", true}, {"view", view}};
  }
  return Fail("not_found");
}

json FakeSlack::PublishView(const Args& args) {
  std::string user = Str(args, "user_id");
  json view = JsonArg(args, "view");
  if (std::optional<json> failure = ViewFailure(view, "home")) return *failure;
  absl::MutexLock lock(&state_mu_);
  if (user.empty() || !user_ids_.count(user)) return InvalidArguments({"invalid `user_id`"});
  auto it = home_views_.find(user);
  std::string id = absl::StrCat("V", next_view_++);
  if (it != home_views_.end()) {
    if (HashConflict(args, it->second)) return Fail("hash_conflict");
    id = it->second.value("id", id);
  }
  StoreView(view, id);
  home_views_[user] = view;
  return {{"ok", true}, {"view", view}};
}

}  // namespace ff::testing
