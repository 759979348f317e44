// The Slack adapter under hostile clients, end to end: the real adapter
// server in process, the real firefighterd and the validating FakeSlack,
// with raw TCP clients that are slow on purpose or declare huge bodies.
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/slack/slack_fixture.h"
#include "tests/testing/raw_connection.h"

namespace ff::slack {
namespace {

using ::ff::testing::Fetch;
using ::ff::testing::RawConnection;
using ::ff::testing::StatusOf;
using ::testing::HasSubstr;

class SlackHardeningTest : public SlackAppFixture {
 protected:
  void SetUp() override { Start(); }

  // NothingStored: firefighterd holds no incident.
  // ExpectRefusedHavingReadAtMostTheLimit: `client`, which sent an oversize
  // body, got the 413 JSON; this process (adapter in process) read little
  // more than the limit since `read_before`; nothing was stored, and the
  // adapter still answers.
  void ExpectRefusedHavingReadAtMostTheLimit(RawConnection& client, int64_t read_before) {
    const std::string& answer = client.ReadUntil("}", absl::Seconds(10));
    EXPECT_EQ(StatusOf(answer), 413) << answer;
    EXPECT_THAT(answer, HasSubstr(TooLarge()));
    EXPECT_LT(ff::testing::ProcessReadBytes("self") - read_before,
              2 * static_cast<int64_t>(SlackHttpServer::kMaxRequestBytes) + (1 << 20));
    ExpectNothingStored();
    EXPECT_EQ(StatusOf(Fetch(adapter_->port(), "GET", "/healthz")), 200);
  }

  void ExpectNothingStored() {
    absl::StatusOr<pb::ListIncidentsResponse> list = Core().ListIncidents({});
    ASSERT_TRUE(list.ok()) << list.status();
    EXPECT_EQ(list->incidents_size(), 0);
  }

  // The 413 body, saying the limit.
  static std::string TooLarge() {
    return absl::StrCat(R"({"error":"request too large","limit_bytes":)",
                        SlackHttpServer::kMaxRequestBytes, "}");
  }
};

// Row 8: with a thread per connection, 8 clients sending a byte a second
// left nothing answered, /healthz included. Here 500 such clients are
// mid-request (in the header, and in the body) while Slack is answered.
TEST_F(SlackHardeningTest, FiveHundredSlowClientsStarveNeitherHealthzNorSlack) {
  std::vector<std::unique_ptr<RawConnection>> slow;
  for (int i = 0; i < 500; ++i) {
    slow.push_back(std::make_unique<RawConnection>(adapter_->port()));
    std::string start = i % 2 == 0 ? "POST /slack/commands HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Sl"
                                   : "POST /slack/commands HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                     "Content-Type: application/x-www-form-urlencoded\r\n"
                                     "Content-Length: 400\r\n\r\ncommand=%2Fincident&te";
    ASSERT_TRUE(slow.back()->Send(start)) << i;
  }
  for (int round = 0; round < 3; ++round) {
    for (auto& client : slow) ASSERT_TRUE(client->Send("x"));  // one more byte each
    std::string health = Fetch(adapter_->port(), "GET", "/healthz");
    EXPECT_EQ(StatusOf(health), 200) << health;
  }
  SlackPost listed = Command("list");
  EXPECT_EQ(listed.status, 200);
  for (auto& client : slow) {  // each still open, waiting for the rest of its request
    EXPECT_EQ(client->ReadUntil("HTTP/1.1", absl::Milliseconds(1)), "");
    EXPECT_FALSE(client->closed());
  }
}

// Row 9: an unsigned 300 MiB POST is refused from its Content-Length; the
// adapter reads at most its 1 MiB limit of it and does nothing.
TEST_F(SlackHardeningTest, A300MiBDeclaredBodyIs413AfterReadingAtMostTheLimit) {
  const int64_t read_before = ff::testing::ProcessReadBytes("self");
  RawConnection client(adapter_->port());
  ASSERT_TRUE(client.Send(
      "POST /slack/commands HTTP/1.1\r\nHost: 127.0.0.1\r\n"
      "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 314572800\r\n\r\n"));
  const std::string mebibyte(1 << 20, 'x');
  for (int sent = 0; sent < 300 && client.Send(mebibyte, absl::Seconds(3)); ++sent) {
  }
  ExpectRefusedHavingReadAtMostTheLimit(client, read_before);
}

// Row 9, without a Content-Length: a chunked body is refused as soon as it
// passes the limit, whatever it would have grown to.
TEST_F(SlackHardeningTest, AChunkedBodyIs413AsSoonAsItPassesTheLimit) {
  const int64_t read_before = ff::testing::ProcessReadBytes("self");
  RawConnection client(adapter_->port());
  ASSERT_TRUE(client.Send(
      "POST /slack/events HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
      "Transfer-Encoding: chunked\r\n\r\n"));
  const std::string chunk = absl::StrCat("10000\r\n", std::string(0x10000, 'x'), "\r\n");
  for (int sent = 0; sent < 4800 && client.Send(chunk, absl::Seconds(3)); ++sent) {
  }
  ExpectRefusedHavingReadAtMostTheLimit(client, read_before);
}

TEST_F(SlackHardeningTest, AHeaderOverItsLimitIs431) {
  std::string answer =
      Fetch(adapter_->port(), "POST", "/slack/commands",
            absl::StrCat("Host: 127.0.0.1\r\nX-Padding: ", std::string(64 * 1024, 'a'), "\r\n"));
  EXPECT_EQ(StatusOf(answer), 431) << answer.substr(0, 200);
  ExpectNothingStored();
}

}  // namespace
}  // namespace ff::slack
