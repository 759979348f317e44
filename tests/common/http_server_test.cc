// HttpServer (common/http) on its own: routes and the limits it promises in
// its header, each answered without reading further, with small limits so
// every case is quick. The adapters' suites show the same through them.
#include "common/http/http_server.h"

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/raw_connection.h"

namespace ff::http {
namespace {

using ::ff::testing::Fetch;
using ::ff::testing::RawConnection;
using ::ff::testing::StatusOf;
using ::testing::EndsWith;
using ::testing::HasSubstr;

class HttpServerTest : public ::testing::Test {
 protected:
  void Start(HttpServer::Options options) {
    server_ = std::make_unique<HttpServer>(std::move(options));
    server_->Route("GET", "/healthz", Dispatch::kInline, [](const Request&) {
      return Response{200, "text/plain", "ok", {}, nullptr};
    });
    server_->Route("GET", "/items/([0-9]+)", Dispatch::kWorker, [](const Request& request) {
      auto q = request.query.find("q");
      return Response{200,
                      "text/plain",
                      absl::StrCat("item ", request.matches[1],
                                   " q=", q == request.query.end() ? "" : q->second),
                      {},
                      nullptr};
    });
    server_->Route("POST", "/echo", Dispatch::kWorker, [](const Request& request) {
      return Response{200, "text/plain", absl::StrCat("got ", request.body.size()), {}, nullptr};
    });
    ASSERT_TRUE(server_->Start("127.0.0.1", 0).ok());
  }
  static HttpServer::Options Small() {
    HttpServer::Options options;
    options.max_header_bytes = 1024;
    options.max_body_bytes = 1024;
    options.header_timeout = absl::Milliseconds(300);
    options.body_timeout = absl::Milliseconds(300);
    options.worker_threads = 2;
    return options;
  }
  int port() const { return server_->port(); }

  std::unique_ptr<HttpServer> server_;
};

TEST_F(HttpServerTest, RoutesMatchTheWholePathAndDecodeTheQuery) {
  Start(Small());
  std::string answer = Fetch(port(), "GET", "/items/42?q=a%20b+c");
  EXPECT_EQ(StatusOf(answer), 200) << answer;
  EXPECT_THAT(answer, EndsWith("item 42 q=a b c"));
  EXPECT_EQ(StatusOf(Fetch(port(), "GET", "/items/42/more")), 404);
  EXPECT_EQ(StatusOf(Fetch(port(), "GET", "/nowhere")), 404);
  EXPECT_EQ(StatusOf(Fetch(port(), "GET", "/items/1?q=%zz")), 400);
}

TEST_F(HttpServerTest, AHeaderOverTheLimitIs431) {
  Start(Small());
  std::string answer =
      Fetch(port(), "GET", "/healthz", absl::StrCat("X-Big: ", std::string(4096, 'x'), "\r\n"));
  EXPECT_EQ(StatusOf(answer), 431) << answer;
  EXPECT_EQ(StatusOf(Fetch(port(), "GET", "/healthz")), 200);
}

TEST_F(HttpServerTest, ADeclaredBodyOverTheLimitIs413BeforeItIsSent) {
  Start(Small());
  RawConnection connection(port());
  ASSERT_TRUE(
      connection.Send("POST /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1048576\r\n\r\n"));
  const std::string& answer = connection.ReadUntil("request too large", absl::Seconds(5));
  EXPECT_EQ(StatusOf(answer), 413) << answer;
  std::string small = absl::StrCat(
      "POST /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Length: 5\r\n\r\n",
      "hello");
  RawConnection fine(port());
  ASSERT_TRUE(fine.Send(small));
  EXPECT_THAT(fine.ReadToEnd(absl::Seconds(5)), EndsWith("got 5"));
}

// A client that never finishes its header is closed at header_timeout;
// meanwhile everyone else is answered.
TEST_F(HttpServerTest, AHeaderNotFinishedInTimeClosesTheConnection) {
  Start(Small());
  RawConnection slow(port());
  ASSERT_TRUE(slow.Send("GET /healthz HTTP/1.1\r\nHost: 127"));
  EXPECT_EQ(StatusOf(Fetch(port(), "GET", "/healthz")), 200);
  slow.ReadToEnd(absl::Seconds(5));
  EXPECT_TRUE(slow.closed());
  EXPECT_EQ(slow.received(), "");
}

TEST_F(HttpServerTest, ABodyNotFinishedInTimeClosesTheConnection) {
  Start(Small());
  RawConnection slow(port());
  ASSERT_TRUE(slow.Send("POST /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 10\r\n\r\nabc"));
  slow.ReadToEnd(absl::Seconds(5));
  EXPECT_TRUE(slow.closed());
  EXPECT_THAT(slow.received(), ::testing::Not(HasSubstr("got ")));
}

TEST_F(HttpServerTest, ConnectionsBeyondTheLimitGet503) {
  HttpServer::Options options = Small();
  options.header_timeout = absl::Seconds(10);
  options.max_connections = 2;
  Start(options);
  RawConnection first(port());
  RawConnection second(port());
  ASSERT_TRUE(first.Send("GET /healthz HTTP/1.1\r\nHost: 1"));
  ASSERT_TRUE(second.Send("GET /healthz HTTP/1.1\r\nHost: 1"));
  // The server counts a connection once it has accepted it; poll until both
  // are in, then one more is refused.
  absl::Time deadline = absl::Now() + absl::Seconds(5);
  int status = 0;
  while (status != 503 && absl::Now() < deadline)
    status = StatusOf(Fetch(port(), "GET", "/healthz"));
  EXPECT_EQ(status, 503);
}

}  // namespace
}  // namespace ff::http
