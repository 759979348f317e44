// CliTest: a fixture that starts the real firefighterd (127.0.0.1 port 0,
// temporary database) and runs the real `ff` against it as user "alice".
// Not thread-safe: one test owns it.
#ifndef FF_TESTS_CLI_CLI_FIXTURE_H_
#define FF_TESTS_CLI_CLI_FIXTURE_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/cli/ff_process.h"
#include "tests/testing/server_process.h"

namespace ff::testing {

class CliTest : public ::testing::Test {
 protected:
  void SetUp() override;

  // Env is ff's environment: FF_ADDR of the server, FF_USER=alice, TZ=UTC,
  // plus `extra` ("NAME=VALUE").
  std::vector<std::string> Env(std::vector<std::string> extra = {}) const;
  // Ff runs ff with `args` in Env().
  FfResult Ff(std::vector<std::string> args) const;
  // Open opens an incident through ff and returns its id (0 on failure,
  // after recording a test failure).
  int64_t Open(const std::string& title, const std::string& severity = "2",
               const std::string& domain = "payment");

  TempDir dir_;
  std::unique_ptr<ServerProcess> server_;
};

// ParseJson parses ff's stdout; a test failure and null when it is not JSON.
nlohmann::json ParseJson(const std::string& text);

// ClosedPort returns a 127.0.0.1 port nobody listens on (bound, then closed).
int ClosedPort();

// Lines splits `text` into lines, without their "\n".
std::vector<std::string> Lines(const std::string& text);

}  // namespace ff::testing

#endif  // FF_TESTS_CLI_CLI_FIXTURE_H_
