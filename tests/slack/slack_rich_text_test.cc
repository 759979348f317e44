// The description as rich text: FlattenRichText and RichTextOf as units, and
// the open modal end to end — the real adapter, the real firefighterd and
// the validating FakeSlack — from what Slack's rich_text_input submits to
// what the core stores.
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "adapters/slack/rich_text.h"
#include "gmock/gmock.h"
#include "gtest/gtest-spi.h"
#include "gtest/gtest.h"
#include "tests/slack/slack_fixture.h"
#include "tests/testing/block_kit.h"

namespace ff::slack {
namespace {

using json = nlohmann::json;
using ::testing::IsEmpty;

json Text(const std::string& text, const json& style = nullptr) {
  json element = {{"type", "text"}, {"text", text}};
  if (!style.is_null()) element["style"] = style;
  return element;
}
json Section(json elements) {
  return {{"type", "rich_text_section"}, {"elements", std::move(elements)}};
}
json List(const std::string& style, json items, int indent = 0, int offset = 0) {
  json list = {{"type", "rich_text_list"}, {"style", style}, {"elements", std::move(items)}};
  if (indent > 0) list["indent"] = indent;
  if (offset > 0) list["offset"] = offset;
  return list;
}
json RichText(json blocks) { return {{"type", "rich_text"}, {"elements", std::move(blocks)}}; }

// A description using every kind of block and the inline elements people
// type; `channel` is the id of a channel named "war-room", U200 is
// bob@example.com.
json Formatted(const std::string& channel) {
  return RichText({
      Section({Text("Checkout fails for "),
               Text("every", {{"bold", true}}),
               Text(" card since "),
               {{"type", "date"},
                {"timestamp", 1767225600},
                {"format", "{date_short}"},
                {"fallback", "Jan 1st"}},
               Text(".\n")}),
      List("bullet",
           {Section({Text("pool at 100%")}), Section({{{"type", "link"},
                                                       {"url", "https://grafana.example/d/pool"},
                                                       {"text", "dashboard"}}})}),
      List("ordered", {Section({Text("roll back", {{"italic", true}})})}),
      List("bullet", {Section({Text("ping "), {{"type", "usergroup"}, {"usergroup_id", "S0OPS"}}})},
           1),
      List("ordered", {Section({{{"type", "user"}, {"user_id", "U200"}}, Text(" pages")})}, 0, 1),
      {{"type", "rich_text_quote"},
       {"elements", json::array({Text("too many connections\nretrying")})}},
      {{"type", "rich_text_preformatted"}, {"elements", json::array({Text("SELECT 1;")})}},
      Section({{{"type", "emoji"}, {"name", "fire"}, {"unicode", "1f525"}},
               Text(" "),
               {{"type", "broadcast"}, {"range", "here"}},
               Text(" see "),
               {{"type", "channel"}, {"channel_id", channel}},
               Text(" and "),
               {{"type", "link"}, {"url", "https://status.example"}}}),
  });
}

constexpr char kFlattened[] =
    "Checkout fails for every card since Jan 1st.\n"
    "• pool at 100%\n"
    "• dashboard (https://grafana.example/d/pool)\n"
    "1. roll back\n"
    "  • ping @S0OPS\n"
    "2. @bob@example.com pages\n"
    "> too many connections\n"
    "> retrying\n"
    "```\n"
    "SELECT 1;\n"
    "```\n"
    ":fire: @here see #war-room and https://status.example";

RichTextNames TestNames() {
  return {[](const std::string& id) { return id == "U200" ? "bob@example.com" : id; },
          [](const std::string& id) { return id == "C0WAR" ? "war-room" : id; }};
}

TEST(FlattenRichText, WritesEachKindOfBlockAndInlineElementAsPlainText) {
  absl::StatusOr<std::string> text = FlattenRichText(Formatted("C0WAR"), TestNames(), "d");
  ASSERT_TRUE(text.ok()) << text.status();
  EXPECT_EQ(*text, kFlattened);
}

// Slack may end a section with a newline or not; an empty one is an empty
// line.
TEST(FlattenRichText, StartsEachBlockOnANewLineOnce) {
  json blocks = RichText({Section({Text("a")}),
                          Section(json::array()),
                          Section({Text("b\n")}),
                          List("bullet", {Section({Text("c")})}),
                          {{"type", "rich_text_preformatted"}, {"elements", {Text("d\n")}}}});
  EXPECT_EQ(*FlattenRichText(blocks, TestNames(), "d"), "a\n\nb\n• c\n```\nd\n```");
}

TEST(FlattenRichText, ADateWithoutFallbackIsItsUtcTimeAndEmptyIsEmpty) {
  json date = {{"type", "date"}, {"timestamp", 1767225600}, {"format", "{date}"}};
  EXPECT_EQ(*FlattenRichText(RichText({Section({date})}), TestNames(), "d"),
            "2026-01-01 00:00 UTC");
  EXPECT_EQ(*FlattenRichText(RichText(json::array()), TestNames(), "d"), "");
  EXPECT_EQ(*FlattenRichText(RichText({Section(json::array())}), TestNames(), "d"), "");
}

TEST(RichTextOf, IsOneSectionOfOneTextThatFlattensBackExactly) {
  EXPECT_EQ(RichTextOf("a\nb"), RichText({Section({Text("a\nb")})}));
  EXPECT_EQ(RichTextOf(""), RichText(json::array()));
  for (const std::string text : {"", "x", "\n", "two\n\nparagraphs\n", "\nlead", "> not a quote",
                                 "• not a list", "é火🔥", "<@U200> stays as typed"}) {
    absl::StatusOr<std::string> back = FlattenRichText(RichTextOf(text), TestNames(), "d");
    ASSERT_TRUE(back.ok()) << back.status();
    EXPECT_EQ(*back, text);
  }
}

struct Malformed {
  const char* name;
  json value;
  std::string message;
};

class FlattenRichTextRefuses : public ::testing::TestWithParam<Malformed> {};

TEST_P(FlattenRichTextRefuses, WithInvalidArgumentSayingWhereAndWhat) {
  absl::StatusOr<std::string> text = FlattenRichText(GetParam().value, TestNames(), "description");
  EXPECT_EQ(text.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(text.status().message(), GetParam().message);
}

json InSection(json element) { return RichText({Section({std::move(element)})}); }

INSTANTIATE_TEST_SUITE_P(
    Cases, FlattenRichTextRefuses,
    ::testing::Values(
        Malformed{"NotAnObject", 42, "description: must be an object"},
        Malformed{"NoType", {{"elements", json::array()}}, "description: type must be a string"},
        Malformed{"NotRichText",
                  {{"type", "mrkdwn"}, {"elements", json::array()}},
                  "description: type must be rich_text"},
        Malformed{"NoElements", {{"type", "rich_text"}}, "description: elements must be an array"},
        Malformed{"BlockNotAnObject", RichText({"text"}),
                  "description.elements[0]: must be an object"},
        Malformed{"UnknownBlock", RichText({{{"type", "rich_text_table"}}}),
                  "description.elements[0]: a \"rich_text_table\" element has no text form"},
        Malformed{"UnknownInline", InSection({{"type", "canvas"}, {"canvas_id", "F1"}}),
                  "description.elements[0].elements[0]: a \"canvas\" element has no text form"},
        Malformed{"LongTypeQuotedShort", InSection({{"type", std::string(100, 'x')}}),
                  "description.elements[0].elements[0]: a \"" + std::string(32, 'x') +
                      "…\" element has no text form"},
        Malformed{"TextWithoutText", InSection({{"type", "text"}}),
                  "description.elements[0].elements[0]: text must be a string"},
        Malformed{"UserIdNotAString", InSection({{"type", "user"}, {"user_id", 5}}),
                  "description.elements[0].elements[0]: user_id must be a string"},
        Malformed{"LinkWithoutUrl", InSection({{"type", "link"}, {"text", "x"}}),
                  "description.elements[0].elements[0]: url must be a string"},
        Malformed{"DateTimestampNotANumber",
                  InSection({{"type", "date"}, {"timestamp", "soon"}, {"format", "{date}"}}),
                  "description.elements[0].elements[0]: timestamp must be an integer"},
        Malformed{"ListStyle", RichText({List("dashed", {Section({Text("a")})})}),
                  "description.elements[0]: style must be bullet or ordered"},
        Malformed{"ListIndent", RichText({List("bullet", {Section({Text("a")})}, 9)}),
                  "description.elements[0]: indent must be an integer from 0 to 8"},
        Malformed{"ListOffset",
                  RichText({{{"type", "rich_text_list"},
                             {"style", "ordered"},
                             {"offset", -1},
                             {"elements", json::array()}}}),
                  "description.elements[0]: offset must be an integer from 0 to 999999"},
        Malformed{"ListItemNotASection",
                  RichText({List("bullet",
                                 {{{"type", "rich_text_quote"}, {"elements", json::array()}}})}),
                  "description.elements[0].elements[0]: type must be rich_text_section"},
        Malformed{"SectionElementsNotAnArray",
                  RichText({{{"type", "rich_text_section"}, {"elements", "x"}}}),
                  "description.elements[0]: elements must be an array"}),
    [](const ::testing::TestParamInfo<Malformed>& test) { return test.param.name; });

class SlackRichTextTest : public SlackAppFixture {
 protected:
  void SetUp() override { Start(); }

  // OpenWith submits the open modal with `description` (a rich_text_input's
  // state) and returns Slack's answer.
  SlackPost OpenWith(const json& description) {
    EXPECT_EQ(Command("open").status, 200);
    json view = slack_->OpenedViews().back();
    return Submit(view, {{"domain", Selected("payment")},
                         {"severity", Selected("sev2")},
                         {"title", Typed("Checkout returns 500")},
                         {"description", description}});
  }

  size_t Incidents() { return Core().ListIncidents(pb::ListIncidentsRequest())->incidents_size(); }
};

// Issue #16: a description longer than any Slack text input holds, in 2-,
// 3- and 4-byte characters, opens the incident as typed.
TEST_F(SlackRichTextTest, A3999CharacterNonAsciiDescriptionOpensAnIncident) {
  std::string description;
  for (int i = 0; i < 1333; ++i) description += "é火🔥";
  ASSERT_EQ(testing::Utf8Characters(description), 3999u);
  SlackPost submitted = OpenWith(RichTyped(description));
  EXPECT_EQ(submitted.status, 200);
  EXPECT_EQ(submitted.body, "");
  absl::StatusOr<pb::Incident> incident = Core().GetIncident(1);
  ASSERT_TRUE(incident.ok()) << incident.status();
  EXPECT_EQ(incident->description(), description);
}

// The title's limit is 200 characters, not bytes: 200 four-byte characters
// open the incident.
TEST_F(SlackRichTextTest, A200CharacterNonAsciiTitleOpensAnIncident) {
  std::string title;
  for (int i = 0; i < 200; ++i) title += "🔥";
  EXPECT_EQ(Command("open").status, 200);
  SlackPost submitted = Submit(slack_->OpenedViews().back(), {{"domain", Selected("payment")},
                                                              {"severity", Selected("sev2")},
                                                              {"title", Typed(title)},
                                                              {"description", RichTyped("500s")}});
  EXPECT_EQ(submitted.body, "");
  absl::StatusOr<pb::Incident> incident = Core().GetIncident(1);
  ASSERT_TRUE(incident.ok()) << incident.status();
  EXPECT_EQ(incident->title(), title);
}

TEST_F(SlackRichTextTest, OneCharacterPastTheCoresLimitIsRefusedOnTheDescription) {
  std::string description;
  for (int i = 0; i < 4001; ++i) description += "火";
  SlackPost refused = OpenWith(RichTyped(description));
  EXPECT_EQ(refused.status, 200);
  json answer = refused.Json();
  EXPECT_EQ(answer["response_action"], "errors") << refused.body;
  EXPECT_EQ(answer["errors"],
            json({{"description", "description is 4001 characters long; the limit is 4000"}}));
  EXPECT_EQ(Incidents(), 0u);
}

TEST_F(SlackRichTextTest, FormattedTextIsStoredAsPlainTextNamingPeopleByEmail) {
  std::string channel = slack_->AddChannel("war-room");
  SlackPost submitted = OpenWith(Rich(Formatted(channel)));
  EXPECT_EQ(submitted.body, "");
  absl::StatusOr<pb::Incident> incident = Core().GetIncident(1);
  ASSERT_TRUE(incident.ok()) << incident.status();
  EXPECT_EQ(incident->description(), kFlattened);
}

TEST_F(SlackRichTextTest, RichTextThatCannotBeReadIsRefusedOnTheDescription) {
  json canvas = InSection({{"type", "canvas"}, {"canvas_id", "F1"}});
  json answer = OpenWith(Rich(canvas)).Json();
  EXPECT_EQ(answer["response_action"], "errors");
  EXPECT_EQ(answer["errors"],
            json({{"description",
                   "This text cannot be read (description.elements[0].elements[0]: a \"canvas\" "
                   "element has no text form): remove that part and try again."}}));
  answer = OpenWith(Rich("<b>not rich text</b>")).Json();
  EXPECT_EQ(answer["errors"]["description"],
            "This text cannot be read (description: must be an object): remove that part and "
            "try again.");
  EXPECT_EQ(Incidents(), 0u);
}

TEST_F(SlackRichTextTest, TheOpenModalTakesTheDescriptionAsRichText) {
  ASSERT_EQ(Command("open").status, 200);
  json view = slack_->OpenedViews().back();
  EXPECT_THAT(testing::ViewProblems(view, "modal"), IsEmpty());
  json description;
  for (const json& block : view["blocks"]) {
    if (block.value("block_id", "") == "description") description = block;
  }
  EXPECT_EQ(description["element"], json({{"type", "rich_text_input"}, {"action_id", "value"}}));
  EXPECT_EQ(description["optional"], true);
}

// Slack's client sends only what its inputs hold: the fixture fails a test
// that submits more than a plain_text_input's max_length, or plain text for
// a rich_text_input.
TEST_F(SlackRichTextTest, TheFixtureRefusesWhatSlacksClientWouldNotSend) {
  ASSERT_EQ(Command("open").status, 200);
  json view = slack_->OpenedViews().back();
  EXPECT_NONFATAL_FAILURE(Submit(view, {{"title", Typed(std::string(201, 't'))}}),
                          "title: text over the input's max_length");
  EXPECT_NONFATAL_FAILURE(Submit(view, {{"description", Typed("plain")}}),
                          "description: a plain_text_input value for a rich_text_input");
  EXPECT_EQ(Incidents(), 0u);
}

}  // namespace
}  // namespace ff::slack
