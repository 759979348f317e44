// Follow-ups from Slack, end to end: `/incident followup` adds and lists
// them, the message shortcut "Make a follow-up" turns a channel message into
// one through its modal — the real adapter, the real firefighterd and the
// validating FakeSlack (which checks every modal against Block Kit's rules).
// And the pieces that need no server: the shortcut's payload, the verb's
// reading and the list's text.
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "adapters/slack/follow_up_text.h"
#include "adapters/slack/slack_markup.h"
#include "gmock/gmock.h"
#include "tests/slack/slack_fixture.h"

namespace ff::slack {
namespace {

using json = nlohmann::json;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

class SlackFollowUpTest : public SlackAppFixture {
 protected:
  void SetUp() override { Start(); }

  int64_t OpenDirect(const std::string& title) {
    pb::OpenIncidentRequest request;
    request.set_title(title);
    request.set_domain("payment");
    request.set_severity(pb::SEVERITY_SEV2);
    request.set_reporter("alice@example.com");
    absl::StatusOr<pb::Incident> incident = Core().OpenIncident(request);
    EXPECT_TRUE(incident.ok()) << incident.status();
    return incident.ok() ? incident->id() : 0;
  }

  static std::string ChannelName(int64_t id) {
    return absl::StrCat("inc-", id, "-payment-checkout");
  }

  // InChannel runs "/incident <text>" as `user` in incident `id`'s channel
  // and returns the reply's text, checking that only its caller sees it.
  std::string InChannel(int64_t id, const std::string& text, const std::string& user = "U100") {
    SlackPost reply = Command(text, user, "C0INC", ChannelName(id));
    EXPECT_EQ(reply.status, 200) << text;
    EXPECT_EQ(reply.Json().value("response_type", ""), "ephemeral") << reply.body;
    return reply.Json().value("text", "");
  }

  std::vector<pb::FollowUp> FollowUpsOf(int64_t id) {
    pb::ListFollowUpsRequest request;
    request.set_incident_id(id);
    absl::StatusOr<pb::ListFollowUpsResponse> page = Core().ListFollowUps(request);
    EXPECT_TRUE(page.ok()) << page.status();
    if (!page.ok()) return {};
    return {page->follow_ups().begin(), page->follow_ups().end()};
  }

  // AddDirect adds a follow-up through the core.
  pb::FollowUp AddDirect(int64_t id, const std::string& title, const std::string& owner,
                         const std::string& due_date) {
    pb::AddFollowUpRequest request;
    request.set_incident_id(id);
    request.set_actor("carol@example.com");
    request.set_title(title);
    request.set_owner(owner);
    request.set_due_date(due_date);
    absl::StatusOr<pb::FollowUp> added = Core().AddFollowUp(request);
    EXPECT_TRUE(added.ok()) << added.status();
    return added.ok() ? *added : pb::FollowUp();
  }

  // ResponseTexts are the texts posted to response URLs so far.
  std::vector<std::string> ResponseTexts() {
    std::vector<std::string> texts;
    for (const json& response : slack_->Responses()) texts.push_back(response.value("text", ""));
    return texts;
  }

