#include "adapters/slack/slack_web_api.h"

#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "adapters/slack/payloads.h"

namespace ff::slack {

using json = nlohmann::json;

namespace {

// FormEncode writes flat string arguments as a URL-encoded form: Slack's
// read methods (users.info, conversations.info) take forms, not JSON.
std::string FormEncode(const json& args) {
  std::string out;
  for (const auto& [key, value] : args.items()) {
    if (!out.empty()) out.push_back('&');
    std::string text = value.is_string()
                           ? value.get<std::string>()
                           : value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    absl::StrAppend(&out, key, "=");
    for (unsigned char c : text) {
      if (absl::ascii_isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
        out.push_back(static_cast<char>(c));
      } else {
        absl::StrAppend(&out, "%", absl::Hex(c, absl::kZeroPad2));
      }
    }
  }
  return out;
}

}  // namespace

SlackWebApi::SlackWebApi(HttpClient* http, std::string base_url, std::string bot_token,
                         absl::Duration timeout)
    : http_(http),
      base_url_(std::move(base_url)),
      token_(std::move(bot_token)),
      timeout_(timeout) {}

absl::StatusOr<json> SlackWebApi::Call(const std::string& method, const json& args, bool as_form) {
  HttpRequest request;
  request.method = "POST";
  request.url = absl::StrCat(base_url_, "/", method);
  request.headers = {{"Authorization", "Bearer " + token_},
                     {"Content-Type", as_form ? "application/x-www-form-urlencoded"
                                              : "application/json; charset=utf-8"}};
  request.body = as_form ? FormEncode(args)
                         : args.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  request.timeout = timeout_;
  absl::StatusOr<HttpResponse> response = http_->Send(request);
  if (!response.ok()) return response.status();
  if (response->status != 200) return HttpStatusError(*response, method);
  json body = json::parse(response->body, nullptr, false);
  if (body.is_discarded() || !body.is_object()) {
    return absl::InternalError(absl::StrCat(method, ": answer is not a JSON object"));
  }
  if (!body.value("ok", false)) {
    return absl::FailedPreconditionError(
        absl::StrCat(method, ": ", body.value("error", std::string("unknown_error"))));
  }
  return body;
}

absl::Status SlackWebApi::OpenView(const std::string& trigger_id, const json& view) {
  return Call("views.open", {{"trigger_id", trigger_id}, {"view", view}}).status();
}

absl::Status SlackWebApi::PostEphemeral(const std::string& channel, const std::string& user,
                                        const std::string& text) {
  return Call("chat.postEphemeral", {{"channel", channel}, {"user", user}, {"text", text}})
      .status();
}

absl::Status SlackWebApi::Respond(const std::string& response_url, const json& message) {
  HttpRequest request;
  request.method = "POST";
  request.url = response_url;
  request.headers = {{"Content-Type", "application/json; charset=utf-8"}};
  request.body = message.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  request.timeout = timeout_;
  absl::StatusOr<HttpResponse> response = http_->Send(request);
  if (!response.ok()) return response.status();
  if (response->status / 100 != 2) {
    return absl::InternalError(absl::StrCat("response_url answered HTTP ", response->status));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> SlackWebApi::UserEmail(const std::string& user_id) {
  {
    absl::MutexLock lock(&mu_);
    auto it = emails_.find(user_id);
    if (it != emails_.end()) return it->second;
  }
  absl::StatusOr<json> answer = Call("users.info", {{"user", user_id}}, /*as_form=*/true);
  if (!answer.ok()) return answer.status();
  std::string email = StringAt(*answer, "/user/profile/email");
  if (email.empty()) email = user_id;
  absl::MutexLock lock(&mu_);
  emails_[user_id] = email;
  return email;
}

absl::StatusOr<std::string> SlackWebApi::ChannelName(const std::string& channel_id) {
  {
    absl::MutexLock lock(&mu_);
    auto it = channel_names_.find(channel_id);
    if (it != channel_names_.end()) return it->second;
  }
  absl::StatusOr<json> answer =
      Call("conversations.info", {{"channel", channel_id}}, /*as_form=*/true);
  if (!answer.ok()) return answer.status();
  std::string name = StringAt(*answer, "/channel/name");
  absl::MutexLock lock(&mu_);
  channel_names_[channel_id] = name;
  return name;
}

}  // namespace ff::slack
