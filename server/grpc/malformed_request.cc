#include "server/grpc/malformed_request.h"

#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "server/grpc/method_path.h"

namespace ff {
namespace {

using grpc::experimental::InterceptionHookPoints;

class MalformedRequestInterceptor final : public grpc::experimental::Interceptor {
 public:
  explicit MalformedRequestInterceptor(std::string request_type)
      : request_type_(std::move(request_type)) {}

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    // A request that did not parse reaches this hook without a message.
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::POST_RECV_MESSAGE) &&
        methods->GetRecvMessage() == nullptr) {
      unparsed_ = true;
    }
    if (unparsed_ && methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_STATUS)) {
      grpc::Status status = methods->GetSendStatus();
      // The synchronous handlers answer INTERNAL, the callback ones
      // UNIMPLEMENTED; both without a message.
      bool grpc_answer = status.error_code() == grpc::StatusCode::INTERNAL ||
                         status.error_code() == grpc::StatusCode::UNIMPLEMENTED;
      if (grpc_answer && status.error_message().empty()) {
        methods->ModifySendStatus(grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                                               MalformedRequestMessage(request_type_)));
      }
    }
    methods->Proceed();
  }

 private:
  const std::string request_type_;
  bool unparsed_ = false;
};

class MalformedRequestFactory final : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override {
    const google::protobuf::MethodDescriptor* method = FindDeclaredMethod(info->method());
    // An undeclared method has no request type to fail; gRPC answers it.
    if (method == nullptr) return nullptr;
    return new MalformedRequestInterceptor(method->input_type()->full_name());
  }
};

}  // namespace

std::string MalformedRequestMessage(absl::string_view request_type) {
  return absl::StrCat("request is not a valid ", request_type,
                      ": a string field holds bytes that are not UTF-8 (send such data in "
                      "UTF-8), or the bytes are not that message");
}

std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>
MakeMalformedRequestFactory() {
  return std::make_unique<MalformedRequestFactory>();
}

}  // namespace ff
