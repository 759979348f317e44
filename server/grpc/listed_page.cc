#include "server/grpc/listed_page.h"

#include <array>
#include <memory>
#include <utility>

#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/wire_format_lite.h"
#include "grpcpp/support/slice.h"
#include "server/core/workflow.h"

namespace ff {
namespace {

using google::protobuf::internal::WireFormatLite;
using google::protobuf::io::CodedOutputStream;

void AppendVarint(std::string* out, uint64_t value) {
  uint8_t buffer[10];
  uint8_t* end = CodedOutputStream::WriteVarint64ToArray(value, buffer);
  out->append(reinterpret_cast<const char*>(buffer), static_cast<size_t>(end - buffer));
}

void AppendTag(std::string* out, int field, WireFormatLite::WireType type) {
  AppendVarint(out, WireFormatLite::MakeTag(field, type));
}

std::string ComputeDerivedFields(pb::Status status, pb::Severity severity) {
  pb::Incident incident;
  incident.set_status(status);
  incident.set_severity(severity);
  IncidentWorkflow::DescribeNextStatuses(&incident);
  incident.clear_status();  // the record holds them: only the derived fields
  incident.clear_severity();
  return incident.SerializeAsString();
}

constexpr int kStatuses = pb::Status_ARRAYSIZE;
constexpr int kSeverities = pb::Severity_ARRAYSIZE;

}  // namespace

const std::string& DerivedFieldsOf(pb::Status status, pb::Severity severity) {
  using Table = std::array<std::array<std::string, kSeverities>, kStatuses>;
  static const Table* const table = [] {
    auto* t = new Table;
    for (int s = 0; s < kStatuses; ++s) {
      for (int v = 0; v < kSeverities; ++v) {
        (*t)[s][v] = ComputeDerivedFields(static_cast<pb::Status>(s), static_cast<pb::Severity>(v));
      }
    }
    return t;
  }();
  if (status >= 0 && status < kStatuses && severity >= 0 && severity < kSeverities) {
    return (*table)[status][severity];
  }
  // A value this build does not know (a newer writer's): described on the spot.
  thread_local std::string unknown;
  unknown = ComputeDerivedFields(status, severity);
  return unknown;
}

void ListedPage::Add(const IncidentRecord& incident) {
  const std::string& derived = DerivedFieldsOf(incident.status, incident.severity);
  // The id goes after the record: a later value of a scalar field wins.
  uint8_t id_field[11];
  uint8_t* id_end = CodedOutputStream::WriteVarint64ToArray(
      static_cast<uint64_t>(incident.id),
      CodedOutputStream::WriteTagToArray(
          WireFormatLite::MakeTag(pb::Incident::kIdFieldNumber, WireFormatLite::WIRETYPE_VARINT),
          id_field));
  const size_t id_size = static_cast<size_t>(id_end - id_field);
  AppendTag(&bytes_, pb::ListIncidentsResponse::kIncidentsFieldNumber,
            WireFormatLite::WIRETYPE_LENGTH_DELIMITED);
  AppendVarint(&bytes_, incident.record.size() + id_size + derived.size());
  bytes_.append(incident.record.data(), incident.record.size());
  bytes_.append(reinterpret_cast<const char*>(id_field), id_size);
  bytes_.append(derived);
}

void ListedPage::SetNextPageToken(absl::string_view token) {
  if (token.empty()) return;
  AppendTag(&bytes_, pb::ListIncidentsResponse::kNextPageTokenFieldNumber,
            WireFormatLite::WIRETYPE_LENGTH_DELIMITED);
  AppendVarint(&bytes_, token.size());
  bytes_.append(token.data(), token.size());
}

grpc::ByteBuffer ListedPage::Release() {
  auto* owned = new std::string(std::move(bytes_));
  bytes_.clear();
  grpc::Slice slice(
      owned->data(), owned->size(), [](void* s) { delete static_cast<std::string*>(s); }, owned);
  return grpc::ByteBuffer(&slice, 1);
}

}  // namespace ff
