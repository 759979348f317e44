#include "tests/testing/fake_pagerduty.h"

#include "absl/strings/match.h"

#include <cstdio>
#include <set>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace ff::testing {
namespace {

using json = nlohmann::json;

constexpr size_t kMaxEventBytes = 512 * 1024;

void Reply(httplib::Response& response, int status, const json& body) {
  response.status = status;
  response.set_content(body.dump(), "application/json");
}

// RestError is the PagerDuty REST error object (codes per its error table [U]).
void RestError(httplib::Response& response, int status, int code, const std::string& message) {
  Reply(response, status, {{"error", {{"message", message}, {"code", code}}}});
}

bool IsBlank(const json& object, const char* key) {
  auto it = object.find(key);
  return it == object.end() || !it->is_string() || it->get<std::string>().empty();
}

// EventErrors lists what the Events API would complain about, in its wording
// where known (go-pagerduty test fixtures), in the same style otherwise.
std::vector<std::string> EventErrors(const json& event) {
  std::vector<std::string> errors;
  if (IsBlank(event, "routing_key")) {
    errors.push_back("'routing_key' is missing or blank");
  } else if (event["routing_key"].get<std::string>().size() != 32) {
    errors.push_back("Length of 'routing_key' is incorrect (should be 32 characters)");
  }
  static const std::set<std::string> kActions = {"trigger", "acknowledge", "resolve"};
  std::string action;
  if (IsBlank(event, "event_action")) {
    errors.push_back("'event_action' is missing or blank");
  } else if (action = event["event_action"].get<std::string>(); kActions.count(action) == 0) {
    errors.push_back("'event_action' is invalid (must be one of: trigger, acknowledge, resolve)");
  }
  if (event.contains("dedup_key")) {
    if (!event["dedup_key"].is_string()) {
      errors.push_back("'dedup_key' must be a string");
    } else if (event["dedup_key"].get<std::string>().size() > 255) {
      errors.push_back("Length of 'dedup_key' is incorrect (should be at most 255 characters)");
    }
  }
  if ((action == "acknowledge" || action == "resolve") && IsBlank(event, "dedup_key")) {
    errors.push_back("'dedup_key' is missing or blank");
  }
  if (action != "trigger") return errors;
  auto payload = event.find("payload");
  if (payload == event.end() || !payload->is_object()) {
    errors.push_back("'payload' is missing or blank");
    return errors;
  }
  if (IsBlank(*payload, "summary")) {
    errors.push_back("'payload.summary' is missing or blank");
  } else if ((*payload)["summary"].get<std::string>().size() > 1024) {
    errors.push_back(
        "Length of 'payload.summary' is incorrect (should be at most 1024 characters)");
  }
  if (IsBlank(*payload, "source")) errors.push_back("'payload.source' is missing or blank");
  static const std::set<std::string> kSeverities = {"critical", "error", "warning", "info"};
  if (IsBlank(*payload, "severity")) {
    errors.push_back("'payload.severity' is missing or blank");
  } else if (kSeverities.count((*payload)["severity"].get<std::string>()) == 0) {
    errors.push_back(
        "'payload.severity' is invalid (must be one of: critical, error, warning, info)");
  }
  if (payload->contains("custom_details") && !(*payload)["custom_details"].is_object()) {
    errors.push_back("'payload.custom_details' must be an object");
  }
  if (event.contains("links")) {
    for (const json& link : event["links"]) {
      if (!link.is_object() || IsBlank(link, "href"))
        errors.push_back("'links.href' is missing or blank");
    }
  }
  if (event.contains("images")) {
    for (const json& image : event["images"]) {
      if (!image.is_object() || IsBlank(image, "src") ||
          image["src"].get<std::string>().rfind("https://", 0) != 0) {
        errors.push_back("'images.src' must be an https URL");
      }
    }
  }
  return errors;
}

}  // namespace

FakePagerDuty::FakePagerDuty(std::string api_token) : api_token_(std::move(api_token)) { Start(); }

FakePagerDuty::~FakePagerDuty() { Refuse(); }  // no handler may outlive the state

