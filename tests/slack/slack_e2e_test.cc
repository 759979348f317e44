// End to end: signed Slack requests → the adapter → the real firefighterd,
// with the validating FakeSlack as the Web API.
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "tests/slack/slack_fixture.h"

namespace ff::slack {
namespace {

using json = nlohmann::json;
using ::testing::AllOf;
using ::testing::HasSubstr;

class SlackE2eTest : public SlackAppFixture {
 protected:
  void SetUp() override { Start(); }

  // OpenViaSlack runs the whole open flow and returns the incident id.
  int64_t OpenViaSlack(const std::string& title) {
    SlackPost ack = Command("open");
    EXPECT_EQ(ack.status, 200);
    std::vector<json> views = slack_->OpenedViews();
    EXPECT_FALSE(views.empty());
    if (views.empty()) return 0;
    SlackPost submitted = Submit(views.back(), {{"domain", Selected("payment")},
                                                {"severity", Selected("SEVERITY_SEV2")},
                                                {"title", Typed(title)},
                                                {"description", RichTyped("500s on checkout")}});
    EXPECT_EQ(submitted.status, 200);
    EXPECT_EQ(submitted.body, "");
    auto list = Core().ListIncidents(pb::ListIncidentsRequest());
    EXPECT_TRUE(list.ok());
    return list.ok() && list->incidents_size() > 0 ? list->incidents(0).id() : 0;
  }

  json LastView() { return slack_->OpenedViews().back(); }
};

TEST_F(SlackE2eTest, HealthzAnswers) {
  httplib::Client client("127.0.0.1", adapter_->port());
  auto result = client.Get("/healthz");
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 200);
}

TEST_F(SlackE2eTest, UnsignedOrStaleRequestsGet401AndDoNothing) {
  httplib::Client client("127.0.0.1", adapter_->port());
  std::string body =
      "command=%2Fincident&text=open&user_id=U100&trigger_id=" + UrlEncode(slack_->IssueTrigger());
  auto unsigned_result = client.Post("/slack/commands", body, "application/x-www-form-urlencoded");
  ASSERT_TRUE(unsigned_result);
  EXPECT_EQ(unsigned_result->status, 401);
  std::string stale = std::to_string(absl::ToUnixSeconds(absl::Now()) - 301);
  httplib::Headers headers = {
      {"X-Slack-Request-Timestamp", stale},
      {"X-Slack-Signature", SignatureVerifier::Sign(kSigningSecret, stale, body)}};
  auto stale_result =
      client.Post("/slack/commands", headers, body, "application/x-www-form-urlencoded");
  ASSERT_TRUE(stale_result);
  EXPECT_EQ(stale_result->status, 401);
  EXPECT_TRUE(slack_->OpenedViews().empty());
  EXPECT_TRUE(slack_->CallsOf("views.open").empty());
}

TEST_F(SlackE2eTest, OpenModalThenSubmissionOpensTheIncident) {
  ASSERT_EQ(Command("open").status, 200);
  auto calls = slack_->CallsOf("views.open");
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].Header("Authorization"), "Bearer " + slack_->token());
  json view = LastView();
  EXPECT_EQ(view["callback_id"], kOpenCallback);
  EXPECT_THAT(view.dump(), HasSubstr("payment"));
  EXPECT_THAT(view.dump(), HasSubstr("SEV5"));
  SlackPost submitted =
      Submit(view, {{"domain", Selected("payment")},
                    {"severity", Selected("SEVERITY_SEV2")},
                    {"title", Typed("Checkout returns 500")},
                    {"trigger_oncall",
                     json{{"type", "checkboxes"}, {"selected_options", {{{"value", "page"}}}}}}});
  EXPECT_EQ(submitted.status, 200);
  EXPECT_EQ(submitted.body, "");
  auto incident = Core().GetIncident(1);
  ASSERT_TRUE(incident.ok()) << incident.status();
  EXPECT_EQ(incident->title(), "Checkout returns 500");
  EXPECT_EQ(incident->severity(), pb::SEVERITY_SEV2);
  EXPECT_EQ(incident->domain(), "payment");
  EXPECT_EQ(incident->reporter(), "alice@example.com");
  EXPECT_TRUE(incident->trigger_oncall());
}

