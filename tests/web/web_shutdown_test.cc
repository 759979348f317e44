// firefighter-web stopped by SIGTERM with an event stream open and a request
// in flight (its call to firefighterd held behind a lock in the PostgreSQL
// database): the stream ends cleanly, the listener closes, the request gets
// its full answer, and the process exits 0 within 5 s.
#include <signal.h>
#include <sys/wait.h>

#include <future>
#include <memory>
#include <optional>
#include <string>

#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "httplib.h"
#include "tests/testing/child_process.h"
#include "tests/testing/postgres_server.h"
#include "tests/web/sse_reader.h"
#include "tests/web/web_process.h"

namespace ff::web {
namespace {

using ::testing::HasSubstr;

class WebShutdownTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto started = ff::testing::PostgresServer::Start();
    ASSERT_TRUE(started.ok()) << started.status();
    core_ = *std::move(started);
    web_ = std::make_unique<testing::WebProcess>(testing::WebBinary(), core_->address());
    ASSERT_TRUE(web_->Start().ok());
  }

  std::unique_ptr<ff::testing::PostgresServer> core_;
  std::unique_ptr<testing::WebProcess> web_;
};

TEST_F(WebShutdownTest, SigtermEndsStreamsFinishesTheRequestInFlightAndExitsZero) {
  ASSERT_TRUE(core_->OpenIncident("Checkout returns 502").ok());
  testing::SseReader stream(web_->host(), web_->port());
  ASSERT_TRUE(stream.WaitFor("retry: "));  // the stream is open

  std::future<httplib::Result> request;  // declared first: waited for after the lock goes
  auto lock = core_->LockTable("incidents");
  ASSERT_TRUE(lock.ok()) << lock.status();
  request = std::async(std::launch::async, [this] {
    httplib::Client client(web_->host(), web_->port());
    client.set_read_timeout(30, 0);
    return client.Get("/api/incidents");
  });
  ASSERT_TRUE((*lock)->WaitForWaiter(absl::Seconds(10))) << "the request never reached the core";

  web_->Signal(SIGTERM);
  absl::Time signalled = absl::Now();
  EXPECT_TRUE(ff::testing::WaitUntilRefused(web_->port(), absl::Seconds(5)))
      << "still accepting connections";
  ASSERT_TRUE((*lock)->Release().ok());
  httplib::Result listed = request.get();

  std::optional<int> exit = web_->WaitForExit(signalled + absl::Seconds(5) - absl::Now());
  ASSERT_TRUE(exit.has_value()) << "firefighter-web still running 5 s after SIGTERM";
  EXPECT_TRUE(WIFEXITED(*exit));
  EXPECT_EQ(WEXITSTATUS(*exit), 0);
  ASSERT_TRUE(listed) << "no answer: " << httplib::to_string(listed.error());
  EXPECT_EQ(listed->status, 200);
  EXPECT_THAT(listed->body, HasSubstr("Checkout returns 502"));
  EXPECT_TRUE(stream.EndedCleanly(absl::Seconds(5)));
}

}  // namespace
}  // namespace ff::web
