// TestCerts: a throwaway certificate authority with a server certificate (for
// localhost and 127.0.0.1) and a client certificate, made with the openssl
// command line into a directory, for TLS tests.
#ifndef FF_TESTS_TESTING_TEST_CERTS_H_
#define FF_TESTS_TESTING_TEST_CERTS_H_

#include <string>

#include "absl/status/statusor.h"

namespace ff::testing {

struct TestCerts {
  std::string ca;  // PEM files
  std::string server_cert, server_key;
  std::string client_cert, client_key;
  std::string other_ca;  // a second CA that signed nothing here
};

// MakeTestCerts writes the files into `dir`; INTERNAL with openssl's output
// when a step fails.
absl::StatusOr<TestCerts> MakeTestCerts(const std::string& dir);

}  // namespace ff::testing

#endif  // FF_TESTS_TESTING_TEST_CERTS_H_
