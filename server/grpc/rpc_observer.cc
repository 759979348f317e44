#include "server/grpc/rpc_observer.h"

#include <chrono>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "server/grpc/method_path.h"

namespace ff {
namespace {

using grpc::experimental::InterceptionHookPoints;

// Only our own service's messages are known to be protobuf messages; other
// services (health) may pass raw byte buffers through the same hooks.
constexpr absl::string_view kOwnService = "/firefighter.v1.IncidentService/";

// IncidentIdOf reads the incident a message names: `incident_id`, or `id` of
// an Incident and of the requests that address one by `id`. 0 when none.
int64_t IncidentIdOf(const google::protobuf::Message& message) {
  const google::protobuf::Descriptor* type = message.GetDescriptor();
  const google::protobuf::FieldDescriptor* field = type->FindFieldByName("incident_id");
  const std::string& name = type->name();
  if (field == nullptr && (name == "Incident" || name == "GetIncidentRequest" ||
                           name == "UpdateIncidentRequest" || name == "CloseIncidentRequest")) {
    field = type->FindFieldByName("id");
  }
  if (field == nullptr || field->cpp_type() != google::protobuf::FieldDescriptor::CPPTYPE_INT64 ||
      field->is_repeated()) {
    return 0;
  }
  return message.GetReflection()->GetInt64(message, field);
}

// MethodLabel returns "package.Service/Method" for a method a linked service
// declares, and kUnknownMethod for any other path a client sends.
std::string MethodLabel(absl::string_view path) {
  if (FindDeclaredMethod(path) == nullptr) return std::string(kUnknownMethod);
  absl::ConsumePrefix(&path, "/");
  return std::string(path);
}

class RpcObserver final : public grpc::experimental::Interceptor {
 public:
  RpcObserver(const char* method, const RpcListener* listener)
      : listener_(listener), start_(std::chrono::steady_clock::now()) {
    record_.method = MethodLabel(method);
    own_ = record_.method != kUnknownMethod && absl::StartsWith(method, kOwnService) &&
           !IsRawMethod(method);
  }

  // A call that never sent a status (the client went away) is still counted.
  ~RpcObserver() override {
    if (!reported_) Report(grpc::StatusCode::CANCELLED);
  }

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (own_ && methods->QueryInterceptionHookPoint(InterceptionHookPoints::POST_RECV_MESSAGE)) {
      if (void* message = methods->GetRecvMessage(); message != nullptr) {
        Note(*static_cast<const google::protobuf::Message*>(message));
      }
    }
    if (own_ && methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_MESSAGE)) {
      if (const void* message = methods->GetSendMessage(); message != nullptr) {
        Note(*static_cast<const google::protobuf::Message*>(message));
      }
    }
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_STATUS)) {
      Report(methods->GetSendStatus().error_code());
    }
    methods->Proceed();
  }

 private:
  // Note keeps the first incident a request or response names (an opened
  // incident's id is known only from the response).
  void Note(const google::protobuf::Message& message) {
    if (record_.incident_id == 0) record_.incident_id = IncidentIdOf(message);
  }

  void Report(grpc::StatusCode code) {
    reported_ = true;
    record_.code = code;
    record_.latency = absl::FromChrono(std::chrono::steady_clock::now() - start_);
    (*listener_)(record_);
  }

  bool own_ = false;  // a method of ours: its messages are protobuf messages
  const RpcListener* listener_;
  const std::chrono::steady_clock::time_point start_;
  RpcRecord record_;
  bool reported_ = false;
};

class RpcObserverFactory final : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  explicit RpcObserverFactory(RpcListener listener) : listener_(std::move(listener)) {}

  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override {
    return new RpcObserver(info->method(), &listener_);
  }

 private:
  const RpcListener listener_;
};

}  // namespace

std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface> MakeRpcObserverFactory(
    RpcListener listener) {
  return std::make_unique<RpcObserverFactory>(std::move(listener));
}

const char* StatusCodeName(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::OK:
      return "OK";
    case grpc::StatusCode::CANCELLED:
      return "CANCELLED";
    case grpc::StatusCode::UNKNOWN:
      return "UNKNOWN";
    case grpc::StatusCode::INVALID_ARGUMENT:
      return "INVALID_ARGUMENT";
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      return "DEADLINE_EXCEEDED";
    case grpc::StatusCode::NOT_FOUND:
      return "NOT_FOUND";
    case grpc::StatusCode::ALREADY_EXISTS:
      return "ALREADY_EXISTS";
    case grpc::StatusCode::PERMISSION_DENIED:
      return "PERMISSION_DENIED";
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
      return "RESOURCE_EXHAUSTED";
    case grpc::StatusCode::FAILED_PRECONDITION:
      return "FAILED_PRECONDITION";
    case grpc::StatusCode::ABORTED:
      return "ABORTED";
    case grpc::StatusCode::OUT_OF_RANGE:
      return "OUT_OF_RANGE";
    case grpc::StatusCode::UNIMPLEMENTED:
      return "UNIMPLEMENTED";
    case grpc::StatusCode::INTERNAL:
      return "INTERNAL";
    case grpc::StatusCode::UNAVAILABLE:
      return "UNAVAILABLE";
    case grpc::StatusCode::DATA_LOSS:
      return "DATA_LOSS";
    case grpc::StatusCode::UNAUTHENTICATED:
      return "UNAUTHENTICATED";
    default:
      return "UNKNOWN";
  }
}

}  // namespace ff
