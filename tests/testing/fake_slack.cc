#include "tests/testing/fake_slack.h"

#include <algorithm>
#include <cstdio>
#include <thread>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "tests/testing/block_kit.h"
#include "tests/testing/fake_slack_args.h"
#include "tests/testing/fake_socket_mode.h"

namespace ff::testing {
namespace {

using json = nlohmann::json;
using fake_slack::Fail;
using fake_slack::Flag;
using fake_slack::JsonArg;
using fake_slack::Str;
using fake_slack::UnixNow;

int Limit(const std::map<std::string, json>& args, int fallback, int max) {
  int limit = 0;
  if (!absl::SimpleAtoi(Str(args, "limit"), &limit) || limit <= 0) return fallback;
  return std::min(limit, max);
}

// Cursors are opaque to clients, as Slack's are (base64 of an offset).
std::string CursorFor(size_t offset) { return absl::Base64Escape(absl::StrCat("off:", offset)); }

bool OffsetOf(const std::string& cursor, size_t* offset) {
  *offset = 0;
  if (cursor.empty()) return true;
  std::string plain;
  if (!absl::Base64Unescape(cursor, &plain) || !absl::StartsWith(plain, "off:")) return false;
  return absl::SimpleAtoi(plain.substr(4), offset);
}

// TierLimit returns the calls per window Slack's tier allows `method`, or -1
// when the fake does not limit it. chat.postMessage is handled apart.
int TierLimit(const std::string& method) {
  static const auto* const kTiers = new std::map<std::string, int>{
      // Tier 1: 1+ per minute.
      {"apps.connections.open", 1},
      // Tier 2: 20+ per minute.
      {"conversations.create", 20},
      {"conversations.setTopic", 20},
      {"conversations.setPurpose", 20},
      {"conversations.invite", 20},
      {"conversations.archive", 20},
      {"conversations.list", 20},
      {"pins.add", 20},
      {"pins.list", 20},
      {"bookmarks.add", 20},
      {"usergroups.list", 20},
      // Tier 3: 50+ per minute.
      {"conversations.history", 50},
      {"conversations.info", 50},
      {"users.lookupByEmail", 50},
      {"users.info", 50},
      {"chat.update", 50},
      {"bookmarks.list", 50},
      // Tier 4: 100+ per minute.
      {"chat.postEphemeral", 100},
      {"views.open", 100},
      {"views.update", 100},
      {"views.publish", 100},
  };
  auto it = kTiers->find(method);
  return it == kTiers->end() ? -1 : it->second;
}

// SecondsUntil is Retry-After for a call refused until `when`: whole
// seconds, rounded up, at least 1.
int SecondsUntil(absl::Time when, absl::Time now) {
  int64_t seconds = absl::ToInt64Seconds(absl::Ceil(when - now, absl::Seconds(1)));
  return static_cast<int>(std::max<int64_t>(seconds, 1));
}

std::string NameError(const std::string& name) {
  if (name.empty()) return "invalid_name_required";
  if (name.size() > 80) return "invalid_name_maxlength";
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    if (!ok) return "invalid_name_specials";
  }
  if (name.find_first_not_of("-_") == std::string::npos) return "invalid_name_punctuation";
  return "";
}

}  // namespace

FakeSlack::FakeSlack(std::string token) : token_(std::move(token)) {
  AddUser(kBotUserId, "firefighter-bot@bots.example.com");
  Start();
  // httplib's stop() does nothing until the accept loop runs, so a Refuse()
  // or destructor right after Start() could wait forever; wait for the loop.
  absl::Time deadline = absl::Now() + absl::Seconds(10);
  while (!listening_->is_running() && absl::Now() < deadline) std::this_thread::yield();
}

// Stop serving before this object's members die: a handler still running
// (e.g. inside an injected hang) uses them.
FakeSlack::~FakeSlack() { Refuse(); }

