// FakeJira rejects what Jira Cloud's REST v3 rejects, in Jira's error shape,
// and accepts the documented requests: issue create / read / edit, JQL
// search, user search and workflow transitions; plus its injected faults.
#include "tests/testing/fake_jira.h"

#include <memory>
#include <string>

#include "absl/strings/escaping.h"
#include "clients/http/curl_http_client.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/testing/fake_clock.h"
#include "tests/testing/status_matchers.h"

namespace ff::testing {
namespace {

using json = nlohmann::json;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

class FakeJiraTest : public ::testing::Test {
 protected:
  FakeJiraTest() { fake_.AddUser("acc-alice", "alice@example.com", "Alice Martin"); }

  absl::StatusOr<HttpResponse> Try(const std::string& method, const std::string& path,
                                   const json& body = json(),
                                   const std::string& auth = "bot@example.com:secret") {
    HttpRequest request;
    request.method = method;
    request.url = fake_.base_url() + path;
    if (!auth.empty()) {
      request.headers.emplace_back("Authorization", "Basic " + absl::Base64Escape(auth));
    }
    if (!body.is_null()) {
      request.headers.emplace_back("Content-Type", "application/json");
      request.body = body.dump();
    }
    return http_->Send(request);
  }

  HttpResponse Send(const std::string& method, const std::string& path, const json& body = json(),
                    const std::string& auth = "bot@example.com:secret") {
    absl::StatusOr<HttpResponse> response = Try(method, path, body, auth);
    EXPECT_TRUE(response.ok()) << response.status();
    return response.ok() ? *response : HttpResponse{};
  }

  // A create body as Jira's documentation shows it.
  static json CreateBody() {
    return json::parse(R"({"fields": {
        "project": {"key": "OPS"},
        "issuetype": {"name": "Task"},
        "summary": "Add a circuit breaker to the payment client",
        "description": {"type": "doc", "version": 1, "content": [
          {"type": "paragraph", "content": [
            {"type": "text", "text": "From "},
            {"type": "text", "text": "incident #42",
             "marks": [{"type": "link", "attrs": {"href": "https://ff.example.com/incidents/42"}}]}
          ]}]},
        "labels": ["firefighter-incident-42"],
        "assignee": {"accountId": "acc-alice"},
        "duedate": "2026-02-01"}})");
  }

  // FieldError sends `body` to create and returns errors[field] of the 400.
  std::string FieldError(const json& body, const std::string& field) {
    HttpResponse response = Send("POST", "/rest/api/3/issue", body);
    EXPECT_EQ(response.status, 400) << response.body;
    json answer = json::parse(response.body, nullptr, false);
    if (answer.is_discarded() || !answer.contains("errors")) return "<no errors object>";
    EXPECT_EQ(answer["errorMessages"], json::array());
    return answer["errors"].value(field, "<no error for " + field + ">");
  }

  std::string Create() {
    HttpResponse created = Send("POST", "/rest/api/3/issue", CreateBody());
    EXPECT_EQ(created.status, 201) << created.body;
    return json::parse(created.body).value("key", "");
  }

  FakeJira fake_{"bot@example.com", "secret"};
  std::unique_ptr<HttpClient> http_ = CurlHttpClient::Create();
};

TEST_F(FakeJiraTest, CreatesTheDocumentedIssueAndReadsItBack) {
  HttpResponse created = Send("POST", "/rest/api/3/issue", CreateBody());
  ASSERT_EQ(created.status, 201) << created.body;
  json answer = json::parse(created.body);
  EXPECT_EQ(answer["key"], "OPS-1");
  EXPECT_THAT(answer["self"].get<std::string>(), HasSubstr("/rest/api/3/issue/"));

  HttpResponse read = Send("GET", "/rest/api/3/issue/OPS-1?fields=summary,status,assignee");
  ASSERT_EQ(read.status, 200);
  json issue = json::parse(read.body);
  EXPECT_EQ(issue["fields"]["summary"], "Add a circuit breaker to the payment client");
  EXPECT_EQ(issue["fields"]["status"]["name"], "To Do");
  EXPECT_EQ(issue["fields"]["status"]["statusCategory"]["key"], "new");
  EXPECT_EQ(issue["fields"]["assignee"]["accountId"], "acc-alice");
  EXPECT_FALSE(issue["fields"].contains("labels"));
}

TEST_F(FakeJiraTest, WithoutTheRightBasicCredentialsEveryRouteIs401) {
  for (const std::string& auth : {std::string(), std::string("bot@example.com:wrong")}) {
    EXPECT_EQ(Send("POST", "/rest/api/3/issue", CreateBody(), auth).status, 401);
    EXPECT_EQ(Send("GET", "/rest/api/3/user/search?query=alice", json(), auth).status, 401);
  }
  EXPECT_THAT(fake_.issues(), IsEmpty());
}