  // ShortcutOn uses "Make a follow-up" as `user` on a message `author`
  // wrote in channel `name` (made in the fake) and waits for the modal;
  // returns it (null when none opened).
  json ShortcutOn(const std::string& name, const std::string& author, const std::string& text,
                  std::string* channel_id = nullptr, std::string* ts = nullptr) {
    std::string channel = slack_->AddChannel(name);
    std::string message_ts = slack_->AddMessageBy(channel, author, text);
    if (channel_id != nullptr) *channel_id = channel;
    if (ts != nullptr) *ts = message_ts;
    SlackPost ack = Shortcut(kMakeFollowUpShortcut, channel, name, message_ts, text, author);
    EXPECT_EQ(ack.status, 200);
    EXPECT_EQ(ack.body, "");  // acknowledged at once
    if (!WaitFor([&] { return !slack_->OpenedViews().empty(); }, absl::Seconds(5))) return nullptr;
    return slack_->OpenedViews().back();
  }
};

// The element of block `block_id` in `view`.
json ElementOf(const json& view, const std::string& block_id) {
  for (const json& block : view["blocks"]) {
    if (block.value("block_id", "") == block_id) return block["element"];
  }
  return nullptr;
}

TEST_F(SlackFollowUpTest, FollowupVerbAddsOneToTheChannelsIncidentAsThePerson) {
  int64_t id = OpenDirect("Checkout returns 500");
  std::string reply = InChannel(id, "followup Rotate the keys with <@U200|bob> &amp; the DBA");
  std::vector<pb::FollowUp> follow_ups = FollowUpsOf(id);
  ASSERT_EQ(follow_ups.size(), 1u);
  const pb::FollowUp& added = follow_ups[0];
  EXPECT_EQ(added.title(), "Rotate the keys with @bob@example.com & the DBA");
  EXPECT_EQ(added.created_by(), "alice@example.com");
  EXPECT_EQ(added.status(), pb::FOLLOW_UP_STATUS_OPEN);
  EXPECT_EQ(reply, absl::StrCat(
                       ":white_check_mark: Added FU-", added.id(), " to #", id,
                       ": Rotate the keys with @bob@example.com &amp; the DBA, ",
                       added.due_date().empty() ? "no due date" : "due " + added.due_date(), "."));
  // "#N" names another incident from anywhere; as does a bare number outside
  // an incident channel.
  int64_t other = OpenDirect("Search is slow");
  InChannel(id, absl::StrCat("followup #", other, " Add an index"), "U200");
  SlackPost outside = Command(absl::StrCat("followup ", other, " Tune the cache"));
  EXPECT_THAT(outside.Json().value("text", ""), HasSubstr(absl::StrCat(" to #", other, ": Tune")));
  std::vector<pb::FollowUp> others = FollowUpsOf(other);
  ASSERT_EQ(others.size(), 2u);
  EXPECT_EQ(others[0].title(), "Add an index");
  EXPECT_EQ(others[0].created_by(), "bob@example.com");
  EXPECT_EQ(others[1].title(), "Tune the cache");
  // Inside an incident channel a leading number is the title's.
  InChannel(id, "followup 5 whys with the team");
  EXPECT_EQ(FollowUpsOf(id).back().title(), "5 whys with the team");
}

TEST_F(SlackFollowUpTest, FollowupWithoutATitleListsThem) {
  int64_t id = OpenDirect("Checkout returns 500");
  std::string none = InChannel(id, "followup");
  EXPECT_THAT(none, HasSubstr(absl::StrCat("#", id, " has no follow-ups yet")));
  pb::FollowUp keys = AddDirect(id, "Rotate the <keys>", "bob@example.com", "2099-01-31");
  pb::FollowUp runbook = AddDirect(id, "Write the runbook", "", "");
  pb::UpdateFollowUpRequest done;
  done.set_id(runbook.id());
  done.set_actor("carol@example.com");
  done.set_status(pb::FOLLOW_UP_STATUS_DONE);
  ASSERT_TRUE(Core().UpdateFollowUp(done).ok());
  const std::string expected =
      absl::StrCat("*Follow-ups of #", id, "*: 1 open of 2\n• *FU-", keys.id(),
                   "* Rotate the &lt;keys&gt; — bob@example.com · due 2099-01-31 · open\n• *FU-",
                   runbook.id(), "* Write the runbook — no owner · no due date · done");
  EXPECT_EQ(InChannel(id, "followup"), expected);
  EXPECT_EQ(InChannel(id, "FollowUps"), expected);
  EXPECT_EQ(Command(absl::StrCat("followups #", id)).Json().value("text", ""), expected);
  EXPECT_THAT(InChannel(id, "followups Rotate"),
              HasSubstr("to add one, `/incident followup &lt;title&gt;`"));
  EXPECT_EQ(FollowUpsOf(id).size(), 2u);
}

TEST_F(SlackFollowUpTest, OutsideAnIncidentChannelTheVerbSaysHowAndAddsNothing) {
  int64_t id = OpenDirect("Checkout returns 500");
  for (const char* text : {"followup Rotate the keys", "followup", "followups"}) {
    SlackPost reply = Command(text);
    EXPECT_EQ(reply.status, 200);
    EXPECT_EQ(reply.Json().value("response_type", ""), "ephemeral");
    EXPECT_EQ(reply.Json().value("text", ""),
              "`/incident followup` acts on an incident: run it in an incident channel, or give "
              "the number: `/incident followup 12 rotate the database credentials`")
        << text;
  }
  EXPECT_THAT(FollowUpsOf(id), IsEmpty());
}

TEST_F(SlackFollowUpTest, ATitleTheCoreRefusesComesBackInItsWordsAndNothingIsStored) {
  int64_t id = OpenDirect("Checkout returns 500");
  const std::string title(201, 'x');
  pb::AddFollowUpRequest same;
  same.set_incident_id(id);
  same.set_actor("alice@example.com");
  same.set_title(title);
  absl::StatusOr<pb::FollowUp> refused = Core().AddFollowUp(same);
  ASSERT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(refused.status().message()), HasSubstr("title"));
  EXPECT_EQ(InChannel(id, "followup " + title),
            absl::StrCat(":x: ", SlackEscape(std::string(refused.status().message()))));
  // An incident that does not exist.
  EXPECT_THAT(Command("followup #999 Rotate the keys").Json().value("text", ""),
              HasSubstr(":mag: "));
  EXPECT_THAT(FollowUpsOf(id), IsEmpty());
}

TEST_F(SlackFollowUpTest, TheShortcutTurnsAMessageIntoAFollowUp) {
  int64_t id = OpenDirect("Checkout returns 500");
  // 250 characters, some of two bytes, on two lines: the title keeps the
  // first 200 characters on one line.
  const std::string text = absl::StrCat("Rotate the keys ", std::string(100, 'e'), "\n",
                                        std::string(133, 'x'), "ééé <@U200>");
  std::string channel;
  std::string ts;
  json view = ShortcutOn(ChannelName(id), "U200", text, &channel, &ts);
  ASSERT_FALSE(view.is_null());
  EXPECT_EQ(view["callback_id"], kFollowUpCallback);
  const std::string one_line = absl::StrCat("Rotate the keys ", std::string(100, 'e'), " ",
                                            std::string(133, 'x'), "ééé @bob@example.com");
  EXPECT_EQ(ElementOf(view, "title")["initial_value"], CharacterPrefix(one_line, 200));
  EXPECT_EQ(ElementOf(view, "title")["max_length"], 200);
  EXPECT_EQ(ElementOf(view, "description")["type"], "rich_text_input");
  EXPECT_EQ(ElementOf(view, "owner")["type"], "users_select");
  EXPECT_EQ(ElementOf(view, "due_date")["type"], "datepicker");

  SlackPost submitted = Submit(view, {{"title", Typed("Rotate the keys")},
                                      {"description", RichTyped("The old ones leaked")},
                                      {"owner", User("U200")},
                                      {"due_date", Date("2099-03-01")}});
  EXPECT_EQ(submitted.status, 200);
  EXPECT_EQ(submitted.body, "");  // the modal closes
  std::vector<pb::FollowUp> follow_ups = FollowUpsOf(id);
  ASSERT_EQ(follow_ups.size(), 1u);
  const pb::FollowUp& added = follow_ups[0];
  EXPECT_EQ(added.title(), "Rotate the keys");
  EXPECT_EQ(added.owner(), "bob@example.com");
  EXPECT_EQ(added.due_date(), "2099-03-01");
  EXPECT_EQ(added.created_by(), "alice@example.com");
  EXPECT_EQ(added.description(), absl::StrCat("The old ones leaked\n\nFrom Slack: ",
                                              ff::testing::FakeSlack::PermalinkOf(channel, ts)));
  // The person who made it is told, through the shortcut's response URL.
  ASSERT_TRUE(WaitFor([&] { return !ResponseTexts().empty(); }));
  EXPECT_THAT(ResponseTexts(),
              ElementsAre(absl::StrCat(":white_check_mark: Added FU-", added.id(), " to #", id,
                                       ": Rotate the keys, due 2099-03-01.")));
}

TEST_F(SlackFollowUpTest, TheShortcutsDraftIsKeptAsIsWhenSubmittedUntouched) {
  int64_t id = OpenDirect("Checkout returns 500");
  std::string channel;
  std::string ts;
  json view = ShortcutOn(ChannelName(id), "U200", "Add an alert on pool size", &channel, &ts);
  ASSERT_FALSE(view.is_null());
  // Left as drafted: no owner, no date picked (the severity's default).
  SlackPost submitted = Submit(view, {{"title", Typed("Add an alert on pool size")},
                                      {"description", RichTyped("Add an alert on pool size")},
                                      {"owner", User("")},
                                      {"due_date", Date("")}});
  EXPECT_EQ(submitted.body, "");
  std::vector<pb::FollowUp> follow_ups = FollowUpsOf(id);
  ASSERT_EQ(follow_ups.size(), 1u);
  EXPECT_EQ(follow_ups[0].owner(), "");
  EXPECT_EQ(follow_ups[0].description(),
            absl::StrCat("Add an alert on pool size\n\nFrom Slack: ",
                         ff::testing::FakeSlack::PermalinkOf(channel, ts)));
}

TEST_F(SlackFollowUpTest, APastDueDateComesBackOnItsBlockAndNothingIsStored) {
  int64_t id = OpenDirect("Checkout returns 500");
  json view = ShortcutOn(ChannelName(id), "U200", "Rotate the keys");
  ASSERT_FALSE(view.is_null());
  SlackPost submitted =
      Submit(view, {{"title", Typed("Rotate the keys")}, {"due_date", Date("2001-01-01")}});
  ASSERT_EQ(submitted.status, 200);
  json reply = submitted.Json();
  EXPECT_EQ(reply["response_action"], "errors") << submitted.body;
  ASSERT_EQ(reply["errors"].size(), 1u) << submitted.body;
  ASSERT_TRUE(reply["errors"].contains("due_date")) << submitted.body;
  EXPECT_THAT(reply["errors"]["due_date"].get<std::string>(), HasSubstr("due_date"));
  // An empty title is caught before the core.
  SlackPost untitled = Submit(view, {{"title", Typed("")}});
  EXPECT_EQ(untitled.Json()["errors"], json({{"title", "A title is required."}}));
  EXPECT_THAT(FollowUpsOf(id), IsEmpty());
}

TEST_F(SlackFollowUpTest, TheShortcutOutsideAnIncidentChannelIsRefusedToThePersonOnly) {
  int64_t id = OpenDirect("Checkout returns 500");
  json view = ShortcutOn("general", "U200", "Rotate the keys");
  EXPECT_TRUE(view.is_null());
  ASSERT_TRUE(WaitFor([&] { return !ResponseTexts().empty(); }));
  EXPECT_THAT(ResponseTexts(),
              ElementsAre(HasSubstr(":x: This channel is not an incident's: a follow-up is made "
                                    "from a message in the incident's channel")));
  EXPECT_TRUE(slack_->CallsOf("views.open").empty());
  EXPECT_THAT(FollowUpsOf(id), IsEmpty());
}

TEST_F(SlackFollowUpTest, AShortcutPayloadWithoutItsMessageIsRefused) {
  json payload = MessageShortcutPayload({team_,
                                         "U100",
                                         kMakeFollowUpShortcut,
                                         "C0INC",
                                         ChannelName(1),
                                         slack_->IssueTrigger(),
                                         slack_->ResponseUrl("s"),
                                         {{"type", "message"}, {"text", "hi"}}});
  SlackPost reply = Post("/slack/interactivity", "payload=" + UrlEncode(payload.dump()),
                         "application/x-www-form-urlencoded");
  EXPECT_EQ(reply.status, 400);
  EXPECT_EQ(reply.body, "payload.message.ts: missing");
  EXPECT_TRUE(slack_->CallsOf("views.open").empty());
}

TEST_F(SlackFollowUpTest, HelpNamesTheVerbAndTheShortcut) {
  std::string help = Command("help").Json().value("text", "");
  EXPECT_THAT(help, HasSubstr("`followup [ID] TITLE`"));
  EXPECT_THAT(help, HasSubstr("Make a follow-up"));
}

// ---- Without a server ------------------------------------------------------

TEST(ReadMessageActionTest, ReadsWhatSlackSendsAndNamesWhatIsMissing) {
  json payload = MessageShortcutPayload(
      {"T1",
       "U1",
       "make_followup",
       "C1",
       "inc-3-x",
       "trig",
       "https://hooks.example/r",
       {{"type", "message"}, {"text", "hello"}, {"user", "U2"}, {"ts", "1.000200"}}});
  absl::StatusOr<MessageAction> action = ReadMessageAction(payload);
  ASSERT_TRUE(action.ok()) << action.status();
  EXPECT_EQ(action->callback_id, "make_followup");
  EXPECT_EQ(action->trigger_id, "trig");
  EXPECT_EQ(action->response_url, "https://hooks.example/r");
  EXPECT_EQ(action->team_id, "T1");
  EXPECT_EQ(action->user_id, "U1");
  EXPECT_EQ(action->channel_id, "C1");
  EXPECT_EQ(action->channel_name, "inc-3-x");
  EXPECT_EQ(action->message_ts, "1.000200");
  EXPECT_EQ(action->message_text, "hello");
  EXPECT_EQ(action->message_user, "U2");
  for (const char* pointer :
       {"/callback_id", "/trigger_id", "/response_url", "/user/id", "/channel/id", "/message/ts"}) {
    json broken = payload;
    broken[json::json_pointer(pointer)] = 7;
    absl::StatusOr<MessageAction> refused = ReadMessageAction(broken);
    EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument) << pointer;
    EXPECT_THAT(std::string(refused.status().message()), HasSubstr(": missing")) << pointer;
  }
  json no_text = payload;
  no_text["message"].erase("text");
  EXPECT_EQ(ReadMessageAction(no_text)->message_text, "");  // a file, an attachment
  no_text["message"]["text"] = json::array();
  EXPECT_EQ(ReadMessageAction(no_text).status().message(), "payload.message.text: not a string");
  payload["type"] = "block_actions";
  EXPECT_EQ(ReadMessageAction(payload).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(FollowUpVerbTest, ReadsAnOptionalIncidentAndTheTitle) {
  auto parse = [](const std::string& arguments, int64_t channel) {
    return ParseQuickVerb(QuickVerb::Kind::kFollowUp, arguments, channel);
  };
  EXPECT_EQ(parse("Rotate the keys", 4)->text, "Rotate the keys");
  EXPECT_EQ(parse("Rotate the keys", 4)->incident_id, 4);
  EXPECT_EQ(parse("", 4)->text, "");  // the list
  EXPECT_EQ(parse("#9", 4)->incident_id, 9);
  EXPECT_EQ(parse("#9 Rotate", 4)->text, "Rotate");
  EXPECT_EQ(parse("9 Rotate", 0)->incident_id, 9);
  EXPECT_EQ(parse("9 Rotate", 4)->text, "9 Rotate");  // in a channel: the title's
  EXPECT_EQ(parse("Rotate", 0).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(CharacterPrefixTest, CutsAtCharactersNotBytes) {
  EXPECT_EQ(CharacterPrefix("héllo", 2), "hé");
  EXPECT_EQ(CharacterPrefix("héllo", 9), "héllo");
  EXPECT_EQ(CharacterPrefix("🔥🔥🔥", 2), "🔥🔥");
  EXPECT_EQ(CharacterPrefix("", 3), "");
}

TEST(FollowUpListTextTest, CountsOverdueLinksTheTrackerAndCapsTheList) {
  pb::ListFollowUpsResponse page;
  for (int i = 1; i <= kFollowUpsShown + 2; ++i) {
    pb::FollowUp* follow_up = page.add_follow_ups();
    follow_up->set_id(i);
    follow_up->set_incident_id(3);
    follow_up->set_title("Fix <it>");
    follow_up->set_status(pb::FOLLOW_UP_STATUS_OPEN);
    follow_up->set_due_date("2026-01-02");
  }
  page.mutable_follow_ups(0)->set_overdue(true);
  page.mutable_follow_ups(0)->set_tracker_key("OPS-1");
  page.mutable_follow_ups(0)->set_tracker_url("https://acme.atlassian.net/browse/OPS-1");
  EXPECT_EQ(FollowUpLine(page.follow_ups(0)),
            "*FU-1* Fix &lt;it&gt; — no owner · due 2026-01-02 (overdue) · open · "
            "<https://acme.atlassian.net/browse/OPS-1|OPS-1>");
  std::string text = FollowUpListText(3, page);
  EXPECT_THAT(text, HasSubstr("*Follow-ups of #3*: 52 open (1 overdue) of 52\n"));
  EXPECT_THAT(text, HasSubstr("*FU-50*"));
  EXPECT_THAT(text, Not(HasSubstr("*FU-51*")));
  EXPECT_THAT(text, HasSubstr("\n…and 2 more"));
  page.set_next_page_token("next");
  EXPECT_THAT(FollowUpListText(3, page), HasSubstr("of 52+\n"));
  EXPECT_THAT(FollowUpListText(3, page), HasSubstr("\n…and 2+ more"));
}

}  // namespace
}  // namespace ff::slack
