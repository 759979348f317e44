// libFuzzer target: everything the adapter parses from a Slack request body
// once its signature passed — forms, slash commands, interactivity payloads
// and the modal state readers, Events API envelopes, and the rich text of a
// rich_text_input (FlattenRichText, on the body as JSON and on a submitted
// description). Nothing may crash, throw or leak, whatever the bytes.
#include <cstddef>
#include <cstdint>
#include <string>

#include "adapters/slack/payloads.h"
#include "adapters/slack/rich_text.h"

namespace {

void Flatten(const nlohmann::json& rich_text) {
  ff::slack::RichTextNames names{[](const std::string& id) { return id; },
                                 [](const std::string& id) { return id; }};
  absl::StatusOr<std::string> text = ff::slack::FlattenRichText(rich_text, names, "description");
  if (text.ok()) (void)ff::slack::RichTextOf(*text);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  absl::string_view body(reinterpret_cast<const char*>(data), size);
  absl::StatusOr<ff::slack::Form> form = ff::slack::ParseForm(body);
  if (form.ok()) {
    (void)ff::slack::ParseSlashCommand(*form);
    absl::StatusOr<nlohmann::json> payload = ff::slack::ParseInteraction(*form);
    if (payload.ok()) {
      (void)ff::slack::StringAt(*payload, "/view/private_metadata");
      (void)ff::slack::StringAt(*payload, "/user/id");
      const nlohmann::json::json_pointer at("/view/state/values/description/value/rich_text_value");
      if (payload->contains(at)) Flatten((*payload)[at]);
    }
  }
  nlohmann::json value = nlohmann::json::parse(body.begin(), body.end(), nullptr, false);
  if (!value.is_discarded()) Flatten(value);
  absl::StatusOr<nlohmann::json> envelope = ff::slack::ParseEventEnvelope(body);
  if (envelope.ok()) {
    (void)ff::slack::StringAt(*envelope, "/event/message/text");
    (void)ff::slack::StringAt(*envelope, "/event/item/channel");
  }
  return 0;
}
