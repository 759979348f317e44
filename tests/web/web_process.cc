#include "tests/web/web_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

extern char** environ;

namespace ff::web::testing {

std::string WebBinary() { return FF_WEB_BINARY; }

WebProcess::WebProcess(std::string binary, std::string core, std::vector<std::string> extra_args)
    : binary_(std::move(binary)), core_(std::move(core)), extra_args_(std::move(extra_args)) {}

WebProcess::~WebProcess() {
  if (pid_ > 0) Stop(SIGKILL);
}

absl::Status WebProcess::Start() {
  int pipe_fds[2];
  if (pipe2(pipe_fds, O_CLOEXEC) != 0) return absl::InternalError("pipe failed");
  std::vector<std::string> args = {binary_, "--listen",    "127.0.0.1:0", "--server",
                                   core_,   "--log-level", "warn"};
  args.insert(args.end(), extra_args_.begin(), extra_args_.end());
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDOUT_FILENO);
  int rc = posix_spawn(&pid_, binary_.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(pipe_fds[1]);
  stdout_fd_ = pipe_fds[0];
  if (rc != 0) {
    pid_ = -1;
    return absl::InternalError(absl::StrCat("cannot start ", binary_, ": ", strerror(rc)));
  }

  const std::string kMarker = "firefighter-web listening on ";
  std::string out;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (std::chrono::steady_clock::now() < deadline) {
    pollfd pfd{stdout_fd_, POLLIN, 0};
    if (poll(&pfd, 1, 100) <= 0) continue;
    char buf[512];
    ssize_t n = read(stdout_fd_, buf, sizeof(buf));
    if (n <= 0) break;  // exited
    out.append(buf, static_cast<size_t>(n));
    size_t at = out.find(kMarker);
    size_t end = at == std::string::npos ? at : out.find('\n', at);
    if (end == std::string::npos) continue;
    std::string address = out.substr(at + kMarker.size(), end - at - kMarker.size());
    size_t colon = address.rfind(':');
    host_ = address.substr(0, colon);
    if (colon != std::string::npos && absl::SimpleAtoi(address.substr(colon + 1), &port_)) {
      return absl::OkStatus();
    }
    break;
  }
  int status = Stop(SIGKILL);
  return absl::InternalError(
      absl::StrCat("firefighter-web did not start (wait status ", status, "); stdout: ", out));
}

int WebProcess::Stop(int signal) {
  if (pid_ <= 0) return -1;
  kill(pid_, signal);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
  if (stdout_fd_ >= 0) close(stdout_fd_);
  stdout_fd_ = -1;
  return status;
}

}  // namespace ff::web::testing
