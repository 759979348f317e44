// FakeJira: a loopback Jira Cloud (REST v3) for tests: the issue, user
// search, JQL search and transition routes the Jira notifier uses, validating
// like the real service.
//
//   POST /rest/api/3/issue                    201 {"id","key","self"}; 400 when
//        fields.project (key or id) or fields.issuetype (name or id) is
//        unknown, summary is missing, longer than 255 characters or holds a
//        line break, description is not an Atlassian Document Format doc
//        (type doc, version 1, known node types, non-empty text nodes, link
//        marks with an href), a label is empty or holds a space, the assignee
//        {"accountId"} is not a known user, duedate is not YYYY-MM-DD, or any
//        other field is set;
//   GET  /rest/api/3/issue/{key}[?fields=a,b] 200 / 404;
//   PUT  /rest/api/3/issue/{key}              204; {"fields": …} validated as
//        for create (project and issuetype cannot change);
//   GET  /rest/api/3/issue/{key}/transitions  the transitions available from
//        the issue's status;
//   POST /rest/api/3/issue/{key}/transitions  204; 400 for a transition not
//        available from the current status;
//   GET  /rest/api/3/user/search?query=       users whose e-mail or display
//        name starts with the query (e-mail hidden when a user hides it);
//   POST /rest/api/3/search/jql               {"jql","fields","maxResults",
//        "nextPageToken",…}: JQL of `field = value` clauses joined by AND over
//        project, labels and key; anything else (or an unbounded query) 400,
//        unknown body keys 400 "Invalid request payload…". Only issue ids
//        come back unless fields are asked for, as the real endpoint does.
// Every route needs "Authorization: Basic base64(email:api_token)" (401
// otherwise). Errors use Jira's shape {"errorMessages":[…],"errors":{field:…}}.
//
// The workflow: To Do → (Start) In Progress; To Do / In Progress → (Done)
// Done, (Won't Do) Won't Do; Done / Won't Do → (Reopen) To Do.
// Faults: 5xx and 429 + Retry-After from the base (FailNext); LoseNextAnswers
// applies a request and then drops the connection before the answer;
// set_index_lag keeps new issues out of JQL searches for a while, as Jira's
// eventually consistent search does. Thread-safe.
#ifndef FF_TESTS_TESTING_FAKE_JIRA_H_
#define FF_TESTS_TESTING_FAKE_JIRA_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/clock.h"
#include "nlohmann/json.hpp"
#include "tests/testing/fake_http_server.h"

namespace ff::testing {

struct JiraIssueRecord {
  std::string id;
  std::string key;
  std::string project_key;
  std::string issue_type;  // its name
  std::string summary;
  nlohmann::json description;  // the ADF doc, or null
  std::vector<std::string> labels;
  std::string assignee;  // account id; "" when unassigned
  std::string due_date;  // "YYYY-MM-DD" or ""
  std::string status;    // status name: "To Do", "In Progress", "Done", "Won't Do"
  absl::Time created;
};

struct JiraTransitionRecord {
  std::string key;
  std::string name;  // the transition's name
  std::string from;  // status names
  std::string to;
};

class FakeJira final : public FakeHttpServer {
 public:
  // Accepts only `email`:`api_token`; knows project `project_key` with the
  // issue types Task and Bug.
  FakeJira(std::string email, std::string api_token, std::string project_key = "OPS");
  ~FakeJira() override;

  // AddUser makes a user known (user search, assignee). `email_visible`
  // false hides the address in answers, as a profile's privacy setting does.
  void AddUser(const std::string& account_id, const std::string& email,
               const std::string& display_name, bool email_visible = true);
  // LoseNextAnswers: the next `count` requests to `route` ("METHOD /path",
  // e.g. "POST /rest/api/3/issue"; "" for any) are applied, then their
  // connection is dropped before the answer's body.
  void LoseNextAnswers(int count, const std::string& route = "");
  // FailNextOn: the next `count` requests to `route` are answered `status`
  // (and Retry-After: seconds when given) without being applied; the base's
  // FailNext does the same for whatever request comes next.
  void FailNextOn(int count, const std::string& route, int status,
                  std::optional<int> retry_after_seconds = std::nullopt);
  // set_index_lag: an issue shows up in JQL searches only `lag` after its
  // creation, by `clock` (which must outlive the fake).
  void set_index_lag(absl::Duration lag, const Clock* clock);

