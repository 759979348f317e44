// BlockKit: Slack's Block Kit rules, as FakeSlack applies them to every
// `blocks` array and view it receives (docs.slack.dev/reference/block-kit;
// the limits are those of Slack's SDKs, slackapi/python-slack-sdk
// slack_sdk/models/blocks and views, and for rich text node-slack-sdk's
// @slack/types).
//
// What is checked:
//   * blocks: a JSON array of at most 50 blocks in a message, 100 in a modal
//     or Home tab; block types section, header, divider, context, actions,
//     image, input and rich_text; block_id at most 255 characters and unique
//     within the message or view;
//   * section: text (≤ 3000) or fields (≤ 10, each ≤ 2000), an optional
//     accessory; header: plain_text ≤ 150; context: 1 to 10 images and text
//     objects; actions: 1 to 25 interactive elements; image: image_url
//     ≤ 3000, alt_text ≤ 2000; input: plain_text label ≤ 2000 and an input
//     element; rich_text: see below;
//   * elements button, static_select, users_select, multi_users_select,
//     conversations_select, plain_text_input, rich_text_input, overflow,
//     datepicker, radio_buttons, checkboxes and image, each where Slack
//     allows it;
//     action_id ≤ 255 and, as Slack requires, unique within its block (not
//     across blocks: a modal may use one action_id in every input block);
//     button text ≤ 75, value ≤ 2000, url ≤ 3000; static_select 1 to 100
//     options, radio_buttons and checkboxes 1 to 10, overflow 1 to 5; option
//     text ≤ 75, value 1 to 150, description ≤ 75; placeholders ≤ 150; an
//     initial option must be one of the options; confirm dialogs;
//   * rich_text_input (input blocks only): its fields only (action_id,
//     required; placeholder; focus_on_load; dispatch_action_config with
//     trigger_actions_on; initial_value, a rich_text); no max_length;
//   * rich_text, as a block or an initial_value: type rich_text, no field
//     but elements (and a block's block_id); elements rich_text_section,
//     rich_text_list (style bullet or ordered, indent 0 to 8, offset,
//     border 0 or 1, items rich_text_section), rich_text_preformatted and
//     rich_text_quote (border); inline elements text, link, user, channel,
//     usergroup, team, emoji, broadcast (here, channel, everyone), date and
//     color, each with its required fields, no unknown field, and a style
//     of booleans;
//   * text objects: type plain_text or mrkdwn where either is allowed, text
//     of 1 character or more;
//   * views: type modal (title ≤ 24 required, submit and close ≤ 24, a submit
//     when there is an input block) or home; private_metadata ≤ 3000,
//     callback_id and external_id ≤ 255.
// Lengths count characters (UTF-8 code points), as Slack does.
//
// Problems are worded like Slack's ("must be less than 3001 characters")
// and located by a JSON pointer ("/blocks/0/text/text"), which
// SlackErrorLine formats as Slack does in response_metadata.messages.
//
// Thread-safe: pure functions.
#ifndef FF_TESTS_TESTING_BLOCK_KIT_H_
#define FF_TESTS_TESTING_BLOCK_KIT_H_

#include <string>
#include <vector>

#include "nlohmann/json.hpp"

namespace ff::testing {

struct BlockKitProblem {
  std::string message;  // e.g. "must be less than 76 characters"
  std::string pointer;  // e.g. "/blocks/2/elements/0/text/text"
};

// SlackErrorLine is "[ERROR] <message> [json-pointer:<pointer>]".
std::string SlackErrorLine(const BlockKitProblem& problem);
// SlackErrorLines formats every problem, in order.
std::vector<std::string> SlackErrorLines(const std::vector<BlockKitProblem>& problems);

// MessageBlockProblems checks the `blocks` of a message (chat.postMessage,
// chat.update, chat.postEphemeral); pointers start at "/blocks". Empty when
// valid.
std::vector<BlockKitProblem> MessageBlockProblems(const nlohmann::json& blocks);

// ViewProblems checks a view (views.open, views.update, views.publish);
// pointers start at "/view". `required_type` is "modal", "home", or "" for
// either. Empty when valid.
std::vector<BlockKitProblem> ViewProblems(const nlohmann::json& view,
                                          const std::string& required_type);

// Utf8Characters counts the code points of UTF-8 `text`.
size_t Utf8Characters(const std::string& text);

}  // namespace ff::testing

#endif  // FF_TESTS_TESTING_BLOCK_KIT_H_
