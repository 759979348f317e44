// firefighter-web under heavy and hostile use, end to end: the real
// firefighterd (temporary SQLite, port 0) and the real firefighter-web
// process, driven over raw TCP so each test sends exactly what a browser,
// a crowd of browsers or an attacker would.
#include <signal.h>

#include <memory>
#include <string>
#include <vector>

#include "adapters/web/web_server.h"
#include "clients/incident/incident_client.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/raw_connection.h"
#include "tests/testing/server_process.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/subprocess.h"
#include "tests/web/web_process.h"

namespace ff::web {
namespace {

using ::ff::testing::Fetch;
using ::ff::testing::IsOk;
using ::ff::testing::RawConnection;
using ::ff::testing::StatusOf;
using ::testing::HasSubstr;

class WebHardeningTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<ff::testing::ServerProcess>(ff::testing::ServerBinary(),
                                                           dir_.File("ff.db"));
    ASSERT_THAT(server_->Start(), IsOk());
  }
  void TearDown() override {
    if (web_) web_->Stop(SIGTERM);
  }

  // StartWeb starts firefighter-web with `args` after the usual ones.
  void StartWeb(std::vector<std::string> args = {}, const std::string& listen = "127.0.0.1:0") {
    web_ = std::make_unique<testing::WebProcess>(testing::WebBinary(), server_->address(),
                                                 std::move(args));
    web_->set_listen(listen);
    ASSERT_THAT(web_->Start(), IsOk());
  }

  // Get: the whole response to GET `path` with `headers`.
  std::string Get(const std::string& path, const std::string& headers = "Host: 127.0.0.1\r\n") {
    return Fetch(web_->port(), "GET", path, headers);
  }

  int64_t Open(const std::string& title) {
    pb::OpenIncidentRequest request;
    request.set_title(title);
    request.set_severity(pb::SEVERITY_SEV1);
    request.set_domain("payment");
    request.set_reporter("alice");
    absl::StatusOr<pb::Incident> incident =
        IncidentClient::Connect(server_->address(), absl::Seconds(10)).OpenIncident(request);
    EXPECT_THAT(incident, IsOk());
    return incident.ok() ? incident->id() : 0;
  }

  ff::testing::TempDir dir_;
  std::unique_ptr<ff::testing::ServerProcess> server_;
  std::unique_ptr<testing::WebProcess> web_;
};

// Row 11: every open page holds an event stream. With a thread per
// connection the 65th page got nothing, /healthz included.
TEST_F(WebHardeningTest, TwoHundredOpenPagesAllLiveWhileTheApiAnswers) {
  StartWeb();
  int64_t id = Open("Checkout returns 500");
  std::vector<std::unique_ptr<RawConnection>> pages;
  for (int i = 0; i < 200; ++i) {
    pages.push_back(std::make_unique<RawConnection>(web_->port()));
    ASSERT_TRUE(pages.back()->Send("GET /api/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"));
  }
  for (auto& page : pages) {
    ASSERT_THAT(page->ReadUntil("retry: 1000", absl::Seconds(10)), HasSubstr("retry: 1000"));
  }

  EXPECT_EQ(StatusOf(Get("/healthz")), 200);
  std::string list = Get("/api/incidents");
  EXPECT_EQ(StatusOf(list), 200) << list;
  EXPECT_THAT(list, HasSubstr("Checkout returns 500"));
  EXPECT_EQ(StatusOf(Get("/")), 200);

  pb::UpdateIncidentRequest update;
  update.set_id(id);
  update.set_actor("bob");
  update.set_status(pb::STATUS_INVESTIGATING);
  ASSERT_THAT(IncidentClient::Connect(server_->address(), absl::Seconds(10)).UpdateIncident(update),
              IsOk());
  for (auto& page : pages) {
    EXPECT_THAT(page->ReadUntil("\"status\":\"investigating\"", absl::Seconds(15)),
                HasSubstr("\"status\":\"investigating\""));
  }
}

// Row 9: the dashboard takes no bodies; a declared 200 MiB is refused from
// its Content-Length, and the process reads at most its small limit of it.
TEST_F(WebHardeningTest, A200MiBBodyIsRefusedWith413WithoutBeingRead) {
  StartWeb();
  const std::string pid = std::to_string(web_->pid());
  const int64_t read_before = ff::testing::ProcessReadBytes(pid);
  RawConnection client(web_->port());
  ASSERT_TRUE(client.Send(
      "POST /api/incidents HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
      "Content-Length: 209715200\r\n\r\n"));
  const std::string mebibyte(1 << 20, 'x');
  for (int sent = 0; sent < 200 && client.Send(mebibyte, absl::Seconds(3)); ++sent) {
  }
  const std::string& answer = client.ReadUntil("}", absl::Seconds(10));
  EXPECT_EQ(StatusOf(answer), 413) << answer;
  EXPECT_THAT(answer, HasSubstr(absl::StrCat(R"({"error":"request too large","limit_bytes":)",
                                             WebServer::kMaxRequestBytes, "}")));
  EXPECT_LT(ff::testing::ProcessReadBytes(pid) - read_before, 1 << 20);
  EXPECT_EQ(StatusOf(Get("/healthz")), 200);
}