void FakePagerDuty::RegisterRoutes(httplib::Server& server) {
  server.Post("/v2/enqueue", [this](const httplib::Request& request, httplib::Response& response) {
    Record(request);
    HandleEnqueue(request, response);
  });
  server.Get("/oncalls", [this](const httplib::Request& request, httplib::Response& response) {
    Record(request);
    HandleOnCalls(request, response);
  });
  server.Get(R"(/users/([^/]+)/contact_methods)",
             [this](const httplib::Request& request, httplib::Response& response) {
               Record(request);
               HandleContactMethods(request, response);
             });
}

void FakePagerDuty::HandleEnqueue(const httplib::Request& request, httplib::Response& response) {
  // The Events API reads only JSON bodies (EXTERNAL_APIS.md: Content-Type:
  // application/json); anything else is an unrecognised event.
  if (!absl::StartsWith(request.get_header_value("Content-Type"), "application/json")) {
    Reply(response, 400,
          {{"status", "Unrecognized object"},
           {"message", "Event object format is unrecognized"},
           {"errors", {"Content-Type must be application/json"}}});
    return;
  }
  json event = json::parse(request.body, nullptr, false);
  if (event.is_discarded() || !event.is_object() || request.body.size() > kMaxEventBytes) {
    Reply(response, 400,
          {{"status", "Unrecognized object"},
           {"message", "Event object format is unrecognized"},
           {"errors",
            {request.body.size() > kMaxEventBytes ? "Event object is too large"
                                                  : "JSON parse error"}}});
    return;
  }
  std::vector<std::string> errors = EventErrors(event);
  if (!errors.empty()) {
    Reply(
        response, 400,
        {{"status", "invalid event"}, {"message", "Event object is invalid"}, {"errors", errors}});
    return;
  }
  std::string dedup_key = Apply(event);
  Reply(response, 202,
        {{"status", "success"}, {"message", "Event processed"}, {"dedup_key", dedup_key}});
}

// Apply updates the alerts for a valid event and returns its dedup key.
std::string FakePagerDuty::Apply(const json& event) {
  absl::MutexLock lock(&mu_);
  std::string action = event["event_action"];
  std::string routing_key = event["routing_key"];
  std::string dedup_key = event.value("dedup_key", "");
  if (dedup_key.empty()) {
    char generated[33];
    std::snprintf(generated, sizeof(generated), "%032x", ++generated_keys_);
    dedup_key = generated;
  }
  auto it = latest_.find({routing_key, dedup_key});
  Alert* current = it == latest_.end() ? nullptr : &history_[it->second];
  bool open = current != nullptr && current->open;
  if (action != "trigger") {
    if (!open) {
      ++dropped_;  // PagerDuty drops ack/resolve without an open alert
    } else if (action == "resolve") {
      current->open = false;
    }
    return dedup_key;
  }
  if (open) {
    ++current->triggers;  // deduplicated into the open alert
    return dedup_key;
  }
  const json& payload = event["payload"];
  Alert alert;
  alert.routing_key = routing_key;
  alert.dedup_key = dedup_key;
  alert.summary = payload["summary"];
  alert.severity = payload["severity"];
  alert.custom_details = payload.value("custom_details", json::object());
  alert.triggers = 1;
  history_.push_back(std::move(alert));
  latest_[{routing_key, dedup_key}] = history_.size() - 1;
  return dedup_key;
}

bool FakePagerDuty::CheckRestAuth(const httplib::Request& request, httplib::Response& response) {
  if (request.get_header_value("Authorization") != absl::StrCat("Token token=", api_token_)) {
    RestError(response, 401, 2006, "Authentication failed");
    return false;
  }
  if (request.get_header_value("Accept") != kAccept) {
    RestError(response, 406, 2001, "Accept must be application/vnd.pagerduty+json;version=2");
    return false;
  }
  return true;
}

std::string FakePagerDuty::html_url(const std::string& user_id) const {
  return absl::StrCat("https://example.pagerduty.com/users/", user_id);
}

