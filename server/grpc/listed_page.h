// ListedPage: a ListIncidentsResponse written as bytes straight from the
// store's records (Store::ListRecords), for the raw ListIncidents method.
//
// Protobuf merges concatenated encodings of a message: an incident's stored
// record followed by its id and by what the workflow derives from its status
// and severity parses as the incident ListIncidents answers, field for
// field. So a page is, per incident, a field-1 header and those three runs of
// bytes; nothing is built or serialized per row. Not thread-safe.
#ifndef FF_SERVER_GRPC_LISTED_PAGE_H_
#define FF_SERVER_GRPC_LISTED_PAGE_H_

#include <string>

#include "absl/strings/string_view.h"
#include "grpcpp/support/byte_buffer.h"
#include "server/store/store.h"

namespace ff {

class ListedPage {
 public:
  // Add appends `incident` as the next of `incidents` (field 1).
  void Add(const IncidentRecord& incident);
  // SetNextPageToken appends `next_page_token` (field 2); empty: nothing.
  void SetNextPageToken(absl::string_view token);
  // Release hands the bytes over as a gRPC message, without copying them.
  grpc::ByteBuffer Release();

 private:
  std::string bytes_;
};

// DerivedFieldsOf is the encoding of what IncidentWorkflow::DescribeNextStatuses
// sets on an incident of `status` and `severity` (allowed_next_statuses,
// next_statuses_needing_message). Thread-safe.
const std::string& DerivedFieldsOf(pb::Status status, pb::Severity severity);

}  // namespace ff

#endif  // FF_SERVER_GRPC_LISTED_PAGE_H_
