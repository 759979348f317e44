// Block Kit rules the fake Slack holds every message and view to: each limit
// at its edge (accepted) and one past it (refused, located by JSON pointer).
#include "tests/testing/block_kit.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"

namespace ff::testing {
namespace {

using json = nlohmann::json;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

json Plain(const std::string& text) { return {{"type", "plain_text"}, {"text", text}}; }
json Mrkdwn(const std::string& text) { return {{"type", "mrkdwn"}, {"text", text}}; }
json Section(const std::string& text) { return {{"type", "section"}, {"text", Mrkdwn(text)}}; }
json Button(const std::string& action_id, const std::string& text = "Go") {
  return {{"type", "button"}, {"action_id", action_id}, {"text", Plain(text)}};
}
json Option(const std::string& text, const std::string& value) {
  return {{"text", Plain(text)}, {"value", value}};
}
json Input(const std::string& block_id, json element) {
  element["action_id"] = "value";
  return {{"type", "input"},
          {"block_id", block_id},
          {"label", Plain("Label")},
          {"element", std::move(element)}};
}
json Modal(json blocks) {
  return {{"type", "modal"},           {"callback_id", "form"},    {"title", Plain("Update #12")},
          {"submit", Plain("Update")}, {"close", Plain("Cancel")}, {"blocks", std::move(blocks)}};
}

// Problems as "<pointer> <message>", for readable expectations.
std::vector<std::string> Of(const std::vector<BlockKitProblem>& problems) {
  std::vector<std::string> out;
  for (const BlockKitProblem& p : problems) out.push_back(p.pointer + " " + p.message);
  return out;
}
std::vector<std::string> MessageProblems(const json& blocks) {
  return Of(MessageBlockProblems(blocks));
}

TEST(BlockKit, AcceptsAnIncidentSummary) {
  json summary = json::array({
      {{"type", "header"}, {"text", Plain("#12 Checkout fails · SEV1")}},
      {{"type", "section"},
       {"block_id", "status"},
       {"fields", json::array({Mrkdwn("*Status*\nFIXED"), Mrkdwn("*Commander*\n<@U123>")})},
       {"accessory", Button("ff_update", "Update")}},
      {{"type", "context"}, {"elements", json::array({Mrkdwn("Opened 2h ago"), Plain("payment")})}},
      {{"type", "divider"}},
      {{"type", "actions"},
       {"block_id", "buttons"},
       {"elements", json::array({Button("ff_update"),
                                 Button("ff_commander"),
                                 Button("ff_note"),
                                 {{"type", "button"},
                                  {"action_id", "ff_open"},
                                  {"text", Plain("Open in dashboard")},
                                  {"url", "https://ff.example.com/incidents/12"}}})}},
      {{"type", "image"}, {"image_url", "https://ff.example.com/g.png"}, {"alt_text", "graph"}},
      {{"type", "rich_text"}, {"elements", json::array()}},
  });
  EXPECT_THAT(MessageProblems(summary), IsEmpty());
}

TEST(BlockKit, CountsCharactersNotBytes) {
  std::string accented;
  for (int i = 0; i < 3000; ++i) accented += "é";  // 6000 bytes
  EXPECT_THAT(MessageProblems(json::array({Section(accented)})), IsEmpty());
  EXPECT_THAT(MessageProblems(json::array({Section(accented + "e")})),
              ElementsAre("/blocks/0/text/text must be less than 3001 characters"));
  EXPECT_EQ(Utf8Characters("né"), 2u);
}

TEST(BlockKit, TextLimitsOfSectionsAndHeaders) {
  json fields = json::array();
  for (int i = 0; i < 11; ++i) fields.push_back(Mrkdwn(i == 3 ? std::string(2001, 'x') : "f"));
  json blocks = json::array({
      {{"type", "header"}, {"text", Plain(std::string(150, 'h'))}},
      {{"type", "header"}, {"text", Plain(std::string(151, 'h'))}},
      {{"type", "header"}, {"text", Mrkdwn("*bold*")}},
      {{"type", "section"}, {"fields", fields}},
      {{"type", "section"}, {"block_id", "empty"}},
      Section(""),
  });
  EXPECT_THAT(MessageProblems(blocks),
              ElementsAre("/blocks/1/text/text must be less than 151 characters",
                          "/blocks/2/text/type must be plain_text",
                          "/blocks/3/fields no more than 10 items allowed",
                          "/blocks/3/fields/3/text must be less than 2001 characters",
                          "/blocks/4/type must define either `text` or `fields`",
                          "/blocks/5/text/text must be more than 0 characters"));
}

TEST(BlockKit, AtMostFiftyBlocksInAMessageAndAHundredInAView) {
  json fifty = json::array();
  for (int i = 0; i < 50; ++i) fifty.push_back({{"type", "divider"}});
  EXPECT_THAT(MessageProblems(fifty), IsEmpty());
  json fifty_one = fifty;
  fifty_one.push_back({{"type", "divider"}});
  EXPECT_THAT(MessageProblems(fifty_one), ElementsAre("/blocks no more than 50 items allowed"));

  json hundred = json::array();
  for (int i = 0; i < 100; ++i) hundred.push_back(Section("s"));
  EXPECT_THAT(Of(ViewProblems(Modal(hundred), "modal")), IsEmpty());
  hundred.push_back(Section("s"));
  EXPECT_THAT(Of(ViewProblems(Modal(hundred), "modal")),
              ElementsAre("/view/blocks no more than 100 items allowed"));
}

TEST(BlockKit, BlockIdsUniquePerMessageActionIdsPerBlock) {
  json blocks = json::array({
      {{"type", "actions"},
       {"block_id", "a"},
       {"elements", json::array({Button("x"), Button("x")})}},
      {{"type", "actions"}, {"block_id", "a"}, {"elements", json::array({Button("x")})}},
      {{"type", "section"}, {"block_id", std::string(256, 'b')}, {"text", Mrkdwn("t")}},
      {{"type", "actions"}, {"elements", json::array({Button(std::string(256, 'c'))})}},
  });
  EXPECT_THAT(MessageProblems(blocks),
              ElementsAre("/blocks/0/elements/1/action_id duplicate action_id within the block: x",
                          "/blocks/1/block_id duplicate block_id: a",
                          "/blocks/2/block_id must be less than 256 characters",
                          "/blocks/3/elements/0/action_id must be less than 256 characters"));
  // One action_id in several input blocks is how forms are read back.
  json form = Modal(json::array({Input("title", {{"type", "plain_text_input"}}),
                                 Input("body", {{"type", "plain_text_input"}})}));
  EXPECT_THAT(Of(ViewProblems(form, "modal")), IsEmpty());
}

TEST(BlockKit, ButtonsAndElementCounts) {
  json elements = json::array();
  for (int i = 0; i < 26; ++i) elements.push_back(Button(absl::StrCat("b", i)));
  json context = json::array();
  for (int i = 0; i < 11; ++i) context.push_back(Mrkdwn("c"));
  json blocks = json::array({
      {{"type", "actions"}, {"elements", elements}},
      {{"type", "context"}, {"elements", context}},
      {{"type", "actions"},
       {"elements", json::array({Button("t", std::string(76, 'x')),
                                 {{"type", "button"},
                                  {"action_id", "u"},
                                  {"text", Plain("u")},
                                  {"url", "https://x.example/" + std::string(2990, 'p')},
                                  {"style", "loud"}}})}},
      {{"type", "actions"}, {"elements", json::array()}},
  });
  EXPECT_THAT(MessageProblems(blocks),
              ElementsAre("/blocks/0/elements no more than 25 items allowed",
                          "/blocks/1/elements no more than 10 items allowed",
                          "/blocks/2/elements/0/text/text must be less than 76 characters",
                          "/blocks/2/elements/1/url must be less than 3001 characters",
                          "/blocks/2/elements/1/style must be one of primary, danger",
                          "/blocks/3/elements must provide at least 1 items"));
}

TEST(BlockKit, UnknownTypesAndElementsOutOfPlace) {
  json blocks = json::array({
      {{"type", "carousel"}},
      {{"type", "actions"},
       {"elements", json::array({{{"type", "plain_text_input"}, {"action_id", "a"}}})}},
      {{"type", "context"}, {"elements", json::array({Button("b")})}},
      {{"type", "section"},
       {"text", Mrkdwn("t")},
       {"accessory", {{"type", "image"}, {"image_url", "https://x.example/i.png"}}}},
      "not a block",
  });
  EXPECT_THAT(MessageProblems(blocks),
              ElementsAre("/blocks/0/type unsupported type: carousel",
                          "/blocks/1/elements/0/type unsupported type: plain_text_input",
                          "/blocks/2/elements/0/type unsupported type: button",
                          "/blocks/3/accessory/alt_text missing required field: alt_text",
                          "/blocks/4 expected: object"));
  EXPECT_THAT(MessageProblems(json::object()), ElementsAre("/blocks expected: array"));
}

TEST(BlockKit, SelectOptions) {
  json options = json::array();
  for (int i = 0; i < 100; ++i) options.push_back(Option("o", absl::StrCat(i)));
  json select = {{"type", "static_select"}, {"options", options}, {"initial_option", options[7]}};
  EXPECT_THAT(Of(ViewProblems(Modal(json::array({Input("status", select)})), "modal")), IsEmpty());

  json too_many = select;
  too_many["options"].push_back(Option("o", "100"));
  json bad = {{"type", "static_select"},
              {"options", json::array({Option(std::string(76, 't'), "v"),
                                       Option("t", std::string(151, 'v')), Option("t", "")})},
              {"initial_option", Option("absent", "nope")}};
  json radio = {{"type", "radio_buttons"}, {"options", json::array()}};
  json view = Modal(json::array({Input("a", too_many), Input("b", bad), Input("c", radio)}));
  EXPECT_THAT(
      Of(ViewProblems(view, "modal")),
      ElementsAre("/view/blocks/0/element/options no more than 100 items allowed",
                  "/view/blocks/1/element/options/0/text/text must be less than 76 characters",
                  "/view/blocks/1/element/options/1/value must be less than 151 characters",
                  "/view/blocks/1/element/options/2/value must be more than 0 characters",
                  "/view/blocks/1/element/initial_option must match one of the provided options",
                  "/view/blocks/2/element/options must provide at least 1 items"));
}

TEST(BlockKit, ModalLimits) {
  json view = Modal(json::array({Input("title", {{"type", "plain_text_input"}})}));
  view["title"] = Plain(std::string(24, 't'));
  EXPECT_THAT(Of(ViewProblems(view, "modal")), IsEmpty());
  view["title"] = Plain(std::string(25, 't'));
  view["submit"] = Plain(std::string(25, 's'));
  view["close"] = Plain(std::string(25, 'c'));
  view["private_metadata"] = std::string(3001, 'm');
  view["callback_id"] = std::string(256, 'i');
  EXPECT_THAT(Of(ViewProblems(view, "modal")),
              ElementsAre("/view/title/text must be less than 25 characters",
                          "/view/close/text must be less than 25 characters",
                          "/view/submit/text must be less than 25 characters",
                          "/view/private_metadata must be less than 3001 characters",
                          "/view/callback_id must be less than 256 characters"));
  json no_submit = Modal(json::array({Input("title", {{"type", "plain_text_input"}})}));
  no_submit.erase("submit");
  EXPECT_THAT(Of(ViewProblems(no_submit, "modal")),
              ElementsAre("/view/submit must be provided when the view has input blocks"));
  json untitled = Modal(json::array());
  untitled.erase("title");
  EXPECT_THAT(Of(ViewProblems(untitled, "")),
              ElementsAre("/view/title missing required field: title"));
}

TEST(BlockKit, HomeTabsAndViewTypes) {
  json home = {{"type", "home"}, {"blocks", json::array({Section("Your incidents")})}};
  EXPECT_THAT(Of(ViewProblems(home, "home")), IsEmpty());
  EXPECT_THAT(Of(ViewProblems(home, "")), IsEmpty());
  EXPECT_THAT(Of(ViewProblems(home, "modal")), ElementsAre("/view/type must be modal"));
  EXPECT_THAT(Of(ViewProblems({{"type", "workflow_step"}, {"blocks", json::array()}}, "")),
              ElementsAre("/view/type unsupported type: workflow_step"));
  EXPECT_THAT(Of(ViewProblems({{"type", "home"}}, "home")),
              ElementsAre("/view/blocks missing required field: blocks"));
}

TEST(BlockKit, InputElementsAndConfirmDialogs) {
  json view = Modal(json::array({
      Input("when", {{"type", "datepicker"}, {"initial_date", "2026-01-31"}}),
      Input("bad_when", {{"type", "datepicker"}, {"initial_date", "31/01/2026"}}),
      Input("text", {{"type", "plain_text_input"}, {"max_length", 3001}}),
      Input("who", {{"type", "users_select"}, {"placeholder", Plain(std::string(151, 'p'))}}),
      Input("button", Button("b")),
  }));
  view["blocks"][0]["element"]["confirm"] = {{"title", Plain("Sure?")},
                                             {"text", Mrkdwn("Really")},
                                             {"confirm", Plain("Yes")},
                                             {"deny", Plain(std::string(31, 'n'))}};
  EXPECT_THAT(
      Of(ViewProblems(view, "modal")),
      ElementsAre("/view/blocks/0/element/confirm/deny/text must be less than 31 characters",
                  "/view/blocks/1/element/initial_date must be a date in the format "
                  "YYYY-MM-DD",
                  "/view/blocks/2/element/max_length must be an integer from 1 to 3000",
                  "/view/blocks/3/element/placeholder/text must be less than 151 characters",
                  "/view/blocks/4/element/type unsupported type: button"));
}

// The problems of a modal whose only block is an input with `element`.
std::vector<std::string> InputProblems(json element) {
  return Of(ViewProblems(Modal(json::array({Input("d", std::move(element))})), "modal"));
}
json RichTextInput(json initial_value) {
  return {{"type", "rich_text_input"}, {"initial_value", std::move(initial_value)}};
}
json RichSection(json elements) {
  return {{"type", "rich_text_section"}, {"elements", std::move(elements)}};
}
json RichText(json elements) { return {{"type", "rich_text"}, {"elements", std::move(elements)}}; }

TEST(BlockKit, RichTextInputsTakeRichTextAndHaveNoMaxLength) {
  json every_inline = RichSection(json::array({
      {{"type", "text"}, {"text", "bold"}, {"style", {{"bold", true}, {"code", false}}}},
      {{"type", "link"}, {"url", "https://x.example"}, {"text", "x"}},
      {{"type", "user"}, {"user_id", "U1"}},
      {{"type", "channel"}, {"channel_id", "C1"}},
      {{"type", "usergroup"}, {"usergroup_id", "S1"}},
      {{"type", "team"}, {"team_id", "T1"}},
      {{"type", "emoji"}, {"name", "fire"}, {"unicode", "1f525"}},
      {{"type", "broadcast"}, {"range", "here"}},
      {{"type", "date"}, {"timestamp", 1767225600}, {"format", "{date}"}, {"fallback", "Jan 1"}},
      {{"type", "color"}, {"value", "#FF0000"}},
  }));
  json text = {{"type", "text"}, {"text", "t"}};
  json blocks = json::array({
      every_inline,
      {{"type", "rich_text_list"},
       {"style", "ordered"},
       {"indent", 1},
       {"offset", 3},
       {"border", 0},
       {"elements", json::array({RichSection(json::array({text}))})}},
      {{"type", "rich_text_quote"}, {"elements", json::array({text})}},
      {{"type", "rich_text_preformatted"}, {"elements", json::array({text})}, {"border", 1}},
  });
  json element = RichTextInput(RichText(blocks));
  element["placeholder"] = Plain("What is broken?");
  element["focus_on_load"] = true;
  element["dispatch_action_config"] = {{"trigger_actions_on", {"on_character_entered"}}};
  EXPECT_THAT(InputProblems(element), IsEmpty());
  EXPECT_THAT(MessageProblems(json::array({RichText(blocks)})), IsEmpty());

  element = {{"type", "rich_text_input"}, {"max_length", 4000}};
  EXPECT_THAT(InputProblems(element),
              ElementsAre("/view/blocks/0/element/max_length unknown field: max_length"));
  json no_action_id = Modal(json::array({Input("d", RichTextInput(RichText(json::array())))}));
  no_action_id["blocks"][0]["element"].erase("action_id");
  EXPECT_THAT(Of(ViewProblems(no_action_id, "modal")),
              ElementsAre("/view/blocks/0/element/action_id missing required field: action_id"));
  element = {{"type", "rich_text_input"},
             {"dispatch_action_config", {{"trigger_actions_on", {"on_blur"}}}}};
  EXPECT_THAT(InputProblems(element),
              ElementsAre("/view/blocks/0/element/dispatch_action_config/trigger_actions_on/0 "
                          "must be one of on_enter_pressed, on_character_entered"));
  json actions = {{"type", "actions"},
                  {"elements", json::array({{{"type", "rich_text_input"}, {"action_id", "a"}}})}};
  EXPECT_THAT(MessageProblems(json::array({actions})),
              ElementsAre("/blocks/0/elements/0/type unsupported type: rich_text_input"));
}

TEST(BlockKit, RichTextHoldsOnlyKnownElementsWithTheirFields) {
  const std::string at = "/view/blocks/0/element/initial_value";
  EXPECT_THAT(InputProblems(RichTextInput("plain")), ElementsAre(at + " expected: object"));
  EXPECT_THAT(InputProblems(RichTextInput(RichSection(json::array()))),
              ElementsAre(at + "/type must be rich_text"));
  auto with = [](json inline_element) {
    return RichTextInput(RichText(json::array({RichSection(json::array({inline_element}))})));
  };
  const std::string inline_at = at + "/elements/0/elements/0";
  EXPECT_THAT(InputProblems(with({{"type", "canvas"}, {"canvas_id", "F1"}})),
              ElementsAre(inline_at + "/type unsupported type: canvas"));
  EXPECT_THAT(InputProblems(with({{"type", "text"}})),
              ElementsAre(inline_at + "/text missing required field: text"));
  EXPECT_THAT(InputProblems(with({{"type", "text"}, {"text", "t"}, {"url", "u"}})),
              ElementsAre(inline_at + "/url unknown field: url"));
  EXPECT_THAT(InputProblems(with({{"type", "broadcast"}, {"range", "all"}})),
              ElementsAre(inline_at + "/range must be one of here, channel, everyone"));
  EXPECT_THAT(InputProblems(with({{"type", "text"}, {"text", "t"}, {"style", {{"bold", "yes"}}}})),
              ElementsAre(inline_at + "/style/bold expected: boolean"));
  EXPECT_THAT(InputProblems(with({{"type", "date"}, {"timestamp", "soon"}, {"format", "{date}"}})),
              ElementsAre(inline_at + "/timestamp expected: integer"));
  json list = {
      {"type", "rich_text_list"},
      {"style", "dashed"},
      {"indent", 9},
      {"elements", json::array({{{"type", "rich_text_quote"}, {"elements", json::array()}}})}};
  EXPECT_THAT(InputProblems(RichTextInput(RichText(json::array({list})))),
              ElementsAre(at + "/elements/0/style must be one of bullet, ordered",
                          at + "/elements/0/indent must be an integer from 0 to 8",
                          at + "/elements/0/elements/0 must be a rich_text_section"));
  EXPECT_THAT(MessageProblems(json::array(
                  {{{"type", "rich_text"}, {"elements", json::array()}, {"text", "x"}}})),
              ElementsAre("/blocks/0/text unknown field: text"));
}

TEST(BlockKit, ErrorLinesReadLikeSlacks) {
  EXPECT_EQ(SlackErrorLine({"must be less than 3001 characters", "/blocks/0/text/text"}),
            "[ERROR] must be less than 3001 characters [json-pointer:/blocks/0/text/text]");
  EXPECT_THAT(SlackErrorLines(MessageBlockProblems(json::array({{{"type", "bogus"}}}))),
              ElementsAre("[ERROR] unsupported type: bogus [json-pointer:/blocks/0/type]"));
}

}  // namespace
}  // namespace ff::testing
