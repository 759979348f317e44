// End to end: the quick verbs, `/incident info` and `list` in Block Kit,
// escaping of user text in every reply, large modal submissions, and one
// identity (the email) per Slack user — the real adapter, the real
// firefighterd and the validating FakeSlack.
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "adapters/slack/incident_blocks.h"
#include "gmock/gmock.h"
#include "tests/slack/slack_fixture.h"

namespace ff::slack {
namespace {

using json = nlohmann::json;
using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

class SlackVerbsTest : public SlackAppFixture {
 protected:
  void SetUp() override { Start(); }

  // OpenDirect opens an incident through the core and returns its id.
  int64_t OpenDirect(const std::string& title, const std::string& reporter = "alice@example.com") {
    pb::OpenIncidentRequest request;
    request.set_title(title);
    request.set_domain("payment");
    request.set_severity(pb::SEVERITY_SEV2);
    request.set_reporter(reporter);
    absl::StatusOr<pb::Incident> incident = Core().OpenIncident(request);
    EXPECT_TRUE(incident.ok()) << incident.status();
    return incident.ok() ? incident->id() : 0;
  }

  // InChannel runs "/incident <text>" as `user` in incident `id`'s channel
  // and returns the reply's JSON.
  json InChannel(int64_t id, const std::string& text, const std::string& user = "U100") {
    SlackPost reply = Command(text, user, "C0INC", absl::StrCat("inc-", id, "-payment-checkout"));
    EXPECT_EQ(reply.status, 200) << text;
    return reply.Json();
  }

  static std::string Text(const json& reply) { return reply.value("text", ""); }

  pb::Incident Get(int64_t id) { return *Core().GetIncident(id); }

