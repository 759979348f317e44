#include "tests/testing/fake_jira.h"

#include <algorithm>
#include <set>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"

namespace ff::testing {
namespace {

using json = nlohmann::json;

constexpr char kApi[] = "/rest/api/3";
constexpr char kIssueTypes[][5] = {"Task", "Bug"};
constexpr char kBadPayload[] =
    "Invalid request payload. Refer to the REST API documentation and try again.";
constexpr char kNoIssue[] = "Issue does not exist or you do not have permission to see it.";

struct StatusInfo {
  const char* id;
  const char* category;  // statusCategory.key
};
const std::map<std::string, StatusInfo>& Statuses() {
  static const auto* kStatuses =
      new std::map<std::string, StatusInfo>{{"To Do", {"10000", "new"}},
                                            {"In Progress", {"10001", "indeterminate"}},
                                            {"Done", {"10002", "done"}},
                                            {"Won't Do", {"10003", "done"}}};
  return *kStatuses;
}

struct Transition {
  const char* id;
  const char* name;
  const char* to;
};
// TransitionsFrom lists the workflow's transitions out of `status`.
std::vector<Transition> TransitionsFrom(const std::string& status) {
  if (status == "Done" || status == "Won't Do") return {{"11", "Reopen", "To Do"}};
  std::vector<Transition> out;
  if (status == "To Do") out.push_back({"21", "Start", "In Progress"});
  out.push_back({"31", "Done", "Done"});
  out.push_back({"41", "Won't Do", "Won't Do"});
  return out;
}

json StatusJson(const std::string& name) {
  const StatusInfo& info = Statuses().at(name);
  return {{"id", info.id},
          {"name", name},
          {"statusCategory", {{"key", info.category}, {"name", info.category}}}};
}

void SendErrors(httplib::Response& response, int status, json messages,
                json errors = json::object()) {
  response.status = status;
  response.set_content(
      json{{"errorMessages", std::move(messages)}, {"errors", std::move(errors)}}.dump(),
      "application/json");
}

// ParseBody parses a JSON object body; answers 400 and returns null otherwise.
json ParseBody(const httplib::Request& request, httplib::Response& response) {
  json body = json::parse(request.body, nullptr, false);
  if (body.is_discarded() || !body.is_object()) {
    SendErrors(response, 400, {kBadPayload});
    return json();
  }
  return body;
}

size_t CodePoints(const std::string& text) {
  return std::count_if(text.begin(), text.end(),
                       [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; });
}

bool IsDate(const std::string& text) {
  absl::CivilDay day;
  return text.size() == 10 && absl::ParseCivilTime(text, &day);
}

std::string SummaryError(const json& summary) {
  if (!summary.is_string() || summary.get<std::string>().empty()) {
    return "You must specify a summary of the issue.";
  }
  const std::string text = summary;
  if (CodePoints(text) > 255) return "Summary must be less than 255 characters.";
  if (text.find_first_of("\r\n") != std::string::npos) {
    return "The summary is invalid because it contains newline characters.";
  }
  return "";
}

std::string LabelsError(const json& labels) {
  if (!labels.is_array()) return "Operation value must be an array of strings";
  for (const json& label : labels) {
    if (!label.is_string() || label.get<std::string>().empty()) {
      return "Operation value must be a non-empty string";
    }
    const std::string text = label;
    if (std::any_of(text.begin(), text.end(),
                    [](char c) { return absl::ascii_isspace(static_cast<unsigned char>(c)); })) {
      return absl::StrCat("The label '", text, "' contains spaces which is invalid.");
    }
    if (CodePoints(text) > 255) return "The label must not exceed 255 characters.";
  }
  return "";
}

}  // namespace

FakeJira::FakeJira(std::string email, std::string api_token, std::string project_key)
    : credentials_(absl::StrCat(email, ":", api_token)) {
  {
    absl::MutexLock lock(&mu_);
    projects_[project_key] = "10000";
  }
  Start();
}

FakeJira::~FakeJira() { Stop(); }

void FakeJira::AddUser(const std::string& account_id, const std::string& email,
                       const std::string& display_name, bool email_visible) {
  absl::MutexLock lock(&mu_);
  users_[account_id] = {account_id, email, display_name, email_visible};
}

void FakeJira::LoseNextAnswers(int count, const std::string& route) {
  absl::MutexLock lock(&mu_);
  lose_ = {count, route, 0, std::nullopt};
}

void FakeJira::FailNextOn(int count, const std::string& route, int status,
                          std::optional<int> retry_after_seconds) {
  absl::MutexLock lock(&mu_);
  fail_ = {count, route, status, retry_after_seconds};
}

bool FakeJira::TakeFault(Fault& fault, const httplib::Request& request) {
  if (fault.count == 0) return false;
  if (!fault.route.empty() && fault.route != absl::StrCat(request.method, " ", request.path)) {
    return false;
  }
  --fault.count;
  return true;
}

void FakeJira::set_index_lag(absl::Duration lag, const Clock* clock) {
  absl::MutexLock lock(&mu_);
  index_lag_ = lag;
  clock_ = clock;
}

std::vector<JiraIssueRecord> FakeJira::issues() {
  absl::MutexLock lock(&mu_);
  return issues_;
}

std::optional<JiraIssueRecord> FakeJira::issue(const std::string& key) {
  absl::MutexLock lock(&mu_);
  JiraIssueRecord* found = Find(key);
  if (found == nullptr) return std::nullopt;
  return *found;
}

std::vector<JiraTransitionRecord> FakeJira::transitions() {
  absl::MutexLock lock(&mu_);
  return transitions_;
}

std::string FakeJira::PlantIssue(const std::string& summary,
                                 const std::vector<std::string>& labels) {
  absl::MutexLock lock(&mu_);
  std::string key = AddIssueLocked(projects_.begin()->first);
  JiraIssueRecord& issue = issues_.back();
  issue.summary = summary;
  issue.labels = labels;
  issue.created = absl::InfinitePast();  // long indexed
  return key;
}

void FakeJira::RegisterRoutes(httplib::Server& server) {
  auto route = [this](Handler handler) {
    return [this, handler](const httplib::Request& req, httplib::Response& res) {
      Route(req, res, handler);
    };
  };
  const std::string api = kApi;
  const std::string issue = api + "/issue/([^/]+)";
  server.Post(api + "/issue", route(&FakeJira::CreateIssue));
  server.Get(issue, route(&FakeJira::GetIssue));
  server.Put(issue, route(&FakeJira::EditIssue));
  server.Get(issue + "/transitions", route(&FakeJira::GetTransitions));
  server.Post(issue + "/transitions", route(&FakeJira::DoTransition));
  server.Get(api + "/user/search", route(&FakeJira::SearchUsers));
  server.Post(api + "/search/jql", route(&FakeJira::SearchJql));
}

void FakeJira::Route(const httplib::Request& request, httplib::Response& response,
                     Handler handler) {
  Record(request);
  std::string header = request.get_header_value("Authorization");
  std::string decoded;
  if (!absl::StartsWith(header, "Basic ") || !absl::Base64Unescape(header.substr(6), &decoded) ||
      decoded != credentials_) {
    SendErrors(response, 401,
               {"You are not authenticated. Authentication required to perform "
                "this operation."});
    return;
  }
  {
    absl::MutexLock lock(&mu_);
    if (TakeFault(fail_, request)) {
      if (fail_.retry_after) response.set_header("Retry-After", std::to_string(*fail_.retry_after));
      return SendErrors(response, fail_.status, {"injected fault"});
    }
  }
  (this->*handler)(request, response);
  absl::MutexLock lock(&mu_);
  if (!TakeFault(lose_, request)) return;
  // Applied; now the connection drops before the body: headers promise a
  // body the provider refuses to write, so the client sees a cut answer.
  response.status = 200;
  response.body.clear();  // else httplib sends the body, not the provider
  response.set_content_provider(64, "application/json",
                                [](size_t, size_t, httplib::DataSink&) { return false; });
}

absl::Time FakeJira::Now() const { return clock_ != nullptr ? clock_->Now() : absl::Now(); }

bool FakeJira::Searchable(const JiraIssueRecord& issue) const {
  return issue.created + index_lag_ <= Now();
}

JiraIssueRecord* FakeJira::Find(const std::string& key_or_id) {
  for (JiraIssueRecord& issue : issues_) {
    if (issue.key == key_or_id || issue.id == key_or_id) return &issue;
  }
  return nullptr;
}

std::string FakeJira::AddIssueLocked(const std::string& project_key) {
  JiraIssueRecord issue;
  issue.id = std::to_string(next_id_++);
  issue.key = absl::StrCat(project_key, "-", ++next_number_[project_key]);
  issue.project_key = project_key;
  issue.issue_type = "Task";
  issue.status = "To Do";
  issue.created = Now();
  issues_.push_back(issue);
  return issue.key;
}

json FakeJira::FieldErrors(const json& fields, bool create) {
  static const std::set<std::string> kEditable = {"summary", "description", "labels", "assignee",
                                                  "duedate"};
  json errors = json::object();
  for (const auto& [name, value] : fields.items()) {
    if (kEditable.count(name) == 0 && !(create && (name == "project" || name == "issuetype"))) {
      errors[name] = absl::StrCat("Field '", name,
                                  "' cannot be set. It is not on the appropriate screen, or "
                                  "unknown.");
    }
  }
  if (create) {
    const json project = fields.value("project", json());
    bool known = project.is_object() && ((project.contains("key") && project["key"].is_string() &&
                                          projects_.count(project["key"].get<std::string>()) > 0) ||
                                         (project.contains("id") && project["id"] == "10000"));
    if (!known) errors["project"] = "Specify a valid project ID or key";
    const json type = fields.value("issuetype", json());
    bool type_known = false;
    for (int i = 0; i < 2; ++i) {
      type_known |= type.is_object() && (type.value("name", json()) == kIssueTypes[i] ||
                                         type.value("id", json()) == std::to_string(10001 + i));
    }
    if (!type_known) errors["issuetype"] = "Specify a valid issue type";
  }
  if (create || fields.contains("summary")) {
    std::string error = SummaryError(fields.value("summary", json()));
    if (!error.empty()) errors["summary"] = error;
  }
  if (fields.contains("description") && !fields["description"].is_null()) {
    if (!JiraDocError(fields["description"]).empty()) {
      errors["description"] =
          "Operation value must be an Atlassian Document (see the Atlassian Document Format)";
    }
  }
  if (fields.contains("labels")) {
    std::string error = LabelsError(fields["labels"]);
    if (!error.empty()) errors["labels"] = error;
  }
  if (fields.contains("assignee") && !fields["assignee"].is_null()) {
    const json& assignee = fields["assignee"];
    std::string id = assignee.is_object() ? assignee.value("accountId", "") : "";
    if (users_.count(id) == 0) errors["assignee"] = absl::StrCat("User '", id, "' does not exist.");
  }
  if (fields.contains("duedate") && !fields["duedate"].is_null() &&
      !(fields["duedate"].is_string() && IsDate(fields["duedate"]))) {
    errors["duedate"] = absl::StrCat("Error parsing date string: ", fields["duedate"].dump());
  }
  return errors;
}

void FakeJira::ApplyFields(const json& fields, JiraIssueRecord& issue) {
  if (fields.contains("issuetype")) {
    const json& type = fields["issuetype"];
    issue.issue_type = type.contains("name")   ? type["name"].get<std::string>()
                       : type["id"] == "10002" ? "Bug"
                                               : "Task";
  }
  if (fields.contains("summary")) issue.summary = fields["summary"];
  if (fields.contains("description")) issue.description = fields["description"];
  if (fields.contains("labels")) issue.labels = fields["labels"].get<std::vector<std::string>>();
  if (fields.contains("assignee")) {
    issue.assignee = fields["assignee"].is_null() ? "" : fields["assignee"]["accountId"];
  }
  if (fields.contains("duedate")) {
    issue.due_date = fields["duedate"].is_null() ? "" : fields["duedate"];
  }
}

void FakeJira::CreateIssue(const httplib::Request& request, httplib::Response& response) {
  json body = ParseBody(request, response);
  if (body.is_null()) return;
  for (const auto& [key, value] : body.items()) {
    if (key != "fields" && key != "update") return SendErrors(response, 400, {kBadPayload});
  }
  const json fields = body.value("fields", json());
  if (!fields.is_object()) return SendErrors(response, 400, {kBadPayload});
  absl::MutexLock lock(&mu_);
  json errors = FieldErrors(fields, /*create=*/true);
  if (!errors.empty()) return SendErrors(response, 400, json::array(), errors);
  std::string project_key = fields["project"].value("key", projects_.begin()->first);
  std::string key = AddIssueLocked(project_key);
  ApplyFields(fields, issues_.back());
  const JiraIssueRecord& issue = issues_.back();
  response.status = 201;
  response.set_content(json{{"id", issue.id},
                            {"key", issue.key},
                            {"self", absl::StrCat(base_url(), kApi, "/issue/", issue.id)}}
                           .dump(),
                       "application/json");
}

json FakeJira::IssueJson(const JiraIssueRecord& issue,
                         const std::vector<std::string>& fields) const {
  json all = {{"summary", issue.summary},
              {"description", issue.description},
              {"labels", issue.labels},
              {"status", StatusJson(issue.status)},
              {"project", {{"id", "10000"}, {"key", issue.project_key}}},
              {"issuetype", {{"name", issue.issue_type}}},
              {"duedate", issue.due_date.empty() ? json() : json(issue.due_date)},
              {"assignee", json()}};
  if (auto user = users_.find(issue.assignee); user != users_.end()) {
    all["assignee"] = UserJson(user->second);
  }
  json out = {{"id", issue.id},
              {"key", issue.key},
              {"self", absl::StrCat(base_url(), kApi, "/issue/", issue.id)}};
  if (fields.empty()) return out;
  out["fields"] = json::object();
  for (const std::string& field : fields) {
    if (field == "*all" || field == "*navigable") {
      out["fields"] = all;
    } else if (all.contains(field)) {
      out["fields"][field] = all[field];
    }
  }
  return out;
}

json FakeJira::UserJson(const User& user) const {
  json out = {{"accountId", user.account_id},
              {"accountType", "atlassian"},
              {"displayName", user.display_name},
              {"active", true}};
  if (user.email_visible) out["emailAddress"] = user.email;
  return out;
}

void FakeJira::GetIssue(const httplib::Request& request, httplib::Response& response) {
  std::vector<std::string> fields = {"*all"};
  if (request.has_param("fields")) {
    fields = absl::StrSplit(request.get_param_value("fields"), ',', absl::SkipEmpty());
  }
  absl::MutexLock lock(&mu_);
  JiraIssueRecord* issue = Find(request.matches[1]);
  if (issue == nullptr) return SendErrors(response, 404, {kNoIssue});
  response.set_content(IssueJson(*issue, fields).dump(), "application/json");
}

void FakeJira::EditIssue(const httplib::Request& request, httplib::Response& response) {
  json body = ParseBody(request, response);
  if (body.is_null()) return;
  const json fields = body.value("fields", json());
  if (!fields.is_object() || body.size() != 1) return SendErrors(response, 400, {kBadPayload});
  absl::MutexLock lock(&mu_);
  JiraIssueRecord* issue = Find(request.matches[1]);
  if (issue == nullptr) return SendErrors(response, 404, {kNoIssue});
  json errors = FieldErrors(fields, /*create=*/false);
  if (!errors.empty()) return SendErrors(response, 400, json::array(), errors);
  ApplyFields(fields, *issue);
  response.status = 204;
}

void FakeJira::GetTransitions(const httplib::Request& request, httplib::Response& response) {
  absl::MutexLock lock(&mu_);
  JiraIssueRecord* issue = Find(request.matches[1]);
  if (issue == nullptr) return SendErrors(response, 404, {kNoIssue});
  json list = json::array();
  for (const Transition& transition : TransitionsFrom(issue->status)) {
    list.push_back({{"id", transition.id},
                    {"name", transition.name},
                    {"to", StatusJson(transition.to)},
                    {"hasScreen", false},
                    {"isGlobal", false},
                    {"isInitial", false},
                    {"isAvailable", true},
                    {"isConditional", false},
                    {"isLooped", false}});
  }
  response.set_content(json{{"expand", "transitions"}, {"transitions", list}}.dump(),
                       "application/json");
}

void FakeJira::DoTransition(const httplib::Request& request, httplib::Response& response) {
  json body = ParseBody(request, response);
  if (body.is_null()) return;
  const json transition = body.value("transition", json());
  if (!transition.is_object() || !transition.contains("id") || !transition["id"].is_string()) {
    return SendErrors(response, 400, {"Missing 'transition' identifier"});
  }
  const std::string id = transition["id"];
  absl::MutexLock lock(&mu_);
  JiraIssueRecord* issue = Find(request.matches[1]);
  if (issue == nullptr) return SendErrors(response, 404, {kNoIssue});
  for (const Transition& available : TransitionsFrom(issue->status)) {
    if (available.id != id) continue;
    transitions_.push_back({issue->key, available.name, issue->status, available.to});
    issue->status = available.to;
    response.status = 204;
    return;
  }
  SendErrors(response, 400,
             {absl::StrCat("Transition id '", id, "' is not valid for this issue.")});
}

void FakeJira::SearchUsers(const httplib::Request& request, httplib::Response& response) {
  std::string query = absl::AsciiStrToLower(request.get_param_value("query"));
  if (query.empty()) {
    return SendErrors(response, 400, {"The query parameter 'query' is not present."});
  }
  absl::MutexLock lock(&mu_);
  json list = json::array();
  for (const auto& [id, user] : users_) {
    if (absl::StartsWith(absl::AsciiStrToLower(user.email), query) ||
        absl::StartsWith(absl::AsciiStrToLower(user.display_name), query)) {
      list.push_back(UserJson(user));
    }
  }
  response.set_content(list.dump(), "application/json");
}

void FakeJira::SearchJql(const httplib::Request& request, httplib::Response& response) {
  static const std::set<std::string> kKeys = {"jql",          "nextPageToken", "maxResults",
                                              "fields",       "expand",        "properties",
                                              "fieldsByKeys", "failFast",      "reconcileIssues"};
  json body = ParseBody(request, response);
  if (body.is_null()) return;
  for (const auto& [key, value] : body.items()) {
    if (kKeys.count(key) == 0) return SendErrors(response, 400, {kBadPayload});
  }
  std::string error;
  std::optional<std::vector<JiraClause>> clauses =
      ParseJiraJql(body.value("jql", std::string()), &error);
  if (!clauses) return SendErrors(response, 400, {error});
  const json fields = body.value("fields", json::array());
  const json max = body.value("maxResults", json(50));
  if (!fields.is_array() || !max.is_number_integer()) {
    return SendErrors(response, 400, {kBadPayload});
  }
  absl::MutexLock lock(&mu_);
  json issues = json::array();
  for (const JiraIssueRecord& issue : issues_) {
    bool match = Searchable(issue);
    for (const JiraClause& clause : *clauses) {
      if (clause.field == "project") match &= issue.project_key == clause.value;
      if (clause.field == "key") match &= issue.key == clause.value;
      if (clause.field == "labels") {
        match &= std::count(issue.labels.begin(), issue.labels.end(), clause.value) > 0;
      }
    }
    if (match && issues.size() < max.get<size_t>()) {
      issues.push_back(IssueJson(issue, fields.get<std::vector<std::string>>()));
    }
  }
  response.set_content(json{{"issues", issues}, {"isLast", true}}.dump(), "application/json");
}

}  // namespace ff::testing
