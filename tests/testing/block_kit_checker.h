// The checker behind BlockKit (block_kit.h), shared by the files that hold
// its rules: block_kit.cc (blocks, elements, views) and
// block_kit_rich_text.cc (rich text). Not for use outside them.
//
// Thread-compatible: one Checker per check.
#ifndef FF_TESTS_TESTING_BLOCK_KIT_CHECKER_H_
#define FF_TESTS_TESTING_BLOCK_KIT_CHECKER_H_

#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "nlohmann/json.hpp"
#include "tests/testing/block_kit.h"

namespace ff::testing::block_kit_internal {

using json = nlohmann::json;

// Where an element sits decides which element types Slack accepts.
enum class Place { kAccessory, kActions, kInput, kContext };
// Which text objects a field takes.
enum class TextKind { kAny, kPlain };

// At is the JSON pointer of `key` (or item `index`) under `at`.
inline std::string At(const std::string& at, const std::string& key) {
  return absl::StrCat(at, "/", key);
}
inline std::string At(const std::string& at, size_t index) { return absl::StrCat(at, "/", index); }

// Checker collects the problems of one message's blocks or one view.
class Checker {
 public:
  std::vector<BlockKitProblem> problems;

  void Fail(const std::string& at, std::string message) {
    problems.push_back(BlockKitProblem{std::move(message), at});
  }
  void Blocks(const json& blocks, const std::string& at, size_t max_blocks);
  void View(const json& view, const std::string& required_type);

 private:
  // Field checks on `parent[key]`, located at At(at, key). Each returns
  // false when the field is absent or of the wrong JSON type.
  bool Present(const json& parent, const std::string& key, const std::string& at, bool required);
  bool Typed(const json& parent, const std::string& key, const std::string& at, bool required,
             json::value_t type, const char* type_name);
  bool String(const json& parent, const std::string& key, const std::string& at, size_t max,
              bool required, size_t min = 0);
  bool Text(const json& parent, const std::string& key, const std::string& at, TextKind kind,
            size_t max, bool required);
  bool Array(const json& parent, const std::string& key, const std::string& at, size_t min,
             size_t max, bool required);
  void TextObject(const json& text, const std::string& at, TextKind kind, size_t max);

  void Block(const json& block, const std::string& at, std::set<std::string>& block_ids);
  void Section(const json& block, const std::string& at);
  void Context(const json& block, const std::string& at);
  void Actions(const json& block, const std::string& at);
  void ImageBlock(const json& block, const std::string& at);
  void Input(const json& block, const std::string& at);

  void Element(const json& element, const std::string& at, Place place,
               std::set<std::string>& action_ids);
  void ActionId(const json& element, const std::string& at, std::set<std::string>& action_ids);
  void Button(const json& element, const std::string& at);
  void ImageElement(const json& element, const std::string& at);
  void Choices(const json& element, const std::string& at, const std::string& type);
  void Options(const json& parent, const std::string& key, const std::string& at, size_t max,
               TextKind kind);
  void InitialOptions(const json& element, const std::string& at, const std::string& options_key);
  void TextInput(const json& element, const std::string& at);
  void Confirm(const json& element, const std::string& at);

  // Rich text: the rich_text block and rich_text_input
  // (block_kit_rich_text.cc).
  void Fields(const json& object, const std::string& at, const std::set<std::string>& allowed);
  void RichTextInput(const json& element, const std::string& at, std::set<std::string>& action_ids);
  void DispatchActionConfig(const json& element, const std::string& at);
  void RichText(const json& rich_text, const std::string& at);
  void RichTextElement(const json& element, const std::string& at);
  void RichTextList(const json& list, const std::string& at);
  void InlineElements(const json& parent, const std::string& at);
  void InlineElement(const json& element, const std::string& at);
};

}  // namespace ff::testing::block_kit_internal

#endif  // FF_TESTS_TESTING_BLOCK_KIT_CHECKER_H_