TEST_F(SlackE2eTest, OpenSubmissionErrorsLandOnTheirBlocks) {
  ASSERT_EQ(Command("open").status, 200);
  json view = LastView();
  SlackPost missing = Submit(view, {{"domain", Selected("payment")}, {"title", Typed("x")}});
  json reply = missing.Json();
  EXPECT_EQ(reply["response_action"], "errors");
  EXPECT_TRUE(reply["errors"].contains("severity")) << missing.body;

  SlackPost bad_domain = Submit(view, {{"domain", Selected("nowhere")},
                                       {"severity", Selected("SEVERITY_SEV3")},
                                       {"title", Typed("Search is slow")}});
  reply = bad_domain.Json();
  EXPECT_EQ(reply["response_action"], "errors");
  ASSERT_TRUE(reply["errors"].contains("domain")) << bad_domain.body;
  EXPECT_FALSE(Core().GetIncident(1).ok());
}

TEST_F(SlackE2eTest, UpdateFlowChangesStatusAndRoles) {
  int64_t id = OpenViaSlack("Checkout returns 500");
  ASSERT_GT(id, 0);
  ASSERT_EQ(Command(absl::StrCat("update ", id)).status, 200);
  json view = LastView();
  EXPECT_EQ(view["callback_id"], kUpdateCallback);
  SlackPost submitted = Submit(view, {{"status", Selected("STATUS_INVESTIGATING")},
                                      {"commander", User("U200")},
                                      {"message", Typed("looking at the pool")}});
  EXPECT_EQ(submitted.body, "");
  auto incident = Core().GetIncident(id);
  ASSERT_TRUE(incident.ok());
  EXPECT_EQ(incident->status(), pb::STATUS_INVESTIGATING);
  EXPECT_EQ(incident->roles().commander(), "bob@example.com");
}

TEST_F(SlackE2eTest, IllegalMoveComesBackOnTheStatusBlock) {
  int64_t id = OpenViaSlack("Checkout returns 500");
  ASSERT_EQ(Command(absl::StrCat("update #", id)).status, 200);
  SlackPost submitted = Submit(LastView(), {{"status", Selected("STATUS_POSTMORTEM")}});
  json reply = submitted.Json();
  EXPECT_EQ(reply["response_action"], "errors") << submitted.body;
  ASSERT_TRUE(reply["errors"].contains("status")) << submitted.body;
  EXPECT_FALSE(reply["errors"]["status"].get<std::string>().empty());
  EXPECT_EQ(Core().GetIncident(id)->status(), pb::STATUS_OPEN);
}

TEST_F(SlackE2eTest, CloseInsideTheIncidentChannelNeedsNoId) {
  int64_t id = OpenViaSlack("Opened by mistake");
  std::string channel = absl::StrCat("inc-", id, "-payment-opened-by-mistake");
  ASSERT_EQ(Command("close", "U100", "C0INCIDENT", channel).status, 200);
  json view = LastView();
  EXPECT_EQ(view["callback_id"], kCloseCallback);
  SlackPost submitted = Submit(view, {{"reason", Selected("CLOSE_REASON_MISTAKE")}});
  EXPECT_EQ(submitted.body, "");
  auto incident = Core().GetIncident(id);
  EXPECT_EQ(incident->status(), pb::STATUS_CLOSED);
  EXPECT_EQ(incident->close_reason(), pb::CLOSE_REASON_MISTAKE);
}

TEST_F(SlackE2eTest, InfoListAndHelp) {
  int64_t id = OpenViaSlack("Checkout returns 500");
  json info = Command(absl::StrCat("info ", id)).Json();
  EXPECT_EQ(info["response_type"], "ephemeral");
  EXPECT_THAT(info["text"].get<std::string>(), HasSubstr("Checkout returns 500"));
  EXPECT_THAT(info["text"].get<std::string>(), HasSubstr("SEV2"));
  EXPECT_THAT(info["text"].get<std::string>(), HasSubstr("alice@example.com"));
  json list = Command("list").Json();
  EXPECT_THAT(list["text"].get<std::string>(), HasSubstr(absl::StrCat("#", id)));
  json missing = Command("info 999").Json();
  EXPECT_THAT(missing["text"].get<std::string>(), HasSubstr("999"));
  json no_id = Command("info").Json();
  EXPECT_THAT(no_id["text"].get<std::string>(), HasSubstr("Which incident"));
  EXPECT_THAT(Command("help").Json()["text"].get<std::string>(), HasSubstr("/incident"));
}