void FakeSlack::AddUser(const std::string& id, const std::string& email, const std::string& name) {
  absl::MutexLock lock(&state_mu_);
  user_ids_.insert(id);
  std::string lower = absl::AsciiStrToLower(email);
  users_by_email_[lower] = id;
  user_names_[id] = name.empty() ? lower.substr(0, lower.find('@')) : name;
}

bool FakeSlack::AddMember(const std::string& channel_id, const std::string& user_id) {
  absl::MutexLock lock(&state_mu_);
  Channel* channel = FindChannel(channel_id);
  if (channel == nullptr) return false;
  auto& members = channel->members;
  if (std::find(members.begin(), members.end(), user_id) == members.end()) {
    members.push_back(user_id);
  }
  return true;
}

void FakeSlack::AddUserGroup(const std::string& id, const std::string& handle,
                             std::vector<std::string> users) {
  absl::MutexLock lock(&state_mu_);
  groups_.push_back(Group{id, handle, std::move(users)});
}

std::string FakeSlack::AddChannel(const std::string& name) {
  absl::MutexLock lock(&state_mu_);
  return NewChannel(name).id;
}

std::string FakeSlack::AddChannel(const std::string& name, const ChannelSeed& seed) {
  absl::MutexLock lock(&state_mu_);
  Channel& channel = NewChannel(name);
  channel.creator = seed.creator;
  if (seed.created) channel.created = *seed.created;
  if (!seed.topic.empty()) {
    channel.topic = seed.topic;
    channel.topic_creator = seed.creator;
    channel.topic_last_set = channel.created;
  }
  if (!seed.purpose.empty()) {
    channel.purpose = seed.purpose;
    channel.purpose_creator = seed.creator;
    channel.purpose_last_set = channel.created;
  }
  channel.is_private = seed.is_private;
  channel.archived = seed.archived;
  return channel.id;
}

std::string FakeSlack::AddMessage(const std::string& channel_id, const std::string& text,
                                  json metadata) {
  Message message;
  message.text = text;
  message.metadata = std::move(metadata);
  return Plant(channel_id, std::move(message));
}

std::string FakeSlack::AddMessageBy(const std::string& channel_id, const std::string& user_id,
                                    const std::string& text) {
  Message message;
  message.text = text;
  message.user = user_id;
  return Plant(channel_id, std::move(message));
}

std::string FakeSlack::Plant(const std::string& channel_id, Message message) {
  absl::MutexLock lock(&state_mu_);
  Channel* channel = FindChannel(channel_id);
  if (channel == nullptr) return "";
  message.ts = NextTs();
  channel->messages.push_back(std::move(message));
  return channel->messages.back().ts;
}

std::string FakeSlack::NextTs() {
  char ts[32];
  std::snprintf(ts, sizeof(ts), "1767225600.%06d", next_ts_++);
  return ts;
}

FakeSlack::Channel& FakeSlack::NewChannel(const std::string& name) {
  Channel channel;
  char id[16];
  std::snprintf(id, sizeof(id), "C%08d", next_channel_++);
  channel.id = id;
  channel.name = name;
  channel.creator = kBotUserId;
  channel.created = UnixNow();
  channel.members.push_back(kBotUserId);
  channels_.push_back(std::move(channel));
  return channels_.back();
}

void FakeSlack::EnableSocketMode(FakeSocketMode* socket, std::string app_token) {
  absl::MutexLock lock(&state_mu_);
  socket_mode_ = socket;
  app_token_ = std::move(app_token);
}

void FakeSlack::Deny(const std::string& method) {
  absl::MutexLock lock(&state_mu_);
  denied_.insert(method);
}

void FakeSlack::Allow(const std::string& method) {
  absl::MutexLock lock(&state_mu_);
  denied_.erase(method);
}

void FakeSlack::EnforceRateLimits(absl::Duration window) {
  absl::MutexLock lock(&state_mu_);
  tiers_on_ = true;
  window_ = window;
}

