// ChildProcess: one of our binaries started for a test, running until the
// test stops it. Start waits for the line it prints on stdout once it serves
// ("firefighterd listening on HOST:PORT"); a test can then signal it and
// wait, with a deadline, for it to exit.
//
// Not thread-safe: one test owns it.
#ifndef FF_TESTS_TESTING_CHILD_PROCESS_H_
#define FF_TESTS_TESTING_CHILD_PROCESS_H_

#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace ff::testing {

class ChildProcess {
 public:
  struct Options {
    std::vector<std::string> env;  // "NAME=value", added to the test's environment
    std::string stderr_path;       // append stderr there; "" keeps the test's stderr
  };

  ChildProcess() = default;
  ~ChildProcess();  // SIGKILLs a process still running
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  // Start runs `argv` (argv[0] a path) and waits up to 30 s for a stdout line
  // beginning with `marker`; returns the rest of that line (the address).
  // INTERNAL with what it printed when it exits or never prints the line.
  // REQUIRES: not running.
  absl::StatusOr<std::string> Start(std::vector<std::string> argv, const std::string& marker,
                                    const Options& options);
  // What the process printed on stdout up to and including the marker line.
  const std::string& startup_output() const { return startup_output_; }

  // Signal sends `signal` and returns at once.
  void Signal(int signal);
  // WaitForExit waits up to `timeout` for the process to end and returns its
  // wait status (as waitpid reports it); nullopt when it is still running
  // then, or was not started.
  std::optional<int> WaitForExit(absl::Duration timeout);
  // Stop sends `signal`, waits for the exit without limit and returns the
  // wait status; -1 when not running.
  int Stop(int signal);

  bool running() const { return pid_ > 0; }
  pid_t pid() const { return pid_; }

 private:
  // Forget drops the exited (or never started) process and its stdout.
  void Forget();

  pid_t pid_ = -1;
  int stdout_fd_ = -1;
  std::string startup_output_;
};

// WaitUntilRefused is true once a TCP connection to 127.0.0.1:`port` is
// refused (the process closed its listener); false when connections were
// still accepted after `timeout`.
bool WaitUntilRefused(int port, absl::Duration timeout);

}  // namespace ff::testing

#endif  // FF_TESTS_TESTING_CHILD_PROCESS_H_
