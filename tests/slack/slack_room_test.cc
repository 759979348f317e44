// The incident room's interactions end to end: the live summary's buttons,
// the prefilled update modal, the open confirmation and similar-incidents
// hint, and the Home tab — the real adapter, the real firefighterd (with
// tokens, so changes read "via slack-adapter") and the validating FakeSlack.
#include <fstream>
#include <functional>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "clients/slack/room_actions.h"
#include "gmock/gmock.h"
#include "server/auth/tokens.h"
#include "tests/slack/slack_fixture.h"
#include "tests/testing/block_kit.h"

namespace ff::slack {
namespace {

using json = nlohmann::json;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::SizeIs;

constexpr char kServiceToken[] = "slack-adapter-service-token";
constexpr char kAdminToken[] = "ops-admin-token";

// The block of `view` with `block_id`, or null.
json BlockOf(const json& view, const std::string& block_id) {
  for (const json& block : view["blocks"]) {
    if (block.value("block_id", "") == block_id) return block;
  }
  return nullptr;
}

std::vector<std::string> OptionValues(const json& block) {
  std::vector<std::string> values;
  if (block.is_null()) return values;
  for (const json& option : block["element"]["options"]) values.push_back(option["value"]);
  return values;
}

class SlackRoomTest : public SlackAppFixture {
 protected:
  void SetUp() override {
    std::ofstream(dir_.File("tokens"))
        << Sha256Hex(kServiceToken) << " slack-adapter responder service\n"
        << Sha256Hex(kAdminToken) << " ops admin\n";
    server_args_ = {"--auth-tokens", dir_.File("tokens")};
    adapter_token_ = kServiceToken;
    core_token_ = kAdminToken;
    options_.channel_link_wait = absl::ZeroDuration();
    Start();
  }

  // OpenDirectly opens an incident through the core, not through Slack.
  int64_t OpenDirectly(const std::string& title, const std::string& domain = "payment") {
    pb::OpenIncidentRequest request;
    request.set_title(title);
    request.set_domain(domain);
    request.set_severity(pb::SEVERITY_SEV2);
    request.set_reporter("ops");
    absl::StatusOr<pb::Incident> incident = Core().OpenIncident(request);
    EXPECT_TRUE(incident.ok()) << incident.status();
    return incident.ok() ? incident->id() : 0;
  }

  void SetCommander(int64_t id, const std::string& email) {
    pb::UpdateIncidentRequest request;
    request.set_id(id);
    request.set_actor("ops");
    request.set_commander(email);
    ASSERT_TRUE(Core().UpdateIncident(request).ok());
  }

  // Button presses a summary button of incident `id` in `channel`.
  SlackPost Button(const char* action_id, int64_t id, const std::string& user,
                   const std::string& channel) {
    json action = {{"type", "button"},
                   {"action_id", action_id},
                   {"block_id", slack_room::kActionsBlock},
                   {"value", absl::StrCat(id)},
                   {"action_ts", "1767225600.000200"}};
    json extra = {
        {"container", {{"type", "message"}, {"channel_id", channel}, {"message_ts", "1.000100"}}},
        {"channel", {{"id", channel}, {"name", "inc"}}}};
    return Act(action, user, extra);
  }

  // IncidentChannel plants incident `id`'s channel with U100 and U200 in it.
  std::string IncidentChannel(int64_t id) {
    std::string channel = slack_->AddChannel(absl::StrCat("inc-", id, "-payment"));
    slack_->AddMember(channel, "U100");
    slack_->AddMember(channel, "U200");
    return channel;
  }