void FakeSlack::SetRateLimit(const std::string& method, int per_window) {
  absl::MutexLock lock(&state_mu_);
  limit_overrides_[method] = per_window;
}

void FakeSlack::RateLimitNext(int count, int retry_after_seconds) {
  absl::MutexLock lock(&state_mu_);
  rate_limit_count_ = count;
  rate_limit_seconds_ = retry_after_seconds;
}

int FakeSlack::RateLimited(const std::string& method) {
  absl::MutexLock lock(&state_mu_);
  auto it = rate_limited_.find(method);
  return it == rate_limited_.end() ? 0 : it->second;
}

int FakeSlack::RateLimitedTotal() {
  absl::MutexLock lock(&state_mu_);
  int total = 0;
  for (const auto& [method, count] : rate_limited_) total += count;
  return total;
}

std::string FakeSlack::IssueTrigger() {
  absl::MutexLock lock(&state_mu_);
  std::string trigger = absl::StrCat("1767225600.", next_trigger_++, ".f1f2f3a4b5c6d7e8");
  triggers_.insert(trigger);
  return trigger;
}

std::vector<json> FakeSlack::Responses() {
  absl::MutexLock lock(&state_mu_);
  return responses_;
}

std::vector<json> FakeSlack::OpenedViews() {
  absl::MutexLock lock(&state_mu_);
  return views_;
}

std::optional<json> FakeSlack::HomeView(const std::string& user_id) {
  absl::MutexLock lock(&state_mu_);
  auto it = home_views_.find(user_id);
  if (it == home_views_.end()) return std::nullopt;
  return it->second;
}

std::vector<FakeSlack::Ephemeral> FakeSlack::EphemeralsFor(const std::string& user_id) {
  absl::MutexLock lock(&state_mu_);
  std::vector<Ephemeral> out;
  for (const Ephemeral& e : ephemerals_) {
    if (e.user == user_id) out.push_back(e);
  }
  return out;
}

std::optional<FakeSlack::Message> FakeSlack::MessageAt(const std::string& channel_id,
                                                       const std::string& ts) {
  absl::MutexLock lock(&state_mu_);
  Channel* channel = FindChannel(channel_id);
  if (channel == nullptr) return std::nullopt;
  Message* message = FindMessage(*channel, ts);
  if (message == nullptr) return std::nullopt;
  return *message;
}

std::map<std::string, std::string> FakeSlack::UserNames() {
  absl::MutexLock lock(&state_mu_);
  return user_names_;
}

std::vector<FakeSlack::Channel> FakeSlack::channels() {
  absl::MutexLock lock(&state_mu_);
  return channels_;
}

std::optional<FakeSlack::Channel> FakeSlack::ChannelById(const std::string& id) {
  absl::MutexLock lock(&state_mu_);
  for (const Channel& c : channels_) {
    if (c.id == id) return c;
  }
  return std::nullopt;
}

std::optional<FakeSlack::Channel> FakeSlack::ChannelByName(const std::string& name) {
  absl::MutexLock lock(&state_mu_);
  for (const Channel& c : channels_) {
    if (c.name == name) return c;
  }
  return std::nullopt;
}

std::vector<RecordedRequest> FakeSlack::CallsOf(const std::string& method) {
  std::vector<RecordedRequest> out;
  for (RecordedRequest& r : requests()) {
    if (r.path == "/api/" + method) out.push_back(std::move(r));
  }
  return out;
}

void FakeSlack::RegisterRoutes(httplib::Server& server) {
  listening_ = &server;
  auto handle = [this](const httplib::Request& req, httplib::Response& res) { Handle(req, res); };
  server.Get(R"(/api/([A-Za-z.]+))", handle);
  server.Post(R"(/api/([A-Za-z.]+))", handle);
  server.Post(
      R"(/response/([A-Za-z0-9_-]+))",
      [this](const httplib::Request& req, httplib::Response& res) { HandleResponse(req, res); });
}

