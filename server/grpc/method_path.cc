#include "server/grpc/method_path.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace ff {

const google::protobuf::MethodDescriptor* FindDeclaredMethod(absl::string_view path) {
  absl::ConsumePrefix(&path, "/");
  size_t slash = path.find('/');
  if (slash == absl::string_view::npos) return nullptr;
  return google::protobuf::DescriptorPool::generated_pool()->FindMethodByName(
      absl::StrCat(path.substr(0, slash), ".", path.substr(slash + 1)));
}

bool IsRawMethod(absl::string_view path) {
  return path == "/firefighter.v1.IncidentService/ListIncidents";
}

}  // namespace ff