// The options a view's select block offers: (value, text) pairs.
std::vector<std::pair<std::string, std::string>> OptionsOf(const json& view,
                                                           const std::string& block_id) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const json& block : view["blocks"]) {
    if (block.value("block_id", "") != block_id) continue;
    for (const json& option : block["element"]["options"]) {
      out.emplace_back(option["value"], option["text"]["text"]);
    }
  }
  return out;
}

// Modals offer the vocabulary's labels and submit its words; submissions
// with any earlier spelling (an old view's enum names, the other adapters'
// "not_an_incident", "not an incident") are read; replies show the labels.
TEST_F(SlackE2eTest, ModalsUseTheVocabularyAndAcceptItsAliases) {
  ASSERT_EQ(Command("open").status, 200);
  using Options = std::vector<std::pair<std::string, std::string>>;
  EXPECT_EQ(OptionsOf(LastView(), "severity"), (Options{{"sev1", "SEV1"},
                                                        {"sev2", "SEV2"},
                                                        {"sev3", "SEV3"},
                                                        {"sev4", "SEV4"},
                                                        {"sev5", "SEV5"}}));
  EXPECT_THAT(LastView().dump(), HasSubstr("major, impacting customers"));
  int64_t id = OpenViaSlack("Checkout returns 500");
  ASSERT_EQ(Command(absl::StrCat("update ", id)).status, 200);
  // Only the moves the core allows from OPEN.
  EXPECT_EQ(
      OptionsOf(LastView(), "status"),
      (Options{{"investigating", "Investigating"}, {"fixing", "Fixing"}, {"fixed", "Fixed"}}));
  EXPECT_EQ(Submit(LastView(), {{"status", Selected("Investigating")}}).body, "");
  EXPECT_EQ(Core().GetIncident(id)->status(), pb::STATUS_INVESTIGATING);

  ASSERT_EQ(Command(absl::StrCat("close ", id)).status, 200);
  EXPECT_EQ(OptionsOf(LastView(), "reason"), (Options{{"resolved", "Resolved"},
                                                      {"mistake", "Opened by mistake"},
                                                      {"duplicate", "Duplicate"},
                                                      {"not-an-incident", "Not an incident"}}));
  json refused = Submit(LastView(), {{"reason", Selected("fixed")}}).Json();
  EXPECT_EQ(refused["response_action"], "errors");
  EXPECT_EQ(refused["errors"]["reason"],
            "reason: unknown value \"fixed\"; expected one of resolved, mistake, duplicate, "
            "not-an-incident");
  EXPECT_EQ(Core().GetIncident(id)->status(), pb::STATUS_INVESTIGATING);

  bool first = true;  // the first closes the incident above; each other one a new one
  for (const char* reason :
       {"not-an-incident", "not_an_incident", "not an incident", "CLOSE_REASON_NOT_AN_INCIDENT"}) {
    if (!first) id = OpenViaSlack("False alarm");
    first = false;
    ASSERT_EQ(Command(absl::StrCat("close ", id)).status, 200);
    EXPECT_EQ(Submit(LastView(), {{"reason", Selected(reason)}}).body, "") << reason;
    EXPECT_EQ(Core().GetIncident(id)->close_reason(), pb::CLOSE_REASON_NOT_AN_INCIDENT) << reason;
    std::string info = Command(absl::StrCat("info ", id)).Json()["text"];
    EXPECT_THAT(info,
                AllOf(HasSubstr("\nStatus: Closed\n"),
                      HasSubstr("\nSeverity: SEV2 — major, impacting customers\n"),
                      HasSubstr("\nIncident commander: —\n"), HasSubstr(" (Not an incident)\n")))
        << reason;
  }
}

TEST_F(SlackE2eTest, UrlVerificationEchoesTheChallenge) {
  SlackPost reply = Post("/slack/events",
                         R"({"token":"t","challenge":"3eZbrw1aBm2rZ","type":"url_verification"})",
                         "application/json");
  EXPECT_EQ(reply.status, 200);
  EXPECT_EQ(reply.Json()["challenge"], "3eZbrw1aBm2rZ");
}

