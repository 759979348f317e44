#include "tests/cli/ff_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace ff::testing {
namespace {

// Opens a pseudo-terminal; returns {master, slave} or {-1, -1}.
std::pair<int, int> OpenPty() {
  int master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (master < 0 || grantpt(master) != 0 || unlockpt(master) != 0) return {-1, -1};
  int slave = open(ptsname(master), O_RDWR | O_NOCTTY | O_CLOEXEC);
  return {master, slave};
}

void CloseFd(int* fd) {
  if (*fd >= 0) close(*fd);
  *fd = -1;
}

}  // namespace

std::string FfBinary() {
#ifdef FF_CLI_BINARY
  return FF_CLI_BINARY;
#else
  return "ff";
#endif
}

FfProcess::FfProcess(std::vector<std::string> args, std::vector<std::string> env,
                     Stdout stdout_kind)
    : args_(std::move(args)), env_(std::move(env)), stdout_kind_(stdout_kind) {}

FfProcess::~FfProcess() {
  if (pid_ > 0) Reap(/*kill_first=*/true);
  CloseFd(&out_fd_);
  CloseFd(&err_fd_);
}

absl::Status FfProcess::Start() {
  int out_pipe[2] = {-1, -1};
  int err_pipe[2];
  if (stdout_kind_ == Stdout::kTerminal) {
    std::tie(out_pipe[0], out_pipe[1]) = OpenPty();
    if (out_pipe[0] < 0) return absl::InternalError("cannot open a pseudo-terminal");
  } else if (pipe2(out_pipe, O_CLOEXEC) != 0) {
    return absl::InternalError("pipe failed");
  }
  if (pipe2(err_pipe, O_CLOEXEC) != 0) return absl::InternalError("pipe failed");

  std::string binary = FfBinary();
  std::vector<char*> argv = {binary.data()};
  for (std::string& a : args_) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::vector<char*> envp;
  for (std::string& e : env_) envp.push_back(e.data());
  envp.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, out_pipe[1], STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, err_pipe[1], STDERR_FILENO);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  started_ = absl::Now();
  int rc = posix_spawn(&pid_, binary.c_str(), &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  close(out_pipe[1]);
  close(err_pipe[1]);
  out_fd_ = out_pipe[0];
  err_fd_ = err_pipe[0];
  if (rc != 0) {
    pid_ = -1;
    return absl::InternalError(absl::StrCat("cannot start ", binary, ": ", strerror(rc)));
  }
  return absl::OkStatus();
}

bool FfProcess::Pump(absl::Time deadline) {
  pollfd fds[2] = {{out_fd_, POLLIN, 0}, {err_fd_, POLLIN, 0}};
  if (out_fd_ < 0 && err_fd_ < 0) return false;
  absl::Duration left = deadline - absl::Now();
  if (left <= absl::ZeroDuration()) return false;
  int ready = poll(fds, 2, static_cast<int>(absl::ToInt64Milliseconds(left)) + 1);
  if (ready < 0 && errno != EINTR) return false;
  int* fd_of[2] = {&out_fd_, &err_fd_};
  std::string* buffer_of[2] = {&out_, &err_};
  for (int i = 0; i < 2; ++i) {
    if (fds[i].revents == 0) continue;
    char buf[4096];
    ssize_t n = read(*fd_of[i], buf, sizeof(buf));
    if (n > 0) {
      buffer_of[i]->append(buf, static_cast<size_t>(n));
    } else {  // EOF, or EIO from a pty whose other side closed
      CloseFd(fd_of[i]);
    }
  }
  return true;
}

bool FfProcess::WaitFor(const std::string* buffer, const std::string& needle,
                        absl::Duration timeout) {
  absl::Time deadline = absl::Now() + timeout;
  while (buffer->find(needle) == std::string::npos) {
    if (!Pump(deadline)) return buffer->find(needle) != std::string::npos;
  }
  return true;
}

bool FfProcess::WaitForStdout(const std::string& needle, absl::Duration timeout) {
  return WaitFor(&out_, needle, timeout);
}

bool FfProcess::WaitForStderr(const std::string& needle, absl::Duration timeout) {
  return WaitFor(&err_, needle, timeout);
}

int FfProcess::Reap(bool kill_first) {
  if (kill_first) kill(pid_, SIGKILL);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

FfResult FfProcess::Wait(absl::Duration timeout) {
  absl::Time deadline = absl::Now() + timeout;
  while (Pump(deadline)) {
  }
  FfResult result;
  // Output closed: ff is exiting. Past the deadline: it hung; kill it.
  result.exit_code = Reap(/*kill_first=*/absl::Now() >= deadline);
  result.elapsed = absl::Now() - started_;
  result.out = out_;
  result.err = err_;
  return result;
}

FfResult RunFf(std::vector<std::string> args, std::vector<std::string> env) {
  FfProcess process(std::move(args), std::move(env));
  absl::Status started = process.Start();
  if (!started.ok()) {
    FfResult failed;
    failed.err = std::string(started.message());
    return failed;
  }
  return process.Wait(absl::Seconds(30));
}

}  // namespace ff::testing
