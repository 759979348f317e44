#include "clients/slack/slack_client.h"

#include <algorithm>
#include <cstdlib>
#include <set>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "clients/http/encoding.h"
#include "clients/http/json_call.h"
#include "common/status_macros.h"

namespace ff {
namespace {

using json = nlohmann::json;

constexpr int kMaxInvitesPerCall = 1000;  // Slack's documented limit
constexpr int kMaxListPages = 100;        // a guard against a cursor loop

std::string NextCursor(const json& body) {
  const json* meta = body.contains("response_metadata") ? &body["response_metadata"] : nullptr;
  if (meta == nullptr || !meta->is_object() || !meta->contains("next_cursor")) return "";
  const json& cursor = (*meta)["next_cursor"];
  return cursor.is_string() ? cursor.get<std::string>() : "";
}

std::string StringAt(const json& body, const char* pointer) {
  const json::json_pointer at(pointer);
  if (!body.contains(at) || !body[at].is_string()) return "";
  return body[at].get<std::string>();
}

SlackChannel ChannelOf(const json& channel) {
  SlackChannel out;
  out.id = channel.value("id", "");
  out.name = channel.value("name", "");
  out.archived = channel.value("is_archived", false);
  if (channel.contains("created") && channel["created"].is_number_integer()) {
    out.created = channel["created"].get<int64_t>();
  }
  out.purpose = StringAt(channel, "/purpose/value");
  return out;
}

// Codes that concern one invitee, not the call: Slack invites the others.
bool IsPerUserInviteError(absl::string_view error) {
  static const std::set<absl::string_view> kPerUser = {
      "already_in_channel", "user_not_found",     "cant_invite_self",         "cant_invite",
      "user_is_bot",        "user_is_restricted", "user_is_ultra_restricted", "no_user"};
  return kPerUser.count(error) > 0;
}

bool CarriesMarker(const json& message, const SlackMarker& marker) {
  if (!message.is_object() || !message.contains("metadata")) return false;
  const json& metadata = message["metadata"];
  if (!metadata.is_object() || metadata.value("event_type", "") != SlackClient::kMarkerEventType) {
    return false;
  }
  const json& payload = metadata.value("event_payload", json::object());
  return payload.is_object() && payload.value("key", "") == marker.key &&
         payload.value("installation", "") == marker.installation;
}

// WithExplanation adds Slack's first response_metadata message to the status
// of a call Slack found malformed: the code alone does not say what to fix.
absl::Status WithExplanation(absl::Status status, const json& body) {
  static const std::set<std::string> kExplained = {"invalid_blocks", "invalid_blocks_format",
                                                   "invalid_arguments"};
  if (!kExplained.count(body.value("error", ""))) return status;
  std::string first = StringAt(body, "/response_metadata/messages/0");
  if (first.empty()) return status;
  constexpr size_t kMaxExplanation = 300;
  if (first.size() > kMaxExplanation) {
    size_t cut = kMaxExplanation;
    while (cut > 0 && (first[cut] & 0xC0) == 0x80) --cut;  // not inside a character
    first = first.substr(0, cut) + "…";
  }
  return absl::Status(status.code(), absl::StrCat(status.message(), " (", first, ")"));
}

}  // namespace

std::map<std::string, RateLimit> SlackRateLimits() {
  const RateLimit tier2{20, absl::Minutes(1)};
  const RateLimit tier3{50, absl::Minutes(1)};
  const RateLimit tier4{100, absl::Minutes(1)};
  return {{"conversations.create", tier2},
          {"conversations.setTopic", tier2},
          {"conversations.setPurpose", tier2},
          {"conversations.invite", tier2},
          {"conversations.archive", tier2},
          {"conversations.list", tier2},
          {"pins.add", tier2},
          {"pins.list", tier2},
          {"bookmarks.add", tier2},
          {"usergroups.list", tier2},
          {"conversations.history", tier3},
          {"conversations.info", tier3},
          {"users.lookupByEmail", tier3},
          {"users.info", tier3},
          {"chat.update", tier3},
          {"bookmarks.list", tier3},
          {"chat.postEphemeral", tier4},
          {"views.open", tier4},
          {"views.update", tier4},
          {"views.publish", tier4},
          {"chat.postMessage", {1, absl::Seconds(1)}},
          {"apps.connections.open", {5, absl::Minutes(5)}}};
}

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
  static const std::set<std::string> kGone = {"channel_not_found", "users_not_found",
                                              "user_not_found", "message_not_found", "not_found"};
  static const std::set<std::string> kState = {"is_archived",          "not_in_channel",
                                               "user_not_in_channel",  "expired_trigger_id",
                                               "exchanged_trigger_id", "too_many_bookmarks"};
  std::string message = absl::StrCat("slack ", method, ": ", error);
  if (error == "ratelimited" || error == "rate_limited") {
    return absl::ResourceExhaustedError(message);
  }
  if (kAuth.count(error)) return absl::UnauthenticatedError(message);
  if (kDenied.count(error) || error == "cant_update_message") {
    return absl::PermissionDeniedError(message);
  }
  if (kTransient.count(error)) return absl::UnavailableError(message);
  if (kGone.count(error)) return absl::NotFoundError(message);
  if (kState.count(error)) return absl::FailedPreconditionError(message);
  if (error == "hash_conflict") return absl::AbortedError(message);
  if (error == "name_taken" || error == "already_archived" || error == "already_pinned") {
    return absl::AlreadyExistsError(message);
  }
  return absl::InvalidArgumentError(message);
}

