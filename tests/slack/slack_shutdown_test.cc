// firefighter-slack stopped by SIGTERM while a slash command's call to the
// core is in flight (firefighterd held behind a lock in its PostgreSQL
// database): the adapter stops accepting, the command still gets its full
// answer, and the process exits 0 within 5 s.
#include <signal.h>
#include <sys/wait.h>

#include <future>
#include <memory>
#include <optional>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/host_port.h"
#include "gmock/gmock.h"
#include "tests/slack/slack_fixture.h"
#include "tests/testing/child_process.h"
#include "tests/testing/postgres_server.h"

namespace ff::slack {
namespace {

using ::testing::HasSubstr;
using json = nlohmann::json;

class SlackShutdownTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto started = ff::testing::PostgresServer::Start();
    ASSERT_TRUE(started.ok()) << started.status();
    core_ = *std::move(started);
    auto address = adapter_.Start({FF_SLACK_BINARY, "--listen", "127.0.0.1:0", "--server",
                                   core_->address(), "--slack-api-url", slack_.api_url()},
                                  "firefighter-slack listening on ",
                                  {{absl::StrCat("SLACK_SIGNING_SECRET=", kSigningSecret),
                                    absl::StrCat("SLACK_BOT_TOKEN=", slack_.token())}});
    ASSERT_TRUE(address.ok()) << address.status();
    std::string host;
    ASSERT_TRUE(SplitHostPort(*address, &host, &port_));
  }

  // Answer is what the user sees of `reply`: the inline message, or else
  // the one sent through the command's response_url.
  std::string Answer(const SlackPost& reply) {
    if (!reply.body.empty()) return reply.Json().value("text", "");
    std::vector<json> late = slack_.Responses();
    return late.empty() ? "" : late.back().value("text", "");
  }

  std::unique_ptr<ff::testing::PostgresServer> core_;
  ff::testing::FakeSlack slack_;
  ff::testing::ChildProcess adapter_;
  int port_ = 0;
};

TEST_F(SlackShutdownTest, SigtermFinishesTheSlashCommandInFlightAndExitsZero) {
  ASSERT_TRUE(core_->OpenIncident("Checkout returns 502").ok());

  std::future<SlackPost> command;  // declared first: waited for after the lock goes
  auto lock = core_->LockTable("incidents");
  ASSERT_TRUE(lock.ok()) << lock.status();
  command = std::async(std::launch::async, [this] {
    std::string body = SlashCommandBody({"T0FF01", "list", "U100", "C0GENERAL", "general",
                                         slack_.ResponseUrl("held"), slack_.IssueTrigger()});
    return SignedPost(port_, "/slack/commands", body, "application/x-www-form-urlencoded");
  });
  ASSERT_TRUE((*lock)->WaitForWaiter(absl::Seconds(10))) << "the command never reached the core";

  adapter_.Signal(SIGTERM);
  absl::Time signalled = absl::Now();
  EXPECT_TRUE(ff::testing::WaitUntilRefused(port_, absl::Seconds(5)))
      << "still accepting connections";
  ASSERT_TRUE((*lock)->Release().ok());
  SlackPost reply = command.get();

  std::optional<int> exit = adapter_.WaitForExit(signalled + absl::Seconds(5) - absl::Now());
  ASSERT_TRUE(exit.has_value()) << "firefighter-slack still running 5 s after SIGTERM";
  EXPECT_TRUE(WIFEXITED(*exit));
  EXPECT_EQ(WEXITSTATUS(*exit), 0);
  EXPECT_EQ(reply.status, 200);
  EXPECT_THAT(Answer(reply), HasSubstr("Checkout returns 502"));
}

}  // namespace
}  // namespace ff::slack
