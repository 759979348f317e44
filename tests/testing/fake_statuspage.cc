#include "tests/testing/fake_statuspage.h"

#include <algorithm>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace ff::testing {
namespace {

using json = nlohmann::json;

constexpr char kNow[] = "2026-01-01T00:00:00.000Z";
constexpr char kIncidentPath[] = R"(/v1/pages/([^/]+)/incidents/([^/]+))";

bool OneOf(const json& value, std::initializer_list<const char*> allowed) {
  if (!value.is_string()) return false;
  for (const char* item : allowed) {
    if (value == item) return true;
  }
  return false;
}

// FieldError returns the 422 message for an invalid field, or "".
std::string FieldError(const json& incident, const std::set<std::string>& components) {
  if (incident.contains("name") &&
      (!incident["name"].is_string() || incident["name"].get<std::string>().empty())) {
    return "Name can't be blank";
  }
  if (incident.contains("name") && incident["name"].get<std::string>().size() > 255) {
    return "Name is too long (maximum is 255 characters)";
  }
  if (incident.contains("status") &&
      !OneOf(incident["status"], {"investigating", "identified", "monitoring", "resolved",
                                  "scheduled", "in_progress", "verifying", "completed"})) {
    return "Status is not included in the list";
  }
  if (incident.contains("impact_override") &&
      !OneOf(incident["impact_override"], {"none", "maintenance", "minor", "major", "critical"})) {
    return "Impact override is not included in the list";
  }
  if (incident.contains("component_ids")) {
    if (!incident["component_ids"].is_array()) return "Component ids must be a list";
    for (const json& id : incident["component_ids"]) {
      if (!id.is_string() || components.count(id.get<std::string>()) == 0) {
        return "Component ids contains an unknown component";
      }
    }
  }
  if (incident.contains("components")) {
    if (!incident["components"].is_object()) return "Components must be a map";
    for (const auto& [id, status] : incident["components"].items()) {
      if (components.count(id) == 0) return "Components contains an unknown component";
      if (!OneOf(status, {"operational", "degraded_performance", "partial_outage", "major_outage",
                          "under_maintenance"})) {
        return "Component status is not included in the list";
      }
    }
  }
  if (incident.contains("metadata")) {
    if (!incident["metadata"].is_object()) return "Metadata must be an object";
    for (const auto& [key, value] : incident["metadata"].items()) {
      if (!value.is_object()) return "Metadata top-level values must be objects";
    }
  }
  return "";
}

// ApplyFields copies the writable fields and records an incident update when
// the body or the status says something new.
void ApplyFields(const json& in, json& incident, int update_number) {
  std::string old_status = incident.value("status", "");
  for (const char* key : {"name", "status", "impact_override", "metadata", "component_ids"}) {
    if (in.contains(key)) incident[key] = in[key];
  }
  if (in.contains("impact_override")) incident["impact"] = in["impact_override"];
  if (in.contains("components")) {
    json list = json::array();
    for (const auto& [id, status] : in["components"].items()) {
      list.push_back({{"id", id}, {"status", status}});
    }
    incident["components"] = list;
  }
  std::string status = incident["status"];
  if (status == "monitoring" && incident["monitoring_at"].is_null())
    incident["monitoring_at"] = kNow;
  if (status == "resolved") incident["resolved_at"] = kNow;
  incident["updated_at"] = kNow;
  if (in.contains("body") || status != old_status) {
    json update = {{"id", absl::StrCat("upd", update_number)},
                   {"status", status},
                   {"body", in.value("body", "")},
                   {"created_at", kNow},
                   {"display_at", kNow},
                   {"affected_components", in.value("components", json())},
                   {"deliver_notifications", in.value("deliver_notifications", true)}};
    json& updates = incident["incident_updates"];
    updates.insert(updates.begin(), update);  // newest first, like the API
  }
}

}  // namespace

FakeStatuspage::FakeStatuspage(std::string page_id, std::string api_key)
    : page_id_(std::move(page_id)), api_key_(std::move(api_key)) {
  Start();
}

FakeStatuspage::~FakeStatuspage() { Refuse(); }  // no handler may outlive the state

void FakeStatuspage::RegisterRoutes(httplib::Server& server) {
  using Request = const httplib::Request&;
  using Response = httplib::Response&;
  server.Post(R"(/v1/pages/([^/]+)/incidents)", [this](Request req, Response res) {
    Record(req);
    Create(req, res);
  });
  server.Get(R"(/v1/pages/([^/]+)/incidents)", [this](Request req, Response res) {
    Record(req);
    List(req, res, false);
  });
  // Registered before the {incident_id} route, which would match it too.
  server.Get(R"(/v1/pages/([^/]+)/incidents/unresolved)", [this](Request req, Response res) {
    Record(req);
    List(req, res, true);
  });
  server.Get(kIncidentPath, [this](Request req, Response res) {
    Record(req);
    Get(req, res);
  });
  server.Patch(kIncidentPath, [this](Request req, Response res) {
    Record(req);
    Update(req, res);
  });
  server.Put(kIncidentPath, [this](Request req, Response res) {
    Record(req);
    Update(req, res);
  });
}

