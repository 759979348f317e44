// StatuspageClient: the Statuspage incident calls FireFighter makes on one
// page (EXTERNAL_APIS.md §4): read one incident, list the unresolved ones,
// create, update. Statuspage's old rate-limit answer, 420 ("Enhance Your
// Calm"), is read as the 429 it means. Codes as clients/http/json_call.h; an
// answer that is not the documented JSON object (or array, for the list) is
// UNAVAILABLE. Messages never hold the API key.
// Thread-safe (stateless over a thread-safe HttpClient).
#ifndef FF_CLIENTS_STATUSPAGE_STATUSPAGE_CLIENT_H_
#define FF_CLIENTS_STATUSPAGE_STATUSPAGE_CLIENT_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "clients/http/http_client.h"
#include "nlohmann/json.hpp"

namespace ff {

class StatuspageClient {
 public:
  // `base_url` has no trailing slash. REQUIRES: `http` outlives the client.
  StatuspageClient(HttpClient* http, std::string base_url, std::string page_id, std::string api_key,
                   absl::Duration timeout);

  // GetIncident returns incident `id` of the page.
  absl::StatusOr<nlohmann::json> GetIncident(const std::string& id);
  // ListUnresolved returns the page's unresolved incidents (an array).
  absl::StatusOr<nlohmann::json> ListUnresolved();
  // CreateIncident posts `body` ({"incident": {…}}) and returns the incident.
  absl::StatusOr<nlohmann::json> CreateIncident(const nlohmann::json& body);
  // UpdateIncident patches incident `id` with `body` ({"incident": {…}}).
  absl::StatusOr<nlohmann::json> UpdateIncident(const std::string& id, const nlohmann::json& body);

 private:
  absl::StatusOr<nlohmann::json> Call(const std::string& method, const std::string& path,
                                      const nlohmann::json* body, absl::string_view what,
                                      nlohmann::json::value_t answer);

  HttpClient* http_;
  std::string base_url_;
  std::string page_id_;
  std::string api_key_;
  absl::Duration timeout_;
};

}  // namespace ff

#endif  // FF_CLIENTS_STATUSPAGE_STATUSPAGE_CLIENT_H_