  // Entries returns the timeline entries of `kind`.
  std::vector<pb::TimelineEntry> Entries(int64_t id, const std::string& kind) {
    std::vector<pb::TimelineEntry> out;
    absl::StatusOr<pb::ListTimelineResponse> timeline = Core().ListTimeline(id);
    EXPECT_TRUE(timeline.ok()) << timeline.status();
    if (!timeline.ok()) return out;
    for (const pb::TimelineEntry& entry : timeline->entries()) {
      if (entry.kind() == kind) out.push_back(entry);
    }
    return out;
  }
};

// ExpectValidBlockKit checks the limits the adapter keeps to.
void ExpectValidBlockKit(const json& message) {
  ASSERT_TRUE(message.contains("blocks")) << message.dump();
  const json& blocks = message["blocks"];
  EXPECT_LE(blocks.size(), 50u);
  std::set<std::string> ids;
  for (const json& block : blocks) {
    EXPECT_TRUE(ids.insert(block.value("block_id", "")).second) << "repeated block_id";
    if (block.contains("text")) {
      EXPECT_LE(block["text"]["text"].get<std::string>().size(), 3000u);
    }
    if (block.contains("fields")) {
      EXPECT_LE(block["fields"].size(), 10u);
      for (const json& field : block["fields"])
        EXPECT_LE(field["text"].get<std::string>().size(), 2000u);
    }
  }
}

// BlockText returns the mrkdwn of block `block_id` (a section's text, its
// fields joined by "\n", or a context's elements), "" when absent.
std::string BlockText(const json& message, const std::string& block_id) {
  for (const json& block : message.value("blocks", json::array())) {
    if (block.value("block_id", "") != block_id) continue;
    std::string text;
    if (block.contains("text")) text = block["text"]["text"];
    for (const char* list : {"fields", "elements"}) {
      if (!block.contains(list)) continue;
      for (const json& item : block[list])
        absl::StrAppend(&text, item["text"].get<std::string>(), "\n");
    }
    return text;
  }
  return "";
}

TEST_F(SlackVerbsTest, StatusVerbMovesTheChannelsIncidentAsThePerson) {
  int64_t id = OpenDirect("Checkout returns 500");
  json reply = InChannel(id, "status investigating looking at the pool");
  EXPECT_EQ(reply["response_type"], "ephemeral");
  EXPECT_THAT(Text(reply), HasSubstr(absl::StrCat("#", id, " [SEV2, Investigating]")));
  EXPECT_EQ(Get(id).status(), pb::STATUS_INVESTIGATING);
  std::vector<pb::TimelineEntry> moves = Entries(id, "status");
  ASSERT_EQ(moves.size(), 1u);
  EXPECT_EQ(moves[0].actor(), "alice@example.com");
  EXPECT_THAT(moves[0].text(), HasSubstr("looking at the pool"));

  // Every spelling the vocabulary accepts.
  InChannel(id, "status STATUS_FIXING");
  EXPECT_EQ(Get(id).status(), pb::STATUS_FIXING);
  InChannel(id, "status Fixed rolled back to 2024.11.2", "U200");
  EXPECT_EQ(Get(id).status(), pb::STATUS_FIXED);
  EXPECT_EQ(Entries(id, "status").back().actor(), "bob@example.com");
}

TEST_F(SlackVerbsTest, ARefusalComesBackWithTheWorkflowsOwnReason) {
  int64_t id = OpenDirect("Checkout returns 500");
  pb::UpdateIncidentRequest same;
  same.set_id(id);
  same.set_actor("carol@example.com");
  same.set_status(pb::STATUS_POSTMORTEM);
  absl::StatusOr<pb::Incident> refused = Core().UpdateIncident(same);
  ASSERT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
  json reply = InChannel(id, "status postmortem");
  EXPECT_EQ(reply["response_type"], "ephemeral");
  EXPECT_EQ(Text(reply), absl::StrCat(":x: ", refused.status().message()));
  EXPECT_EQ(Get(id).status(), pb::STATUS_OPEN);

  json unknown = InChannel(id, "status fxed");
  EXPECT_THAT(Text(unknown), HasSubstr("status: unknown value \"fxed\"; expected one of open,"));
  json missing = InChannel(id, "status");
  EXPECT_THAT(Text(missing), HasSubstr("`/incident status` needs a status"));
}

TEST_F(SlackVerbsTest, SeverityVerbReadsEverySpelling) {
  int64_t id = OpenDirect("Checkout returns 500");
  EXPECT_THAT(Text(InChannel(id, "severity sev1")), HasSubstr("[SEV1, Open]"));
  EXPECT_EQ(Get(id).severity(), pb::SEVERITY_SEV1);
  InChannel(id, "severity 3 fewer customers now");
  EXPECT_EQ(Get(id).severity(), pb::SEVERITY_SEV3);
  InChannel(id, "sev SEVERITY_SEV4");
  EXPECT_EQ(Get(id).severity(), pb::SEVERITY_SEV4);
  EXPECT_THAT(Text(InChannel(id, "severity sev9")),
              HasSubstr("severity: unknown value \"sev9\"; expected one of sev1, sev2"));
  EXPECT_EQ(Get(id).severity(), pb::SEVERITY_SEV4);
}

TEST_F(SlackVerbsTest, CommanderVerbTakesMeOrAMention) {
  int64_t id = OpenDirect("Checkout returns 500");
  json me = InChannel(id, "commander me");
  EXPECT_THAT(Text(me), HasSubstr("<@U100> is now Incident commander of #"));
  EXPECT_EQ(Get(id).roles().commander(), "alice@example.com");
  json bob = InChannel(id, "commander <@U200|bob> taking over");
  EXPECT_THAT(Text(bob), HasSubstr("<@U200> is now Incident commander"));
  EXPECT_EQ(Get(id).roles().commander(), "bob@example.com");
  std::vector<pb::TimelineEntry> roles = Entries(id, "role");
  ASSERT_EQ(roles.size(), 2u);
  EXPECT_EQ(roles[1].actor(), "alice@example.com");
  EXPECT_THAT(roles[1].text(), HasSubstr("bob@example.com"));

  // A bare "@bob" is what Slack sends when it did not resolve the name.
  json unresolved = InChannel(id, "commander @bob");
  EXPECT_THAT(Text(unresolved), AllOf(HasSubstr("\"@bob\""), HasSubstr("`me`")));
  EXPECT_EQ(Get(id).roles().commander(), "bob@example.com");
}

TEST_F(SlackVerbsTest, NoteVerbAddsANoteWithPeopleAsEmails) {
  int64_t id = OpenDirect("Checkout returns 500");
  json reply =
      InChannel(id, "note 5 pods restarted by <@U200|bob>, see <https://grafana.example/d/1>");
  EXPECT_EQ(Text(reply), absl::StrCat("Added a note to incident #", id, "."));
  std::vector<pb::TimelineEntry> notes = Entries(id, "note");
  ASSERT_EQ(notes.size(), 1u);
  EXPECT_EQ(notes[0].actor(), "alice@example.com");
  EXPECT_EQ(notes[0].text(),
            "5 pods restarted by @bob@example.com, see https://grafana.example/d/1");
  EXPECT_THAT(Text(InChannel(id, "note")), HasSubstr("`/incident note` needs the note's text"));
}

TEST_F(SlackVerbsTest, OutsideAnIncidentChannelTheVerbsSayHowAndTakeANumber) {
  int64_t id = OpenDirect("Checkout returns 500");
  int64_t other = OpenDirect("Search is slow");
  for (const char* verb : {"status fixed", "severity sev1", "commander me", "note hello"}) {
    json reply = Command(verb).Json();
    EXPECT_THAT(Text(reply), HasSubstr("run it in an incident channel, or give the number: "
                                       "`/incident "))
        << verb;
  }
  EXPECT_EQ(Get(id).status(), pb::STATUS_OPEN);

  Command(absl::StrCat("status ", id, " investigating"));
  EXPECT_EQ(Get(id).status(), pb::STATUS_INVESTIGATING);
  Command(absl::StrCat("severity #", id, " 1"));
  EXPECT_EQ(Get(id).severity(), pb::SEVERITY_SEV1);
  Command(absl::StrCat("commander ", id, " <@U200|bob>"));
  EXPECT_EQ(Get(id).roles().commander(), "bob@example.com");
  Command(absl::StrCat("note ", id, " from the general channel"));
  ASSERT_EQ(Entries(id, "note").size(), 1u);
  EXPECT_EQ(Entries(id, "note")[0].text(), "from the general channel");

  // In an incident channel a number names another incident only with "#"
  // for a note, or when the verb's value follows.
  InChannel(id, absl::StrCat("note #", other, " see the other incident"));
  ASSERT_EQ(Entries(other, "note").size(), 1u);
  InChannel(id, absl::StrCat("severity ", other, " sev3"));
  EXPECT_EQ(Get(other).severity(), pb::SEVERITY_SEV3);
  EXPECT_EQ(Get(id).severity(), pb::SEVERITY_SEV1);
}

TEST_F(SlackVerbsTest, InfoAnswersInBlockKit) {
  int64_t id = OpenDirect("Checkout returns 500");
  InChannel(id, "commander <@U200|bob>");
  json info = Command(absl::StrCat("info ", id)).Json();
  EXPECT_EQ(info["response_type"], "ephemeral");
  ExpectValidBlockKit(info);
  EXPECT_EQ(BlockText(info, "title"), absl::StrCat("*Incident #", id, ": Checkout returns 500*"));
  EXPECT_THAT(BlockText(info, "facts"),
              AllOf(HasSubstr("*Status*\nOpen\n"),
                    HasSubstr("*Severity*\nSEV2 — major, impacting customers\n"),
                    HasSubstr("*Domain*\npayment\n"), HasSubstr("*Reporter*\nalice@example.com\n"),
                    HasSubstr("*Incident commander*\nbob@example.com\n")));
  EXPECT_THAT(BlockText(info, "opened"), HasSubstr("Opened 20"));
  EXPECT_THAT(Text(info), HasSubstr("Checkout returns 500"));  // the notification fallback
}

TEST_F(SlackVerbsTest, ListShowsActiveIncidentsNewestFirstUnlessAskedForAll) {
  int64_t closed = OpenDirect("Opened by mistake");
  pb::CloseIncidentRequest close;
  close.set_id(closed);
  close.set_actor("alice@example.com");
  close.set_reason(pb::CLOSE_REASON_MISTAKE);
  ASSERT_TRUE(Core().CloseIncident(close).ok());
  int64_t older = OpenDirect("Search is slow");
  int64_t newer = OpenDirect("Checkout returns 500");

  json active = Command("list").Json();
  ExpectValidBlockKit(active);
  std::vector<std::string> ids;
  for (const json& block : active["blocks"]) ids.push_back(block.value("block_id", ""));
  EXPECT_THAT(ids, ElementsAre("heading", absl::StrCat("incident-", newer),
                               absl::StrCat("incident-", older)));
  EXPECT_THAT(BlockText(active, absl::StrCat("incident-", newer)),
              HasSubstr("SEV2 · Open · payment · commander —"));

  json all = Command("list all").Json();
  ExpectValidBlockKit(all);
  EXPECT_THAT(BlockText(all, absl::StrCat("incident-", closed)), HasSubstr("Closed"));
  EXPECT_THAT(BlockText(all, "heading"), HasSubstr("All incidents"));
  EXPECT_THAT(Text(Command("list everything").Json()), HasSubstr("`/incident list all`"));
}

TEST_F(SlackVerbsTest, ListIsCappedWithACountOfTheRest) {
  for (int i = 0; i < kListShown + 2; ++i) OpenDirect(absl::StrCat("Incident number ", i));
  json list = Command("list").Json();
  ExpectValidBlockKit(list);
  EXPECT_EQ(list["blocks"].size(), static_cast<size_t>(kListShown + 2));  // heading, 15, more
  EXPECT_THAT(BlockText(list, "more"), HasSubstr("…and 2 more"));
  EXPECT_THAT(BlockText(list, absl::StrCat("incident-", kListShown + 2)),
              HasSubstr(absl::StrCat("Incident number ", kListShown + 1)));
}

// User text full of Slack markup shows as typed, in every reply.
TEST_F(SlackVerbsTest, UserTextCanNeverMentionPingOrLink) {
  const std::string evil = "<!channel> <@U123> <https://evil.example|Reset your SSO password> & co";
  int64_t id = OpenDirect(evil, evil);
  auto expect_inert = [&](const json& reply, const std::string& what) {
    std::string all = reply.dump();
    EXPECT_THAT(all, AllOf(Not(HasSubstr("<!channel>")), Not(HasSubstr("<@U123>")),
                           Not(HasSubstr("<https://evil")), Not(HasSubstr(" & co"))))
        << what << ": " << all;
  };
  json info = Command(absl::StrCat("info ", id)).Json();
  expect_inert(info, "info");
  EXPECT_THAT(BlockText(info, "title"),
              HasSubstr("&lt;!channel&gt; &lt;@U123&gt; &lt;https://evil.example|Reset your SSO "
                        "password&gt; &amp; co"));
  EXPECT_THAT(BlockText(info, "facts"), HasSubstr("*Reporter*\n&lt;!channel&gt;"));
  expect_inert(Command("list").Json(), "list");
  expect_inert(Command("list all").Json(), "list all");
  for (const char* verb :
       {"status investigating", "severity sev3", "commander me", "note <!channel> & co",
        "status <!channel>", "severity <@U123>", "commander <!channel>", "status postmortem"}) {
    expect_inert(InChannel(id, verb), verb);
  }
  expect_inert(Command(absl::StrCat("status ", id, " <https://evil.example|x>")).Json(),
               "status with a link");
  expect_inert(Command("info <!channel>").Json(), "info <!channel>");
  expect_inert(Command("update <@U123>").Json(), "update <@U123>");
}

// The largest description the core allows (4000 characters; the modal's
// rich_text_input has no limit of its own), in 4-byte characters: tens of
// kilobytes once form-encoded, accepted.
TEST_F(SlackVerbsTest, AModalSubmissionWithinTheFieldsLimitsIsAcceptedWhateverItsSize) {
  ASSERT_EQ(Command("open").status, 200);
  json view = slack_->OpenedViews().back();
  std::string description;
  for (int i = 0; i < 4000; ++i) description += "🔥";
  SlackPost submitted = Submit(view, {{"domain", Selected("payment")},
                                      {"severity", Selected("sev2")},
                                      {"title", Typed("Checkout returns 500")},
                                      {"description", RichTyped(description)}});
  EXPECT_EQ(submitted.status, 200);
  EXPECT_EQ(submitted.body, "");
  absl::StatusOr<pb::Incident> incident = Core().GetIncident(1);
  ASSERT_TRUE(incident.ok()) << incident.status();
  EXPECT_EQ(incident->description(), description);
}

TEST_F(SlackVerbsTest, AnOversizeRequestGets413SayingTheLimit) {
  std::string body = "payload=" + std::string(SlackHttpServer::kMaxRequestBytes, 'x');
  SlackPost reply = Post("/slack/interactivity", body, "application/x-www-form-urlencoded");
  EXPECT_EQ(reply.status, 413);
  json answer = reply.Json();
  EXPECT_EQ(answer["error"], "request too large");
  EXPECT_EQ(answer["limit_bytes"], SlackHttpServer::kMaxRequestBytes);
  EXPECT_FALSE(Core().GetIncident(1).ok());
}

// Chat capture records people by email, mentions in the text included.
TEST_F(SlackVerbsTest, CapturedChatNamesPeopleByEmail) {
  int64_t id = OpenDirect("Checkout returns 500");
  std::string channel = slack_->AddChannel(absl::StrCat("inc-", id, "-payment-checkout"));
  std::string ts = absl::StrCat(absl::ToUnixSeconds(absl::Now()) - 5, ".000100");
  json message = {{"type", "message"},
                  {"channel", channel},
                  {"user", "U200"},
                  {"text", "<@U100> the pool is at 10 &amp; falling"},
                  {"ts", ts}};
  EXPECT_EQ(Event(message, "EvMention").status, 200);
  absl::Time deadline = absl::Now() + absl::Seconds(10);
  while (Entries(id, "chat").empty() && absl::Now() < deadline)
    absl::SleepFor(absl::Milliseconds(20));
  std::vector<pb::TimelineEntry> chats = Entries(id, "chat");
  ASSERT_EQ(chats.size(), 1u);
  EXPECT_EQ(chats[0].actor(), "bob@example.com");
  EXPECT_EQ(chats[0].text(), "@alice@example.com the pool is at 10 & falling");
}

}  // namespace
}  // namespace ff::slack
