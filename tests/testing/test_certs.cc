#include "tests/testing/test_certs.h"

#include <fstream>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "tests/testing/subprocess.h"

namespace ff::testing {
namespace {

absl::Status Openssl(std::vector<std::string> args) {
  args.insert(args.begin(), "/usr/bin/openssl");
  CommandResult result = RunCommand(args, absl::Seconds(30));
  if (result.exit_code != 0) {
    return absl::InternalError(
        absl::StrCat(absl::StrJoin(args, " "), " failed: ", result.out, result.err));
  }
  return absl::OkStatus();
}

// Self-signed CA: `req -x509` marks it CA:TRUE.
absl::Status MakeCa(const std::string& dir, const std::string& name) {
  return Openssl({"req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                  "-nodes", "-days", "2", "-subj", "/CN=" + name, "-keyout",
                  dir + "/" + name + ".key", "-out", dir + "/" + name + ".pem"});
}

absl::Status MakeLeaf(const std::string& dir, const std::string& name, const std::string& ca,
                      const std::string& extensions) {
  const std::string ext_file = dir + "/" + name + ".ext";
  std::ofstream(ext_file) << extensions << "\n";
  if (absl::Status s = Openssl({"req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                                "-nodes", "-subj", "/CN=" + name, "-keyout",
                                dir + "/" + name + ".key", "-out", dir + "/" + name + ".csr"});
      !s.ok()) {
    return s;
  }
  return Openssl({"x509", "-req", "-in", dir + "/" + name + ".csr", "-CA", dir + "/" + ca + ".pem",
                  "-CAkey", dir + "/" + ca + ".key", "-CAcreateserial", "-days", "2", "-extfile",
                  ext_file, "-out", dir + "/" + name + ".pem"});
}

}  // namespace

absl::StatusOr<TestCerts> MakeTestCerts(const std::string& dir) {
  for (absl::Status s : {MakeCa(dir, "test-ca"), MakeCa(dir, "other-ca"),
                         MakeLeaf(dir, "server", "test-ca",
                                  "subjectAltName=DNS:localhost,IP:127.0.0.1\n"
                                  "extendedKeyUsage=serverAuth"),
                         MakeLeaf(dir, "client", "test-ca", "extendedKeyUsage=clientAuth")}) {
    if (!s.ok()) return s;
  }
  TestCerts certs;
  certs.ca = dir + "/test-ca.pem";
  certs.other_ca = dir + "/other-ca.pem";
  certs.server_cert = dir + "/server.pem";
  certs.server_key = dir + "/server.key";
  certs.client_cert = dir + "/client.pem";
  certs.client_key = dir + "/client.key";
  return certs;
}

}  // namespace ff::testing
