// MalformedRequestInterceptor: a gRPC server interceptor that gives a request
// gRPC could not parse a status a client can act on.
//
// gRPC parses each request before any handler runs; bytes that are not the
// method's message (above all a proto3 `string` field holding invalid UTF-8,
// which protobuf refuses) end the call with INTERNAL (synchronous methods) or
// UNIMPLEMENTED (callback methods) and an empty message, and no code of ours
// sees the request. This interceptor sees that the parse
// failed and replaces that status with INVALID_ARGUMENT naming the message
// type. Which field was at fault is not known to it: protobuf does not say.
//
// Thread-safe: one interceptor per call.
#ifndef FF_SERVER_GRPC_MALFORMED_REQUEST_H_
#define FF_SERVER_GRPC_MALFORMED_REQUEST_H_

#include <memory>
#include <string>

#include "absl/strings/string_view.h"
#include "grpcpp/support/server_interceptor.h"

namespace ff {

// MakeMalformedRequestFactory returns the factory to pass, before any other,
// to ServerBuilder::experimental().SetInterceptorCreators.
std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>
MakeMalformedRequestFactory();

// MalformedRequestMessage is the INVALID_ARGUMENT message for bytes that are
// not a `request_type` (also said by a raw method that parses its own).
std::string MalformedRequestMessage(absl::string_view request_type);

}  // namespace ff

#endif  // FF_SERVER_GRPC_MALFORMED_REQUEST_H_