void FakePagerDuty::HandleOnCalls(const httplib::Request& request, httplib::Response& response) {
  if (!CheckRestAuth(request, response)) return;
  std::set<std::string> policies;
  auto range = request.params.equal_range("escalation_policy_ids[]");
  for (auto it = range.first; it != range.second; ++it) policies.insert(it->second);
  bool include_users = false;
  auto includes = request.params.equal_range("include[]");
  for (auto it = includes.first; it != includes.second; ++it) {
    if (it->second == "users") include_users = true;
  }
  json oncalls = json::array();
  absl::MutexLock lock(&mu_);
  for (const auto& [policy, levels] : oncall_) {
    if (!policies.empty() && policies.count(policy) == 0) continue;
    for (const auto& [level, user] : levels) {
      json ref = {{"id", user.id},
                  {"type", include_users ? "user" : "user_reference"},
                  {"summary", user.name},
                  {"self", absl::StrCat("https://api.pagerduty.com/users/", user.id)},
                  {"html_url", html_url(user.id)}};
      if (include_users) {
        ref["name"] = user.name;
        ref["email"] = user.email;
        ref["contact_methods"] = json::array();
      }
      oncalls.push_back(
          {{"user", ref},
           {"escalation_level", level},
           {"escalation_policy", {{"id", policy}, {"type", "escalation_policy_reference"}}},
           {"schedule", nullptr},
           {"start", nullptr},
           {"end", nullptr}});
    }
  }
  Reply(response, 200,
        {{"oncalls", oncalls}, {"limit", 25}, {"offset", 0}, {"more", false}, {"total", nullptr}});
}

void FakePagerDuty::HandleContactMethods(const httplib::Request& request,
                                         httplib::Response& response) {
  if (!CheckRestAuth(request, response)) return;
  std::string user_id = request.matches[1];
  absl::MutexLock lock(&mu_);
  for (const auto& [policy, levels] : oncall_) {
    for (const auto& [level, user] : levels) {
      if (user.id != user_id) continue;
      json methods = json::array({{{"id", absl::StrCat("PE", user.id)},
                                   {"type", "email_contact_method"},
                                   {"summary", "Work"},
                                   {"label", "Work"},
                                   {"address", user.email}}});
      if (!user.phone.empty()) {
        methods.push_back({{"id", absl::StrCat("PP", user.id)},
                           {"type", "phone_contact_method"},
                           {"summary", "Mobile"},
                           {"label", "Mobile"},
                           {"address", user.phone},
                           {"country_code", user.country_code}});
      }
      Reply(response, 200, {{"contact_methods", methods}});
      return;
    }
  }
  RestError(response, 404, 2100, "Not Found");
}

void FakePagerDuty::SetOnCall(const std::string& escalation_policy_id, const OnCallUser& user) {
  absl::MutexLock lock(&mu_);
  oncall_[escalation_policy_id][user.escalation_level] = user;
}

std::optional<FakePagerDuty::Alert> FakePagerDuty::alert(const std::string& dedup_key) {
  absl::MutexLock lock(&mu_);
  for (auto it = history_.rbegin(); it != history_.rend(); ++it) {
    if (it->dedup_key == dedup_key) return *it;
  }
  return std::nullopt;
}

std::vector<FakePagerDuty::Alert> FakePagerDuty::alerts() {
  absl::MutexLock lock(&mu_);
  return history_;
}

std::vector<FakePagerDuty::Alert> FakePagerDuty::alerts(const std::string& dedup_key) {
  absl::MutexLock lock(&mu_);
  std::vector<Alert> out;
  for (const Alert& alert : history_) {
    if (alert.dedup_key == dedup_key) out.push_back(alert);
  }
  return out;
}

int FakePagerDuty::alerts_opened() {
  absl::MutexLock lock(&mu_);
  return static_cast<int>(history_.size());
}

int FakePagerDuty::open_alerts() {
  absl::MutexLock lock(&mu_);
  int open = 0;
  for (const Alert& alert : history_) open += alert.open ? 1 : 0;
  return open;
}

int FakePagerDuty::dropped_events() {
  absl::MutexLock lock(&mu_);
  return dropped_;
}

}  // namespace ff::testing
