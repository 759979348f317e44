#include "tests/testing/fake_zoom.h"

#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"

namespace ff::testing {
namespace {

using json = nlohmann::json;

void SendError(httplib::Response& response, int status, int code, const std::string& message) {
  response.status = status;
  response.set_content(json{{"code", code}, {"message", message}}.dump(), "application/json");
}

void SendValidationError(httplib::Response& response, const std::string& field,
                         const std::string& message) {
  response.status = 400;
  json error = {{"field", field}, {"message", message}};
  response.set_content(
      json{{"code", 300}, {"message", "Validation Failed."}, {"errors", json::array({error})}}
          .dump(),
      "application/json");
}

// ValidStartTime accepts Zoom's "yyyy-MM-ddTHH:mm:ssZ" (GMT) and the local
// form without the Z (read in `timezone`).
bool ValidStartTime(const std::string& value) {
  absl::Time t;
  std::string error;
  return absl::ParseTime("%Y-%m-%dT%H:%M:%SZ", value, &t, &error) ||
         absl::ParseTime("%Y-%m-%dT%H:%M:%S", value, &t, &error);
}

// FieldError validates a create body; returns the bad field or "".
std::string FieldError(const json& body, std::string& message) {
  message = "Invalid field.";
  if (body.contains("topic") &&
      (!body["topic"].is_string() || body["topic"].get<std::string>().size() > 200)) {
    message = "Topic must be a string of at most 200 characters.";
    return "topic";
  }
  if (body.contains("type")) {
    if (!body["type"].is_number_integer()) return "type";
    int type = body["type"];
    if (type != 1 && type != 2 && type != 3 && type != 8) return "type";
  }
  if (body.contains("start_time") &&
      (!body["start_time"].is_string() || !ValidStartTime(body["start_time"]))) {
    return "start_time";
  }
  if (body.contains("duration") &&
      (!body["duration"].is_number_integer() || body["duration"].get<int>() <= 0)) {
    return "duration";
  }
  if (body.contains("timezone") && !body["timezone"].is_string()) return "timezone";
  if (body.contains("agenda") &&
      (!body["agenda"].is_string() || body["agenda"].get<std::string>().size() > 2000)) {
    return "agenda";
  }
  if (body.contains("settings") && !body["settings"].is_object()) return "settings";
  return "";
}

}  // namespace

FakeZoom::FakeZoom(std::string token, std::string host_email)
    : token_(std::move(token)), host_email_(std::move(host_email)) {
  Start();
}

// Stop serving before the state the routes use is destroyed.
FakeZoom::~FakeZoom() { Refuse(); }

void FakeZoom::RegisterRoutes(httplib::Server& server) {
  server.Post(R"(/v2/users/([^/]+)/meetings)",
              [this](const httplib::Request& req, httplib::Response& res) {
                Record(req);
                if (Authorized(req, res) && KnownUser(req, res)) CreateMeeting(req, res);
              });
  server.Get(R"(/v2/users/([^/]+)/meetings)",
             [this](const httplib::Request& req, httplib::Response& res) {
               Record(req);
               if (Authorized(req, res) && KnownUser(req, res)) ListMeetings(req, res);
             });
  server.Get(R"(/v2/meetings/([^/]+))",
             [this](const httplib::Request& req, httplib::Response& res) {
               Record(req);
               if (Authorized(req, res)) GetMeeting(req, res);
             });
}

bool FakeZoom::Authorized(const httplib::Request& request, httplib::Response& response) {
  if (request.get_header_value("Authorization") == "Bearer " + token_) return true;
  SendError(response, 401, 124, "Invalid access token.");
  return false;
}

bool FakeZoom::KnownUser(const httplib::Request& request, httplib::Response& response) {
  std::string user = request.matches[1];
  if (user == "me" || user == host_email_) return true;
  SendError(response, 404, 1001, absl::StrCat("User does not exist: ", user, "."));
  return false;
}

void FakeZoom::CreateMeeting(const httplib::Request& request, httplib::Response& response) {
  if (!absl::StartsWith(request.get_header_value("Content-Type"), "application/json")) {
    SendError(response, 400, 300, "Unsupported Content Type");
    return;
  }
  json body = json::parse(request.body, nullptr, false);
  if (body.is_discarded() || !body.is_object()) {
    SendError(response, 400, 300, "Request Body should be a valid JSON object.");
    return;
  }
  std::string message;
  if (std::string field = FieldError(body, message); !field.empty()) {
    SendValidationError(response, field, message);
    return;
  }
  absl::MutexLock lock(&mu_);
  response.status = 201;
  response.set_content(Store(body).dump(), "application/json");
}

json FakeZoom::Store(const json& body) {
  int64_t id = next_id_++;
  json meeting = {{"id", id},
                  {"uuid", absl::StrCat("uuid-", id, "==")},
                  {"host_id", "z8yCxjabcdEFGHfp8uQ"},
                  {"host_email", host_email_},
                  {"topic", body.value("topic", "Zoom Meeting")},
                  {"type", body.value("type", 2)},
                  {"status", "waiting"},
                  {"start_time", body.value("start_time", "2026-01-01T00:00:00Z")},
                  {"duration", body.value("duration", 60)},
                  {"timezone", body.value("timezone", "UTC")},
                  {"agenda", body.value("agenda", "")},
                  {"created_at", "2026-01-01T00:00:00Z"},
                  {"start_url", absl::StrCat("https://zoom.example/s/", id, "?zak=secret")},
                  {"join_url", absl::StrCat("https://zoom.example/j/", id, "?pwd=abc")},
                  {"password", "abc"},
                  {"pre_schedule", false},
                  {"settings", body.value("settings", json::object())}};
  meetings_.push_back(meeting);
  return meeting;
}

void FakeZoom::GetMeeting(const httplib::Request& request, httplib::Response& response) {
  int64_t id = 0;
  if (!absl::SimpleAtoi(std::string(request.matches[1]), &id)) {
    SendError(response, 404, 3001, "Meeting does not exist.");
    return;
  }
  absl::MutexLock lock(&mu_);
  for (const json& meeting : meetings_) {
    if (meeting["id"] == id) {
      response.set_content(meeting.dump(), "application/json");
      return;
    }
  }
  SendError(response, 404, 3001, absl::StrCat("Meeting does not exist: ", id, "."));
}

absl::StatusOr<json> FakeZoom::Plant(const json& body) {
  std::string message;
  if (!body.is_object()) return absl::InvalidArgumentError("Request Body should be a JSON object.");
  if (std::string field = FieldError(body, message); !field.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(field, ": ", message));
  }
  absl::MutexLock lock(&mu_);
  return Store(body);
}