void FakeSlack::Handle(const httplib::Request& request, httplib::Response& response) {
  Record(request);
  Reply reply = Dispatch(request.matches[1], request);
  response.status = reply.status;
  if (reply.retry_after) response.set_header("Retry-After", std::to_string(*reply.retry_after));
  response.set_content(reply.body.dump(), "application/json; charset=utf-8");
}

FakeSlack::Reply FakeSlack::Dispatch(const std::string& method, const httplib::Request& request) {
  if (std::optional<Reply> limited = TakeInjectedRateLimit(method)) return *limited;
  Args args;
  if (std::string error = Parse(request, args); !error.empty())
    return Reply{200, Fail(error), std::nullopt};
  if (method == "apps.connections.open") return OpenConnection(request, args);
  if (std::string error = CheckAuth(request, args); !error.empty())
    return Reply{200, Fail(error), std::nullopt};
  Handler handler = HandlerFor(method);
  if (handler == nullptr) {
    json body = Fail("unknown_method");
    body["req_method"] = method;
    return Reply{404, body, std::nullopt};
  }
  if (std::optional<int> retry_after = Admit(method, args)) {
    return Reply{429, Fail("ratelimited"), retry_after};
  }
  {
    absl::MutexLock lock(&state_mu_);
    if (denied_.count(method)) {
      json body = Fail("missing_scope");
      body["needed"] = "chat:write";
      body["provided"] = "channels:read";
      return Reply{200, body, std::nullopt};
    }
  }
  return Reply{200, (this->*handler)(args), std::nullopt};
}

FakeSlack::Handler FakeSlack::HandlerFor(const std::string& method) {
  static const auto* const kHandlers = new std::map<std::string, Handler>{
      {"conversations.create", &FakeSlack::Create},
      {"conversations.list", &FakeSlack::List},
      {"conversations.setTopic", &FakeSlack::SetTopic},
      {"conversations.setPurpose", &FakeSlack::SetPurpose},
      {"conversations.invite", &FakeSlack::Invite},
      {"conversations.history", &FakeSlack::History},
      {"conversations.archive", &FakeSlack::Archive},
      {"conversations.info", &FakeSlack::ConversationInfo},
      {"chat.postMessage", &FakeSlack::PostMessage},
      {"chat.update", &FakeSlack::UpdateMessage},
      {"chat.postEphemeral", &FakeSlack::PostEphemeral},
      {"chat.getPermalink", &FakeSlack::Permalink},
      {"pins.add", &FakeSlack::AddPin},
      {"pins.list", &FakeSlack::ListPins},
      {"bookmarks.add", &FakeSlack::AddBookmark},
      {"bookmarks.list", &FakeSlack::ListBookmarks},
      {"users.lookupByEmail", &FakeSlack::LookupByEmail},
      {"users.info", &FakeSlack::UserInfo},
      {"usergroups.list", &FakeSlack::UserGroups},
      {"views.open", &FakeSlack::OpenView},
      {"views.update", &FakeSlack::UpdateView},
      {"views.publish", &FakeSlack::PublishView},
  };
  auto it = kHandlers->find(method);
  return it == kHandlers->end() ? nullptr : it->second;
}

std::optional<FakeSlack::Reply> FakeSlack::TakeInjectedRateLimit(const std::string& method) {
  absl::MutexLock lock(&state_mu_);
  if (rate_limit_count_ <= 0) return std::nullopt;
  --rate_limit_count_;
  ++rate_limited_[method];
  return Reply{429, Fail("ratelimited"), rate_limit_seconds_};
}