  std::vector<pb::TimelineEntry> Entries(int64_t id, const std::string& kind) {
    std::vector<pb::TimelineEntry> out;
    auto timeline = Core().ListTimeline(id);
    if (!timeline.ok()) return out;
    for (const auto& entry : timeline->entries()) {
      if (entry.kind() == kind) out.push_back(entry);
    }
    return out;
  }
};

TEST_F(SlackRoomTest, CommanderMeMakesThePresserCommanderViaTheAdapter) {
  int64_t id = OpenDirectly("Checkout returns 500");
  std::string channel = IncidentChannel(id);
  SlackPost ack = Button(slack_room::kCommanderMe, id, "U200", channel);
  EXPECT_EQ(ack.status, 200);
  EXPECT_EQ(ack.body, "");
  ASSERT_TRUE(WaitFor([&] { return Core().GetIncident(id)->roles().commander() != ""; }));
  EXPECT_EQ(Core().GetIncident(id)->roles().commander(), "bob@example.com");
  std::vector<pb::TimelineEntry> roles = Entries(id, "role");
  ASSERT_EQ(roles.size(), 1u);
  EXPECT_EQ(roles[0].actor(), "bob@example.com");
  EXPECT_EQ(roles[0].via(), "slack-adapter");
  EXPECT_THAT(slack_->EphemeralsFor("U200"), IsEmpty());
}

TEST_F(SlackRoomTest, ARefusedPressIsExplainedToThePresserOnly) {
  int64_t id = OpenDirectly("Opened by mistake");
  pb::CloseIncidentRequest close;
  close.set_id(id);
  close.set_actor("ops");
  close.set_reason(pb::CLOSE_REASON_MISTAKE);
  ASSERT_TRUE(Core().CloseIncident(close).ok());
  std::string channel = IncidentChannel(id);

  EXPECT_EQ(Button(slack_room::kCommanderMe, id, "U200", channel).status, 200);
  ASSERT_TRUE(WaitFor([&] { return !slack_->EphemeralsFor("U200").empty(); }));
  auto told = slack_->EphemeralsFor("U200");
  ASSERT_EQ(told.size(), 1u);
  EXPECT_EQ(told[0].channel, channel);
  EXPECT_THAT(told[0].text, HasSubstr(absl::StrCat("incident #", id,
                                                   " is closed; a closed incident cannot change")));
  EXPECT_THAT(slack_->EphemeralsFor("U100"), IsEmpty());
  EXPECT_THAT(slack_->ChannelById(channel)->messages, IsEmpty());
  EXPECT_EQ(Core().GetIncident(id)->roles().commander(), "");
}

TEST_F(SlackRoomTest, UpdateOpensAModalThatKnowsTheIncident) {
  int64_t id = OpenDirectly("Checkout returns 500");
  SetCommander(id, "alice@example.com");
  std::string channel = IncidentChannel(id);
  EXPECT_EQ(Button(slack_room::kUpdate, id, "U200", channel).status, 200);
  ASSERT_TRUE(WaitFor([&] { return !slack_->OpenedViews().empty(); }));
  json view = slack_->OpenedViews().back();
  EXPECT_EQ(view["callback_id"], kUpdateCallback);

  // Exactly the moves the core allows from here, in the vocabulary's words.
  pb::Incident incident = *Core().GetIncident(id);
  std::vector<std::string> allowed;
  for (int status : incident.allowed_next_statuses()) {
    if (status == pb::STATUS_CLOSED) continue;  // the close modal's business
    // The vocabulary's word is the enum's name, without prefix, in lower case.
    allowed.push_back(absl::AsciiStrToLower(
        absl::StripPrefix(pb::Status_Name(static_cast<pb::Status>(status)), "STATUS_")));
  }
  EXPECT_EQ(allowed, (std::vector<std::string>{"investigating", "fixing", "fixed"}));
  EXPECT_EQ(OptionValues(BlockOf(view, "status")), allowed);
  EXPECT_THAT(view["blocks"][0]["text"]["text"].get<std::string>(), HasSubstr("*Status:* Open"));
  EXPECT_EQ(BlockOf(view, "severity")["element"]["initial_option"]["value"], "sev2");
  EXPECT_EQ(BlockOf(view, "title")["element"]["initial_value"], "Checkout returns 500");
  EXPECT_EQ(BlockOf(view, "commander")["element"]["initial_user"], "U100");
  EXPECT_FALSE(BlockOf(view, "operations_lead")["element"].contains("initial_user"));
  EXPECT_EQ(OptionValues(BlockOf(view, "clear_roles")), std::vector<std::string>{"commander"});

  // Sent back as shown, with a move and the commander cleared: only those
  // change.
  json state = {
      {"status", Selected("investigating")},
      {"severity", Selected("sev2")},
      {"title", Typed("Checkout returns 500")},
      {"commander", User("U100")},
      {"clear_roles", {{"type", "checkboxes"}, {"selected_options", {{{"value", "commander"}}}}}}};
  EXPECT_EQ(Submit(view, state, "U200").body, "");
  incident = *Core().GetIncident(id);
  EXPECT_EQ(incident.status(), pb::STATUS_INVESTIGATING);
  EXPECT_EQ(incident.roles().commander(), "");
  EXPECT_EQ(incident.title(), "Checkout returns 500");
  EXPECT_THAT(Entries(id, "title"), IsEmpty());
  EXPECT_THAT(Entries(id, "severity"), IsEmpty());
  EXPECT_EQ(Entries(id, "role").back().actor(), "bob@example.com");
}

// Two people editing at once: the modal opened before someone else's change
// would undo it, so it saves nothing and shows the incident as it now is;
// sent again from there, it saves.
TEST_F(SlackRoomTest, AnUpdateModalOpenedBeforeAnotherChangeSavesNothingAndShowsIt) {
  int64_t id = OpenDirectly("Checkout returns 500");
  std::string channel = IncidentChannel(id);
  EXPECT_EQ(Button(slack_room::kUpdate, id, "U200", channel).status, 200);
  ASSERT_TRUE(WaitFor([&] { return !slack_->OpenedViews().empty(); }));
  json view = slack_->OpenedViews().back();

  pb::UpdateIncidentRequest raise;
  raise.set_id(id);
  raise.set_actor("ops");
  raise.set_severity(pb::SEVERITY_SEV1);
  ASSERT_TRUE(Core().UpdateIncident(raise).ok());

  json stale = {{"status", Selected("investigating")},
                {"severity", Selected("sev2")},
                {"title", Typed("Checkout is down")}};
  SlackPost reply = Submit(view, stale, "U200");
  EXPECT_EQ(reply.status, 200);
  json answer = reply.Json();
  ASSERT_EQ(answer["response_action"], "update") << reply.body;
  const json& shown = answer["view"];
  EXPECT_THAT(testing::ViewProblems(shown, "modal"), IsEmpty());
  EXPECT_THAT(shown["blocks"][0]["elements"][0]["text"].get<std::string>(),
              HasSubstr("changed while you were editing, so nothing was saved"));
  EXPECT_EQ(BlockOf(shown, "severity")["element"]["initial_option"]["value"], "sev1");
  pb::Incident incident = *Core().GetIncident(id);
  EXPECT_EQ(incident.severity(), pb::SEVERITY_SEV1);
  EXPECT_EQ(incident.status(), pb::STATUS_OPEN);
  EXPECT_EQ(incident.title(), "Checkout returns 500");
  EXPECT_EQ(incident.version(), 2);

  json again = {{"status", Selected("investigating")},
                {"severity", Selected("sev1")},
                {"title", Typed("Checkout is down")}};
  EXPECT_EQ(Submit(shown, again, "U200").body, "");
  incident = *Core().GetIncident(id);
  EXPECT_EQ(incident.severity(), pb::SEVERITY_SEV1);
  EXPECT_EQ(incident.status(), pb::STATUS_INVESTIGATING);
  EXPECT_EQ(incident.title(), "Checkout is down");
}

// The longest description the core allows, in 2-, 3- and 4-byte
// characters over several lines: the update modal shows all of it as rich
// text, and sent back as shown it is kept as it was (no "description"
// entry); changed there, it is saved.
TEST_F(SlackRoomTest, TheUpdateModalShowsTheWholeDescriptionAndSendsItBackAsItWas) {
  std::string description;
  for (int i = 0; i < 1000; ++i) description += i % 100 == 99 ? "é火🔥\n" : "é火🔥a";
  ASSERT_EQ(testing::Utf8Characters(description), 4000u);
  pb::OpenIncidentRequest request;
  request.set_title("Checkout returns 500");
  request.set_domain("payment");
  request.set_severity(pb::SEVERITY_SEV2);
  request.set_reporter("ops");
  request.set_description(description);
  absl::StatusOr<pb::Incident> opened = Core().OpenIncident(request);
  ASSERT_TRUE(opened.ok()) << opened.status();
  const int64_t id = opened->id();
  std::string channel = IncidentChannel(id);
  EXPECT_EQ(Button(slack_room::kUpdate, id, "U200", channel).status, 200);
  ASSERT_TRUE(WaitFor([&] { return !slack_->OpenedViews().empty(); }));
  json view = slack_->OpenedViews().back();
  const json element = BlockOf(view, "description")["element"];
  EXPECT_EQ(element["type"], "rich_text_input");
  EXPECT_EQ(element["initial_value"], RichTyped(description)["rich_text_value"]);
  EXPECT_THAT(slack_->EphemeralsFor("U200"), IsEmpty());

  json as_shown = {{"status", Selected("investigating")},
                   {"title", Typed("Checkout returns 500")},
                   {"description", Rich(element["initial_value"])}};
  EXPECT_EQ(Submit(view, as_shown, "U200").body, "");
  pb::Incident incident = *Core().GetIncident(id);
  EXPECT_EQ(incident.status(), pb::STATUS_INVESTIGATING);
  EXPECT_EQ(incident.description(), description);
  EXPECT_THAT(Entries(id, "description"), IsEmpty());

  EXPECT_EQ(Button(slack_room::kUpdate, id, "U200", channel).status, 200);
  ASSERT_TRUE(WaitFor([&] { return slack_->OpenedViews().size() == 2; }));
  EXPECT_EQ(
      Submit(slack_->OpenedViews().back(), {{"description", RichTyped("Pool exhausted")}}, "U200")
          .body,
      "");
  EXPECT_EQ(Core().GetIncident(id)->description(), "Pool exhausted");
  EXPECT_THAT(Entries(id, "description"), SizeIs(1));
}

TEST_F(SlackRoomTest, AddNoteOpensAOneFieldModalThatAddsToTheTimeline) {
  int64_t id = OpenDirectly("Checkout returns 500");
  std::string channel = IncidentChannel(id);
  EXPECT_EQ(Button(slack_room::kAddNote, id, "U200", channel).status, 200);
  ASSERT_TRUE(WaitFor([&] { return !slack_->OpenedViews().empty(); }));
  json view = slack_->OpenedViews().back();
  EXPECT_EQ(view["callback_id"], kNoteCallback);
  json empty = Submit(view, {{"note", Typed("")}}, "U200").Json();
  EXPECT_EQ(empty["errors"]["note"], "Write the note.");
  EXPECT_EQ(Submit(view, {{"note", Typed("rolled back to 4.2")}}, "U200").body, "");
  std::vector<pb::TimelineEntry> notes = Entries(id, "note");
  ASSERT_EQ(notes.size(), 1u);
  EXPECT_EQ(notes[0].text(), "rolled back to 4.2");
  EXPECT_EQ(notes[0].actor(), "bob@example.com");
  EXPECT_EQ(notes[0].via(), "slack-adapter");
}

TEST_F(SlackRoomTest, TheDashboardButtonIsOnlyAcknowledged) {
  int64_t id = OpenDirectly("Checkout returns 500");
  std::string channel = IncidentChannel(id);
  SlackPost ack = Button(slack_room::kOpenDashboard, id, "U200", channel);
  EXPECT_EQ(ack.status, 200);
  EXPECT_EQ(ack.body, "");
  // A URL button: Slack opens the page; the adapter has nothing to do.
  EXPECT_EQ(Button(slack_room::kCommanderMe, id, "U200", channel).status, 200);
  ASSERT_TRUE(WaitFor([&] { return !Entries(id, "role").empty(); }));
  EXPECT_EQ(slack_->CallCount("views.open"), 0);
  EXPECT_THAT(slack_->EphemeralsFor("U200"), IsEmpty());
  EXPECT_EQ(Core().GetIncident(id)->version(), 2);
}

TEST_F(SlackRoomTest, TheOpenerIsToldTheNumber) {
  ASSERT_EQ(Command("open").status, 200);
  json view = slack_->OpenedViews().back();
  EXPECT_EQ(Submit(view, {{"domain", Selected("payment")},
                          {"severity", Selected("sev2")},
                          {"title", Typed("Checkout returns 500")}})
                .body,
            "");
  ASSERT_TRUE(WaitFor([&] { return !slack_->Responses().empty(); }));
  json told = slack_->Responses().back();
  EXPECT_EQ(told["response_type"], "ephemeral");
  EXPECT_THAT(told["text"].get<std::string>(), HasSubstr("Opened #1 "));
  EXPECT_THAT(told["text"].get<std::string>(), HasSubstr("Checkout returns 500"));
  EXPECT_THAT(told["text"].get<std::string>(), HasSubstr("Its channel is not there yet"));
}

// Slack shows an error when an answer is slow, and people press Open again:
// the second submission of the same form finds the first one's incident.
TEST_F(SlackRoomTest, OpenSentTwiceFromOneFormIsAlreadyOpen) {
  ASSERT_EQ(Command("open").status, 200);
  json view = slack_->OpenedViews().back();
  json values = {{"domain", Selected("payment")},
                 {"severity", Selected("sev2")},
                 {"title", Typed("Checkout returns 500")}};
  EXPECT_EQ(Submit(view, values).body, "");
  ASSERT_TRUE(WaitFor([&] { return slack_->Responses().size() == 1; }));
  EXPECT_EQ(Submit(view, values).body, "");
  ASSERT_TRUE(WaitFor([&] { return slack_->Responses().size() == 2; }));
  json told = slack_->Responses().back();
  EXPECT_EQ(told["response_type"], "ephemeral");
  EXPECT_THAT(told["text"].get<std::string>(), HasSubstr("Already open as #1 "));
  EXPECT_THAT(slack_->Responses().front()["text"].get<std::string>(), HasSubstr("Opened #1 "));
  pb::ListIncidentsRequest list;
  EXPECT_EQ(Core().ListIncidents(list)->incidents_size(), 1);

  // Another form is another incident, even with the same title.
  ASSERT_EQ(Command("open").status, 200);
  EXPECT_EQ(Submit(slack_->OpenedViews().back(), values).body, "");
  ASSERT_TRUE(WaitFor([&] { return slack_->Responses().size() == 3; }));
  EXPECT_THAT(slack_->Responses().back()["text"].get<std::string>(), HasSubstr("Opened #2 "));
}

TEST_F(SlackRoomTest, PickingADomainListsItsIncidentsInProgress) {
  int64_t id = OpenDirectly("Checkout returns 500", "payment");
  ASSERT_EQ(Command("open").status, 200);
  json view = slack_->OpenedViews().back();
  EXPECT_TRUE(BlockOf(view, "domain")["dispatch_action"].get<bool>());
  EXPECT_TRUE(BlockOf(view, "similar").is_null());
  auto pick = [&](const std::string& domain) {
    json action = {{"type", "static_select"},
                   {"action_id", kActionId},
                   {"block_id", "domain"},
                   {"selected_option", {{"value", domain}}}};
    json current = slack_->OpenedViews().back();
    return Act(action, "U100", {{"view", current}, {"container", {{"type", "view"}}}});
  };
  EXPECT_EQ(pick("payment").status, 200);
  ASSERT_TRUE(WaitFor([&] { return !BlockOf(slack_->OpenedViews().back(), "similar").is_null(); }));
  json redrawn = slack_->OpenedViews().back();
  std::string hint = BlockOf(redrawn, "similar")["elements"][0]["text"];
  EXPECT_THAT(hint, HasSubstr("Possibly the same"));
  EXPECT_THAT(hint, HasSubstr(absl::StrCat("#", id, " ")));
  EXPECT_THAT(hint, HasSubstr("Checkout returns 500"));
  EXPECT_EQ(BlockOf(redrawn, "domain")["element"]["initial_option"]["value"], "payment");
  EXPECT_EQ(redrawn["private_metadata"], view["private_metadata"]);

  EXPECT_EQ(pick("search").status, 200);
  ASSERT_TRUE(WaitFor([&] {
    json similar = BlockOf(slack_->OpenedViews().back(), "similar");
    return !similar.is_null() && similar.dump().find("search") != std::string::npos;
  }));
  EXPECT_EQ(BlockOf(slack_->OpenedViews().back(), "similar")["elements"][0]["text"],
            "No incident in progress in search.");
  EXPECT_EQ(slack_->OpenedViews().size(), 1u);
}

TEST_F(SlackRoomTest, HomeTabListsYourIncidentsAndOpensNewOnes) {
  int64_t mine = OpenDirectly("Checkout returns 500");
  SetCommander(mine, "alice@example.com");
  int64_t theirs = OpenDirectly("Search is slow", "search");
  SetCommander(theirs, "bob@example.com");
  int64_t closed = OpenDirectly("Opened by mistake");
  SetCommander(closed, "alice@example.com");
  pb::CloseIncidentRequest close;
  close.set_id(closed);
  close.set_actor("ops");
  close.set_reason(pb::CLOSE_REASON_MISTAKE);
  ASSERT_TRUE(Core().CloseIncident(close).ok());

  json opened = {{"type", "app_home_opened"},
                 {"user", "U100"},
                 {"channel", "D0FF01"},
                 {"tab", "home"},
                 {"event_ts", "1767225600.000300"}};
  EXPECT_EQ(Event(opened, "EvHome1").status, 200);
  ASSERT_TRUE(WaitFor([&] { return slack_->HomeView("U100").has_value(); }));
  std::string home = slack_->HomeView("U100")->dump();
  EXPECT_THAT(home, HasSubstr(absl::StrCat("#", mine, " ")));
  EXPECT_THAT(home, HasSubstr("You: Incident commander"));
  EXPECT_THAT(home, Not(HasSubstr(absl::StrCat("#", theirs, " "))));
  EXPECT_THAT(home, Not(HasSubstr(absl::StrCat("#", closed, " "))));
  EXPECT_THAT(home, HasSubstr(slack_room::kOpenIncident));

  json action = {{"type", "button"}, {"action_id", slack_room::kOpenIncident}, {"value", "home"}};
  EXPECT_EQ(Act(action, "U100", {{"view", *slack_->HomeView("U100")}}).status, 200);
  ASSERT_TRUE(WaitFor([&] { return !slack_->OpenedViews().empty(); }));
  EXPECT_EQ(slack_->OpenedViews().back()["callback_id"], kOpenCallback);
}

}  // namespace
}  // namespace ff::slack
