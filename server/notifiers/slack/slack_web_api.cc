#include "server/notifiers/slack/slack_web_api.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <set>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "common/status_macros.h"

namespace ff {
namespace {

using json = nlohmann::json;

constexpr int kMaxInvitesPerCall = 1000;  // Slack's documented limit
constexpr int kMaxListPages = 100;        // a guard against a cursor loop

std::string UrlEncode(const std::string& value) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : value) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

std::string NextCursor(const json& body) {
  const json* meta = body.contains("response_metadata") ? &body["response_metadata"] : nullptr;
  if (meta == nullptr || !meta->is_object() || !meta->contains("next_cursor")) return "";
  const json& cursor = (*meta)["next_cursor"];
  return cursor.is_string() ? cursor.get<std::string>() : "";
}

SlackChannel ChannelOf(const json& channel) {
  SlackChannel out;
  out.id = channel.value("id", "");
  out.name = channel.value("name", "");
  out.archived = channel.value("is_archived", false);
  return out;
}

// Codes that concern one invitee, not the call: Slack invites the others.
bool IsPerUserInviteError(const std::string& error) {
  static const std::set<std::string> kPerUser = {
      "already_in_channel", "user_not_found",     "cant_invite_self",         "cant_invite",
      "user_is_bot",        "user_is_restricted", "user_is_ultra_restricted", "no_user"};
  return kPerUser.count(error) > 0;
}

}  // namespace

bool IsArchivedChannelError(const absl::Status& status) {
  return status.code() == absl::StatusCode::kFailedPrecondition &&
         absl::EndsWith(status.message(), ": is_archived");
}

absl::Status SlackErrorStatus(const std::string& method, const std::string& error) {
  static const std::set<std::string> kAuth = {"invalid_auth", "not_authed", "account_inactive",
                                              "token_revoked", "token_expired"};
  static const std::set<std::string> kDenied = {"missing_scope",     "restricted_action",
                                                "no_permission",     "not_allowed_token_type",
                                                "ekm_access_denied", "access_denied"};
  static const std::set<std::string> kTransient = {"internal_error", "fatal_error",
                                                   "request_timeout", "service_unavailable"};
  std::string message = absl::StrCat("slack ", method, ": ", error);
  if (error == "ratelimited" || error == "rate_limited") {
    return absl::ResourceExhaustedError(message);
  }
  if (kAuth.count(error)) return absl::UnauthenticatedError(message);
  if (kDenied.count(error)) return absl::PermissionDeniedError(message);
  if (kTransient.count(error)) return absl::UnavailableError(message);
  if (error == "channel_not_found" || error == "users_not_found") {
    return absl::NotFoundError(message);
  }
  if (error == "is_archived" || error == "not_in_channel") {
    return absl::FailedPreconditionError(message);
  }
  if (error == "name_taken" || error == "already_archived") {
    return absl::AlreadyExistsError(message);
  }
  return absl::InvalidArgumentError(message);
}

SlackWebApi::SlackWebApi(HttpClient* http, std::string base_url, std::string token,
                         absl::Duration timeout)
    : http_(http), base_url_(std::move(base_url)), token_(std::move(token)), timeout_(timeout) {}

absl::StatusOr<json> SlackWebApi::Post(const std::string& method, const json& args) {
  HttpRequest request;
  request.method = "POST";
  request.url = absl::StrCat(base_url_, "/", method);
  request.headers.emplace_back("Content-Type", "application/json; charset=utf-8");
  request.body = args.dump();
  return Send(method, std::move(request));
}

absl::StatusOr<json> SlackWebApi::Get(const std::string& method, const Query& query) {
  HttpRequest request;
  request.method = "GET";
  request.url = absl::StrCat(base_url_, "/", method);
  const char* separator = "?";
  for (const auto& [key, value] : query) {
    absl::StrAppend(&request.url, separator, key, "=", UrlEncode(value));
    separator = "&";
  }
  return Send(method, std::move(request));
}

absl::StatusOr<json> SlackWebApi::Send(const std::string& method, HttpRequest request) {
  request.headers.emplace_back("Authorization", absl::StrCat("Bearer ", token_));
  request.timeout = timeout_;
  FF_ASSIGN_OR_RETURN(HttpResponse response, http_->Send(request));
  // 429 ratelimited (with Retry-After) and 5xx arrive as HTTP statuses.
  FF_RETURN_IF_ERROR(HttpStatusError(response, absl::StrCat("slack ", method)));
  json body = json::parse(response.body, nullptr, false);
  if (body.is_discarded() || !body.is_object() || !body.contains("ok")) {
    return absl::UnavailableError(
        absl::StrCat("slack ", method, ": answer is not a Slack JSON object"));
  }
  if (body["ok"] == true) return body;
  std::string error = body.value("error", "unknown_error");
  absl::Status status = SlackErrorStatus(method, error);
  if (status.code() == absl::StatusCode::kResourceExhausted) {
    // A 200 ratelimited has no Retry-After by contract; Slack's SDK waits 1 s.
    std::optional<std::string> header = response.Header("retry-after");
    int64_t seconds = 1;
    if (header) seconds = std::max<int64_t>(1, std::atoll(header->c_str()));
    status = WithRetryAfter(status, absl::Seconds(seconds));
  }
  return status;
}

