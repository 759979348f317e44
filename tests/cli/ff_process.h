// FfProcess: runs the real `ff` binary as a child process, without a shell,
// capturing its stdout and stderr through pipes (or stdout through a
// pseudo-terminal, to see what a human at a terminal sees).
//
// Not thread-safe: one test owns it.
#ifndef FF_TESTS_CLI_FF_PROCESS_H_
#define FF_TESTS_CLI_FF_PROCESS_H_

#include <sys/types.h>

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"

namespace ff::testing {

// FfResult: what one run of ff produced.
struct FfResult {
  int exit_code = -1;  // -1 when ff did not exit normally
  std::string out;
  std::string err;
  absl::Duration elapsed;
};

class FfProcess {
 public:
  enum class Stdout { kPipe, kTerminal };

  // `args` follow the program name; `env` ("NAME=VALUE") is ff's whole
  // environment.
  FfProcess(std::vector<std::string> args, std::vector<std::string> env,
            Stdout stdout_kind = Stdout::kPipe);
  ~FfProcess();  // SIGKILLs a child still running
  FfProcess(const FfProcess&) = delete;
  FfProcess& operator=(const FfProcess&) = delete;

  // Start spawns ff; INTERNAL when it cannot.
  absl::Status Start();
  // WaitForStdout / WaitForStderr read output until it contains `needle`;
  // false when ff closed the stream or `timeout` passed first.
  bool WaitForStdout(const std::string& needle, absl::Duration timeout);
  bool WaitForStderr(const std::string& needle, absl::Duration timeout);
  // Wait reads all output until ff exits; SIGKILLs it after `timeout`.
  FfResult Wait(absl::Duration timeout);

  const std::string& out() const { return out_; }
  const std::string& err() const { return err_; }

 private:
  // Reads what is available, waiting at most until `deadline`. False when
  // both streams are closed or the deadline passed.
  bool Pump(absl::Time deadline);
  bool WaitFor(const std::string* buffer, const std::string& needle, absl::Duration timeout);
  int Reap(bool kill_first);

  std::vector<std::string> args_;
  std::vector<std::string> env_;
  Stdout stdout_kind_;
  pid_t pid_ = -1;
  int out_fd_ = -1;
  int err_fd_ = -1;
  std::string out_;
  std::string err_;
  absl::Time started_;
};

// RunFf runs ff to completion (at most 30 s) and returns what it did.
FfResult RunFf(std::vector<std::string> args, std::vector<std::string> env);

// FfBinary returns the path of the ff binary the build configured.
std::string FfBinary();

}  // namespace ff::testing

#endif  // FF_TESTS_CLI_FF_PROCESS_H_
