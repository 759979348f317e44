#include "clients/jira/jira_client.h"

#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "clients/http/encoding.h"
#include "clients/http/json_call.h"
#include "common/status_macros.h"

namespace ff {
namespace {

using json = nlohmann::json;

std::string StringAt(const json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : "";
}

// IssueOf reads an issue answer ({"id","key","fields":{…}}); UNAVAILABLE
// naming `what` when it has no id or key.
absl::StatusOr<JiraIssue> IssueOf(const json& answer, absl::string_view what) {
  JiraIssue issue;
  if (answer.is_object()) {
    issue.id = StringAt(answer, "id");
    issue.key = StringAt(answer, "key");
  }
  if (issue.id.empty() || issue.key.empty()) {
    return MalformedAnswer(what, "answer has no issue id or key");
  }
  const json fields = answer.value("fields", json::object());
  if (!fields.is_object()) return issue;
  issue.summary = StringAt(fields, "summary");
  issue.due_date = StringAt(fields, "duedate");
  for (const json& label : fields.value("labels", json::array())) {
    if (label.is_string()) issue.labels.push_back(label);
  }
  if (const json status = fields.value("status", json()); status.is_object()) {
    issue.status_id = StringAt(status, "id");
    issue.status_name = StringAt(status, "name");
    if (const json category = status.value("statusCategory", json()); category.is_object()) {
      issue.status_category = StringAt(category, "key");
    }
  }
  if (const json assignee = fields.value("assignee", json()); assignee.is_object()) {
    issue.assignee_account_id = StringAt(assignee, "accountId");
  }
  return issue;
}

}  // namespace

const std::vector<std::string>& JiraClient::IssueFields() {
  static const auto* kFields =
      new std::vector<std::string>{"summary", "labels", "status", "assignee", "duedate"};
  return *kFields;
}

JiraClient::JiraClient(HttpClient* http, std::string base_url, absl::string_view email,
                       absl::string_view api_token, absl::Duration timeout)
    : http_(http),
      base_url_(std::move(base_url)),
      authorization_("Basic " + absl::Base64Escape(absl::StrCat(email, ":", api_token))),
      timeout_(timeout) {}

std::string JiraClient::BrowseUrl(absl::string_view key) const {
  return absl::StrCat(base_url_, "/browse/", key);
}

absl::StatusOr<JiraIssue> JiraClient::CreateIssue(const json& fields) {
  json body = {{"fields", fields}};
  const std::string what = "jira: create issue";
  FF_ASSIGN_OR_RETURN(json answer,
                      Call("POST", absl::StrCat(base_url_, "/rest/api/3/issue"), &body, what));
  return IssueOf(answer, what);
}

absl::StatusOr<JiraIssue> JiraClient::GetIssue(const std::string& key) {
  const std::string what = absl::StrCat("jira: read issue ", key);
  std::string url = WithQuery(absl::StrCat(base_url_, "/rest/api/3/issue/", UrlEncode(key)),
                              {{"fields", absl::StrJoin(IssueFields(), ",")}});
  FF_ASSIGN_OR_RETURN(json answer, Call("GET", url, nullptr, what));
  return IssueOf(answer, what);
}

absl::Status JiraClient::EditIssue(const std::string& key, const json& fields) {
  json body = {{"fields", fields}};
  std::string url = absl::StrCat(base_url_, "/rest/api/3/issue/", UrlEncode(key));
  const std::string what = absl::StrCat("jira: edit issue ", key);
  // 204: no body, so not SendForObject.
  return SendJson(*http_,
                  JsonRequest("PUT", url, {{"Authorization", authorization_}}, &body, timeout_),
                  what)
      .status();
}

absl::StatusOr<std::vector<JiraIssue>> JiraClient::Search(const std::string& jql, int max_results) {
  json body = {{"jql", jql}, {"fields", IssueFields()}, {"maxResults", max_results}};
  const std::string what = "jira: search issues";
  FF_ASSIGN_OR_RETURN(json answer,
                      Call("POST", absl::StrCat(base_url_, "/rest/api/3/search/jql"), &body, what));
  auto issues = answer.find("issues");
  if (issues == answer.end() || !issues->is_array()) {
    return MalformedAnswer(what, "answer has no issues array");
  }
  std::vector<JiraIssue> out;
  for (const json& issue : *issues) {
    FF_ASSIGN_OR_RETURN(JiraIssue read, IssueOf(issue, what));
    out.push_back(std::move(read));
  }
  return out;
}

absl::StatusOr<std::vector<JiraTransition>> JiraClient::Transitions(const std::string& key) {
  const std::string what = absl::StrCat("jira: read transitions of ", key);
  FF_ASSIGN_OR_RETURN(
      json answer,
      Call("GET", absl::StrCat(base_url_, "/rest/api/3/issue/", UrlEncode(key), "/transitions"),
           nullptr, what));
  auto list = answer.find("transitions");
  if (list == answer.end() || !list->is_array()) {
    return MalformedAnswer(what, "answer has no transitions array");
  }
  std::vector<JiraTransition> out;
  for (const json& item : *list) {
    if (!item.is_object()) continue;
    JiraTransition transition{StringAt(item, "id"), StringAt(item, "name"), "", ""};
    if (const json to = item.value("to", json()); to.is_object()) {
      transition.to_status_id = StringAt(to, "id");
      transition.to_status_name = StringAt(to, "name");
    }
    out.push_back(std::move(transition));
  }
  return out;
}

absl::Status JiraClient::Transition(const std::string& key, const std::string& transition_id) {
  json body = {{"transition", {{"id", transition_id}}}};
  std::string url = absl::StrCat(base_url_, "/rest/api/3/issue/", UrlEncode(key), "/transitions");
  return SendJson(*http_,
                  JsonRequest("POST", url, {{"Authorization", authorization_}}, &body, timeout_),
                  absl::StrCat("jira: transition ", key))
      .status();
}

absl::StatusOr<std::optional<std::string>> JiraClient::FindUserByEmail(const std::string& email) {
  const std::string what = "jira: find user by e-mail";
  std::string url =
      WithQuery(absl::StrCat(base_url_, "/rest/api/3/user/search"), {{"query", email}});
  FF_ASSIGN_OR_RETURN(
      JsonResponse answer,
      SendJson(*http_,
               JsonRequest("GET", url, {{"Authorization", authorization_}}, nullptr, timeout_),
               what));
  if (!answer.body.is_array()) return MalformedAnswer(what, "answer is not a JSON array");
  std::vector<std::string> hidden;  // accounts whose address is not shown
  for (const json& user : answer.body) {
    if (!user.is_object() || StringAt(user, "accountId").empty()) continue;
    std::string address = StringAt(user, "emailAddress");
    if (address.empty()) {
      hidden.push_back(StringAt(user, "accountId"));
    } else if (absl::EqualsIgnoreCase(address, email)) {
      return std::optional<std::string>(StringAt(user, "accountId"));
    }
  }
  if (answer.body.size() == 1 && hidden.size() == 1) return std::optional<std::string>(hidden[0]);
  return std::optional<std::string>();
}

std::string JiraClient::JqlString(absl::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

absl::StatusOr<json> JiraClient::Call(const std::string& method, const std::string& url,
                                      const json* body, absl::string_view what) {
  return SendForObject(
      *http_, JsonRequest(method, url, {{"Authorization", authorization_}}, body, timeout_), what);
}

}  // namespace ff
