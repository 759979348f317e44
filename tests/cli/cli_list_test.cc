// ff list: table and JSON, filters and pages, against the real server.
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/cli/cli_fixture.h"

namespace ff::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::MatchesRegex;

std::vector<std::string> Ids(const nlohmann::json& list) {
  std::vector<std::string> ids;
  for (const auto& incident : list["incidents"]) ids.push_back(incident["id"]);
  return ids;
}

class CliListTest : public CliTest {
 protected:
  void SetUp() override {
    CliTest::SetUp();
    ASSERT_EQ(Open("Checkout fails", "1", "payment"), 1);
    ASSERT_EQ(Open("Search results are stale", "3", "search"), 2);
    ASSERT_EQ(Open("Refunds stuck", "2", "payment"), 3);
    ASSERT_EQ(Ff({"update", "3", "--status", "investigating", "--commander", "carol"}).exit_code,
              0);
  }
};

TEST_F(CliListTest, TableIsAlignedAndNewestFirst) {
  FfResult r = Ff({"list"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.err, "");
  std::vector<std::string> lines = Lines(r.out);
  ASSERT_EQ(lines.size(), 4u) << r.out;
  EXPECT_THAT(lines[0], MatchesRegex("ID +SEV +STATUS +DOMAIN +TITLE +DURATION +COMMANDER"));
  EXPECT_THAT(lines[1],
              MatchesRegex("#3 +sev2 +investigating +payment +Refunds stuck +[0-9]+s +carol"));
  EXPECT_THAT(lines[2],
              MatchesRegex("#2 +sev3 +open +search +Search results are stale +[0-9]+s +-"));
  EXPECT_THAT(lines[3], MatchesRegex("#1 +sev1 +open +payment +Checkout fails +[0-9]+s +-"));
  for (const char* column : {"SEV", "STATUS", "DOMAIN", "TITLE", "DURATION", "COMMANDER"}) {
    size_t at = lines[0].find(column);
    for (size_t i = 1; i < lines.size(); ++i) {
      EXPECT_EQ(lines[i][at - 1], ' ') << column << " in " << lines[i];
      EXPECT_NE(lines[i][at], ' ') << column << " in " << lines[i];
    }
  }
}

TEST_F(CliListTest, JsonIsOneDocumentWithTheProtoFieldNames) {
  FfResult r = Ff({"list", "--output", "json"});
  ASSERT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.err, "");
  nlohmann::json j = ParseJson(r.out);
  EXPECT_THAT(Ids(j), ElementsAre("3", "2", "1"));
  EXPECT_EQ(j["next_page_token"], "");
  EXPECT_EQ(j["incidents"][0]["roles"]["commander"], "carol");
}

TEST_F(CliListTest, FiltersByStatusSeverityAndDomain) {
  nlohmann::json by_status = ParseJson(Ff({"list", "-o", "json", "--status", "open"}).out);
  EXPECT_THAT(Ids(by_status), ElementsAre("2", "1"));
  nlohmann::json two_statuses =
      ParseJson(Ff({"list", "-o", "json", "--status", "investigating", "--status", "fixing"}).out);
  EXPECT_THAT(Ids(two_statuses), ElementsAre("3"));
  nlohmann::json by_severity =
      ParseJson(Ff({"list", "-o", "json", "--severity", "sev1", "--severity", "3"}).out);
  EXPECT_THAT(Ids(by_severity), ElementsAre("2", "1"));
  nlohmann::json by_domain = ParseJson(Ff({"list", "-o", "json", "--domain", "payment"}).out);
  EXPECT_THAT(Ids(by_domain), ElementsAre("3", "1"));

  FfResult none = Ff({"list", "--domain", "backoffice"});
  EXPECT_EQ(none.exit_code, 0);
  EXPECT_EQ(none.out, "No incidents.\n");
}

TEST_F(CliListTest, LimitGivesOnePageAndAllFollowsPages) {
  FfResult page = Ff({"list", "--limit", "2"});
  EXPECT_EQ(page.exit_code, 0);
  std::vector<std::string> lines = Lines(page.out);
  ASSERT_EQ(lines.size(), 4u) << page.out;
  EXPECT_EQ(lines[3], "(more incidents: use --all, or a larger --limit)");

  nlohmann::json first = ParseJson(Ff({"list", "--limit", "2", "-o", "json"}).out);
  EXPECT_THAT(Ids(first), ElementsAre("3", "2"));
  EXPECT_NE(first["next_page_token"], "");

  nlohmann::json all = ParseJson(Ff({"list", "--limit", "2", "--all", "-o", "json"}).out);
  EXPECT_THAT(Ids(all), ElementsAre("3", "2", "1"));
  EXPECT_EQ(all["next_page_token"], "");
}

}  // namespace
}  // namespace ff::testing
