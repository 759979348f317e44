#include "clients/google_calendar/google_calendar_client.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "clients/http/encoding.h"
#include "clients/http/json_call.h"
#include "common/status_macros.h"

namespace ff {
namespace {

using json = nlohmann::json;

// EventOf reads an event answer, which must hold its id and htmlLink.
absl::StatusOr<GoogleCalendarEvent> EventOf(const json& event, absl::string_view what) {
  if (!event.is_object() || !event.value("id", json()).is_string() ||
      !event.value("htmlLink", json()).is_string()) {
    return MalformedAnswer(what, "answer has no id or htmlLink");
  }
  GoogleCalendarEvent out{event["id"].get<std::string>(), event["htmlLink"].get<std::string>(),
                          json()};
  auto extended = event.find("extendedProperties");
  if (extended != event.end() && extended->is_object()) {
    out.private_properties = extended->value("private", json());
  }
  return out;
}

}  // namespace

GoogleCalendarClient::GoogleCalendarClient(HttpClient* http, absl::string_view base_url,
                                           absl::string_view calendar_id, std::string token,
                                           absl::Duration timeout)
    : http_(http),
      events_url_(
          absl::StrCat(base_url, "/calendar/v3/calendars/", UrlEncode(calendar_id), "/events")),
      token_(std::move(token)),
      timeout_(timeout) {}

absl::StatusOr<GoogleCalendarEvent> GoogleCalendarClient::InsertEvent(const json& event) {
  std::string id = event.is_object() && event.value("id", json()).is_string()
                       ? event["id"].get<std::string>()
                       : "";
  return Call("POST", events_url_ + "?sendUpdates=all", &event,
              absl::StrCat("google calendar: insert event ", id));
}

absl::StatusOr<GoogleCalendarEvent> GoogleCalendarClient::GetEvent(const std::string& id) {
  return Call("GET", absl::StrCat(events_url_, "/", UrlEncode(id)), nullptr,
              absl::StrCat("google calendar: get event ", id));
}

absl::StatusOr<GoogleCalendarEvent> GoogleCalendarClient::Call(const std::string& method,
                                                               const std::string& url,
                                                               const json* body,
                                                               absl::string_view what) {
  FF_ASSIGN_OR_RETURN(
      JsonResponse answer,
      SendJson(*http_,
               JsonRequest(method, url, {{"Authorization", "Bearer " + token_}}, body, timeout_),
               what));
  return EventOf(answer.body, what);
}

}  // namespace ff