  std::vector<JiraIssueRecord> issues();
  std::optional<JiraIssueRecord> issue(const std::string& key);
  // Transitions applied, oldest first.
  std::vector<JiraTransitionRecord> transitions();
  // PlantIssue stores an issue as if created earlier (another installation's,
  // or ours before a lost answer) without recording a request. Returns its key.
  std::string PlantIssue(const std::string& summary, const std::vector<std::string>& labels);

 protected:
  void RegisterRoutes(httplib::Server& server) override;

 private:
  struct User {
    std::string account_id;
    std::string email;
    std::string display_name;
    bool email_visible = true;
  };
  using Handler = void (FakeJira::*)(const httplib::Request&, httplib::Response&);
  // Route records, authenticates, runs `handler` and applies LoseNextAnswers.
  void Route(const httplib::Request& request, httplib::Response& response, Handler handler);

  void CreateIssue(const httplib::Request& request, httplib::Response& response);
  void GetIssue(const httplib::Request& request, httplib::Response& response);
  void EditIssue(const httplib::Request& request, httplib::Response& response);
  void GetTransitions(const httplib::Request& request, httplib::Response& response);
  void DoTransition(const httplib::Request& request, httplib::Response& response);
  void SearchUsers(const httplib::Request& request, httplib::Response& response);
  void SearchJql(const httplib::Request& request, httplib::Response& response);

  // FieldErrors validates `fields` for a create (`create`) or an edit;
  // returns Jira's "errors" object (empty when valid).
  nlohmann::json FieldErrors(const nlohmann::json& fields, bool create)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void ApplyFields(const nlohmann::json& fields, JiraIssueRecord& issue)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  JiraIssueRecord* Find(const std::string& key_or_id) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  nlohmann::json IssueJson(const JiraIssueRecord& issue,
                           const std::vector<std::string>& fields) const
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  nlohmann::json UserJson(const User& user) const;
  std::string AddIssueLocked(const std::string& project_key) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  bool Searchable(const JiraIssueRecord& issue) const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::Time Now() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const std::string credentials_;  // "email:token"
  absl::Mutex mu_;
  std::map<std::string, std::string> projects_ ABSL_GUARDED_BY(mu_);  // key -> id
  std::map<std::string, User> users_ ABSL_GUARDED_BY(mu_);            // by account id
  std::vector<JiraIssueRecord> issues_ ABSL_GUARDED_BY(mu_);
  std::vector<JiraTransitionRecord> transitions_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, int> next_number_ ABSL_GUARDED_BY(mu_);  // per project
  int64_t next_id_ ABSL_GUARDED_BY(mu_) = 10001;
  struct Fault {
    int count = 0;
    std::string route;
    int status = 0;  // 0: lose the answer
    std::optional<int> retry_after;
  };
  // TakeFault consumes one use of `fault` when it applies to `request`.
  static bool TakeFault(Fault& fault, const httplib::Request& request);
  Fault lose_ ABSL_GUARDED_BY(mu_);
  Fault fail_ ABSL_GUARDED_BY(mu_);
  absl::Duration index_lag_ ABSL_GUARDED_BY(mu_);
  const Clock* clock_ ABSL_GUARDED_BY(mu_) = nullptr;
};

// JiraDocError returns why `doc` is not a valid Atlassian Document Format
// document, or "" when it is. Exposed for the fake's own test.
std::string JiraDocError(const nlohmann::json& doc);

// JiraClause is one `field = value` clause of a JQL query.
struct JiraClause {
  std::string field;  // lower-cased
  std::string value;
};
// ParseJiraJql parses the JQL subset the fake understands; nullopt (with
// `error` set to Jira's message) for anything else.
std::optional<std::vector<JiraClause>> ParseJiraJql(const std::string& jql, std::string* error);

}  // namespace ff::testing

#endif  // FF_TESTS_TESTING_FAKE_JIRA_H_
