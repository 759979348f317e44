#include "adapters/cli/default_user.h"

#include <fcntl.h>
#include <pwd.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>

#include "absl/strings/ascii.h"

extern char** environ;

namespace ff::cli {
namespace {

constexpr size_t kMaxGitOutput = 1024;

// ReadAll reads `fd` to its end, keeping at most kMaxGitOutput bytes.
std::string ReadAll(int fd) {
  std::string out;
  char buffer[256];
  for (;;) {
    ssize_t n = read(fd, buffer, sizeof(buffer));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    if (out.size() < kMaxGitOutput) out.append(buffer, static_cast<size_t>(n));
  }
  return out;
}

// RunGitConfig runs `git config user.email` and returns its stdout, or ""
// when it cannot start or does not exit 0.
std::string RunGitConfig() {
  int pipe_fds[2];
  if (pipe2(pipe_fds, O_CLOEXEC) != 0) return "";
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDOUT_FILENO);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
  char git[] = "git", config[] = "config", key[] = "user.email";
  char* argv[] = {git, config, key, nullptr};
  pid_t pid = -1;
  int spawned = posix_spawnp(&pid, "git", &actions, nullptr, argv, environ);
  posix_spawn_file_actions_destroy(&actions);
  close(pipe_fds[1]);
  std::string out = spawned == 0 ? ReadAll(pipe_fds[0]) : "";
  close(pipe_fds[0]);
  if (spawned != 0) return "";
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? out : "";
}

}  // namespace

std::string GitUserEmail() {
  std::string email(absl::StripAsciiWhitespace(RunGitConfig()));
  size_t at = email.find('@');
  bool looks_like_email = at != std::string::npos && at > 0 && at + 1 < email.size() &&
                          email.find_first_of(" \t\n") == std::string::npos;
  return looks_like_email ? email : "";
}

std::string DefaultUser() {
  const char* user = std::getenv("FF_USER");
  if (user != nullptr && *user != '\0') return user;
  if (std::string email = GitUserEmail(); !email.empty()) return email;
  if (const passwd* pw = getpwuid(geteuid()); pw != nullptr && pw->pw_name != nullptr) {
    return pw->pw_name;
  }
  return "unknown";
}

}  // namespace ff::cli
