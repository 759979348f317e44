#include "tests/testing/server_process.h"

#include <signal.h>
#include <stdlib.h>

#include <filesystem>
#include <utility>

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

absl::Status ServerProcess::Start() {
  std::vector<std::string> args = {binary_, "--listen", listen_, "--db", db_};
  args.insert(args.end(), extra_args_.begin(), extra_args_.end());
  absl::StatusOr<std::string> address =
      process_.Start(std::move(args), "firefighterd listening on ", {{}, stderr_path_});
  if (!address.ok()) return address.status();
  address_ = *std::move(address);
  return absl::OkStatus();
}

absl::Status ServerProcess::Restart() {
  if (process_.running() || address_.empty()) {
    return absl::FailedPreconditionError("not a stopped server");
  }
  listen_ = address_;
  return Start();
}

int ServerProcess::Stop(int signal) { return process_.Stop(signal); }

int ServerProcess::Kill() { return Stop(SIGKILL); }

}  // namespace ff::testing