void FakeZoom::ListMeetings(const httplib::Request& request, httplib::Response& response) {
  std::string type = request.has_param("type") ? request.get_param_value("type") : "scheduled";
  if (type != "scheduled" && type != "live" && type != "upcoming" && type != "upcoming_meetings" &&
      type != "previous_meetings") {
    SendValidationError(response, "type", "Invalid field.");
    return;
  }
  int page_size = 30;
  if (request.has_param("page_size") &&
      (!absl::SimpleAtoi(request.get_param_value("page_size"), &page_size) || page_size < 1 ||
       page_size > 300)) {
    SendValidationError(response, "page_size", "Invalid field.");
    return;
  }
  size_t start = 0;
  std::string token = request.get_param_value("next_page_token");
  if (!token.empty() && !absl::SimpleAtoi(token, &start)) {
    SendError(response, 400, 300, "Invalid next_page_token.");
    return;
  }
  absl::MutexLock lock(&mu_);
  json page = json::array();
  for (size_t i = start; i < meetings_.size() && page.size() < static_cast<size_t>(page_size);
       ++i) {
    const json& m = meetings_[i];
    page.push_back({{"id", m["id"]},
                    {"uuid", m["uuid"]},
                    {"host_id", m["host_id"]},
                    {"topic", m["topic"]},
                    {"type", m["type"]},
                    {"start_time", m["start_time"]},
                    {"duration", m["duration"]},
                    {"timezone", m["timezone"]},
                    {"created_at", m["created_at"]},
                    {"join_url", m["join_url"]}});
  }
  size_t next = start + page.size();
  json out = {{"page_size", page_size},
              {"total_records", meetings_.size()},
              {"next_page_token", next < meetings_.size() ? std::to_string(next) : ""},
              {"meetings", page}};
  response.set_content(out.dump(), "application/json");
}

std::vector<json> FakeZoom::meetings() {
  absl::MutexLock lock(&mu_);
  return meetings_;
}

}  // namespace ff::testing
