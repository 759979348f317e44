// GoogleCalendarClient: the Google Calendar API v3 calls FireFighter makes
// on one calendar (EXTERNAL_APIS.md §6): insert an event (invitations sent to
// its attendees) and read one back by id. The OAuth access token is sent as
// Bearer. Codes as clients/http/json_call.h: an event id the calendar already
// holds is ALREADY_EXISTS (Google's 409); an answer without the event's id
// and htmlLink is UNAVAILABLE. Messages name the event id, never the token.
// Thread-safe (stateless over a thread-safe HttpClient).
#ifndef FF_CLIENTS_GOOGLE_CALENDAR_GOOGLE_CALENDAR_CLIENT_H_
#define FF_CLIENTS_GOOGLE_CALENDAR_GOOGLE_CALENDAR_CLIENT_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "clients/http/http_client.h"
#include "nlohmann/json.hpp"

namespace ff {

// GoogleCalendarEvent is an event as the calendar answers it.
struct GoogleCalendarEvent {
  std::string id;
  std::string html_link;
  // extendedProperties.private: an object of strings, or null when absent.
  nlohmann::json private_properties;
};

class GoogleCalendarClient {
 public:
  // `base_url` is the API host without a trailing slash
  // ("https://www.googleapis.com"). REQUIRES: `http` outlives the client.
  GoogleCalendarClient(HttpClient* http, absl::string_view base_url, absl::string_view calendar_id,
                       std::string token, absl::Duration timeout);

  // InsertEvent inserts `event` (an events.insert body; its "id", when set,
  // is the client-chosen event id) and sends the attendees invitations
  // (sendUpdates=all). ALREADY_EXISTS when the calendar holds that id.
  absl::StatusOr<GoogleCalendarEvent> InsertEvent(const nlohmann::json& event);
  // GetEvent returns event `id` of the calendar.
  absl::StatusOr<GoogleCalendarEvent> GetEvent(const std::string& id);

 private:
  absl::StatusOr<GoogleCalendarEvent> Call(const std::string& method, const std::string& url,
                                           const nlohmann::json* body, absl::string_view what);

  HttpClient* http_;
  std::string events_url_;  // …/calendar/v3/calendars/<calendar id>/events
  std::string token_;
  absl::Duration timeout_;
};

}  // namespace ff

#endif  // FF_CLIENTS_GOOGLE_CALENDAR_GOOGLE_CALENDAR_CLIENT_H_
