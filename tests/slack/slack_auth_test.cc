// The Slack adapter on a firefighterd with bearer tokens: it acts for the
// Slack user (their email, from users.info) with its service token, and
// refuses workspaces outside its allow-list.
#include <fstream>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "server/auth/tokens.h"
#include "tests/slack/slack_fixture.h"

namespace ff::slack {
namespace {

using json = nlohmann::json;
using ::testing::HasSubstr;

constexpr char kServiceToken[] = "slack-adapter-service-token";
constexpr char kAdminToken[] = "ops-admin-token";

class SlackAuthTest : public SlackAppFixture {
 protected:
  void SetUp() override {
    std::ofstream(dir_.File("tokens"))
        << Sha256Hex(kServiceToken) << " slack-adapter responder service\n"
        << Sha256Hex(kAdminToken) << " ops admin\n";
    server_args_ = {"--auth-tokens", dir_.File("tokens")};
    adapter_token_ = kServiceToken;
    core_token_ = kAdminToken;
    options_.allowed_teams = {"T0FF01"};
  }

  SlackPost SubmitOpen(const std::string& title, const std::string& user) {
    EXPECT_EQ(Command("open", user).status, 200);
    return Submit(slack_->OpenedViews().back(),
                  {{"domain", Selected("payment")},
                   {"severity", Selected("SEVERITY_SEV2")},
                   {"title", Typed(title)}},
                  user);
  }
};

TEST_F(SlackAuthTest, ChangesAreMadeForTheSlackUserViaTheServiceToken) {
  Start();
  SlackPost submitted = SubmitOpen("Checkout returns 500", "U100");
  ASSERT_EQ(submitted.status, 200);
  EXPECT_EQ(submitted.body, "");
  auto incident = Core().GetIncident(1);
  ASSERT_TRUE(incident.ok()) << incident.status();
  EXPECT_EQ(incident->reporter(), "alice@example.com");
  auto timeline = Core().ListTimeline(1);
  ASSERT_TRUE(timeline.ok());
  ASSERT_EQ(timeline->entries_size(), 1);
  EXPECT_EQ(timeline->entries(0).actor(), "alice@example.com");
  EXPECT_EQ(timeline->entries(0).via(), "slack-adapter");
  EXPECT_FALSE(slack_->CallsOf("users.info").empty());
}

TEST_F(SlackAuthTest, WithoutItsTokenTheAdapterSaysSoAndNothingHappens) {
  adapter_token_ = "";
  Start();
  SlackPost command = Command("open");
  EXPECT_EQ(command.status, 200);
  EXPECT_THAT(command.body, HasSubstr("could not sign in to the incident service"));
  EXPECT_TRUE(slack_->OpenedViews().empty());
}

TEST_F(SlackAuthTest, OtherWorkspacesAreRefusedWith403) {
  Start();
  team_ = "T0EVIL";
  SlackPost command = Command("open");
  EXPECT_EQ(command.status, 403);
  EXPECT_THAT(command.body, HasSubstr("workspace may not use FireFighter"));
  EXPECT_TRUE(slack_->CallsOf("views.open").empty());

  team_ = "T0FF01";
  ASSERT_EQ(Command("open").status, 200);
  json view = slack_->OpenedViews().back();
  team_ = "T0EVIL";
  SlackPost submitted = Submit(view, {{"domain", Selected("payment")},
                                      {"severity", Selected("SEVERITY_SEV2")},
                                      {"title", Typed("From elsewhere")}});
  EXPECT_EQ(submitted.status, 403);
  SlackPost event = Event({{"type", "message"},
                           {"channel", "C1"},
                           {"user", "U100"},
                           {"text", "hello"},
                           {"ts", "1.000"}},
                          "Ev0EVIL");
  EXPECT_EQ(event.status, 403);
  auto list = Core().ListIncidents(pb::ListIncidentsRequest());
  ASSERT_TRUE(list.ok());
  EXPECT_EQ(list->incidents_size(), 0);
}

}  // namespace
}  // namespace ff::slack
