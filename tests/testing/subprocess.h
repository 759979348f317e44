// RunCommand: runs a program to completion (no shell) and captures its
// output, for tests of binaries' exit codes and messages. Thread-compatible.
#ifndef FF_TESTS_TESTING_SUBPROCESS_H_
#define FF_TESTS_TESTING_SUBPROCESS_H_

#include <string>
#include <vector>

#include "absl/time/time.h"

namespace ff::testing {

struct CommandResult {
  int exit_code = -1;  // -1: killed by a signal or timed out
  bool timed_out = false;
  std::string out;  // standard output
  std::string err;  // standard error
};

// RunCommand runs argv[0] (a path) with `argv` and the current environment
// plus `env` ("NAME=value" entries), kills it after `timeout`.
CommandResult RunCommand(const std::vector<std::string>& argv,
                         absl::Duration timeout = absl::Seconds(30),
                         const std::vector<std::string>& env = {});

}  // namespace ff::testing

#endif  // FF_TESTS_TESTING_SUBPROCESS_H_