SlackClient::SlackClient(HttpClient* http, std::string base_url, std::string token,
                         absl::Duration timeout, RateBudget* budget)
    : http_(http),
      base_url_(std::move(base_url)),
      token_(std::move(token)),
      timeout_(timeout),
      budget_(budget) {}

absl::StatusOr<json> SlackClient::Call(const std::string& method, const json& args, bool as_form) {
  HttpRequest request;
  request.method = "POST";
  request.url = absl::StrCat(base_url_, "/", method);
  if (as_form) {
    QueryParams params;
    for (const auto& [key, value] : args.items()) {
      params.emplace_back(key, value.is_string()
                                   ? value.get<std::string>()
                                   : value.dump(-1, ' ', false, json::error_handler_t::replace));
    }
    request.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
    request.body = FormEncode(params);
  } else {
    request.headers.emplace_back("Content-Type", "application/json; charset=utf-8");
    request.body = args.dump(-1, ' ', false, json::error_handler_t::replace);
  }
  // chat.postMessage is limited per channel; every other method per workspace.
  std::string scope = method == "chat.postMessage" ? args.value("channel", "") : "";
  return Send(method, scope, std::move(request));
}

absl::StatusOr<json> SlackClient::Get(const std::string& method, const Query& query) {
  HttpRequest request;
  request.method = "GET";
  request.url = WithQuery(absl::StrCat(base_url_, "/", method), query);
  return Send(method, "", std::move(request));
}

absl::StatusOr<json> SlackClient::Send(const std::string& method, const std::string& scope,
                                       HttpRequest request) {
  const std::string what = absl::StrCat("slack ", method);
  if (budget_ != nullptr) {
    absl::Duration wait = budget_->Take(method, scope);
    if (wait > absl::ZeroDuration()) return BudgetWait(what, wait);
  }
  request.headers.emplace_back("Authorization", absl::StrCat("Bearer ", token_));
  request.timeout = timeout_;
  absl::StatusOr<JsonResponse> answer = SendJson(*http_, request, what);
  absl::Status status = answer.status();
  if (answer.ok()) {
    const json& body = answer->body;
    if (!body.is_object() || !body.contains("ok")) {
      return MalformedAnswer(what, "answer is not a Slack JSON object");
    }
    if (body["ok"] == true) return body;
    status = WithExplanation(SlackErrorStatus(method, body.value("error", "unknown_error")), body);
    if (status.code() == absl::StatusCode::kResourceExhausted) {
      // An ok:false ratelimited has no Retry-After by contract; Slack's SDKs
      // wait a second.
      std::optional<std::string> header = answer->http.Header("retry-after");
      int64_t seconds = header ? std::max<int64_t>(1, std::atoll(header->c_str())) : 1;
      status = WithRetryAfter(status, absl::Seconds(seconds));
    }
  }
  if (status.code() == absl::StatusCode::kResourceExhausted && budget_ != nullptr) {
    // Everyone calling this method waits, not only the call that was told.
    budget_->PauseFor(method, scope, RetryAfterOf(status).value_or(absl::Seconds(1)));
  }
  return status;
}

