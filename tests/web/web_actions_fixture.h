// WebActionsTest: the fixture of the dashboard's action tests — the real
// firefighterd (temporary SQLite, port 0, bearer tokens) and the real
// firefighter-web process behind the auth-proxy convention, the proxy's
// header set by the test on the trusted loopback source — with helpers to
// act as a signed-in person and to read the core back.
// Not thread-safe: one test owns it.
#ifndef FF_TESTS_WEB_WEB_ACTIONS_FIXTURE_H_
#define FF_TESTS_WEB_WEB_ACTIONS_FIXTURE_H_

#include <signal.h>

#include <fstream>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "clients/incident/incident_client.h"
#include "gtest/gtest.h"
#include "httplib.h"
#include "nlohmann/json.hpp"
#include "server/auth/tokens.h"
#include "tests/testing/server_process.h"
#include "tests/testing/status_matchers.h"
#include "tests/web/web_process.h"

namespace ff::web {

using ::ff::testing::IsOk;

inline constexpr char kWebToken[] = "dashboard-service-token";
inline constexpr char kTesterToken[] = "tester-admin-token";
inline constexpr char kAlice[] = "alice@example.com";
inline constexpr char kBob[] = "bob@example.com";
inline const std::vector<std::string> kBehindProxy = {"--auth-proxy-header", "X-Forwarded-Email",
                                                      "--trusted-proxy", "127.0.0.1"};

// Reply: an answer's status and parsed JSON body (null when not JSON).
struct Reply {
  int status = 0;
  nlohmann::json body;
};

class WebActionsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::ofstream(dir_.File("tokens")) << Sha256Hex(kWebToken) << " web responder service\n"
                                       << Sha256Hex(kTesterToken) << " tester admin\n";
    std::ofstream(dir_.File("web-token")) << kWebToken << "\n";
    server_ = std::make_unique<ff::testing::ServerProcess>(
        ff::testing::ServerBinary(), dir_.File("ff.db"),
        std::vector<std::string>{"--auth-tokens", dir_.File("tokens")});
    ASSERT_THAT(server_->Start(), IsOk());
  }
  void TearDown() override {
    if (web_) web_->Stop(SIGTERM);
  }

  void StartWeb(std::vector<std::string> args = kBehindProxy) {
    args.insert(args.end(), {"--token-file", dir_.File("web-token")});
    web_ = std::make_unique<testing::WebProcess>(testing::WebBinary(), server_->address(),
                                                 std::move(args));
    ASSERT_THAT(web_->Start(), IsOk());
  }

  std::string OwnOrigin() const { return "http://127.0.0.1:" + std::to_string(web_->port()); }

  // Session: GET /api/session as `email` ("" sends no header).
  Reply Session(const std::string& email) {
    httplib::Headers headers;
    if (!email.empty()) headers.emplace("X-Forwarded-Email", email);
    return Answer(Client().Get("/api/session", headers));
  }
  std::string TokenOf(const std::string& email) {
    Reply session = Session(email);
    EXPECT_EQ(session.status, 200) << session.body.dump();
    return session.body.value("csrf_token", "");
  }

  // Post sends `body` to `path` with exactly the given headers.
  Reply Post(const std::string& path, const nlohmann::json& body, httplib::Headers headers) {
    return PostText(path, body.dump(), std::move(headers));
  }
  Reply PostText(const std::string& path, const std::string& body,
                 const httplib::Headers& headers) {
    return Answer(Client().Post(path.c_str(), headers, body, "application/json"));
  }
  // Headers of a page signed in as `email`, with its token and our Origin.
  httplib::Headers As(const std::string& email) {
    return {
        {"X-Forwarded-Email", email}, {"X-CSRF-Token", TokenOf(email)}, {"Origin", OwnOrigin()}};
  }
  Reply Act(const std::string& email, const std::string& path, const nlohmann::json& body) {
    return Post(path, body, As(email));
  }

  // Declare opens an incident through the dashboard as alice.
  int64_t Declare(const std::string& title) {
    Reply reply = Act(kAlice, "/api/incidents",
                      {{"domain", "payment"}, {"severity", "sev2"}, {"title", title}});
    EXPECT_EQ(reply.status, 201) << reply.body.dump();
    return reply.status == 201 ? reply.body["incident"]["id"].get<int64_t>() : 0;
  }

  // Read: GET `path` as `email`, as a signed-in page reads.
  Reply Read(const std::string& email, const std::string& path) const {
    return Answer(Client().Get(path.c_str(), {{"X-Forwarded-Email", email}}));
  }

  IncidentClient Core() const {
    ConnectOptions options;
    options.target = server_->address();
    options.token = kTesterToken;
    return *IncidentClient::Connect(options);
  }
  int IncidentCount() const {
    absl::StatusOr<pb::ListIncidentsResponse> list = Core().ListIncidents({});
    EXPECT_THAT(list, IsOk());
    return list.ok() ? list->incidents_size() : -1;
  }
  pb::Incident CoreIncident(int64_t id) const {
    absl::StatusOr<pb::Incident> incident = Core().GetIncident(id);
    EXPECT_THAT(incident, IsOk());
    return incident.ok() ? *incident : pb::Incident();
  }
  std::vector<pb::TimelineEntry> Timeline(int64_t id) const {
    absl::StatusOr<pb::ListTimelineResponse> timeline = Core().ListTimeline(id);
    EXPECT_THAT(timeline, IsOk());
    if (!timeline.ok()) return {};
    return {timeline->entries().begin(), timeline->entries().end()};
  }

  ff::testing::TempDir dir_;
  std::unique_ptr<ff::testing::ServerProcess> server_;
  std::unique_ptr<testing::WebProcess> web_;

 private:
  httplib::Client Client() const {
    httplib::Client http(web_->host(), web_->port());
    http.set_read_timeout(30, 0);
    return http;
  }
  static Reply Answer(const httplib::Result& result) {
    if (!result) return {};
    return {result->status, nlohmann::json::parse(result->body, nullptr, false)};
  }
};

}  // namespace ff::web

#endif  // FF_TESTS_WEB_WEB_ACTIONS_FIXTURE_H_
