// FindDeclaredMethod: the method a call's path names, when a service linked
// into this binary declares it. Stateless; thread-safe.
#ifndef FF_SERVER_GRPC_METHOD_PATH_H_
#define FF_SERVER_GRPC_METHOD_PATH_H_

#include "absl/strings/string_view.h"
#include "google/protobuf/descriptor.h"

namespace ff {

// FindDeclaredMethod returns the descriptor of "/package.Service/Method" (the
// leading slash optional) from the generated descriptors, or nullptr for a
// path no linked service declares: the client chose it.
const google::protobuf::MethodDescriptor* FindDeclaredMethod(absl::string_view path);

// IsRawMethod tells a method of ours that firefighterd answers as bytes
// (ListIncidents, see incident_service.h): interceptors see its messages as
// grpc::ByteBuffer, not as protobuf messages.
bool IsRawMethod(absl::string_view path);

}  // namespace ff

#endif  // FF_SERVER_GRPC_METHOD_PATH_H_
