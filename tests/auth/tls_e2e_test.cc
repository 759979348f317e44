// End-to-end: firefighterd serving TLS, with and without client-certificate
// verification, against clients with the right CA, the wrong one, none, and
// with or without a client certificate.
#include <memory>
#include <string>

#include "clients/incident/incident_client.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/server_process.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/subprocess.h"
#include "tests/testing/test_certs.h"

namespace ff {
namespace {

using ::ff::testing::IsOk;
using ::ff::testing::ServerBinary;
using ::ff::testing::ServerProcess;
using ::ff::testing::StatusIs;
using ::ff::testing::TempDir;
using ::ff::testing::TestCerts;

class TlsE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto certs = ::ff::testing::MakeTestCerts(dir_.path());
    ASSERT_THAT(certs, IsOk());
    certs_ = *certs;
  }

  void StartServer(bool verify_clients) {
    std::vector<std::string> args = {"--tls-cert", certs_.server_cert, "--tls-key",
                                     certs_.server_key};
    if (verify_clients) {
      args.push_back("--tls-client-ca");
      args.push_back(certs_.ca);
    }
    server_ = std::make_unique<ServerProcess>(ServerBinary(), dir_.File("ff.db"), args);
    ASSERT_THAT(server_->Start(), IsOk());
  }

  absl::Status Call(ConnectOptions options) {
    options.target = server_->address();
    options.timeout = absl::Seconds(5);
    absl::StatusOr<IncidentClient> client = IncidentClient::Connect(options);
    if (!client.ok()) return client.status();
    return client->ListDomains().status();
  }

  TempDir dir_;
  TestCerts certs_;
  std::unique_ptr<ServerProcess> server_;
};

TEST_F(TlsE2eTest, OnlyAClientTrustingTheServersCaConnects) {
  StartServer(/*verify_clients=*/false);
  ConnectOptions plaintext;
  EXPECT_THAT(Call(plaintext), StatusIs(absl::StatusCode::kUnavailable));
  ConnectOptions system_roots;
  system_roots.tls = true;
  EXPECT_THAT(Call(system_roots), StatusIs(absl::StatusCode::kUnavailable));
  ConnectOptions wrong_ca;
  wrong_ca.tls_ca_file = certs_.other_ca;
  EXPECT_THAT(Call(wrong_ca), StatusIs(absl::StatusCode::kUnavailable));
  ConnectOptions right_ca;
  right_ca.tls_ca_file = certs_.ca;
  EXPECT_THAT(Call(right_ca), IsOk());
}

TEST_F(TlsE2eTest, WithClientCaAClientWithoutCertificateIsRefused) {
  StartServer(/*verify_clients=*/true);
  ConnectOptions no_cert;
  no_cert.tls_ca_file = certs_.ca;
  EXPECT_THAT(Call(no_cert), StatusIs(absl::StatusCode::kUnavailable));
  ConnectOptions with_cert = no_cert;
  with_cert.tls_cert_file = certs_.client_cert;
  with_cert.tls_key_file = certs_.client_key;
  EXPECT_THAT(Call(with_cert), IsOk());
}

TEST_F(TlsE2eTest, AClientCertificateWithoutItsKeyIsAUsageError) {
  StartServer(/*verify_clients=*/false);
  ConnectOptions half;
  half.tls_ca_file = certs_.ca;
  half.tls_cert_file = certs_.client_cert;
  EXPECT_THAT(Call(half),
              StatusIs(absl::StatusCode::kInvalidArgument, ::testing::HasSubstr("needs its key")));
}

TEST(TlsStartupTest, HalfATlsConfigurationStopsStartup) {
  TempDir dir;
  auto certs = ::ff::testing::MakeTestCerts(dir.path());
  ASSERT_THAT(certs, IsOk());
  auto run = [&](std::vector<std::string> args) {
    args.insert(args.begin(), {ServerBinary(), "--listen", "127.0.0.1:0", "--db", dir.File("db")});
    return ::ff::testing::RunCommand(args);
  };
  ::ff::testing::CommandResult cert_only = run({"--tls-cert", certs->server_cert});
  EXPECT_EQ(cert_only.exit_code, 2);
  EXPECT_THAT(cert_only.err, ::testing::HasSubstr("--tls-cert and --tls-key go together"));
  ::ff::testing::CommandResult ca_only = run({"--tls-client-ca", certs->ca});
  EXPECT_EQ(ca_only.exit_code, 2);
  EXPECT_THAT(ca_only.err, ::testing::HasSubstr("--tls-client-ca needs --tls-cert and --tls-key"));
}

}  // namespace
}  // namespace ff
