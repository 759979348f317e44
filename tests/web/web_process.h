// WebProcess: runs the real firefighter-web binary on 127.0.0.1 port 0
// against a firefighterd address, for end-to-end tests.
//
// The process prints "firefighter-web listening on HOST:PORT" on stdout once
// it serves; Start() waits for that line. A process still running when the
// WebProcess goes is SIGKILLed. Not thread-safe: one test owns it.
#ifndef FF_TESTS_WEB_WEB_PROCESS_H_
#define FF_TESTS_WEB_WEB_PROCESS_H_

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "tests/testing/child_process.h"

namespace ff::web::testing {

class WebProcess {
 public:
  // `binary`: path of firefighter-web; `core`: firefighterd's HOST:PORT.
  // `extra_args` follow --listen, --server and --log-level.
  WebProcess(std::string binary, std::string core, std::vector<std::string> extra_args = {});

  // Start launches it and waits (up to 30 s) until it listens. INTERNAL with
  // its output when it exits or never listens.
  absl::Status Start();
  // Stop sends `signal`, waits, and returns the wait status.
  int Stop(int signal) { return process_.Stop(signal); }
  // Signal sends `signal` and returns at once; WaitForExit then waits up to
  // `timeout` and returns the wait status, or nullopt while still running.
  void Signal(int signal) { process_.Signal(signal); }
  std::optional<int> WaitForExit(absl::Duration timeout) { return process_.WaitForExit(timeout); }

  const std::string& host() const { return host_; }
  int port() const { return port_; }
  pid_t pid() const { return process_.pid(); }
  // set_listen: the --listen address Start passes (default 127.0.0.1:0).
  void set_listen(std::string listen) { listen_ = std::move(listen); }

 private:
  std::string binary_;
  std::string core_;
  std::vector<std::string> extra_args_;
  std::string listen_ = "127.0.0.1:0";
  ff::testing::ChildProcess process_;
  std::string host_;
  int port_ = 0;
};

// WebBinary returns the firefighter-web path the build configured.
std::string WebBinary();

}  // namespace ff::web::testing

#endif  // FF_TESTS_WEB_WEB_PROCESS_H_