absl::StatusOr<SlackChannel> SlackClient::CreateChannel(const std::string& name) {
  FF_ASSIGN_OR_RETURN(json body,
                      Call("conversations.create", {{"name", name}, {"is_private", false}}));
  if (!body.contains("channel") || !body["channel"].is_object()) {
    return MalformedAnswer("slack conversations.create", "answer has no channel");
  }
  return ChannelOf(body["channel"]);
}

absl::StatusOr<std::optional<SlackChannel>> SlackClient::FindChannel(const std::string& name) {
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

absl::Status SlackClient::SetTopic(const std::string& channel, const std::string& topic) {
  return Call("conversations.setTopic", {{"channel", channel}, {"topic", topic}}).status();
}

absl::Status SlackClient::SetPurpose(const std::string& channel, const std::string& purpose) {
  return Call("conversations.setPurpose", {{"channel", channel}, {"purpose", purpose}}).status();
}

absl::StatusOr<int> SlackClient::Invite(const std::string& channel,
                                        const std::vector<std::string>& users) {
  int skipped = 0;
  for (size_t start = 0; start < users.size(); start += kMaxInvitesPerCall) {
    size_t end = std::min(users.size(), start + kMaxInvitesPerCall);
    std::vector<std::string> batch(users.begin() + start, users.begin() + end);
    absl::StatusOr<json> body =
        Call("conversations.invite",
             {{"channel", channel}, {"users", absl::StrJoin(batch, ",")}, {"force", true}});
    if (body.ok()) {
      skipped += static_cast<int>(body->value("errors", json::array()).size());
      continue;
    }
    // ok:false with a per-user code: nobody in the batch could be added
    // (typically all are members already), which is what we wanted.
    absl::string_view error = body.status().message();
    if (!absl::ConsumePrefix(&error, "slack conversations.invite: ") ||
        !IsPerUserInviteError(error)) {
      return body.status();
    }
    skipped += static_cast<int>(batch.size());
  }
  return skipped;
}

absl::StatusOr<std::optional<std::string>> SlackClient::LookupUserByEmail(
    const std::string& email) {
  absl::StatusOr<json> body = Get("users.lookupByEmail", {{"email", email}});
  if (body.status().code() == absl::StatusCode::kNotFound) return std::optional<std::string>();
  if (!body.ok()) return body.status();
  std::string id = StringAt(*body, "/user/id");
  if (id.empty()) return MalformedAnswer("slack users.lookupByEmail", "answer has no user id");
  return std::optional<std::string>(id);
}

absl::StatusOr<std::optional<std::vector<std::string>>> SlackClient::UserGroupMembers(
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

absl::StatusOr<std::optional<std::string>> SlackClient::FindMarkedMessage(
    const std::string& channel, const SlackMarker& marker, int max_messages) {
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
      if (CarriesMarker(message, marker)) {
        return std::optional<std::string>(message.value("ts", ""));
      }
    }
    seen += static_cast<int>(messages.size());
    cursor = NextCursor(body);
    if (cursor.empty() || messages.empty()) break;
  }
  return std::optional<std::string>();
}

absl::Status SlackClient::Archive(const std::string& channel) {
  absl::Status status = Call("conversations.archive", {{"channel", channel}}).status();
  if (status.code() == absl::StatusCode::kAlreadyExists) return absl::OkStatus();
  return status;
}

absl::StatusOr<std::string> SlackClient::UserEmail(const std::string& user_id) {
  FF_ASSIGN_OR_RETURN(json body, Call("users.info", {{"user", user_id}}, /*as_form=*/true));
  std::string email = StringAt(body, "/user/profile/email");
  return email.empty() ? user_id : email;
}

absl::StatusOr<std::string> SlackClient::ChannelName(const std::string& channel_id) {
  FF_ASSIGN_OR_RETURN(json body,
                      Call("conversations.info", {{"channel", channel_id}}, /*as_form=*/true));
  return StringAt(body, "/channel/name");
}

}  // namespace ff