std::optional<int> FakeSlack::Admit(const std::string& method, const Args& args) {
  absl::MutexLock lock(&state_mu_);
  std::optional<RateWindow> limit = WindowOf(method, args);
  if (!limit) return std::nullopt;
  absl::Time now = absl::Now();
  std::deque<absl::Time>& admitted = admitted_[limit->key];
  while (!admitted.empty() && admitted.front() + limit->window <= now) admitted.pop_front();
  if (static_cast<int>(admitted.size()) < limit->calls) {
    admitted.push_back(now);
    return std::nullopt;
  }
  ++rate_limited_[method];
  absl::Time free_at = admitted.empty() ? now + limit->window : admitted.front() + limit->window;
  return SecondsUntil(free_at, now);
}

std::optional<FakeSlack::RateWindow> FakeSlack::WindowOf(const std::string& method,
                                                         const Args& args) {
  if (auto it = limit_overrides_.find(method); it != limit_overrides_.end()) {
    if (it->second < 0) return std::nullopt;
    return RateWindow{method, it->second, window_};
  }
  if (!tiers_on_) return std::nullopt;
  if (method == "chat.postMessage") {
    // Per channel, however the call names it (Slack resolves names to ids).
    Channel* channel = FindChannel(Str(args, "channel"));
    std::string key = channel != nullptr ? channel->id : Str(args, "channel");
    return RateWindow{absl::StrCat(method, " ", key), 1, window_ / 60};
  }
  int calls = TierLimit(method);
  if (calls < 0) return std::nullopt;
  return RateWindow{method, calls, window_};
}

std::string FakeSlack::Parse(const httplib::Request& request, Args& args) {
  // httplib puts query parameters and form fields in params.
  for (const auto& [key, value] : request.params) args[key] = value;
  if (request.method != "POST" || request.body.empty()) return "";
  std::string type = absl::AsciiStrToLower(request.get_header_value("Content-Type"));
  if (type.empty()) return "missing_post_type";
  if (absl::StartsWith(type, "application/x-www-form-urlencoded")) return "";
  if (!absl::StartsWith(type, "application/json")) return "invalid_post_type";
  json body = json::parse(request.body, nullptr, false);
  if (body.is_discarded()) return "invalid_json";
  if (!body.is_object()) return "json_not_object";
  for (const auto& [key, value] : body.items()) {
    if (key != "token") args[key] = value;  // JSON bodies authenticate by header only
  }
  return "";
}

std::string FakeSlack::CheckAuth(const httplib::Request& request, const Args& args) {
  std::string header = request.get_header_value("Authorization");
  std::string token;
  if (!header.empty()) {
    if (!absl::StartsWith(header, "Bearer ")) return "invalid_auth";
    token = header.substr(7);
  } else {
    token = Str(args, "token");
  }
  if (token.empty()) return "not_authed";
  if (token == token_) return "";
  absl::MutexLock lock(&state_mu_);
  return socket_mode_ != nullptr && token == app_token_ ? "not_allowed_token_type" : "invalid_auth";
}

FakeSlack::Reply FakeSlack::OpenConnection(const httplib::Request& request, const Args& args) {
  FakeSocketMode* socket = nullptr;
  std::string app_token;
  {
    absl::MutexLock lock(&state_mu_);
    socket = socket_mode_;
    app_token = app_token_;
  }
  std::string header = request.get_header_value("Authorization");
  std::string token = absl::StartsWith(header, "Bearer ") ? header.substr(7) : "";
  std::string error;
  if (request.method != "POST") {
    error = "insecure_request";
  } else if (header.empty()) {  // a token in the form is not taken
    error = Str(args, "token").empty() ? "not_authed" : "invalid_auth";
  } else if (token == token_) {
    error = "not_allowed_token_type";
  } else if (socket == nullptr || token.empty() || token != app_token) {
    error = "invalid_auth";
  }
  if (!error.empty()) return Reply{200, Fail(error), std::nullopt};
  if (std::optional<int> retry_after = Admit("apps.connections.open", args)) {
    return Reply{429, Fail("ratelimited"), retry_after};
  }
  return Reply{200, {{"ok", true}, {"url", socket->IssueUrl()}}, std::nullopt};
}

