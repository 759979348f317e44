#include "tests/testing/fake_google_calendar.h"

#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"

namespace ff::testing {
namespace {

using json = nlohmann::json;

void SendError(httplib::Response& response, int code, const std::string& status,
               const std::string& reason, const std::string& message) {
  json detail = {{"domain", "global"}, {"reason", reason}, {"message", message}};
  json error = {
      {"code", code}, {"message", message}, {"errors", json::array({detail})}, {"status", status}};
  response.status = code;
  response.set_content(json{{"error", error}}.dump(), "application/json");
}

void BadRequest(httplib::Response& response, const std::string& reason,
                const std::string& message) {
  SendError(response, 400, "INVALID_ARGUMENT", reason, message);
}

// TimeOf reads an EventDateTime: {"dateTime": RFC 3339} or {"date": "YYYY-MM-DD"}.
bool TimeOf(const json& when, absl::Time& out) {
  if (!when.is_object()) return false;
  std::string error;
  if (when.contains("dateTime")) {
    return when["dateTime"].is_string() &&
           absl::ParseTime(absl::RFC3339_full, when["dateTime"].get<std::string>(), &out, &error);
  }
  return when.contains("date") && when["date"].is_string() &&
         absl::ParseTime("%Y-%m-%d", when["date"].get<std::string>(), &out, &error);
}

bool ValidEventId(const std::string& id) {
  if (id.size() < 5 || id.size() > 1024) return false;
  for (char c : id) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'v'))) return false;
  }
  return true;
}

bool ValidEmail(const std::string& email) {
  size_t at = email.find('@');
  return at != std::string::npos && at > 0 && email.rfind('@') == at &&
         email.find('.', at) != std::string::npos && email.back() != '.' &&
         email.find_first_of(" ,;:<>\"") == std::string::npos;
}

// EventError validates an insert body; "" when valid, else the message.
std::string EventError(const json& body, std::string& reason) {
  reason = "required";
  if (!body.contains("start")) return "Missing start time.";
  if (!body.contains("end")) return "Missing end time.";
  reason = "invalid";
  absl::Time start, end;
  if (!TimeOf(body["start"], start)) return "Invalid start time.";
  if (!TimeOf(body["end"], end)) return "Invalid end time.";
  if (end <= start) {
    reason = "timeRangeEmpty";
    return "The specified time range is empty.";
  }
  if (body.contains("id") && (!body["id"].is_string() || !ValidEventId(body["id"]))) {
    return "Invalid resource id value.";
  }
  if (body.contains("extendedProperties")) {
    const json& extended = body["extendedProperties"];
    if (!extended.is_object()) return "Invalid value for: extendedProperties";
    for (const auto& [scope, values] : extended.items()) {
      if ((scope != "private" && scope != "shared") || !values.is_object()) {
        return "Invalid value for: extendedProperties";
      }
      for (const auto& [key, value] : values.items()) {
        if (!value.is_string()) return "Invalid value for: extendedProperties." + scope;
      }
    }
  }
  if (body.contains("attendees")) {
    if (!body["attendees"].is_array()) return "Invalid value for: attendees";
    for (const json& attendee : body["attendees"]) {
      if (!attendee.is_object() || !attendee.value("email", json()).is_string() ||
          !ValidEmail(attendee["email"])) {
        return "Invalid attendee email.";
      }
    }
  }
  return "";
}

}  // namespace

FakeGoogleCalendar::FakeGoogleCalendar(std::string token, std::vector<std::string> calendar_ids)
    : token_(std::move(token)) {
  {
    absl::MutexLock lock(&mu_);
    for (const std::string& id : calendar_ids) calendars_[id];
  }
  Start();
}

// Stop serving before the state the routes use is destroyed.
FakeGoogleCalendar::~FakeGoogleCalendar() { Refuse(); }

void FakeGoogleCalendar::RegisterRoutes(httplib::Server& server) {
  server.Post(R"(/calendar/v3/calendars/([^/]+)/events)",
              [this](const httplib::Request& req, httplib::Response& res) {
                Record(req);
                if (Authorized(req, res)) Insert(req, res);
              });
  server.Get(R"(/calendar/v3/calendars/([^/]+)/events/([^/]+))",
             [this](const httplib::Request& req, httplib::Response& res) {
               Record(req);
               if (Authorized(req, res)) Get(req, res);
             });
}