TEST_F(FakeJiraTest, RefusesAnUnknownProjectOrIssueType) {
  json body = CreateBody();
  body["fields"]["project"] = {{"key", "NOPE"}};
  EXPECT_EQ(FieldError(body, "project"), "Specify a valid project ID or key");
  body = CreateBody();
  body["fields"]["issuetype"] = {{"name", "Epic"}};
  EXPECT_EQ(FieldError(body, "issuetype"), "Specify a valid issue type");
  body["fields"]["issuetype"] = {{"id", "10002"}};  // Bug, by id
  EXPECT_EQ(Send("POST", "/rest/api/3/issue", body).status, 201);
}

TEST_F(FakeJiraTest, SummaryIsRequiredSingleLineAndAtMost255Characters) {
  json body = CreateBody();
  body["fields"].erase("summary");
  EXPECT_EQ(FieldError(body, "summary"), "You must specify a summary of the issue.");
  body["fields"]["summary"] = "two\nlines";
  EXPECT_EQ(FieldError(body, "summary"),
            "The summary is invalid because it contains newline characters.");
  body["fields"]["summary"] = std::string(256, 'x');
  EXPECT_EQ(FieldError(body, "summary"), "Summary must be less than 255 characters.");
  std::string accents;
  for (int i = 0; i < 255; ++i) accents += "é";  // 255 characters, 510 bytes
  body["fields"]["summary"] = accents;
  EXPECT_EQ(Send("POST", "/rest/api/3/issue", body).status, 201);
}

TEST_F(FakeJiraTest, DescriptionMustBeAnAtlassianDocument) {
  const std::string kNotAdf =
      "Operation value must be an Atlassian Document (see the Atlassian Document Format)";
  json body = CreateBody();
  body["fields"]["description"] = "plain text, as v2 took it";
  EXPECT_EQ(FieldError(body, "description"), kNotAdf);
  for (
      const char* doc : {
          R"({"type":"doc","version":2,"content":[]})",
          R"({"type":"doc","version":1,"content":[{"type":"marquee","content":[]}]})",
          R"({"type":"doc","version":1,"content":[{"type":"paragraph","content":[{"type":"text","text":""}]}]})",
          R"({"type":"doc","version":1,"content":[{"type":"paragraph","content":[{"type":"text","text":"x","marks":[{"type":"link","attrs":{}}]}]}]})",
          R"({"type":"doc","version":1,"content":[{"type":"bulletList","content":[{"type":"paragraph","content":[]}]}]})",
      }) {
    SCOPED_TRACE(doc);
    EXPECT_THAT(JiraDocError(json::parse(doc)), ::testing::Not(IsEmpty()));
    body["fields"]["description"] = json::parse(doc);
    EXPECT_EQ(FieldError(body, "description"), kNotAdf);
  }
  EXPECT_EQ(JiraDocError(CreateBody()["fields"]["description"]), "");
}

TEST_F(FakeJiraTest, LabelsWithSpacesUnknownAssigneesBadDatesAndUnknownFieldsAreRefused) {
  json body = CreateBody();
  body["fields"]["labels"] = json::array({"fine", "not fine"});
  EXPECT_EQ(FieldError(body, "labels"), "The label 'not fine' contains spaces which is invalid.");
  body = CreateBody();
  body["fields"]["assignee"] = {{"accountId", "acc-nobody"}};
  EXPECT_EQ(FieldError(body, "assignee"), "User 'acc-nobody' does not exist.");
  body = CreateBody();
  body["fields"]["duedate"] = "01/02/2026";
  EXPECT_THAT(FieldError(body, "duedate"), HasSubstr("Error parsing date string"));
  body = CreateBody();
  body["fields"]["priority"] = {{"name", "High"}};
  EXPECT_EQ(FieldError(body, "priority"),
            "Field 'priority' cannot be set. It is not on the appropriate screen, or unknown.");
  EXPECT_THAT(fake_.issues(), IsEmpty());
}

TEST_F(FakeJiraTest, FindsUsersByEmailAndHidesPrivateAddresses) {
  fake_.AddUser("acc-bob", "bob@example.com", "Bob", /*email_visible=*/false);
  json alice = json::parse(Send("GET", "/rest/api/3/user/search?query=alice%40example.com").body);
  ASSERT_EQ(alice.size(), 1u);
  EXPECT_EQ(alice[0]["accountId"], "acc-alice");
  EXPECT_EQ(alice[0]["emailAddress"], "alice@example.com");
  json bob = json::parse(Send("GET", "/rest/api/3/user/search?query=bob%40example.com").body);
  ASSERT_EQ(bob.size(), 1u);
  EXPECT_FALSE(bob[0].contains("emailAddress"));
  EXPECT_EQ(json::parse(Send("GET", "/rest/api/3/user/search?query=carol").body), json::array());
  EXPECT_EQ(Send("GET", "/rest/api/3/user/search").status, 400);
}

