// JiraClient: the Jira Cloud REST v3 calls FireFighter makes: create, read
// and edit an issue, find issues with JQL (the enhanced search,
// POST /rest/api/3/search/jql), read and perform an issue's transitions, and
// look a user up by e-mail. Authenticates with Basic base64(email:api_token).
// Codes as clients/http/json_call.h (Jira's 400 {"errorMessages","errors"}
// body is quoted in the message, so a refused field is named there); an
// answer without its documented fields is UNAVAILABLE. Messages name the
// issue or the call, never the token.
// Thread-safe (stateless over a thread-safe HttpClient).
#ifndef FF_CLIENTS_JIRA_JIRA_CLIENT_H_
#define FF_CLIENTS_JIRA_JIRA_CLIENT_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "clients/http/http_client.h"
#include "nlohmann/json.hpp"

namespace ff {

// JiraIssue is what FireFighter reads of an issue. Fields not asked for, or
// empty in Jira, are empty.
struct JiraIssue {
  std::string id;
  std::string key;
  std::string summary;
  std::vector<std::string> labels;
  std::string status_id;
  std::string status_name;
  std::string status_category;  // statusCategory.key: "new", "indeterminate", "done"
  std::string assignee_account_id;
  std::string due_date;  // "YYYY-MM-DD"
};

// JiraTransition is one transition available from an issue's status.
struct JiraTransition {
  std::string id;
  std::string name;
  std::string to_status_id;
  std::string to_status_name;
};

class JiraClient {
 public:
  // The fields FireFighter reads of an issue (GetIssue, Search).
  static const std::vector<std::string>& IssueFields();

  // `base_url` is the site, e.g. https://acme.atlassian.net, without a
  // trailing slash. REQUIRES: `http` outlives the client.
  JiraClient(HttpClient* http, std::string base_url, absl::string_view email,
             absl::string_view api_token, absl::Duration timeout);

  // BrowseUrl is the issue's page for people: <base_url>/browse/<key>.
  std::string BrowseUrl(absl::string_view key) const;

  // CreateIssue creates an issue of `fields` (Jira's "fields" object) and
  // returns its id and key.
  absl::StatusOr<JiraIssue> CreateIssue(const nlohmann::json& fields);
  // GetIssue reads issue `key` (IssueFields()); NOT_FOUND when it does not
  // exist or may not be seen.
  absl::StatusOr<JiraIssue> GetIssue(const std::string& key);
  // EditIssue sets `fields` on issue `key`.
  absl::Status EditIssue(const std::string& key, const nlohmann::json& fields);
  // Search returns up to `max_results` issues matching `jql` (which must be
  // bounded, e.g. by project), with IssueFields(). Jira's search is
  // eventually consistent: an issue made seconds ago may be missing.
  absl::StatusOr<std::vector<JiraIssue>> Search(const std::string& jql, int max_results);
  // Transitions lists the transitions available from issue `key`'s status.
  absl::StatusOr<std::vector<JiraTransition>> Transitions(const std::string& key);
  // Transition performs transition `transition_id` on issue `key`;
  // INVALID_ARGUMENT when it is not available from the current status.
  absl::Status Transition(const std::string& key, const std::string& transition_id);
  // FindUserByEmail returns the account id of the user with e-mail `email`,
  // or nullopt. A user whose profile hides the address is taken when the
  // search by that address finds exactly one account.
  absl::StatusOr<std::optional<std::string>> FindUserByEmail(const std::string& email);

  // JqlString quotes `text` as a JQL string literal.
  static std::string JqlString(absl::string_view text);

 private:
  absl::StatusOr<nlohmann::json> Call(const std::string& method, const std::string& url,
                                      const nlohmann::json* body, absl::string_view what);

  HttpClient* http_;
  std::string base_url_;
  std::string authorization_;
  absl::Duration timeout_;
};

}  // namespace ff

#endif  // FF_CLIENTS_JIRA_JIRA_CLIENT_H_
