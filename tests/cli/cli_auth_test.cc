// `ff` against a firefighterd with bearer tokens and TLS: the token comes from
// FF_TOKEN or --token-file, refusals exit 7, and the server's CA is given with
// --tls-ca.
#include <fstream>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/auth/tokens.h"
#include "tests/cli/cli_fixture.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/test_certs.h"

namespace ff::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kResponder[] = "cli-responder-token";
constexpr char kViewer[] = "cli-viewer-token";

class CliAuthTest : public CliTest {
 protected:
  void SetUp() override {
    auto certs = MakeTestCerts(dir_.path());
    ASSERT_THAT(certs, IsOk());
    certs_ = *certs;
    std::ofstream(dir_.File("tokens")) << Sha256Hex(kResponder) << " rae responder\n"
                                       << Sha256Hex(kViewer) << " vic viewer\n";
    server_ = std::make_unique<ServerProcess>(
        FF_FIREFIGHTERD_BINARY, dir_.File("ff.db"),
        std::vector<std::string>{"--auth-tokens", dir_.File("tokens"), "--tls-cert",
                                 certs_.server_cert, "--tls-key", certs_.server_key});
    absl::Status started = server_->Start();
    ASSERT_TRUE(started.ok()) << started;
  }

  FfResult FfAs(const std::string& token, std::vector<std::string> args) const {
    args.insert(args.begin(), {"--tls-ca", certs_.ca});
    return RunFf(std::move(args), Env({"FF_TOKEN=" + std::string(token)}));
  }

  TestCerts certs_;
};

TEST_F(CliAuthTest, WithoutATokenFfExits7AndSaysWhy) {
  FfResult r = RunFf({"--tls-ca", certs_.ca, "list"}, Env());
  EXPECT_EQ(r.exit_code, 7);
  EXPECT_THAT(r.err, HasSubstr("missing credentials"));
  EXPECT_EQ(r.out, "");
}

TEST_F(CliAuthTest, TheTokensPrincipalIsTheReporterAndActor) {
  FfResult opened =
      FfAs(kResponder, {"open", "--title", "Checkout down", "--severity", "2", "--domain",
                        "payment", "--reporter", "someone-else", "-o", "json"});
  ASSERT_EQ(opened.exit_code, 0) << opened.err;
  nlohmann::json incident = ParseJson(opened.out);
  EXPECT_EQ(incident["reporter"], "rae");
  FfResult timeline = FfAs(kViewer, {"timeline", "1"});
  ASSERT_EQ(timeline.exit_code, 0) << timeline.err;
  EXPECT_THAT(timeline.out, HasSubstr("rae"));
  EXPECT_THAT(timeline.out, Not(HasSubstr("someone-else")));
}

TEST_F(CliAuthTest, TokenFileWorksLikeTheEnvironment) {
  std::ofstream(dir_.File("my-token")) << kResponder << "\n";
  FfResult r = RunFf({"--tls-ca", certs_.ca, "--token-file", dir_.File("my-token"), "open",
                      "--title", "Disk full", "--severity", "3", "--domain", "payment"},
                     Env());
  EXPECT_EQ(r.exit_code, 0) << r.err;
  FfResult empty_file =
      RunFf({"--tls-ca", certs_.ca, "--token-file", dir_.File("tokens-none"), "list"}, Env());
  EXPECT_EQ(empty_file.exit_code, 2);
}

TEST_F(CliAuthTest, AViewerCannotUpdateAndNothingChanges) {
  ASSERT_EQ(FfAs(kResponder,
                 {"open", "--title", "Queue backlog", "--severity", "3", "--domain", "payment"})
                .exit_code,
            0);
  FfResult r = FfAs(kViewer, {"update", "1", "--status", "investigating"});
  EXPECT_EQ(r.exit_code, 7);
  EXPECT_THAT(r.err, HasSubstr("permission incidents.write is required; vic is a viewer"));
  FfResult info = FfAs(kViewer, {"info", "1", "-o", "json"});
  ASSERT_EQ(info.exit_code, 0) << info.err;
  EXPECT_EQ(ParseJson(info.out)["status"], "STATUS_OPEN");
}

TEST_F(CliAuthTest, AClientCertificateWithoutItsKeyIsAUsageError) {
  FfResult r = RunFf({"--tls-ca", certs_.ca, "--tls-cert", certs_.client_cert, "list"}, Env());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("--tls-cert and --tls-key go together"));
}

TEST_F(CliAuthTest, WithoutTheServersCaTheConnectionFails) {
  FfResult plaintext = RunFf({"list"}, Env({"FF_TOKEN=" + std::string(kViewer)}));
  EXPECT_EQ(plaintext.exit_code, 6);
  FfResult system_roots = RunFf({"--tls", "list"}, Env({"FF_TOKEN=" + std::string(kViewer)}));
  EXPECT_EQ(system_roots.exit_code, 6);
  EXPECT_EQ(FfAs(kViewer, {"list"}).exit_code, 0);
}

}  // namespace
}  // namespace ff::testing
