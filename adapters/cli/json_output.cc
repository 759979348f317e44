#include "adapters/cli/json_output.h"

#include "google/protobuf/util/json_util.h"

namespace ff::cli {

std::string ToJson(const google::protobuf::Message& message, bool one_line) {
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  // Scripts can rely on every scalar field being present, even when zero.
  options.always_print_primitive_fields = true;
  options.add_whitespace = !one_line;
  std::string json;
  // Printing a valid message cannot fail; a failure would be a bug in protobuf.
  (void)google::protobuf::util::MessageToJsonString(message, &json, options);
  while (!json.empty() && json.back() == '\n') json.pop_back();
  json.push_back('\n');
  return json;
}

}  // namespace ff::cli