TEST_F(FakeJiraTest, JqlSearchFindsByLabelAndRefusesWhatItCannotRun) {
  std::string key = Create();
  fake_.PlantIssue("someone else's", {"other"});
  json query = {{"jql", R"(project = "OPS" AND labels = "firefighter-incident-42")"},
                {"fields", json::array({"labels", "status"})},
                {"maxResults", 10}};
  HttpResponse found = Send("POST", "/rest/api/3/search/jql", query);
  ASSERT_EQ(found.status, 200) << found.body;
  json issues = json::parse(found.body)["issues"];
  ASSERT_EQ(issues.size(), 1u);
  EXPECT_EQ(issues[0]["key"], key);
  EXPECT_EQ(issues[0]["fields"]["labels"], json::array({"firefighter-incident-42"}));

  json ids_only = {{"jql", "labels = other"}};
  json bare = json::parse(Send("POST", "/rest/api/3/search/jql", ids_only).body)["issues"];
  ASSERT_EQ(bare.size(), 1u);
  EXPECT_FALSE(bare[0].contains("fields"));  // the enhanced search returns ids by default

  for (const json& bad : {json{{"jql", ""}}, json{{"jql", "summary ~ \"x\""}},
                          json{{"jql", "labels = x ORDER BY created"}},
                          json{{"jql", "labels = x"}, {"startAt", 0}}}) {
    SCOPED_TRACE(bad.dump());
    HttpResponse refused = Send("POST", "/rest/api/3/search/jql", bad);
    EXPECT_EQ(refused.status, 400);
    EXPECT_FALSE(json::parse(refused.body)["errorMessages"].empty());
  }
}

TEST_F(FakeJiraTest, NewIssuesReachTheSearchOnlyAfterTheIndexLag) {
  FakeClock clock;
  fake_.set_index_lag(absl::Seconds(5), &clock);
  Create();
  json query = {{"jql", "project = OPS AND labels = firefighter-incident-42"}};
  EXPECT_EQ(json::parse(Send("POST", "/rest/api/3/search/jql", query).body)["issues"].size(), 0u);
  clock.Advance(absl::Seconds(5));
  EXPECT_EQ(json::parse(Send("POST", "/rest/api/3/search/jql", query).body)["issues"].size(), 1u);
}

TEST_F(FakeJiraTest, TransitionsFollowTheWorkflow) {
  std::string key = Create();
  json available = json::parse(Send("GET", "/rest/api/3/issue/" + key + "/transitions").body);
  std::vector<std::string> names;
  for (const json& transition : available["transitions"]) names.push_back(transition["name"]);
  EXPECT_THAT(names, ElementsAre("Start", "Done", "Won't Do"));
  EXPECT_EQ(available["transitions"][1]["to"]["name"], "Done");

  EXPECT_EQ(
      Send("POST", "/rest/api/3/issue/" + key + "/transitions", {{"transition", {{"id", "31"}}}})
          .status,
      204);
  HttpResponse again =
      Send("POST", "/rest/api/3/issue/" + key + "/transitions", {{"transition", {{"id", "31"}}}});
  EXPECT_EQ(again.status, 400);
  EXPECT_EQ(json::parse(again.body)["errorMessages"][0],
            "Transition id '31' is not valid for this issue.");
  ASSERT_EQ(fake_.transitions().size(), 1u);
  EXPECT_EQ(fake_.transitions()[0].to, "Done");
  EXPECT_EQ(fake_.issue(key)->status, "Done");
  EXPECT_EQ(Send("GET", "/rest/api/3/issue/OPS-99/transitions").status, 404);
}

TEST_F(FakeJiraTest, EditsValidateLikeCreateAndCannotMoveProjects) {
  std::string key = Create();
  EXPECT_EQ(Send("PUT", "/rest/api/3/issue/" + key,
                 {{"fields", {{"summary", "Renamed"}, {"assignee", nullptr}}}})
                .status,
            204);
  EXPECT_EQ(fake_.issue(key)->summary, "Renamed");
  EXPECT_EQ(fake_.issue(key)->assignee, "");
  HttpResponse refused =
      Send("PUT", "/rest/api/3/issue/" + key, {{"fields", {{"project", {{"key", "OPS"}}}}}});
  EXPECT_EQ(refused.status, 400);
  EXPECT_TRUE(json::parse(refused.body)["errors"].contains("project"));
}

TEST_F(FakeJiraTest, ALostAnswerIsAppliedButNeverArrives) {
  fake_.LoseNextAnswers(1);
  absl::StatusOr<HttpResponse> lost = Try("POST", "/rest/api/3/issue", CreateBody());
  EXPECT_THAT(lost, StatusIs(absl::StatusCode::kUnavailable));
  EXPECT_EQ(fake_.issues().size(), 1u);  // created all the same
  EXPECT_EQ(Send("POST", "/rest/api/3/issue", CreateBody()).status, 201);
}

TEST_F(FakeJiraTest, InjectedRateLimitCarriesRetryAfter) {
  fake_.FailNext(1, 429, 7);
  HttpResponse limited = Send("POST", "/rest/api/3/issue", CreateBody());
  EXPECT_EQ(limited.status, 429);
  EXPECT_EQ(limited.Header("retry-after"), "7");
  EXPECT_THAT(fake_.issues(), IsEmpty());
}

}  // namespace
}  // namespace ff::testing