FakeSlack::Channel* FakeSlack::FindChannel(std::string key) {
  if (absl::StartsWith(key, "#")) key = key.substr(1);
  if (key.empty()) return nullptr;
  Channel* found = nullptr;
  for (Channel& c : channels_) {
    if (c.id == key || c.name == key) found = &c;
  }
  return found;
}

std::string FakeSlack::UsableChannel(const Args& args, Channel** channel, bool allow_archived) {
  *channel = FindChannel(Str(args, "channel"));
  if (*channel == nullptr) return "channel_not_found";
  if ((*channel)->archived && !allow_archived) return "is_archived";
  const auto& members = (*channel)->members;
  if (std::find(members.begin(), members.end(), kBotUserId) == members.end()) {
    return "not_in_channel";
  }
  return "";
}

json FakeSlack::ChannelJson(const Channel& c) const {
  return {
      {"id", c.id},
      {"name", c.name},
      {"is_channel", true},
      {"is_group", false},
      {"is_im", false},
      {"is_mpim", false},
      {"is_private", c.is_private},
      {"is_archived", c.archived},
      {"is_general", false},
      {"is_member", true},
      {"created", c.created},
      {"creator", c.creator},
      {"name_normalized", c.name},
      {"num_members", c.members.size()},
      {"topic", {{"value", c.topic}, {"creator", c.topic_creator}, {"last_set", c.topic_last_set}}},
      {"purpose",
       {{"value", c.purpose}, {"creator", c.purpose_creator}, {"last_set", c.purpose_last_set}}},
      {"previous_names", json::array()}};
}

json FakeSlack::Create(const Args& args) {
  std::string name = Str(args, "name");
  if (std::string error = NameError(name); !error.empty()) return Fail(error);
  absl::MutexLock lock(&state_mu_);
  for (const Channel& c : channels_) {
    if (c.name == name) return Fail("name_taken");  // archived channels keep their names
  }
  Channel& channel = NewChannel(name);
  channel.is_private = Flag(args, "is_private");
  return {{"ok", true}, {"channel", ChannelJson(channel)}};
}

json FakeSlack::List(const Args& args) {
  size_t offset = 0;
  if (!OffsetOf(Str(args, "cursor"), &offset)) return Fail("invalid_cursor");
  std::string types = Str(args, "types");
  if (types.empty()) types = "public_channel";
  bool want_public = absl::StrContains(types, "public_channel");
  bool want_private = absl::StrContains(types, "private_channel");
  bool exclude_archived = Flag(args, "exclude_archived");
  size_t limit = Limit(args, 100, 1000);
  absl::MutexLock lock(&state_mu_);
  std::vector<const Channel*> matching;
  for (const Channel& c : channels_) {
    if ((c.is_private ? want_private : want_public) && !(exclude_archived && c.archived)) {
      matching.push_back(&c);
    }
  }
  json list = json::array();
  for (size_t i = offset; i < matching.size() && i < offset + limit; ++i) {
    list.push_back(ChannelJson(*matching[i]));
  }
  std::string next = offset + limit < matching.size() ? CursorFor(offset + limit) : "";
  return {{"ok", true}, {"channels", list}, {"response_metadata", {{"next_cursor", next}}}};
}

json FakeSlack::SetTopic(const Args& args) {
  absl::MutexLock lock(&state_mu_);
  Channel* channel = nullptr;
  if (std::string error = UsableChannel(args, &channel, false); !error.empty()) return Fail(error);
  std::string topic = Str(args, "topic");
  if (Utf8Characters(topic) > 250) return Fail("too_long");
  channel->topic = topic;
  channel->topic_creator = kBotUserId;
  channel->topic_last_set = UnixNow();
  return {{"ok", true}, {"channel", ChannelJson(*channel)}};
}

