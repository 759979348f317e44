// ServerProcess: runs the real firefighterd binary on 127.0.0.1 port 0 with a
// temporary database, for end-to-end tests.
//
// The server prints "firefighterd listening on HOST:PORT" on stdout once it
// serves; Start() waits for that line. A server still running when the
// ServerProcess goes is SIGKILLed. Not thread-safe: one test owns it.
#ifndef FF_TESTS_TESTING_SERVER_PROCESS_H_
#define FF_TESTS_TESTING_SERVER_PROCESS_H_

#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "tests/testing/child_process.h"

namespace ff::testing {

// TempDir is a directory removed with its contents on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string File(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

class ServerProcess {
 public:
  // `binary`: path of firefighterd; `db`: database file; `extra_args` are
  // appended to --listen 127.0.0.1:0 --db <db>.
  ServerProcess(std::string binary, std::string db, std::vector<std::string> extra_args = {});

  // Start launches the server and waits (up to 30 s) until it listens.
  // Returns INTERNAL with the server's output when it exits or never listens.
  absl::Status Start();
  // Restart starts a stopped server again on the address it had, so clients
  // that kept that address find it back. REQUIRES: started, then stopped.
  absl::Status Restart();
  // Stop sends `signal` and waits for the exit; returns the exit status as
  // waitpid reports it.
  int Stop(int signal);
  // Signal sends `signal` and returns at once; WaitForExit then waits up to
  // `timeout` and returns the wait status, or nullopt while still running.
  void Signal(int signal) { process_.Signal(signal); }
  std::optional<int> WaitForExit(absl::Duration timeout) { return process_.WaitForExit(timeout); }
  // Kill is Stop(SIGKILL): no chance to flush anything.
  int Kill();

  // "127.0.0.1:PORT" once started.
  const std::string& address() const { return address_; }
  // What the server printed on stdout up to the listening line (e.g.
  // "firefighterd metrics on HOST:PORT").
  const std::string& startup_output() const { return process_.startup_output(); }
  // ListenOn replaces the --listen address (default 127.0.0.1:0).
  // REQUIRES: before Start().
  void ListenOn(std::string address) { listen_ = std::move(address); }
  // RedirectStderr sends the server's stderr (its logs) to file `path`.
  // REQUIRES: before Start().
  void RedirectStderr(std::string path) { stderr_path_ = std::move(path); }
  pid_t pid() const { return process_.pid(); }

 private:
  std::string binary_;
  std::string db_;
  std::vector<std::string> extra_args_;
  std::string listen_ = "127.0.0.1:0";
  ChildProcess process_;
  std::string address_;
  std::string stderr_path_;
};

// ServerBinary returns the firefighterd path the build configured.
std::string ServerBinary();

}  // namespace ff::testing

#endif  // FF_TESTS_TESTING_SERVER_PROCESS_H_
