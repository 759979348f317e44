#include "tests/testing/child_process.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

extern char** environ;

namespace ff::testing {
namespace {

// CStrings is a null-terminated array of pointers into `strings`.
std::vector<char*> CStrings(std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (std::string& s : strings) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

std::vector<std::string> Environment(const std::vector<std::string>& extra) {
  std::vector<std::string> env;
  for (char** e = environ; *e != nullptr; ++e) env.emplace_back(*e);
  env.insert(env.end(), extra.begin(), extra.end());
  return env;
}

// ReadUntil reads `fd` into `out` until a line starting with `marker` is
// complete; returns the rest of that line, or nullopt at end of file or
// after `timeout`.
std::optional<std::string> ReadUntil(int fd, const std::string& marker, absl::Duration timeout,
                                     std::string& out) {
  absl::Time deadline = absl::Now() + timeout;
  while (absl::Now() < deadline) {
    pollfd pfd{fd, POLLIN, 0};
    if (poll(&pfd, 1, 100) <= 0) continue;
    char buf[512];
    ssize_t n = read(fd, buf, sizeof(buf));
    if (n <= 0) return std::nullopt;  // exited
    out.append(buf, static_cast<size_t>(n));
    size_t at = out.find(marker);
    size_t end = at == std::string::npos ? at : out.find('\n', at);
    if (end != std::string::npos) return out.substr(at + marker.size(), end - at - marker.size());
  }
  return std::nullopt;
}

}  // namespace

ChildProcess::~ChildProcess() {
  if (running()) Stop(SIGKILL);
}

absl::StatusOr<std::string> ChildProcess::Start(std::vector<std::string> argv,
                                                const std::string& marker, const Options& options) {
  int pipe_fds[2];
  if (pipe2(pipe_fds, O_CLOEXEC) != 0) return absl::InternalError("pipe failed");
  std::vector<std::string> env = Environment(options.env);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDOUT_FILENO);
  if (!options.stderr_path.empty()) {
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, options.stderr_path.c_str(),
                                     O_WRONLY | O_CREAT | O_APPEND, 0644);
  }
  std::vector<char*> c_argv = CStrings(argv);
  std::vector<char*> c_env = CStrings(env);
  int rc = posix_spawn(&pid_, argv[0].c_str(), &actions, nullptr, c_argv.data(), c_env.data());
  posix_spawn_file_actions_destroy(&actions);
  close(pipe_fds[1]);
  stdout_fd_ = pipe_fds[0];
  if (rc != 0) {
    Forget();
    return absl::InternalError(absl::StrCat("cannot start ", argv[0], ": ", strerror(rc)));
  }
  startup_output_.clear();
  std::optional<std::string> address =
      ReadUntil(stdout_fd_, marker, absl::Seconds(30), startup_output_);
  if (address.has_value()) return *address;
  int status = Stop(SIGKILL);
  return absl::InternalError(absl::StrCat(argv[0], " did not start (wait status ", status,
                                          "); stdout: ", startup_output_));
}

void ChildProcess::Signal(int signal) {
  if (running()) kill(pid_, signal);
}

std::optional<int> ChildProcess::WaitForExit(absl::Duration timeout) {
  if (!running()) return std::nullopt;
  absl::Time deadline = absl::Now() + timeout;
  int status = 0;
  while (waitpid(pid_, &status, WNOHANG) == 0) {
    if (absl::Now() >= deadline) return std::nullopt;
    absl::SleepFor(absl::Milliseconds(5));  // polling the exit, with a deadline
  }
  Forget();
  return status;
}

int ChildProcess::Stop(int signal) {
  if (!running()) return -1;
  kill(pid_, signal);
  int status = 0;
  waitpid(pid_, &status, 0);
  Forget();
  return status;
}

void ChildProcess::Forget() {
  pid_ = -1;
  if (stdout_fd_ >= 0) close(stdout_fd_);
  stdout_fd_ = -1;
}

bool WaitUntilRefused(int port, absl::Duration timeout) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(static_cast<uint16_t>(port));
  absl::Time deadline = absl::Now() + timeout;
  do {
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int rc = connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof(address));
    int error = errno;
    close(fd);
    if (rc != 0 && error == ECONNREFUSED) return true;
    absl::SleepFor(absl::Milliseconds(5));  // polling, with a deadline
  } while (absl::Now() < deadline);
  return false;
}

}  // namespace ff::testing
