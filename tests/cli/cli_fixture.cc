#include "tests/cli/cli_fixture.h"

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <utility>

#include "absl/strings/str_split.h"

namespace ff::testing {

void CliTest::SetUp() {
  server_ = std::make_unique<ServerProcess>(FF_FIREFIGHTERD_BINARY, dir_.File("ff.db"));
  absl::Status started = server_->Start();
  ASSERT_TRUE(started.ok()) << started;
}

std::vector<std::string> CliTest::Env(std::vector<std::string> extra) const {
  std::vector<std::string> env = {"FF_ADDR=" + server_->address(), "FF_USER=alice", "TZ=UTC"};
  env.insert(env.end(), extra.begin(), extra.end());
  return env;
}

FfResult CliTest::Ff(std::vector<std::string> args) const { return RunFf(std::move(args), Env()); }

int64_t CliTest::Open(const std::string& title, const std::string& severity,
                      const std::string& domain) {
  FfResult r = Ff(
      {"open", "--output", "json", "--title", title, "--severity", severity, "--domain", domain});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  nlohmann::json incident = ParseJson(r.out);
  if (!incident.is_object() || !incident["id"].is_string()) return 0;
  return std::stoll(incident["id"].get<std::string>());  // proto JSON writes int64 as a string
}

nlohmann::json ParseJson(const std::string& text) {
  nlohmann::json parsed = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  EXPECT_FALSE(parsed.is_discarded()) << "not JSON: " << text;
  return parsed.is_discarded() ? nlohmann::json() : parsed;
}

int ClosedPort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof(addr);
  bool bound = bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0 &&
               getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0;
  close(fd);
  EXPECT_TRUE(bound) << "cannot bind a port on 127.0.0.1";
  return ntohs(addr.sin_port);
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines = absl::StrSplit(text, '\n');
  if (!lines.empty() && lines.back().empty()) lines.pop_back();
  return lines;
}

}  // namespace ff::testing