void FakeStatuspage::Fail(httplib::Response& response, int status, const std::string& message) {
  std::string key;
  {
    absl::MutexLock lock(&mu_);
    key = error_key_;
  }
  response.status = status;
  response.set_content(json{{key, message}}.dump(), "application/json");
}

bool FakeStatuspage::Admit(const httplib::Request& request, httplib::Response& response) {
  if (request.get_header_value("Authorization") != absl::StrCat("OAuth ", api_key_)) {
    Fail(response, 401, "Could not authenticate");
    return false;
  }
  if (request.matches[1] != page_id_) {
    Fail(response, 404, "The requested page could not be found");
    return false;
  }
  return true;
}

bool FakeStatuspage::Unwrap(const httplib::Request& request, httplib::Response& response,
                            bool create, json* incident) {
  json body = json::parse(request.body, nullptr, false);
  auto [status, error] = CheckBody(body, create, incident);
  if (status != 0) Fail(response, status, error);
  return status == 0;
}

std::pair<int, std::string> FakeStatuspage::CheckBody(const json& body, bool create,
                                                      json* incident) {
  if (body.is_discarded() || !body.is_object() || !body.contains("incident") ||
      !body["incident"].is_object()) {
    return {400, "param is missing or the value is empty: incident"};
  }
  *incident = body["incident"];
  if (create && !incident->contains("name")) return {422, "Name can't be blank"};
  absl::MutexLock lock(&mu_);
  std::string error = FieldError(*incident, components_);
  if (!error.empty()) return {422, error};
  return {0, ""};
}

void FakeStatuspage::Create(const httplib::Request& request, httplib::Response& response) {
  json in;
  if (!Admit(request, response) || !Unwrap(request, response, true, &in)) return;
  absl::MutexLock lock(&mu_);
  response.status = 201;
  response.set_content(Store(in).dump(), "application/json");
}

json FakeStatuspage::Store(json in) {
  int number = ++next_id_;
  std::string id = absl::StrCat("inc", number, "p3wzk2r");
  json incident = {{"id", id},
                   {"name", ""},
                   {"status", "investigating"},
                   {"impact", "none"},
                   {"impact_override", nullptr},
                   {"shortlink", absl::StrCat("https://stspg.io/", id)},
                   {"created_at", kNow},
                   {"updated_at", kNow},
                   {"monitoring_at", nullptr},
                   {"resolved_at", nullptr},
                   {"page_id", page_id_},
                   {"incident_updates", json::array()},
                   {"components", json::array()},
                   {"metadata", json::object()}};
  if (!in.contains("body")) in["body"] = "";  // the first update always exists
  ApplyFields(in, incident, number * 100);
  incidents_.push_back(incident);
  return incident;
}

absl::StatusOr<json> FakeStatuspage::Plant(const json& body) {
  json in;
  auto [status, error] = CheckBody(body, /*create=*/true, &in);
  if (status != 0) return absl::InvalidArgumentError(absl::StrCat(status, ": ", error));
  absl::MutexLock lock(&mu_);
  return Store(in);
}

void FakeStatuspage::List(const httplib::Request& request, httplib::Response& response,
                          bool unresolved) {
  if (!Admit(request, response)) return;
  std::string q = absl::AsciiStrToLower(request.get_param_value("q"));
  json list = json::array();
  absl::MutexLock lock(&mu_);
  for (auto it = incidents_.rbegin(); it != incidents_.rend(); ++it) {
    std::string status = (*it)["status"];
    if (unresolved && (status == "resolved" || status == "completed")) continue;
    if (!q.empty() &&
        !absl::StrContains(absl::AsciiStrToLower((*it)["name"].get<std::string>()), q)) {
      continue;
    }
    list.push_back(*it);
  }
  response.status = 200;
  response.set_content(list.dump(), "application/json");
}

void FakeStatuspage::Get(const httplib::Request& request, httplib::Response& response) {
  if (!Admit(request, response)) return;
  absl::MutexLock lock(&mu_);
  for (const json& incident : incidents_) {
    if (incident["id"] == request.matches[2]) {
      response.status = 200;
      response.set_content(incident.dump(), "application/json");
      return;
    }
  }
  response.status = 404;
  response.set_content(json{{error_key_, "Incident not found"}}.dump(), "application/json");
}

void FakeStatuspage::Update(const httplib::Request& request, httplib::Response& response) {
  json in;
  if (!Admit(request, response) || !Unwrap(request, response, false, &in)) return;
  absl::MutexLock lock(&mu_);
  for (json& incident : incidents_) {
    if (incident["id"] != request.matches[2]) continue;
    ApplyFields(in, incident, static_cast<int>(incident["incident_updates"].size()) + 1000);
    response.status = 200;
    response.set_content(incident.dump(), "application/json");
    return;
  }
  response.status = 404;
  response.set_content(json{{error_key_, "Incident not found"}}.dump(), "application/json");
}

void FakeStatuspage::AddComponent(const std::string& component_id) {
  absl::MutexLock lock(&mu_);
  components_.insert(component_id);
}

void FakeStatuspage::set_error_key(const std::string& key) {
  absl::MutexLock lock(&mu_);
  error_key_ = key;
}

std::vector<json> FakeStatuspage::incidents() {
  absl::MutexLock lock(&mu_);
  return incidents_;
}

}  // namespace ff::testing
