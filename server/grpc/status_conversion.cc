#include "server/grpc/status_conversion.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "spdlog/spdlog.h"

namespace ff {

std::string CappedStatusMessage(absl::string_view message) {
  if (message.size() <= kMaxStatusMessageBytes) return std::string(message);
  constexpr absl::string_view kEllipsis = "\u2026";
  size_t end = kMaxStatusMessageBytes - kEllipsis.size();
  // Back up over continuation bytes (10xxxxxx) to a character's first byte.
  while (end > 0 && (static_cast<unsigned char>(message[end]) & 0xC0) == 0x80) --end;
  return absl::StrCat(message.substr(0, end), kEllipsis);
}

grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  if (status.code() == absl::StatusCode::kInternal || status.code() == absl::StatusCode::kUnknown) {
    spdlog::error("internal error: {}", std::string(status.message()));
  }
  return grpc::Status(static_cast<grpc::StatusCode>(status.code()),
                      CappedStatusMessage(status.message()));
}

}  // namespace ff
