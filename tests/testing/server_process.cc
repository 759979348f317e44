#include "tests/testing/server_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <filesystem>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

extern char** environ;

namespace ff::testing {

TempDir::TempDir() {
  std::string templ = (std::filesystem::temp_directory_path() / "ff-test-XXXXXX").string();
  char* made = mkdtemp(templ.data());
  path_ = made != nullptr ? made : "";
}

TempDir::~TempDir() {
  std::error_code ignored;
  if (!path_.empty()) std::filesystem::remove_all(path_, ignored);
}

std::string ServerBinary() {
#ifdef FF_SERVER_BINARY
  return FF_SERVER_BINARY;
#else
  return "firefighterd";
#endif
}

ServerProcess::ServerProcess(std::string binary, std::string db,
                             std::vector<std::string> extra_args)
    : binary_(std::move(binary)), db_(std::move(db)), extra_args_(std::move(extra_args)) {}

ServerProcess::~ServerProcess() {
  if (pid_ > 0) Kill();
}

absl::Status ServerProcess::Start() {
  int pipe_fds[2];
  if (pipe2(pipe_fds, O_CLOEXEC) != 0) return absl::InternalError("pipe failed");
  std::vector<std::string> args = {binary_, "--listen", listen_, "--db", db_};
  args.insert(args.end(), extra_args_.begin(), extra_args_.end());
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDOUT_FILENO);
  if (!stderr_path_.empty()) {
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, stderr_path_.c_str(),
                                     O_WRONLY | O_CREAT | O_APPEND, 0644);
  }
  int rc = posix_spawn(&pid_, binary_.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(pipe_fds[1]);
  stdout_fd_ = pipe_fds[0];
  if (rc != 0) {
    pid_ = -1;
    return absl::InternalError(absl::StrCat("cannot start ", binary_, ": ", strerror(rc)));
  }

  std::string out;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  const std::string kMarker = "firefighterd listening on ";
  while (std::chrono::steady_clock::now() < deadline) {
    pollfd pfd{stdout_fd_, POLLIN, 0};
    if (poll(&pfd, 1, 100) <= 0) continue;
    char buf[512];
    ssize_t n = read(stdout_fd_, buf, sizeof(buf));
    if (n <= 0) break;  // server exited
    out.append(buf, static_cast<size_t>(n));
    size_t at = out.find(kMarker);
    size_t end = at == std::string::npos ? at : out.find('\n', at);
    if (end != std::string::npos) {
      address_ = out.substr(at + kMarker.size(), end - at - kMarker.size());
      startup_output_ = out;
      return absl::OkStatus();
    }
  }
  int status = Kill();
  return absl::InternalError(
      absl::StrCat("firefighterd did not start (wait status ", status, "); stdout: ", out));
}

absl::Status ServerProcess::Restart() {
  if (pid_ > 0 || address_.empty()) return absl::FailedPreconditionError("not a stopped server");
  listen_ = address_;
  return Start();
}

int ServerProcess::Stop(int signal) {
  if (pid_ <= 0) return -1;
  kill(pid_, signal);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
  if (stdout_fd_ >= 0) close(stdout_fd_);
  stdout_fd_ = -1;
  return status;
}

int ServerProcess::Kill() { return Stop(SIGKILL); }

}  // namespace ff::testing
