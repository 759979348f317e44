#include "clients/zoom/zoom_client.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "clients/http/encoding.h"
#include "clients/http/json_call.h"
#include "common/status_macros.h"

namespace ff {
namespace {

using json = nlohmann::json;

constexpr char kListMeetings[] = "zoom: list meetings";

// StringOr returns `m[key]` when it is a string, else "".
std::string StringOr(const json& m, const char* key) {
  auto it = m.find(key);
  return it != m.end() && it->is_string() ? it->get<std::string>() : "";
}

bool HasIntegerId(const json& meeting) {
  return meeting.is_object() && meeting.contains("id") && meeting["id"].is_number_integer();
}

// MeetingOf reads a meeting answer, which must hold its id and join_url.
absl::StatusOr<ZoomMeeting> MeetingOf(const json& m, absl::string_view what) {
  if (!HasIntegerId(m) || !m.value("join_url", json()).is_string()) {
    return MalformedAnswer(what, "answer has no meeting id or join_url");
  }
  return ZoomMeeting{m["id"].get<int64_t>(), StringOr(m, "topic"), StringOr(m, "agenda"),
                     m["join_url"].get<std::string>()};
}

}  // namespace

ZoomClient::ZoomClient(HttpClient* http, std::string base_url, std::string token,
                       absl::Duration timeout)
    : http_(http), base_url_(std::move(base_url)), token_(std::move(token)), timeout_(timeout) {}

absl::StatusOr<ZoomMeetingPage> ZoomClient::ListScheduledMeetings(const std::string& page_token) {
  QueryParams query = {{"type", "scheduled"}, {"page_size", "300"}};
  if (!page_token.empty()) query.emplace_back("next_page_token", page_token);
  FF_ASSIGN_OR_RETURN(
      json body, Call("GET", WithQuery(absl::StrCat(base_url_, "/v2/users/me/meetings"), query),
                      nullptr, kListMeetings));
  if (!body.contains("meetings") || !body["meetings"].is_array()) {
    return MalformedAnswer(kListMeetings, "answer has no meetings array");
  }
  ZoomMeetingPage page;
  for (const json& m : body["meetings"]) {
    if (!HasIntegerId(m)) return MalformedAnswer(kListMeetings, "a meeting has no id");
    page.meetings.push_back(
        {m["id"].get<int64_t>(), StringOr(m, "topic"), "", StringOr(m, "join_url")});
  }
  page.next_page_token = StringOr(body, "next_page_token");
  return page;
}

absl::StatusOr<ZoomMeeting> ZoomClient::GetMeeting(int64_t id) {
  constexpr char kWhat[] = "zoom: get meeting";
  FF_ASSIGN_OR_RETURN(json meeting,
                      Call("GET", absl::StrCat(base_url_, "/v2/meetings/", id), nullptr, kWhat));
  return MeetingOf(meeting, kWhat);
}

absl::StatusOr<ZoomMeeting> ZoomClient::CreateMeeting(const json& meeting) {
  constexpr char kWhat[] = "zoom: create meeting";
  FF_ASSIGN_OR_RETURN(json created, Call("POST", absl::StrCat(base_url_, "/v2/users/me/meetings"),
                                         &meeting, kWhat));
  return MeetingOf(created, kWhat);
}

absl::StatusOr<json> ZoomClient::Call(const std::string& method, const std::string& url,
                                      const json* body, absl::string_view what) {
  return SendForObject(
      *http_, JsonRequest(method, url, {{"Authorization", "Bearer " + token_}}, body, timeout_),
      what);
}

}  // namespace ff
