// Page tokens of ListIncidents: an opaque cursor (the last id returned) bound
// to the filters it was issued for, so a token cannot silently be replayed
// against another query. Stable across restarts. Stateless; thread-safe.
#ifndef FF_SERVER_GRPC_PAGE_TOKEN_H_
#define FF_SERVER_GRPC_PAGE_TOKEN_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "server/store/store.h"

namespace ff {

// EncodePageToken returns the token that resumes below `before_id`.
std::string EncodePageToken(int64_t before_id, const IncidentFilter& filter);

// DecodePageToken returns the cursor; "" decodes to 0 (the first page).
// INVALID_ARGUMENT naming page_token when it is malformed or was issued for
// other filters.
absl::StatusOr<int64_t> DecodePageToken(const std::string& token, const IncidentFilter& filter);

}  // namespace ff

#endif  // FF_SERVER_GRPC_PAGE_TOKEN_H_
