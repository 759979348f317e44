#include "clients/datadog/datadog_client.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "clients/http/encoding.h"
#include "clients/http/json_call.h"
#include "common/status_macros.h"

namespace ff {
namespace {

using json = nlohmann::json;

// IdText is a Datadog id as text: numbers (beyond 2^53 for events) are
// printed from their integer, never through a double.
std::string IdText(const json& id) { return id.is_string() ? id.get<std::string>() : id.dump(); }

// ArrayField returns `answer[key]` when it is an array, else null.
const json* ArrayField(const json& answer, const char* key) {
  auto it = answer.find(key);
  return it != answer.end() && it->is_array() ? &*it : nullptr;
}

}  // namespace

DatadogClient::DatadogClient(HttpClient* http, std::string base_url, std::string api_key,
                             std::string app_key, absl::Duration timeout)
    : http_(http),
      base_url_(std::move(base_url)),
      api_key_(std::move(api_key)),
      app_key_(std::move(app_key)),
      timeout_(timeout) {}

absl::Status DatadogClient::PostEvent(const json& event) {
  constexpr char kWhat[] = "datadog event";
  // POST /api/v1/events takes the API key only.
  FF_ASSIGN_OR_RETURN(json posted, Call("POST", "/api/v1/events", &event, false, kWhat));
  auto it = posted.find("event");
  if (it == posted.end() || !it->is_object()) return MalformedAnswer(kWhat, "answer has no event");
  return absl::OkStatus();
}

absl::StatusOr<std::vector<json>> DatadogClient::FindEvents(int64_t start, int64_t end,
                                                            const std::string& tag) {
  constexpr char kWhat[] = "datadog event lookup";
  FF_ASSIGN_OR_RETURN(
      json found,
      Call("GET",
           WithQuery("/api/v1/events",
                     {{"start", absl::StrCat(start)}, {"end", absl::StrCat(end)}, {"tags", tag}}),
           nullptr, true, kWhat));
  const json* events = ArrayField(found, "events");
  if (events == nullptr) return MalformedAnswer(kWhat, "answer has no events array");
  return std::vector<json>(events->begin(), events->end());
}

absl::StatusOr<std::vector<DatadogNotebook>> DatadogClient::FindNotebooks(
    const std::string& query) {
  constexpr char kWhat[] = "datadog notebook lookup";
  FF_ASSIGN_OR_RETURN(
      json found,
      Call("GET", WithQuery("/api/v1/notebooks", {{"query", query}, {"include_cells", "false"}}),
           nullptr, true, kWhat));
  const json* data = ArrayField(found, "data");
  if (data == nullptr) return MalformedAnswer(kWhat, "answer has no data array");
  std::vector<DatadogNotebook> notebooks;
  for (const json& notebook : *data) {
    if (!notebook.is_object() || !notebook.contains("id")) continue;
    auto attributes = notebook.find("attributes");
    if (attributes == notebook.end() || !attributes->is_object()) continue;
    notebooks.push_back({IdText(notebook["id"]), attributes->value("name", "")});
  }
  return notebooks;
}

absl::StatusOr<std::string> DatadogClient::CreateNotebook(const json& notebook) {
  constexpr char kWhat[] = "datadog notebook create";
  FF_ASSIGN_OR_RETURN(json created, Call("POST", "/api/v1/notebooks", &notebook, true, kWhat));
  auto data = created.find("data");
  if (data == created.end() || !data->is_object() || !data->contains("id")) {
    return MalformedAnswer(kWhat, "answer has no data.id");
  }
  return IdText((*data)["id"]);
}

absl::StatusOr<json> DatadogClient::Call(const std::string& method,
                                         const std::string& path_and_query, const json* body,
                                         bool app_key, absl::string_view what) {
  std::vector<std::pair<std::string, std::string>> keys = {{"DD-API-KEY", api_key_}};
  if (app_key) keys.emplace_back("DD-APPLICATION-KEY", app_key_);
  // nlohmann keeps integers as int64/uint64, never double: event ids survive.
  return SendForObject(
      *http_,
      JsonRequest(method, absl::StrCat(base_url_, path_and_query), std::move(keys), body, timeout_),
      what);
}

}  // namespace ff
