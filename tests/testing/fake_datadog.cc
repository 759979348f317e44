#include "tests/testing/fake_datadog.h"

#include <algorithm>
#include <set>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"

namespace ff::testing {
namespace {

using json = nlohmann::json;

void Reply(httplib::Response& response, int status, const json& body) {
  response.status = status;
  response.set_content(body.dump(), "application/json");
}

void Errors(httplib::Response& response, int status, const std::string& message) {
  Reply(response, status, {{"errors", {message}}});
}

bool IsString(const json& object, const char* key) {
  return object.contains(key) && object[key].is_string();
}

// EventError returns the first validation problem of an event, or "".
std::string EventError(const json& event) {
  if (!IsString(event, "title") || event["title"].get<std::string>().empty()) {
    return "Event title is required";
  }
  if (!IsString(event, "text")) return "Event text is required";
  if (event["text"].get<std::string>().size() > 4000) {
    return "Event text must be at most 4000 characters";
  }
  if (event.contains("aggregation_key") &&
      (!event["aggregation_key"].is_string() ||
       event["aggregation_key"].get<std::string>().size() > 100)) {
    return "aggregation_key must be a string of at most 100 characters";
  }
  static const std::set<std::string> kAlertTypes = {
      "error", "warning", "info", "success", "user_update", "recommendation", "snapshot"};
  if (event.contains("alert_type") &&
      (!event["alert_type"].is_string() || kAlertTypes.count(event["alert_type"]) == 0)) {
    return "Invalid alert_type";
  }
  if (event.contains("priority") && !event["priority"].is_null() &&
      (!event["priority"].is_string() ||
       (event["priority"] != "normal" && event["priority"] != "low"))) {
    return "Invalid priority";
  }
  if (event.contains("date_happened") && !event["date_happened"].is_number_integer()) {
    return "date_happened must be an integer";
  }
  if (event.contains("tags")) {
    if (!event["tags"].is_array()) return "tags must be a list of strings";
    for (const json& tag : event["tags"]) {
      if (!tag.is_string()) return "tags must be a list of strings";
    }
  }
  return "";
}

// NotebookError returns the first validation problem of a create body, or "".
std::string NotebookError(const json& body) {
  if (!body.is_object() || !body.contains("data") || !body["data"].is_object()) {
    return "data is required";
  }
  const json& data = body["data"];
  if (data.value("type", "") != "notebooks") return "data.type must be \"notebooks\"";
  if (!data.contains("attributes") || !data["attributes"].is_object()) {
    return "data.attributes is required";
  }
  const json& attributes = data["attributes"];
  if (!IsString(attributes, "name") || attributes["name"].get<std::string>().empty() ||
      attributes["name"].get<std::string>().size() > 80) {
    return "name is required and must be at most 80 characters";
  }
  if (!attributes.contains("cells") || !attributes["cells"].is_array() ||
      attributes["cells"].empty()) {
    return "cells is required";
  }
  for (const json& cell : attributes["cells"]) {
    if (!cell.is_object() || cell.value("type", "") != "notebook_cells" ||
        !cell.contains("attributes") || !cell["attributes"].contains("definition") ||
        !IsString(cell["attributes"]["definition"], "type")) {
      return "each cell needs type \"notebook_cells\" and attributes.definition.type";
    }
  }
  if (!attributes.contains("time") || !attributes["time"].is_object() ||
      !(IsString(attributes["time"], "live_span") ||
        (attributes["time"].contains("start") && attributes["time"].contains("end")))) {
    return "time is required (live_span, or start and end)";
  }
  if (attributes.contains("status") && attributes["status"] != "published") {
    return "status must be \"published\"";
  }
  return "";
}

bool HasAllTags(const json& event, const std::string& filter) {
  if (filter.empty()) return true;
  std::set<std::string> tags;
  for (const json& tag : event.value("tags", json::array())) tags.insert(tag.get<std::string>());
  for (absl::string_view wanted : absl::StrSplit(filter, ',', absl::SkipEmpty())) {
    if (tags.count(std::string(wanted)) == 0) return false;
  }
  return true;
}

}  // namespace

FakeDatadog::FakeDatadog(std::string api_key, std::string app_key)
    : api_key_(std::move(api_key)), app_key_(std::move(app_key)) {
  Start();
}

FakeDatadog::~FakeDatadog() { Refuse(); }  // no handler may outlive the state

void FakeDatadog::RegisterRoutes(httplib::Server& server) {
  auto route = [this](void (FakeDatadog::*handler)(const httplib::Request&, httplib::Response&)) {
    return [this, handler](const httplib::Request& request, httplib::Response& response) {
      Record(request);
      (this->*handler)(request, response);
    };
  };
  server.Post("/api/v1/events", route(&FakeDatadog::PostEvent));
  server.Get("/api/v1/events", route(&FakeDatadog::ListEvents));
  server.Post("/api/v1/notebooks", route(&FakeDatadog::PostNotebook));
  server.Get("/api/v1/notebooks", route(&FakeDatadog::ListNotebooks));
  server.Delete(R"(/api/v1/notebooks/(\d+))", route(&FakeDatadog::DeleteNotebook));
}

bool FakeDatadog::CheckKeys(const httplib::Request& request, httplib::Response& response,
                            bool needs_app_key) {
  bool ok = request.get_header_value("DD-API-KEY") == api_key_ &&
            (!needs_app_key || request.get_header_value("DD-APPLICATION-KEY") == app_key_);
  if (!ok) Errors(response, 403, "Forbidden");
  return ok;
}

void FakeDatadog::PostEvent(const httplib::Request& request, httplib::Response& response) {
  if (!CheckKeys(request, response, /*needs_app_key=*/false)) return;
  json event = json::parse(request.body, nullptr, false);
  if (event.is_discarded() || !event.is_object()) {
    Errors(response, 400, "Invalid JSON body");
    return;
  }
  if (std::string error = EventError(event); !error.empty()) {
    Errors(response, 400, error);
    return;
  }
  absl::MutexLock lock(&mu_);
  json stored = StoreEvent(event, absl::Now() + index_delay_);
  Reply(response, 202, {{"status", "ok"}, {"event", stored}});
}

json FakeDatadog::StoreEvent(const json& event, absl::Time indexed_at) {
  uint64_t id = next_event_id_++;
  json stored = {{"id", id},
                 {"title", event["title"]},
                 {"text", event["text"]},
                 {"date_happened", event.value("date_happened", int64_t{1617999731})},
                 {"handle", nullptr},
                 {"priority", event.value("priority", json())},
                 {"related_event_id", nullptr},
                 {"tags", event.value("tags", json::array())},
                 {"url", absl::StrCat("https://app.datadoghq.com/event/event?id=", id)}};
  if (event.contains("aggregation_key")) stored["aggregation_key"] = event["aggregation_key"];
  if (event.contains("alert_type")) stored["alert_type"] = event["alert_type"];
  events_.push_back({stored, indexed_at});
  return stored;
}

void FakeDatadog::ListEvents(const httplib::Request& request, httplib::Response& response) {
  if (!CheckKeys(request, response, /*needs_app_key=*/true)) return;
  int64_t start = 0;
  int64_t end = 0;
  if (!absl::SimpleAtoi(request.get_param_value("start"), &start) ||
      !absl::SimpleAtoi(request.get_param_value("end"), &end)) {
    Errors(response, 400, "start and end are required integers");
    return;
  }
  std::string tags = request.get_param_value("tags");
  json found = json::array();
  absl::Time now = absl::Now();
  absl::MutexLock lock(&mu_);
  for (const StoredEvent& stored : events_) {
    const json& event = stored.event;
    int64_t when = event["date_happened"];
    if (stored.indexed_at <= now && when >= start && when <= end && HasAllTags(event, tags)) {
      found.push_back(event);
    }
  }
  Reply(response, 200, {{"events", found}});
}

void FakeDatadog::PostNotebook(const httplib::Request& request, httplib::Response& response) {
  if (!CheckKeys(request, response, /*needs_app_key=*/true)) return;
  json body = json::parse(request.body, nullptr, false);
  if (body.is_discarded()) {
    Errors(response, 400, "Invalid JSON body");
    return;
  }
  if (std::string error = NotebookError(body); !error.empty()) {
    Errors(response, 400, error);
    return;
  }
  absl::MutexLock lock(&mu_);
  Reply(response, 200, {{"data", StoreNotebook(body)}});
}

json FakeDatadog::StoreNotebook(const json& body) {
  json attributes = body["data"]["attributes"];
  int cell = 0;
  for (json& c : attributes["cells"]) c["id"] = absl::StrCat("cell", ++cell);
  attributes["status"] = "published";
  attributes["created"] = "2026-01-01T00:00:00.000000+00:00";
  attributes["modified"] = "2026-01-01T00:00:00.000000+00:00";
  attributes["author"] = {{"handle", "firefighter@example.com"}, {"name", nullptr}};
  json notebook = {{"type", "notebooks"}, {"id", next_notebook_id_++}, {"attributes", attributes}};
  notebooks_.push_back(notebook);
  return notebook;
}

void FakeDatadog::ListNotebooks(const httplib::Request& request, httplib::Response& response) {
  if (!CheckKeys(request, response, /*needs_app_key=*/true)) return;
  std::string query = absl::AsciiStrToLower(request.get_param_value("query"));
  json found = json::array();
  absl::MutexLock lock(&mu_);
  for (const json& notebook : notebooks_) {
    std::string name = absl::AsciiStrToLower(notebook["attributes"]["name"].get<std::string>());
    if (query.empty() || absl::StrContains(name, query)) found.push_back(notebook);
  }
  Reply(
      response, 200,
      {{"data", found},
       {"meta",
        {{"page", {{"total_count", notebooks_.size()}, {"total_filtered_count", found.size()}}}}}});
}

void FakeDatadog::DeleteNotebook(const httplib::Request& request, httplib::Response& response) {
  if (!CheckKeys(request, response, /*needs_app_key=*/true)) return;
  int64_t id = 0;
  absl::SimpleAtoi(std::string(request.matches[1]), &id);
  absl::MutexLock lock(&mu_);
  for (auto it = notebooks_.begin(); it != notebooks_.end(); ++it) {
    if ((*it)["id"] == id) {
      notebooks_.erase(it);
      response.status = 204;
      return;
    }
  }
  Errors(response, 404, "Notebook not found");
}

std::vector<json> FakeDatadog::events() {
  absl::MutexLock lock(&mu_);
  std::vector<json> events;
  for (const StoredEvent& stored : events_) events.push_back(stored.event);
  return events;
}

std::vector<json> FakeDatadog::notebooks() {
  absl::MutexLock lock(&mu_);
  return notebooks_;
}

void FakeDatadog::set_index_delay(absl::Duration delay) {
  absl::MutexLock lock(&mu_);
  index_delay_ = delay;
}

bool FakeDatadog::WaitUntilIndexed(absl::Duration timeout) {
  absl::Time last = absl::InfinitePast();
  {
    absl::MutexLock lock(&mu_);
    for (const StoredEvent& stored : events_) last = std::max(last, stored.indexed_at);
  }
  absl::Time now = absl::Now();
  if (last - now > timeout) return false;
  if (last > now) absl::SleepFor(last - now);
  return true;
}

absl::StatusOr<json> FakeDatadog::PlantEvent(const json& body) {
  if (!body.is_object()) return absl::InvalidArgumentError("Invalid JSON body");
  if (std::string error = EventError(body); !error.empty()) {
    return absl::InvalidArgumentError(error);
  }
  absl::MutexLock lock(&mu_);
  return StoreEvent(body, absl::InfinitePast());
}

absl::StatusOr<json> FakeDatadog::PlantNotebook(const json& body) {
  if (std::string error = NotebookError(body); !error.empty()) {
    return absl::InvalidArgumentError(error);
  }
  absl::MutexLock lock(&mu_);
  return StoreNotebook(body);
}

}  // namespace ff::testing
