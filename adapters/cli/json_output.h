// ToJson: the `--output json` rendering of IncidentService messages — proto3
// JSON with the proto field names ("next_page_token"), every field present.
// Pure; thread-safe.
#ifndef FF_ADAPTERS_CLI_JSON_OUTPUT_H_
#define FF_ADAPTERS_CLI_JSON_OUTPUT_H_

#include <string>

#include "google/protobuf/message.h"

namespace ff::cli {

// ToJson returns `message` as one JSON document ending with a newline:
// indented, or on a single line when `one_line` (for NDJSON streams).
std::string ToJson(const google::protobuf::Message& message, bool one_line);

}  // namespace ff::cli

#endif  // FF_ADAPTERS_CLI_JSON_OUTPUT_H_