absl::StatusOr<SlackChannel> SlackWebApi::CreateChannel(const std::string& name) {
  FF_ASSIGN_OR_RETURN(json body,
                      Post("conversations.create", {{"name", name}, {"is_private", false}}));
  if (!body.contains("channel") || !body["channel"].is_object()) {
    return absl::UnavailableError("slack conversations.create: answer has no channel");
  }
  return ChannelOf(body["channel"]);
}

absl::StatusOr<std::optional<SlackChannel>> SlackWebApi::FindChannel(const std::string& name) {
  std::string cursor;
  for (int page = 0; page < kMaxListPages; ++page) {
    Query query = {{"types", "public_channel,private_channel"},
                   {"exclude_archived", "false"},
                   {"limit", "1000"}};
    if (!cursor.empty()) query.emplace_back("cursor", cursor);
    FF_ASSIGN_OR_RETURN(json body, Get("conversations.list", query));
    for (const json& channel : body.value("channels", json::array())) {
      if (channel.is_object() && channel.value("name", "") == name) return ChannelOf(channel);
    }
    cursor = NextCursor(body);
    if (cursor.empty()) break;
  }
  return std::optional<SlackChannel>();
}

absl::Status SlackWebApi::SetTopic(const std::string& channel, const std::string& topic) {
  return Post("conversations.setTopic", {{"channel", channel}, {"topic", topic}}).status();
}

absl::StatusOr<int> SlackWebApi::Invite(const std::string& channel,
                                        const std::vector<std::string>& users) {
  int skipped = 0;
  for (size_t start = 0; start < users.size(); start += kMaxInvitesPerCall) {
    size_t end = std::min(users.size(), start + kMaxInvitesPerCall);
    std::vector<std::string> batch(users.begin() + start, users.begin() + end);
    absl::StatusOr<json> body =
        Post("conversations.invite",
             {{"channel", channel}, {"users", absl::StrJoin(batch, ",")}, {"force", true}});
    if (body.ok()) {
      skipped += static_cast<int>(body->value("errors", json::array()).size());
      continue;
    }
    // ok:false with a per-user code: nobody in the batch could be added
    // (typically all are members already), which is what we wanted.
    absl::string_view error = body.status().message();
    if (body.status().code() != absl::StatusCode::kInvalidArgument ||
        !absl::ConsumePrefix(&error, "slack conversations.invite: ") ||
        !IsPerUserInviteError(std::string(error))) {
      return body.status();
    }
    skipped += static_cast<int>(batch.size());
  }
  return skipped;
}

absl::StatusOr<std::optional<std::string>> SlackWebApi::LookupUserByEmail(
    const std::string& email) {
  absl::StatusOr<json> body = Get("users.lookupByEmail", {{"email", email}});
  if (body.status().code() == absl::StatusCode::kNotFound) return std::optional<std::string>();
  if (!body.ok()) return body.status();
  if (!body->contains("user") || !(*body)["user"].is_object()) {
    return absl::UnavailableError("slack users.lookupByEmail: answer has no user");
  }
  return std::optional<std::string>((*body)["user"].value("id", ""));
}

absl::StatusOr<std::optional<std::vector<std::string>>> SlackWebApi::UserGroupMembers(
    const std::string& handle) {
  FF_ASSIGN_OR_RETURN(json body, Get("usergroups.list", {{"include_users", "true"}}));
  for (const json& group : body.value("usergroups", json::array())) {
    if (!group.is_object() || group.value("handle", "") != handle) continue;
    std::vector<std::string> users;
    for (const json& user : group.value("users", json::array())) {
      if (user.is_string()) users.push_back(user.get<std::string>());
    }
    return std::optional<std::vector<std::string>>(std::move(users));
  }
  return std::optional<std::vector<std::string>>();
}

absl::StatusOr<bool> SlackWebApi::HasMarkedMessage(const std::string& channel,
                                                   const std::string& key, int max_messages) {
  std::string cursor;
  int seen = 0;
  while (seen < max_messages) {
    Query query = {{"channel", channel},
                   {"limit", std::to_string(std::min(200, max_messages - seen))},
                   {"include_all_metadata", "true"}};
    if (!cursor.empty()) query.emplace_back("cursor", cursor);
    FF_ASSIGN_OR_RETURN(json body, Get("conversations.history", query));
    json messages = body.value("messages", json::array());
    for (const json& message : messages) {
      if (!message.is_object() || !message.contains("metadata")) continue;
      const json& metadata = message["metadata"];
      if (metadata.is_object() && metadata.value("event_type", "") == kMarkerEventType &&
          metadata.contains("event_payload") && metadata["event_payload"].is_object() &&
          metadata["event_payload"].value("key", "") == key) {
        return true;
      }
    }
    seen += static_cast<int>(messages.size());
    cursor = NextCursor(body);
    if (cursor.empty() || messages.empty()) break;
  }
  return false;
}

absl::Status SlackWebApi::PostMessage(const std::string& channel, const std::string& text,
                                      const std::string& key) {
  json args = {{"channel", channel},
               {"text", text},
               {"unfurl_links", false},
               {"metadata", {{"event_type", kMarkerEventType}, {"event_payload", {{"key", key}}}}}};
  return Post("chat.postMessage", args).status();
}

absl::Status SlackWebApi::Archive(const std::string& channel) {
  absl::Status status = Post("conversations.archive", {{"channel", channel}}).status();
  if (status.code() == absl::StatusCode::kAlreadyExists) return absl::OkStatus();
  return status;
}

}  // namespace ff
