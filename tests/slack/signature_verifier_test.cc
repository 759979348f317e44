// SignatureVerifier against Slack's published example (EXTERNAL_APIS.md §1a).
#include "adapters/slack/signature_verifier.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/fake_clock.h"

namespace ff::slack {
namespace {

constexpr char kSecret[] = "8f742231b10e8888abcd99yyyzzz85a5";
constexpr char kTimestamp[] = "1531420618";
constexpr char kBody[] =
    "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id="
    "G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-"
    "collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%"
    "2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121."
    "803a0bc887a14d10d2c447fce8b6703c";
constexpr char kSignature[] = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503";

class SignatureVerifierTest : public ::testing::Test {
 protected:
  testing::FakeClock clock_{absl::FromUnixSeconds(1531420618)};
  SignatureVerifier verifier_{kSecret, &clock_};
};

TEST_F(SignatureVerifierTest, BodyIsTheOfficialOne) { EXPECT_EQ(std::string(kBody).size(), 362u); }

TEST_F(SignatureVerifierTest, AcceptsSlacksPublishedExample) {
  EXPECT_TRUE(verifier_.Verify(kTimestamp, kSignature, kBody).ok());
  EXPECT_EQ(SignatureVerifier::Sign(kSecret, kTimestamp, kBody), kSignature);
}

TEST_F(SignatureVerifierTest, RejectsTamperedBody) {
  absl::Status status = verifier_.Verify(kTimestamp, kSignature, std::string(kBody) + "------");
  EXPECT_EQ(status.code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(SignatureVerifier::Sign(kSecret, kTimestamp, std::string(kBody) + "------"),
            "v0=54d12afb4ea9655825354a816a2a8548469aa0da991a1fae65b0ee5bd4f32b6b");
}

TEST_F(SignatureVerifierTest, RejectsChangedTimestamp) {
  EXPECT_EQ(verifier_.Verify("1531420619", kSignature, kBody).code(),
            absl::StatusCode::kUnauthenticated);
}

TEST_F(SignatureVerifierTest, RejectsMissingHeaders) {
  EXPECT_EQ(verifier_.Verify("", kSignature, kBody).code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(verifier_.Verify(kTimestamp, "", kBody).code(), absl::StatusCode::kUnauthenticated);
}

TEST_F(SignatureVerifierTest, RejectsOtherVersionPrefix) {
  std::string v1 = std::string(kSignature);
  v1[1] = '1';
  EXPECT_EQ(verifier_.Verify(kTimestamp, v1, kBody).code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(verifier_.Verify(kTimestamp, std::string(kSignature).substr(3), kBody).code(),
            absl::StatusCode::kUnauthenticated);
}

TEST_F(SignatureVerifierTest, RejectsWrongSecretAndTruncatedSignature) {
  SignatureVerifier short_secret("8f742231b10e8888abcd99yyyzzz85a", &clock_);
  EXPECT_FALSE(short_secret.Verify(kTimestamp, kSignature, kBody).ok());
  EXPECT_FALSE(verifier_.Verify(kTimestamp, std::string(kSignature).substr(0, 60), kBody).ok());
  EXPECT_FALSE(verifier_.Verify("15314x0618", kSignature, kBody).ok());
}

TEST_F(SignatureVerifierTest, WindowIsThreeHundredSecondsBothWays) {
  clock_.Advance(absl::Seconds(300));
  EXPECT_TRUE(verifier_.Verify(kTimestamp, kSignature, kBody).ok());
  clock_.Advance(absl::Seconds(1));
  EXPECT_EQ(verifier_.Verify(kTimestamp, kSignature, kBody).code(),
            absl::StatusCode::kUnauthenticated);

  testing::FakeClock early(absl::FromUnixSeconds(1531420618 - 300));
  SignatureVerifier early_verifier(kSecret, &early);
  EXPECT_TRUE(early_verifier.Verify(kTimestamp, kSignature, kBody).ok());
  early.Advance(absl::Seconds(-1));
  EXPECT_EQ(early_verifier.Verify(kTimestamp, kSignature, kBody).code(),
            absl::StatusCode::kUnauthenticated);
}

TEST_F(SignatureVerifierTest, MatchesComputedJsonVector) {
  testing::FakeClock clock(absl::FromUnixSeconds(1700000000));
  SignatureVerifier verifier("secret", &clock);
  EXPECT_TRUE(verifier
                  .Verify("1700000000",
                          "v0=f2860e86f6b17d05bcfdb20ec88167a134d1c976d6e7b4cebf41266a4eb0909d",
                          R"({"foo":"bar"})")
                  .ok());
}

}  // namespace
}  // namespace ff::slack
