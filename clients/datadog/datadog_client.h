// DatadogClient: the Datadog calls FireFighter makes (EXTERNAL_APIS.md §3):
// post an event to the event stream, search events by tag, and find and
// create notebooks. Posting an event sends the API key only (as Datadog's
// own clients do); every other call sends the application key too. Event ids
// exceed 2^53 and are never read as doubles. Codes as
// clients/http/json_call.h; an answer without its documented fields is
// UNAVAILABLE. Messages never hold a key.
// Thread-safe (stateless over a thread-safe HttpClient).
#ifndef FF_CLIENTS_DATADOG_DATADOG_CLIENT_H_
#define FF_CLIENTS_DATADOG_DATADOG_CLIENT_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "clients/http/http_client.h"
#include "nlohmann/json.hpp"

namespace ff {

// DatadogNotebook is a notebook as the notebook list shows it.
struct DatadogNotebook {
  std::string id;  // the numeric id, in decimal
  std::string name;
};

class DatadogClient {
 public:
  // `base_url` is the API base without a trailing slash
  // ("https://api.datadoghq.com"). REQUIRES: `http` outlives the client.
  DatadogClient(HttpClient* http, std::string base_url, std::string api_key, std::string app_key,
                absl::Duration timeout);

  // PostEvent posts `event` (the POST /api/v1/events body: title, text,
  // tags, …). UNAVAILABLE when the answer holds no event.
  absl::Status PostEvent(const nlohmann::json& event);
  // FindEvents returns the searchable events that happened in
  // [`start`, `end`] (POSIX seconds) and carry `tag`, as Datadog answers them
  // (objects with id, title, tags, …). UNAVAILABLE for an answer without its
  // events array.
  absl::StatusOr<std::vector<nlohmann::json>> FindEvents(int64_t start, int64_t end,
                                                         const std::string& tag);
  // FindNotebooks returns the notebooks whose name contains `query` (a
  // case-insensitive substring match), cells left out. UNAVAILABLE for an
  // answer without its data array; entries without an id are skipped.
  absl::StatusOr<std::vector<DatadogNotebook>> FindNotebooks(const std::string& query);
  // CreateNotebook posts `notebook` (the POST /api/v1/notebooks body,
  // {"data":{"type":"notebooks","attributes":{…}}}) and returns the new
  // notebook's id. UNAVAILABLE when the answer has no data.id.
  absl::StatusOr<std::string> CreateNotebook(const nlohmann::json& notebook);

 private:
  absl::StatusOr<nlohmann::json> Call(const std::string& method, const std::string& path_and_query,
                                      const nlohmann::json* body, bool app_key,
                                      absl::string_view what);

  HttpClient* http_;
  std::string base_url_;
  std::string api_key_;
  std::string app_key_;
  absl::Duration timeout_;
};

}  // namespace ff

#endif  // FF_CLIENTS_DATADOG_DATADOG_CLIENT_H_
