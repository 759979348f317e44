// ZoomClient: the Zoom meeting calls FireFighter makes as the host whose
// Server-to-Server OAuth token it holds ("me", EXTERNAL_APIS.md §6): list
// the host's scheduled meetings a page at a time, read one meeting, create
// one. The token is sent as Bearer. Codes as clients/http/json_call.h; an
// answer without its documented fields (a meeting without its integer id or
// join_url, a list without its meetings array) is UNAVAILABLE. Messages never
// hold the token.
// Thread-safe (stateless over a thread-safe HttpClient).
#ifndef FF_CLIENTS_ZOOM_ZOOM_CLIENT_H_
#define FF_CLIENTS_ZOOM_ZOOM_CLIENT_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "clients/http/http_client.h"
#include "nlohmann/json.hpp"

namespace ff {

// ZoomMeeting is a meeting as Zoom answers it. The list leaves agendas out:
// a listed meeting has an empty agenda, and its join_url as listed.
struct ZoomMeeting {
  int64_t id = 0;
  std::string topic;
  std::string agenda;
  std::string join_url;
};

// ZoomMeetingPage is one page of the host's meetings.
struct ZoomMeetingPage {
  std::vector<ZoomMeeting> meetings;
  std::string next_page_token;  // "" on the last page
};

class ZoomClient {
 public:
  // `base_url` is the API base without a trailing slash
  // ("https://api.zoom.us"). REQUIRES: `http` outlives the client.
  ZoomClient(HttpClient* http, std::string base_url, std::string token, absl::Duration timeout);

  // ListScheduledMeetings returns the page of the host's scheduled meetings
  // that `page_token` names ("" for the first), 300 to a page.
  absl::StatusOr<ZoomMeetingPage> ListScheduledMeetings(const std::string& page_token);
  // GetMeeting returns meeting `id`, agenda included.
  absl::StatusOr<ZoomMeeting> GetMeeting(int64_t id);
  // CreateMeeting creates a meeting for the host from `meeting` (the POST
  // /v2/users/me/meetings body: topic, type, start_time, agenda, settings…)
  // and returns it.
  absl::StatusOr<ZoomMeeting> CreateMeeting(const nlohmann::json& meeting);

 private:
  absl::StatusOr<nlohmann::json> Call(const std::string& method, const std::string& url,
                                      const nlohmann::json* body, absl::string_view what);

  HttpClient* http_;
  std::string base_url_;
  std::string token_;
  absl::Duration timeout_;
};

}  // namespace ff

#endif  // FF_CLIENTS_ZOOM_ZOOM_CLIENT_H_
