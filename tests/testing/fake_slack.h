// FakeSlack: a loopback Slack Web API (EXTERNAL_APIS.md §1e, §7.4) with state.
//
// Serves POST/GET <base_url>/api/<method> for conversations.create / list /
// setTopic / invite / history / archive, chat.postMessage, users.lookupByEmail
// and usergroups.list; for the Slack app: views.open (a fresh trigger_id
// from IssueTrigger, usable once; the view must be a modal with a title,
// callback_id and blocks whose input blocks have block_id, label and an
// element with action_id), views.update, chat.postEphemeral (channel, user,
// text or blocks), users.info and conversations.info; and response URLs
// (POST <base_url>/response/<id>, JSON body) that record what they get. Like Slack it answers
// application errors with HTTP 200 and {"ok":false,"error":"<code>"}; it checks `Authorization:
// Bearer <token>` (or a `token` form/query field): not_authed when absent, invalid_auth when wrong.
// Bodies may be form-encoded or JSON (JSON-typed arguments such as `metadata` are JSON strings in
// forms, objects in JSON). Channel names follow
// ^[a-z0-9_-]{1,80}$ with Slack's error codes. RateLimitNext answers like a
// rate-limited Slack: HTTP 429, Retry-After, {"ok":false,"error":"ratelimited"}.
//
// conversations.invite without force fails the whole call on the first bad
// user (already_in_channel, user_not_found, cant_invite_self); with
// force=true it invites the valid ones and lists the others in "errors"
// (ok:false only when nobody could be invited).
// Thread-safe.
#ifndef FF_TESTS_TESTING_FAKE_SLACK_H_
#define FF_TESTS_TESTING_FAKE_SLACK_H_

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "nlohmann/json.hpp"
#include "tests/testing/fake_http_server.h"

namespace ff::testing {

class FakeSlack final : public FakeHttpServer {
 public:
  struct Message {
    std::string ts;
    std::string text;
    nlohmann::json metadata;  // null when the post carried none
  };
  struct Channel {
    std::string id;
    std::string name;
    std::string topic;
    bool is_private = false;
    bool archived = false;
    std::vector<std::string> members;  // user ids, the bot first
    std::vector<Message> messages;     // oldest first
  };

  static constexpr char kBotUserId[] = "UBOT0FF01";

  explicit FakeSlack(std::string token = "xoxb-fake-token");
  ~FakeSlack() override;

  // "http://127.0.0.1:PORT/api": the notifier's base_url.
  std::string api_url() const { return base_url() + "/api"; }
  const std::string& token() const { return token_; }

  // AddUser registers a workspace member findable by users.lookupByEmail.
  void AddUser(const std::string& id, const std::string& email);
  // AddUserGroup registers a user group ("S…" id) with its handle (no "@").
  void AddUserGroup(const std::string& id, const std::string& handle,
                    std::vector<std::string> users);
  // AddChannel creates a channel the bot is in, as if made earlier; returns its id.
  std::string AddChannel(const std::string& name);
  // Deny makes `method` answer missing_scope (a token without the scope).
  void Deny(const std::string& method);
  // Allow undoes Deny (the scope was granted).
  void Allow(const std::string& method);
  // RateLimitNext answers the next `count` calls with 429 ratelimited.
  void RateLimitNext(int count, int retry_after_seconds);

  // IssueTrigger returns a trigger_id views.open accepts once, as Slack puts
  // in a slash command or interaction.
  std::string IssueTrigger();
  // A response_url for a slash command; what is posted to it is in Responses().
  std::string ResponseUrl(const std::string& id) const { return base_url() + "/response/" + id; }
  std::vector<nlohmann::json> Responses();
  // Views opened by views.open, in order.
  std::vector<nlohmann::json> OpenedViews();

  std::vector<Channel> channels();
  std::optional<Channel> ChannelById(const std::string& id);
  std::optional<Channel> ChannelByName(const std::string& name);
  // Calls of `method` that reached the fake (all outcomes), in order.
  std::vector<RecordedRequest> CallsOf(const std::string& method);

 protected:
  void RegisterRoutes(httplib::Server& server) override;

 private:
  using Args = std::map<std::string, nlohmann::json>;
  struct Reply {
    int status = 200;
    nlohmann::json body;
    std::optional<int> retry_after;
  };

  void Handle(const httplib::Request& request, httplib::Response& response);
  Reply Dispatch(const std::string& method, const httplib::Request& request);
  // Parse fills `args` from the query and the form or JSON body; returns an
  // error code ("invalid_json", …) or "".
  std::string Parse(const httplib::Request& request, Args& args);
  std::string CheckAuth(const httplib::Request& request, const Args& args);

  nlohmann::json Create(const Args& args);
  nlohmann::json List(const Args& args);
  nlohmann::json SetTopic(const Args& args);
  nlohmann::json Invite(const Args& args);
  nlohmann::json History(const Args& args);
  nlohmann::json Archive(const Args& args);
  nlohmann::json PostMessage(const Args& args);
  nlohmann::json LookupByEmail(const Args& args);
  nlohmann::json UserGroups(const Args& args);
  nlohmann::json OpenView(const Args& args);
  nlohmann::json UpdateView(const Args& args);
  nlohmann::json PostEphemeral(const Args& args);
  nlohmann::json UserInfo(const Args& args);
  nlohmann::json ConversationInfo(const Args& args);
  void HandleResponse(const httplib::Request& request, httplib::Response& response);

  // Channel checks shared by methods acting on a channel: "" when usable.
  std::string UsableChannel(const Args& args, Channel** channel, bool allow_archived)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(state_mu_);
  nlohmann::json ChannelJson(const Channel& channel) const;

  const std::string token_;
  httplib::Server* listening_ = nullptr;  // the base's current server
  absl::Mutex state_mu_;
  std::vector<Channel> channels_ ABSL_GUARDED_BY(state_mu_);
  std::map<std::string, std::string> users_by_email_ ABSL_GUARDED_BY(state_mu_);
  std::set<std::string> user_ids_ ABSL_GUARDED_BY(state_mu_);
  struct Group {
    std::string id, handle;
    std::vector<std::string> users;
  };
  std::vector<Group> groups_ ABSL_GUARDED_BY(state_mu_);
  std::set<std::string> denied_ ABSL_GUARDED_BY(state_mu_);
  int rate_limit_count_ ABSL_GUARDED_BY(state_mu_) = 0;
  int rate_limit_seconds_ ABSL_GUARDED_BY(state_mu_) = 1;
  int next_channel_ ABSL_GUARDED_BY(state_mu_) = 1;
  int next_ts_ ABSL_GUARDED_BY(state_mu_) = 1;
  int next_trigger_ ABSL_GUARDED_BY(state_mu_) = 1;
  std::set<std::string> triggers_ ABSL_GUARDED_BY(state_mu_);  // issued, unused
  std::set<std::string> used_triggers_ ABSL_GUARDED_BY(state_mu_);
  std::vector<nlohmann::json> views_ ABSL_GUARDED_BY(state_mu_);
  std::vector<nlohmann::json> responses_ ABSL_GUARDED_BY(state_mu_);
};

}  // namespace ff::testing

#endif  // FF_TESTS_TESTING_FAKE_SLACK_H_