// Row 12: like firefighterd, a --listen other machines can reach needs an
// access rule; inconsistent rules are usage errors.
TEST_F(WebHardeningTest, ANonLoopbackListenWithoutAnAccessRuleRefusesToStart) {
  struct Case {
    std::vector<std::string> args;
    std::string message;
  };
  for (const Case& c : std::vector<Case>{
           {{"--listen", "0.0.0.0:0"}, "--listen 0.0.0.0 is reachable from other machines"},
           {{"--listen", "[::]:0"}, "--listen [::] is reachable from other machines"},
           {{"--auth-proxy-header", "X-Forwarded-Email"},
            "--auth-proxy-header needs --trusted-proxy"},
           {{"--trusted-proxy", "10.0.0.0/8"}, "--trusted-proxy needs --auth-proxy-header"},
           {{"--auth-proxy-header", "X-Forwarded-Email", "--trusted-proxy", "10.0.0/99"},
            "--trusted-proxy: not an address or ADDRESS/PREFIX: \"10.0.0/99\""},
       }) {
    std::vector<std::string> argv = {testing::WebBinary(), "--server", server_->address()};
    argv.insert(argv.end(), c.args.begin(), c.args.end());
    ff::testing::CommandResult result = ff::testing::RunCommand(argv);
    EXPECT_EQ(result.exit_code, 2) << c.message;
    EXPECT_THAT(result.err, HasSubstr(c.message));
    EXPECT_EQ(result.out, "") << c.message;
  }
}

TEST_F(WebHardeningTest, AllowAnonymousViewersServesOnANonLoopbackListen) {
  StartWeb({"--allow-anonymous-viewers"}, "0.0.0.0:0");
  EXPECT_EQ(StatusOf(Get("/api/status")), 200);
}

// Row 12, DNS rebinding: a page on attacker.example whose name now resolves
// to this address sends its own Host; the dashboard answers 421.
TEST_F(WebHardeningTest, AHostNotServedIs421) {
  StartWeb({"--allowed-host", "Dashboard.example.com"});
  for (const char* path : {"/", "/api/incidents", "/api/events", "/assets/app.js"}) {
    std::string answer = Get(path, "Host: attacker.example:8080\r\n");
    EXPECT_EQ(StatusOf(answer), 421) << path;
    EXPECT_THAT(answer, HasSubstr("not served under that host name")) << path;
  }
  EXPECT_EQ(StatusOf(Get("/api/status", "")), 421) << "no Host at all";
  const std::string port = std::to_string(web_->port());
  for (std::string host :
       {"localhost:" + port, "127.0.0.1:" + port, "[::1]:" + port,
        std::string("dashboard.example.com"), std::string("DASHBOARD.example.com:443")}) {
    EXPECT_EQ(StatusOf(Get("/api/status", "Host: " + host + "\r\n")), 200) << host;
  }
  EXPECT_EQ(StatusOf(Get("/healthz", "Host: attacker.example\r\n")), 200);
}

// Row 12, behind an authenticating proxy (oauth2-proxy's X-Forwarded-Email).
TEST_F(WebHardeningTest, BehindAnAuthProxyTheViewerHeaderIsRequired) {
  StartWeb({"--auth-proxy-header", "X-Forwarded-Email", "--trusted-proxy", "127.0.0.1"});
  std::string anonymous = Get("/api/incidents");
  EXPECT_EQ(StatusOf(anonymous), 401);
  EXPECT_THAT(anonymous, HasSubstr("not signed in: the proxy sent no X-Forwarded-Email"));
  EXPECT_EQ(StatusOf(Get("/api/events")), 401);
  EXPECT_EQ(StatusOf(Get("/")), 401);
  EXPECT_EQ(StatusOf(Get("/api/incidents",
                         "Host: 127.0.0.1\r\nX-Forwarded-Email: alice@example.com\r\n")),
            200);
  EXPECT_EQ(StatusOf(Get("/healthz")), 200);
}

TEST_F(WebHardeningTest, BehindAnAuthProxyAnyOtherPeerIs403EvenWithTheHeader) {
  StartWeb({"--auth-proxy-header", "X-Forwarded-Email", "--trusted-proxy", "10.0.0.0/8",
            "--trusted-proxy", "fd00::/8"});
  std::string forged =
      Get("/api/incidents", "Host: 127.0.0.1\r\nX-Forwarded-Email: alice@example.com\r\n");
  EXPECT_EQ(StatusOf(forged), 403);
  EXPECT_THAT(forged, HasSubstr("requests must come through the authenticating proxy"));
  EXPECT_EQ(StatusOf(Get("/healthz")), 200);
}

}  // namespace
}  // namespace ff::web
