// The Socket Mode pieces that need no socket: the URL apps.connections.open
// returns, and the ack.
#include <optional>
#include <string>

#include "adapters/slack/socket_connection.h"
#include "adapters/slack/socket_mode.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace ff::slack {
namespace {

using ::testing::HasSubstr;
using json = nlohmann::json;

TEST(ParseWssUrlTest, SlacksUrlHasHostDefaultPortAndTarget) {
  absl::StatusOr<WssUrl> url =
      ParseWssUrl("wss://wss-primary.slack.com/link/?ticket=1234-5678&app_id=A0FF");
  ASSERT_TRUE(url.ok()) << url.status();
  EXPECT_EQ(url->host, "wss-primary.slack.com");
  EXPECT_EQ(url->port, "443");
  EXPECT_EQ(url->target, "/link/?ticket=1234-5678&app_id=A0FF");
}

TEST(ParseWssUrlTest, PortAndBareQuery) {
  absl::StatusOr<WssUrl> url = ParseWssUrl("wss://127.0.0.1:8443?ticket=t");
  ASSERT_TRUE(url.ok()) << url.status();
  EXPECT_EQ(url->host, "127.0.0.1");
  EXPECT_EQ(url->port, "8443");
  EXPECT_EQ(url->target, "/?ticket=t");
}

TEST(ParseWssUrlTest, RefusesWhatIsNotWssWithAShortQuote) {
  absl::StatusOr<WssUrl> plain = ParseWssUrl("ws://wss-primary.slack.com/link/?ticket=secret");
  EXPECT_EQ(plain.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(plain.status().message(), HasSubstr("must start with wss://"));
  EXPECT_THAT(plain.status().message(), ::testing::Not(HasSubstr("ticket=secret")));
  EXPECT_EQ(ParseWssUrl("wss://host:99999/").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseWssUrl("wss://host:x/").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseWssUrl("wss:///link").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseWssUrl("").status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(AckTextTest, CarriesThePayloadOnlyWhenThereIsOne) {
  EXPECT_EQ(json::parse(AckText("e1", std::nullopt)), (json{{"envelope_id", "e1"}}));
  EXPECT_EQ(json::parse(AckText("e2", json{{"response_action", "clear"}})),
            (json{{"envelope_id", "e2"}, {"payload", {{"response_action", "clear"}}}}));
  EXPECT_EQ(json::parse(AckText("e3", json())), (json{{"envelope_id", "e3"}}));
}

}  // namespace
}  // namespace ff::slack
