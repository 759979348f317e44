// libFuzzer target: everything the adapter parses from a Slack request body
// once its signature passed — forms, slash commands, interactivity payloads
// and the modal state readers, Events API envelopes. Nothing may crash,
// throw or leak, whatever the bytes.
#include <cstddef>
#include <cstdint>
#include <string>

#include "adapters/slack/payloads.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  absl::string_view body(reinterpret_cast<const char*>(data), size);
  absl::StatusOr<ff::slack::Form> form = ff::slack::ParseForm(body);
  if (form.ok()) {
    (void)ff::slack::ParseSlashCommand(*form);
    absl::StatusOr<nlohmann::json> payload = ff::slack::ParseInteraction(*form);
    if (payload.ok()) {
      (void)ff::slack::StringAt(*payload, "/view/private_metadata");
      (void)ff::slack::StringAt(*payload, "/user/id");
    }
  }
  absl::StatusOr<nlohmann::json> envelope = ff::slack::ParseEventEnvelope(body);
  if (envelope.ok()) {
    (void)ff::slack::StringAt(*envelope, "/event/message/text");
    (void)ff::slack::StringAt(*envelope, "/event/item/channel");
  }
  return 0;
}