bool FakeGoogleCalendar::Authorized(const httplib::Request& request, httplib::Response& response) {
  if (request.get_header_value("Authorization") == "Bearer " + token_) return true;
  json detail = {{"message", "Invalid Credentials"},
                 {"domain", "global"},
                 {"reason", "authError"},
                 {"location", "Authorization"},
                 {"locationType", "header"}};
  json error = {{"code", 401},
                {"message",
                 "Request had invalid authentication credentials. Expected OAuth 2 "
                 "access token, login cookie or other valid authentication "
                 "credential."},
                {"errors", json::array({detail})},
                {"status", "UNAUTHENTICATED"}};
  response.status = 401;
  response.set_content(json{{"error", error}}.dump(), "application/json");
  return false;
}

void FakeGoogleCalendar::Insert(const httplib::Request& request, httplib::Response& response) {
  std::string send_updates = request.get_param_value("sendUpdates");
  if (request.has_param("sendUpdates") && send_updates != "all" && send_updates != "externalOnly" &&
      send_updates != "none") {
    BadRequest(response, "invalidParameter", "Invalid value for: sendUpdates");
    return;
  }
  json body = json::parse(request.body, nullptr, false);
  if (body.is_discarded() || !body.is_object() ||
      !absl::StartsWith(request.get_header_value("Content-Type"), "application/json")) {
    BadRequest(response, "parseError", "Parse Error");
    return;
  }
  std::string reason;
  if (std::string message = EventError(body, reason); !message.empty()) {
    BadRequest(response, reason, message);
    return;
  }
  absl::MutexLock lock(&mu_);
  int code = 200;
  json event = Store(request.matches[1], body, code);
  if (code == 404) {
    SendError(response, 404, "NOT_FOUND", "notFound", "Not Found");
  } else if (code == 409) {
    SendError(response, 409, "ALREADY_EXISTS", "duplicate",
              "The requested identifier already exists.");
  } else {
    response.set_content(event.dump(), "application/json");
  }
}

json FakeGoogleCalendar::Store(const std::string& calendar_id, const json& body, int& code) {
  auto calendar = calendars_.find(calendar_id);
  if (calendar == calendars_.end()) {
    code = 404;
    return json();
  }
  std::string id = body.value("id", absl::StrCat("gen", next_id_++, "abc"));
  for (const json& event : calendar->second) {
    if (event["id"] == id) {
      code = 409;
      return json();
    }
  }
  json event = body;
  event["kind"] = "calendar#event";
  event["id"] = id;
  event["status"] = "confirmed";
  event["htmlLink"] = absl::StrCat("https://www.google.com/calendar/event?eid=", id);
  event["iCalUID"] = id + "@google.com";
  event["sequence"] = 0;
  event["organizer"] = {{"email", calendar->first}, {"self", true}};
  if (event.contains("attendees")) {
    for (json& attendee : event["attendees"]) attendee["responseStatus"] = "needsAction";
  }
  calendar->second.push_back(event);
  code = 200;
  return event;
}

absl::StatusOr<json> FakeGoogleCalendar::Plant(const std::string& calendar_id, const json& body) {
  std::string reason;
  if (!body.is_object()) return absl::InvalidArgumentError("Parse Error");
  if (std::string message = EventError(body, reason); !message.empty()) {
    return absl::InvalidArgumentError(message);
  }
  absl::MutexLock lock(&mu_);
  int code = 200;
  json event = Store(calendar_id, body, code);
  if (code == 404) return absl::NotFoundError("Not Found");
  if (code == 409) return absl::AlreadyExistsError("The requested identifier already exists.");
  return event;
}

void FakeGoogleCalendar::Get(const httplib::Request& request, httplib::Response& response) {
  absl::MutexLock lock(&mu_);
  auto calendar = calendars_.find(request.matches[1]);
  if (calendar != calendars_.end()) {
    for (const json& event : calendar->second) {
      if (event["id"] == request.matches[2].str()) {
        response.set_content(event.dump(), "application/json");
        return;
      }
    }
  }
  SendError(response, 404, "NOT_FOUND", "notFound", "Not Found");
}

std::vector<json> FakeGoogleCalendar::events(const std::string& calendar_id) {
  absl::MutexLock lock(&mu_);
  auto calendar = calendars_.find(calendar_id);
  return calendar == calendars_.end() ? std::vector<json>{} : calendar->second;
}

}  // namespace ff::testing
