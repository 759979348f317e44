// The dashboard's actions end to end: the real firefighterd (temporary
// SQLite, port 0, bearer tokens) and the real firefighter-web process
// behind the auth-proxy convention, the proxy's header set by the test on
// the trusted loopback source. Each action must change the core as the
// signed-in person ("… via web"), and nothing may change without a person,
// without the anti-CSRF token or from a foreign Origin.
#include <signal.h>

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/web/web_actions_fixture.h"

namespace ff::web {
namespace {

using ::testing::HasSubstr;

TEST_F(WebActionsTest, TheSessionSaysWhoIsSignedInAndGivesTheirToken) {
  StartWeb();
  Reply alice = Session(kAlice);
  ASSERT_EQ(alice.status, 200);
  EXPECT_EQ(alice.body["person"], kAlice);
  EXPECT_EQ(alice.body["can_act"], true);
  EXPECT_EQ(alice.body["csrf_token"].get<std::string>().size(), 64u);
  EXPECT_EQ(Session(kAlice).body["csrf_token"], alice.body["csrf_token"]);
  EXPECT_NE(Session(kBob).body["csrf_token"], alice.body["csrf_token"]);
}

TEST_F(WebActionsTest, EachActionChangesTheCoreAsTheSignedInPersonViaWeb) {
  StartWeb();
  Reply declared = Act(kAlice, "/api/incidents",
                       {{"domain", "payment"},
                        {"severity", "sev2"},
                        {"title", "Checkout returns 500"},
                        {"description", "Card payments fail"},
                        {"page_oncall", true}});
  ASSERT_EQ(declared.status, 201) << declared.body.dump();
  const int64_t id = declared.body["incident"]["id"];
  const std::string base = "/api/incidents/" + std::to_string(id);
  pb::Incident incident = CoreIncident(id);
  EXPECT_EQ(incident.reporter(), kAlice);
  EXPECT_EQ(incident.severity(), pb::SEVERITY_SEV2);
  EXPECT_EQ(incident.description(), "Card payments fail");
  EXPECT_TRUE(incident.trigger_oncall());

  Reply updated = Act(kAlice, base + "/update",
                      {{"status", "investigating"},
                       {"commander", kAlice},
                       {"expected_version", incident.version()}});
  ASSERT_EQ(updated.status, 200) << updated.body.dump();
  EXPECT_EQ(updated.body["incident"]["status"], "investigating");
  EXPECT_EQ(updated.body["incident"]["allowed_next_statuses"], nlohmann::json({"fixing", "fixed"}));
  ASSERT_EQ(Act(kBob, base + "/take-command", nlohmann::json::object()).status, 200);
  EXPECT_EQ(CoreIncident(id).roles().commander(), kBob);
  Reply note = Act(kBob, base + "/notes", {{"text", "Rolling back 2024.11.3"}});
  ASSERT_EQ(note.status, 201) << note.body.dump();
  EXPECT_EQ(note.body["entry"]["text"], "Rolling back 2024.11.3");
  Reply closed = Act(kAlice, base + "/close", {{"reason", "duplicate"}, {"message", "see #1"}});
  ASSERT_EQ(closed.status, 200) << closed.body.dump();

  incident = CoreIncident(id);
  EXPECT_EQ(incident.status(), pb::STATUS_CLOSED);
  EXPECT_EQ(incident.close_reason(), pb::CLOSE_REASON_DUPLICATE);
  std::vector<std::string> lines;
  for (const pb::TimelineEntry& entry : Timeline(id)) {
    if (entry.kind() == "notification") continue;  // a notifier's own notice
    lines.push_back(entry.kind() + " " + entry.actor() + " via " + entry.via());
  }
  EXPECT_THAT(lines, ::testing::ElementsAre(
                         "opened alice@example.com via web", "status alice@example.com via web",
                         "role alice@example.com via web", "role bob@example.com via web",
                         "note bob@example.com via web", "closed alice@example.com via web"));
}

TEST_F(WebActionsTest, WithoutTheProxyHeaderEveryActionIs401AndNothingChanges) {
  StartWeb();
  const int64_t id = Declare("Checkout returns 500");
  const int64_t version = CoreIncident(id).version();
  const std::string base = "/api/incidents/" + std::to_string(id);
  httplib::Headers anonymous = {{"X-CSRF-Token", TokenOf(kAlice)}, {"Origin", OwnOrigin()}};
  for (const auto& [path, body] : std::vector<std::pair<std::string, nlohmann::json>>{
           {"/api/incidents", {{"domain", "payment"}, {"severity", "sev1"}, {"title", "x"}}},
           {base + "/update", {{"status", "investigating"}}},
           {base + "/take-command", nlohmann::json::object()},
           {base + "/notes", {{"text", "hello"}}},
           {base + "/close", {{"reason", "mistake"}}}}) {
    Reply reply = Post(path, body, anonymous);
    EXPECT_EQ(reply.status, 401) << path;
    EXPECT_THAT(reply.body.dump(), HasSubstr("not signed in: the proxy sent no X-Forwarded-Email"));
  }
  EXPECT_EQ(IncidentCount(), 1);
  EXPECT_EQ(CoreIncident(id).version(), version);
}

// Without --auth-proxy-header nobody is signed in: a header that names
// someone is anyone's to send, so it is not believed.
TEST_F(WebActionsTest, WithoutAnAuthProxyTheHeaderIsNotBelievedAndActionsAre401) {
  StartWeb({});
  Reply session = Session(kAlice);
  ASSERT_EQ(session.status, 200);
  EXPECT_EQ(session.body["can_act"], false);
  EXPECT_EQ(session.body["person"], nullptr);
  EXPECT_THAT(session.body["why"].get<std::string>(), HasSubstr("--auth-proxy-header"));
  Reply reply =
      Post("/api/incidents", {{"domain", "payment"}, {"severity", "sev1"}, {"title", "x"}},
           {{"X-Forwarded-Email", kAlice}, {"Origin", OwnOrigin()}});
  EXPECT_EQ(reply.status, 401);
  EXPECT_EQ(reply.body["reason"], "not_signed_in");
  EXPECT_THAT(reply.body["error"].get<std::string>(), HasSubstr("nobody is signed in"));
  EXPECT_EQ(IncidentCount(), 0);
}

// From a peer the proxy rule does not trust, an action is unauthenticated
// (401) whatever header it carries; reading from there stays forbidden (403).
TEST_F(WebActionsTest, FromAnUntrustedSourceActionsAreRefusedAndNothingChanges) {
  StartWeb({"--auth-proxy-header", "X-Forwarded-Email", "--trusted-proxy", "10.0.0.0/8"});
  Reply reply =
      Post("/api/incidents", {{"domain", "payment"}, {"severity", "sev1"}, {"title", "x"}},
           {{"X-Forwarded-Email", kAlice}, {"Origin", OwnOrigin()}});
  EXPECT_EQ(reply.status, 401);
  EXPECT_THAT(reply.body.dump(), HasSubstr("requests must come through the authenticating proxy"));
  EXPECT_EQ(IncidentCount(), 0);
}

TEST_F(WebActionsTest, AMissingOrWrongCsrfTokenIs403AndNothingChanges) {
  StartWeb();
  const nlohmann::json body = {{"domain", "payment"}, {"severity", "sev1"}, {"title", "x"}};
  Reply missing =
      Post("/api/incidents", body, {{"X-Forwarded-Email", kAlice}, {"Origin", OwnOrigin()}});
  EXPECT_EQ(missing.status, 403);
  EXPECT_EQ(missing.body["reason"], "csrf");
  EXPECT_THAT(missing.body["error"].get<std::string>(), HasSubstr("needs the X-CSRF-Token"));
  for (const std::string& token : {TokenOf(kBob), std::string(64, '0'), std::string("abc")}) {
    Reply wrong =
        Post("/api/incidents", body,
             {{"X-Forwarded-Email", kAlice}, {"X-CSRF-Token", token}, {"Origin", OwnOrigin()}});
    EXPECT_EQ(wrong.status, 403) << token;
    EXPECT_EQ(wrong.body["reason"], "csrf") << token;
    EXPECT_THAT(wrong.body["error"].get<std::string>(), HasSubstr("is not this session's"));
  }
  EXPECT_EQ(IncidentCount(), 0);
}

TEST_F(WebActionsTest, AForeignOrMissingOriginIs403AndNothingChanges) {
  StartWeb();
  const nlohmann::json body = {{"domain", "payment"}, {"severity", "sev1"}, {"title", "x"}};
  const std::string token = TokenOf(kAlice);
  for (const std::string& origin :
       {std::string("https://attacker.example"), std::string("null"),
        "https://127.0.0.1:" + std::to_string(web_->port()), std::string("http://127.0.0.1")}) {
    Reply foreign =
        Post("/api/incidents", body,
             {{"X-Forwarded-Email", kAlice}, {"X-CSRF-Token", token}, {"Origin", origin}});
    EXPECT_EQ(foreign.status, 403) << origin;
    EXPECT_EQ(foreign.body["reason"], "origin") << origin;
    EXPECT_THAT(foreign.body["error"].get<std::string>(), HasSubstr("is not this dashboard's"));
  }
  Reply missing =
      Post("/api/incidents", body, {{"X-Forwarded-Email", kAlice}, {"X-CSRF-Token", token}});
  EXPECT_EQ(missing.status, 403);
  EXPECT_EQ(missing.body["reason"], "origin");
  EXPECT_THAT(missing.body["error"].get<std::string>(), HasSubstr("needs the Origin header"));
  EXPECT_EQ(IncidentCount(), 0);
}

// Behind a TLS-terminating proxy the page's origin is https: the proxy says
// so in X-Forwarded-Proto.
TEST_F(WebActionsTest, TheOriginsSchemeComesFromTheProxy) {
  StartWeb();
  httplib::Headers headers = As(kAlice);
  headers.erase("Origin");
  headers.emplace("Origin", "https://127.0.0.1:" + std::to_string(web_->port()));
  headers.emplace("X-Forwarded-Proto", "https");
  Reply reply = Post("/api/incidents",
                     {{"domain", "payment"}, {"severity", "sev3"}, {"title", "x"}}, headers);
  EXPECT_EQ(reply.status, 201) << reply.body.dump();
}

TEST_F(WebActionsTest, ARefusedMoveAnswersTheWorkflowsReasonAndItsField) {
  StartWeb();
  const int64_t id = Declare("Checkout returns 500");
  const std::string base = "/api/incidents/" + std::to_string(id);
  const int64_t version = CoreIncident(id).version();

  Reply skip = Act(kAlice, base + "/update", {{"status", "postmortem"}});
  EXPECT_EQ(skip.status, 409);
  EXPECT_EQ(skip.body["field"], "status");
  EXPECT_THAT(
      skip.body["error"].get<std::string>(),
      HasSubstr("cannot move incident #" + std::to_string(id) + " from OPEN to POSTMORTEM"));

  Reply close = Act(kAlice, base + "/close", {{"reason", "resolved"}});
  EXPECT_EQ(close.status, 409);
  EXPECT_EQ(close.body["field"], "reason");
  EXPECT_THAT(close.body["error"].get<std::string>(),
              HasSubstr("an incident is closed as resolved only once FIXED"));

  ASSERT_EQ(Act(kAlice, base + "/update", {{"status", "fixing"}}).status, 200);
  Reply back = Act(kAlice, base + "/update", {{"status", "investigating"}});
  EXPECT_EQ(back.status, 409);
  EXPECT_EQ(back.body["field"], "message");
  EXPECT_THAT(back.body["error"].get<std::string>(), HasSubstr("needs a message saying why"));

  Reply stale = Act(kAlice, base + "/update", {{"title", "New"}, {"expected_version", version}});
  EXPECT_EQ(stale.status, 409);
  EXPECT_EQ(stale.body["field"], "expected_version");
  EXPECT_THAT(stale.body["error"].get<std::string>(), HasSubstr("reload and retry"));

  Reply missing = Act(kAlice, "/api/incidents/999/notes", {{"text", "hello"}});
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(CoreIncident(id).status(), pb::STATUS_FIXING);
  EXPECT_EQ(CoreIncident(id).title(), "Checkout returns 500");
}

TEST_F(WebActionsTest, BadBodiesAre400NamingTheFieldAndChangeNothing) {
  StartWeb();
  const int64_t id = Declare("Checkout returns 500");
  const int64_t version = CoreIncident(id).version();
  const std::string update = "/api/incidents/" + std::to_string(id) + "/update";
  struct Case {
    std::string path;
    std::string body;
    std::string field;
    std::string error;
  };
  const std::string long_title(201, 't');
  for (const Case& c : std::vector<Case>{
           {"/api/incidents", "{\"title\": ", "body", "body: not a JSON object"},
           {"/api/incidents", "[1, 2]", "body", "body: not a JSON object"},
           {"/api/incidents", R"({"severity": 2, "title": "x", "domain": "payment"})", "severity",
            "severity: must be a string"},
           {"/api/incidents", R"({"severity": "sev9", "title": "x", "domain": "payment"})",
            "severity", "severity: unknown value \"sev9\"; expected one of sev1"},
           {"/api/incidents", R"({"severity": "sev2", "title": "", "domain": "payment"})", "title",
            "title is required"},
           {"/api/incidents",
            R"({"severity": "sev2", "domain": "payment", "title": ")" + long_title + "\"}", "title",
            "title is 201 characters long; the limit is 200"},
           {"/api/incidents", R"({"severity": "sev2", "title": "x", "domain": "payments"})",
            "domain", "domain "},
           {"/api/incidents", R"({"colour": "red"})", "colour",
            "colour: not a field of this action; expected one of domain, severity"},
           {"/api/incidents", R"({"severity": "sev2", "title": "x", "page_oncall": "yes"})",
            "page_oncall", "page_oncall: must be true or false"},
           {update, R"({"expected_version": "3", "title": "y"})", "expected_version",
            "expected_version: must be an integer"},
           {update, R"({"status": "done"})", "status", "status: unknown value \"done\""},
           {update, R"({"message": "only words"})", "body", "body: nothing to change"},
           {"/api/incidents/abc/notes", R"({"text": "x"})", "id", "id: \"abc\" is not an incident"},
       }) {
    Reply reply = PostText(c.path, c.body, As(kAlice));
    EXPECT_EQ(reply.status, 400) << c.body;
    EXPECT_EQ(reply.body["field"], c.field) << c.body;
    EXPECT_THAT(reply.body["error"].get<std::string>(), HasSubstr(c.error)) << c.body;
  }
  EXPECT_EQ(IncidentCount(), 1);
  EXPECT_EQ(CoreIncident(id).version(), version);
}

}  // namespace
}  // namespace ff::web