json FakeSlack::SetPurpose(const Args& args) {
  absl::MutexLock lock(&state_mu_);
  Channel* channel = nullptr;
  if (std::string error = UsableChannel(args, &channel, false); !error.empty()) return Fail(error);
  std::string purpose = Str(args, "purpose");
  if (Utf8Characters(purpose) > 250) return Fail("too_long");
  channel->purpose = purpose;
  channel->purpose_creator = kBotUserId;
  channel->purpose_last_set = UnixNow();
  return {{"ok", true}, {"channel", ChannelJson(*channel)}};
}

json FakeSlack::Invite(const Args& args) {
  absl::MutexLock lock(&state_mu_);
  Channel* channel = nullptr;
  if (std::string error = UsableChannel(args, &channel, false); !error.empty()) return Fail(error);
  std::vector<std::string> users = absl::StrSplit(Str(args, "users"), ',', absl::SkipWhitespace());
  if (users.empty()) return Fail("no_user");
  if (users.size() > 1000) return Fail("too_many_users");
  json errors = json::array();
  std::vector<std::string> valid;
  for (std::string user : users) {
    user = std::string(absl::StripAsciiWhitespace(user));
    std::string error;
    if (user == kBotUserId) {
      error = "cant_invite_self";
    } else if (user_ids_.count(user) == 0) {
      error = "user_not_found";
    } else if (std::count(channel->members.begin(), channel->members.end(), user) > 0 ||
               std::count(valid.begin(), valid.end(), user) > 0) {
      error = "already_in_channel";
    }
    if (error.empty()) {
      valid.push_back(user);
    } else {
      errors.push_back({{"ok", false}, {"error", error}, {"user", user}});
    }
  }
  bool force = Flag(args, "force");
  if (!errors.empty() && (!force || valid.empty())) {
    json body = Fail(errors[0]["error"]);
    if (force) body["errors"] = errors;
    return body;
  }
  for (const std::string& user : valid) channel->members.push_back(user);
  json body = {{"ok", true}, {"channel", ChannelJson(*channel)}};
  if (!errors.empty()) body["errors"] = errors;
  return body;
}

json FakeSlack::History(const Args& args) {
  absl::MutexLock lock(&state_mu_);
  Channel* channel = nullptr;
  if (std::string error = UsableChannel(args, &channel, true); !error.empty()) return Fail(error);
  size_t offset = 0;
  if (!OffsetOf(Str(args, "cursor"), &offset)) return Fail("invalid_cursor");
  size_t limit = Limit(args, 100, 999);
  bool with_metadata = Flag(args, "include_all_metadata");
  const std::vector<Message>& all = channel->messages;
  json messages = json::array();
  for (size_t i = offset; i < all.size() && i < offset + limit; ++i) {
    const Message& m = all[all.size() - 1 - i];  // newest first
    json out = MessageJson(m);
    if (with_metadata && !m.metadata.is_null()) out["metadata"] = m.metadata;
    messages.push_back(out);
  }
  bool more = offset + limit < all.size();
  return {{"ok", true},
          {"messages", messages},
          {"has_more", more},
          {"pin_count", channel->pins.size()},
          {"response_metadata", {{"next_cursor", more ? CursorFor(offset + limit) : ""}}}};
}

json FakeSlack::Archive(const Args& args) {
  absl::MutexLock lock(&state_mu_);
  Channel* channel = nullptr;
  if (std::string error = UsableChannel(args, &channel, true); !error.empty()) return Fail(error);
  if (channel->archived) return Fail("already_archived");
  channel->archived = true;
  return {{"ok", true}};
}

