#include "clients/pagerduty/pagerduty_client.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "clients/http/encoding.h"
#include "clients/http/json_call.h"
#include "common/status_macros.h"

namespace ff {
namespace {

constexpr char kRestAccept[] = "application/vnd.pagerduty+json;version=2";

std::string StringField(const nlohmann::json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : "";
}

}  // namespace

PagerDutyClient::PagerDutyClient(HttpClient* http, std::string events_url, std::string api_url,
                                 std::string api_token, absl::Duration timeout)
    : http_(http),
      events_url_(std::move(events_url)),
      api_url_(std::move(api_url)),
      api_token_(std::move(api_token)),
      timeout_(timeout) {}

absl::Status PagerDutyClient::Enqueue(const nlohmann::json& event, absl::string_view what) {
  HttpRequest request;
  request.method = "POST";
  request.url = absl::StrCat(events_url_, "/v2/enqueue");
  // No auth header: the routing key in the body is the credential.
  request.headers = {{"Content-Type", "application/json"}};
  request.body = event.dump();
  request.timeout = timeout_;
  FF_ASSIGN_OR_RETURN(HttpResponse response, http_->Send(request));
  return HttpStatusError(response, what);
}

absl::StatusOr<std::optional<OnCallPerson>> PagerDutyClient::FindOnCall(
    const std::string& policy_id) {
  constexpr char kWhat[] = "pagerduty on-call lookup";
  FF_ASSIGN_OR_RETURN(nlohmann::json body,
                      GetRest(WithQuery("/oncalls", {{"escalation_policy_ids[]", policy_id},
                                                     {"earliest", "true"},
                                                     {"include[]", "users"}}),
                              kWhat));
  // Level 1 is the first responder; take the lowest level present.
  const nlohmann::json* best = nullptr;
  auto oncalls = body.find("oncalls");
  if (oncalls == body.end() || !oncalls->is_array()) {
    return MalformedAnswer(kWhat, "answer has no oncalls array");
  }
  for (const nlohmann::json& entry : *oncalls) {
    if (!entry.is_object() || !entry.contains("user") || !entry["user"].is_object()) continue;
    int level = entry.value("escalation_level", 1 << 20);
    if (best == nullptr || level < best->value("escalation_level", 1 << 20)) best = &entry;
  }
  if (best == nullptr) return std::optional<OnCallPerson>();
  const nlohmann::json& user = (*best)["user"];
  OnCallPerson person;
  person.id = StringField(user, "id");
  person.name = StringField(user, "name");
  if (person.name.empty()) person.name = StringField(user, "summary");
  person.email = StringField(user, "email");
  person.html_url = StringField(user, "html_url");
  if (!person.id.empty()) {
    FF_ASSIGN_OR_RETURN(person.phone, FindPhone(person.id));
  }
  return std::optional<OnCallPerson>(std::move(person));
}

absl::StatusOr<std::string> PagerDutyClient::FindPhone(const std::string& user_id) {
  FF_ASSIGN_OR_RETURN(nlohmann::json body,
                      GetRest(absl::StrCat("/users/", UrlEncode(user_id), "/contact_methods"),
                              "pagerduty contact methods lookup"));
  auto methods = body.find("contact_methods");
  if (methods == body.end() || !methods->is_array()) return std::string();
  for (const nlohmann::json& method : *methods) {
    if (!method.is_object() || StringField(method, "type") != "phone_contact_method") continue;
    std::string address = StringField(method, "address");
    if (address.empty()) continue;
    auto code = method.find("country_code");
    if (code != method.end() && code->is_number_integer()) {
      return absl::StrCat("+", code->get<int64_t>(), " ", address);
    }
    return address;
  }
  return std::string();
}

absl::StatusOr<nlohmann::json> PagerDutyClient::GetRest(const std::string& path_and_query,
                                                        absl::string_view what) {
  HttpRequest request;
  request.method = "GET";
  request.url = absl::StrCat(api_url_, path_and_query);
  request.headers = {{"Authorization", absl::StrCat("Token token=", api_token_)},
                     {"Accept", kRestAccept}};
  request.timeout = timeout_;
  FF_ASSIGN_OR_RETURN(JsonResponse answer, SendJson(*http_, request, what));
  if (!answer.body.is_object()) return MalformedAnswer(what, "answer is not a JSON object");
  return std::move(answer.body);
}

}  // namespace ff
