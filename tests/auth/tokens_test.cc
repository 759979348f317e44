#include "server/auth/tokens.h"

#include <fstream>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/status_matchers.h"

namespace ff {
namespace {

using ::ff::testing::IsOk;
using ::ff::testing::StatusIs;
using ::testing::HasSubstr;

const std::string kAliceHash = Sha256Hex("alice-secret");

TEST(Sha256HexTest, MatchesTheStandardVectors) {
  // FIPS 180-2 test vectors.
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(ParseTokenFileTest, ReadsRolesCommentsAndServiceMarker) {
  const std::string text = "# team tokens\n\n" + kAliceHash + " alice responder  # on call\n" +
                           Sha256Hex("bob") + "\tbob\tviewer\n" + Sha256Hex("slack") +
                           " slack-adapter responder service\n" + Sha256Hex("root") +
                           " ops admin\n";
  auto table = ParseTokenFile(text, "tokens");
  ASSERT_THAT(table, IsOk());
  ASSERT_EQ(table->size(), 4u);
  const TokenGrant& alice = table->at(kAliceHash);
  EXPECT_EQ(alice.principal, "alice");
  EXPECT_EQ(alice.role, Role::kResponder);
  EXPECT_FALSE(alice.service);
  EXPECT_EQ(table->at(Sha256Hex("bob")).role, Role::kViewer);
  EXPECT_TRUE(table->at(Sha256Hex("slack")).service);
  EXPECT_EQ(table->at(Sha256Hex("root")).role, Role::kAdmin);
}

TEST(ParseTokenFileTest, UppercaseHashesAreAccepted) {
  std::string upper = kAliceHash;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  auto table = ParseTokenFile(upper + " alice viewer\n", "tokens");
  ASSERT_THAT(table, IsOk());
  EXPECT_EQ(table->count(kAliceHash), 1u);
}

TEST(ParseTokenFileTest, EmptyFileHasNoTokens) {
  auto table = ParseTokenFile("# nobody yet\n", "tokens");
  ASSERT_THAT(table, IsOk());
  EXPECT_TRUE(table->empty());
}

struct BadLine {
  std::string text;
  std::string error;
};

class ParseTokenFileErrorTest : public ::testing::TestWithParam<BadLine> {};

TEST_P(ParseTokenFileErrorTest, NamesTheLineAndTheProblem) {
  EXPECT_THAT(ParseTokenFile(GetParam().text, "team.tokens"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr(GetParam().error)));
}

INSTANTIATE_TEST_SUITE_P(
    Lines, ParseTokenFileErrorTest,
    ::testing::Values(
        BadLine{"\n" + kAliceHash + " alice\n", "team.tokens:2: expected `<sha256-hex-of-token>"},
        BadLine{"s3cret alice viewer\n",
                "team.tokens:1: the first word must be the token's SHA-256"},
        BadLine{kAliceHash + "0 alice viewer\n", "team.tokens:1: the first word must be"},
        BadLine{kAliceHash + " alice owner\n",
                "team.tokens:1: role \"owner\" is not viewer, responder or admin"},
        BadLine{kAliceHash + " alice viewer robot\n",
                "team.tokens:1: the fourth word may only be \"service\", got \"robot\""},
        BadLine{kAliceHash + " alice viewer service extra\n", "team.tokens:1: expected"},
        BadLine{kAliceHash + " " + std::string(101, 'a') + " viewer\n",
                "team.tokens:1: principal is longer than 100 characters"},
        BadLine{kAliceHash + " alice viewer\n" + kAliceHash + " mallory admin\n",
                "team.tokens:2: this token hash is listed twice"},
        // A wrong word is quoted by a short prefix (auth_tokens_fuzzer checks
        // it for any input).
        BadLine{kAliceHash + " alice " + std::string(1000, 'r') + "\x01\n",
                "team.tokens:1: role \"rrrrrrrrrrrrrrrrrrrrrrrr…\" is not viewer"},
        BadLine{kAliceHash + " alice admin robot\x01\n",
                "the fourth word may only be \"service\", got \"robot\\x01\""}));

TEST(LoadTokenFileTest, MissingFileIsNotFound) {
  EXPECT_THAT(LoadTokenFile("/nonexistent/team.tokens"),
              StatusIs(absl::StatusCode::kNotFound,
                       HasSubstr("cannot read token file /nonexistent/team.tokens")));
}

}  // namespace
}  // namespace ff