TEST_F(SlackE2eTest, ChannelMessagesBecomeTimelineEntriesOnce) {
  int64_t id = OpenViaSlack("Checkout returns 500");
  std::string channel = slack_->AddChannel(absl::StrCat("inc-", id, "-payment-checkout"));
  int64_t sent = absl::ToUnixSeconds(absl::Now()) - 5;
  std::string ts = absl::StrCat(sent, ".000100");
  json message = {{"type", "message"},         {"channel", channel}, {"user", "U200"},
                  {"text", "pool size is 10"}, {"ts", ts},           {"event_ts", ts},
                  {"channel_type", "channel"}};
  EXPECT_EQ(Event(message, "Ev001").status, 200);
  EXPECT_EQ(Event(message, "Ev001",
                  {{"X-Slack-Retry-Num", "1"}, {"X-Slack-Retry-Reason", "http_timeout"}})
                .status,
            200);
  json bot = {{"type", "message"},  {"subtype", "bot_message"}, {"channel", channel},
              {"bot_id", "B0FF01"}, {"text", "status changed"}, {"ts", ts}};
  EXPECT_EQ(Event(bot, "Ev002").status, 200);
  auto chats = [&](const std::string& kind) {
    std::vector<pb::TimelineEntry> out;
    auto timeline = Core().ListTimeline(id);
    if (!timeline.ok()) return out;
    for (const auto& entry : timeline->entries()) {
      if (entry.kind() == kind) out.push_back(entry);
    }
    return out;
  };
  // The reaction quotes the message, so it follows its capture, as in Slack.
  ASSERT_TRUE(WaitFor([&] { return !chats("chat").empty(); }));
  json pin = {{"type", "reaction_added"},
              {"user", "U100"},
              {"reaction", "pushpin"},
              {"item", {{"type", "message"}, {"channel", channel}, {"ts", ts}}},
              {"event_ts", ts}};
  EXPECT_EQ(Event(pin, "Ev003").status, 200);

  ASSERT_TRUE(WaitFor([&] { return !chats("key_chat").empty(); }));
  std::vector<pb::TimelineEntry> captured = chats("chat");
  ASSERT_EQ(captured.size(), 1u);
  EXPECT_EQ(captured[0].actor(), "bob@example.com");
  EXPECT_EQ(captured[0].text(), "pool size is 10");
  EXPECT_EQ(captured[0].time().seconds(), sent);
  EXPECT_THAT(chats("key_chat")[0].text(), HasSubstr("pool size is 10"));
  EXPECT_EQ(chats("key_chat")[0].actor(), "alice@example.com");
}

// A core that accepts connections and never answers, and a Slack that
// hangs: every answer still comes inside Slack's 3 s.
class SlackLatencyTest : public SlackAppFixture {
 protected:
  void SetUp() override {
    listener_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ASSERT_EQ(bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof(address)), 0);
    ASSERT_EQ(listen(listener_, 64), 0);
    socklen_t length = sizeof(address);
    getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length);
    Start(absl::StrCat("127.0.0.1:", ntohs(address.sin_port)));
    slack_->HangNext(1000, absl::Seconds(4));
  }
  void TearDown() override {
    SlackAppFixture::TearDown();
    close(listener_);
  }
  int listener_ = -1;
};

TEST_F(SlackLatencyTest, EveryAnswerArrivesWithinThreeSeconds) {
  for (const char* text : {"open", "info 1", "list", "update 1", "close 1", "help"}) {
    SlackPost reply = Command(text);
    EXPECT_EQ(reply.status, 200) << text << ": no answer within 3 s";
  }
  json view = {{"type", "modal"},
               {"callback_id", kOpenCallback},
               {"private_metadata", EncodeContext({0, "C1", slack_->ResponseUrl("late")})}};
  SlackPost submitted = Submit(view, {{"domain", Selected("payment")},
                                      {"severity", Selected("SEVERITY_SEV2")},
                                      {"title", Typed("Slow core")}});
  EXPECT_EQ(submitted.status, 200) << "view_submission: no answer within 3 s";
  json message = {{"type", "message"},
                  {"channel", "C1"},
                  {"user", "U1"},
                  {"text", "hi"},
                  {"ts", "1767225600.000100"}};
  EXPECT_EQ(Event(message, "EvSlow").status, 200) << "event: no answer within 3 s";
}

}  // namespace
}  // namespace ff::slack