json FakeSlack::PostMessage(const Args& args) {
  absl::MutexLock lock(&state_mu_);
  Channel* channel = nullptr;
  if (std::string error = UsableChannel(args, &channel, false); !error.empty()) return Fail(error);
  std::string text = Str(args, "text");
  if (text.empty() && args.count("blocks") == 0 && args.count("attachments") == 0) {
    return Fail("no_text");
  }
  if (Utf8Characters(text) > 40000) return Fail("msg_too_long");
  Message message;
  if (std::optional<json> failure = fake_slack::BlocksArg(args, &message.blocks)) {
    return *failure;
  }
  message.text = text;
  if (args.count("metadata")) {
    json metadata = JsonArg(args, "metadata");
    bool ok = metadata.is_object() && metadata.contains("event_type") &&
              metadata["event_type"].is_string() && metadata.contains("event_payload") &&
              metadata["event_payload"].is_object();
    if (!ok) return Fail("invalid_metadata_format");
    message.metadata = metadata;
  }
  message.ts = NextTs();
  channel->messages.push_back(message);
  json out = MessageJson(message);
  out["username"] = "firefighter";
  return {{"ok", true}, {"channel", channel->id}, {"ts", message.ts}, {"message", out}};
}

json FakeSlack::LookupByEmail(const Args& args) {
  std::string email = absl::AsciiStrToLower(Str(args, "email"));
  if (email.empty()) return Fail("invalid_arguments");
  absl::MutexLock lock(&state_mu_);
  auto it = users_by_email_.find(email);
  if (it == users_by_email_.end()) return Fail("users_not_found");
  return {{"ok", true}, {"user", UserJson(it->second, email)}};
}

json FakeSlack::UserJson(const std::string& id, const std::string& email) const {
  auto named = user_names_.find(id);
  std::string name = named != user_names_.end() ? named->second : email.substr(0, email.find('@'));
  return {{"id", id},
          {"team_id", "T0FF01"},
          {"name", name},
          {"real_name", name},
          {"deleted", false},
          {"is_bot", id == kBotUserId},
          {"profile", {{"email", email}, {"display_name", name}, {"real_name", name}}}};
}

json FakeSlack::UserGroups(const Args& args) {
  bool include_users = Flag(args, "include_users");
  absl::MutexLock lock(&state_mu_);
  json groups = json::array();
  for (const Group& g : groups_) {
    json out = {{"id", g.id},
                {"team_id", "T0FF01"},
                {"is_usergroup", true},
                {"name", g.handle},
                {"handle", g.handle},
                {"date_delete", 0},
                {"user_count", std::to_string(g.users.size())}};
    if (include_users) out["users"] = g.users;
    groups.push_back(out);
  }
  return {{"ok", true}, {"usergroups", groups}};
}

json FakeSlack::UserInfo(const Args& args) {
  std::string id = Str(args, "user");
  if (id.empty()) return Fail("user_not_found");
  absl::MutexLock lock(&state_mu_);
  for (const auto& [email, user_id] : users_by_email_) {
    if (user_id == id) return {{"ok", true}, {"user", UserJson(id, email)}};
  }
  return Fail("user_not_found");
}

json FakeSlack::ConversationInfo(const Args& args) {
  absl::MutexLock lock(&state_mu_);
  Channel* channel = nullptr;
  std::string error = UsableChannel(args, &channel, true);
  if (channel == nullptr) return Fail(error);
  return {{"ok", true}, {"channel", ChannelJson(*channel)}};
}

void FakeSlack::HandleResponse(const httplib::Request& request, httplib::Response& response) {
  Record(request);
  json body = json::parse(request.body, nullptr, false);
  bool json_type = absl::StartsWith(request.get_header_value("Content-Type"), "application/json");
  if (!json_type || body.is_discarded() || !body.is_object() ||
      (!body.contains("text") && !body.contains("blocks"))) {
    response.status = 400;
    response.set_content("invalid_payload", "text/plain");
    return;
  }
  // Like incoming webhooks, response URLs answer bad blocks with a plain 400.
  if (body.contains("blocks") &&
      (!body["blocks"].is_array() || !MessageBlockProblems(body["blocks"]).empty())) {
    response.status = 400;
    response.set_content("invalid_blocks", "text/plain");
    return;
  }
  absl::MutexLock lock(&state_mu_);
  responses_.push_back(body);
  response.set_content("ok", "text/plain");
}

}  // namespace ff::testing
