// firefighter-web in front of a firefighterd with bearer tokens and TLS: it
// reads with its own service token over TLS, shows who acted through an
// adapter, and says plainly when its credentials are refused.
#include <signal.h>

#include <fstream>
#include <memory>
#include <string>

#include "clients/incident/incident_client.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "httplib.h"
#include "nlohmann/json.hpp"
#include "server/auth/tokens.h"
#include "tests/testing/server_process.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/test_certs.h"
#include "tests/web/web_process.h"

namespace ff::web {
namespace {

using ::ff::testing::IsOk;
using ::testing::HasSubstr;

constexpr char kDashboard[] = "dashboard-viewer-token";
constexpr char kSlack[] = "slack-service-token";

class WebAuthTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto certs = ::ff::testing::MakeTestCerts(dir_.path());
    ASSERT_THAT(certs, IsOk());
    certs_ = *certs;
    std::ofstream(dir_.File("tokens")) << Sha256Hex(kDashboard) << " dashboard viewer service\n"
                                       << Sha256Hex(kSlack) << " slack-adapter responder service\n";
    std::ofstream(dir_.File("web-token")) << kDashboard << "\n";
    server_ = std::make_unique<ff::testing::ServerProcess>(
        ff::testing::ServerBinary(), dir_.File("ff.db"),
        std::vector<std::string>{"--auth-tokens", dir_.File("tokens"), "--tls-cert",
                                 certs_.server_cert, "--tls-key", certs_.server_key});
    ASSERT_THAT(server_->Start(), IsOk());
  }

  void StartWeb(std::vector<std::string> args) {
    web_ = std::make_unique<testing::WebProcess>(testing::WebBinary(), server_->address(),
                                                 std::move(args));
    ASSERT_THAT(web_->Start(), IsOk());
  }

  std::pair<int, nlohmann::json> Get(const std::string& path) {
    httplib::Client http(web_->host(), web_->port());
    http.set_read_timeout(30, 0);
    httplib::Result result = http.Get(path.c_str());
    if (!result) return {0, nullptr};
    return {result->status, nlohmann::json::parse(result->body, nullptr, false)};
  }

  int64_t OpenThroughSlack() {
    ConnectOptions options;
    options.target = server_->address();
    options.tls_ca_file = certs_.ca;
    options.token = kSlack;
    pb::OpenIncidentRequest open;
    open.set_title("Checkout returns 500");
    open.set_severity(pb::SEVERITY_SEV2);
    open.set_domain("payment");
    open.set_reporter("grace@example.com");
    auto incident = IncidentClient::Connect(options)->OpenIncident(open);
    EXPECT_THAT(incident, IsOk());
    return incident.ok() ? incident->id() : 0;
  }

  ff::testing::TempDir dir_;
  ff::testing::TestCerts certs_;
  std::unique_ptr<ff::testing::ServerProcess> server_;
  std::unique_ptr<testing::WebProcess> web_;
};

TEST_F(WebAuthTest, ReadsWithItsTokenOverTlsAndShowsVia) {
  int64_t id = OpenThroughSlack();
  ASSERT_GT(id, 0);
  StartWeb({"--tls-ca", certs_.ca, "--token-file", dir_.File("web-token")});
  auto [status, incident] = Get("/api/incidents/" + std::to_string(id));
  ASSERT_EQ(status, 200) << incident.dump();
  ASSERT_TRUE(incident["timeline"].is_array());
  ASSERT_EQ(incident["timeline"].size(), 1u);
  EXPECT_EQ(incident["timeline"][0]["actor"], "grace@example.com");
  EXPECT_EQ(incident["timeline"][0]["via"], "slack-adapter");
}

TEST_F(WebAuthTest, WithoutATokenTheDashboardSaysItsCredentialsWereRefused) {
  StartWeb({"--tls-ca", certs_.ca});
  auto [status, body] = Get("/api/incidents");
  EXPECT_EQ(status, 502);
  EXPECT_THAT(body.dump(), HasSubstr("refused the dashboard's credentials"));
  EXPECT_THAT(body.dump(), HasSubstr("missing credentials"));
}

TEST_F(WebAuthTest, WithoutTheServersCaTheCoreIsUnreachable) {
  StartWeb({"--token-file", dir_.File("web-token")});
  auto [status, body] = Get("/api/incidents");
  EXPECT_EQ(status, 503);
}

}  // namespace
}  // namespace ff::web
