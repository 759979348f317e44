// Page tokens of ListIncidents: an opaque cursor (the last id returned) bound
// to the filters it was issued for, so a token cannot silently be replayed
// against another query. Stable across restarts. Stateless; thread-safe.
#ifndef FF_SERVER_GRPC_PAGE_TOKEN_H_
#define FF_SERVER_GRPC_PAGE_TOKEN_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "server/store/outbox_store.h"
#include "server/store/store.h"

namespace ff {

// FilterKey is the canonical form of a list's filters (order-insensitive).
std::string FilterKey(const IncidentFilter& filter);
std::string FilterKey(const DeliveryFilter& filter);
// The follow-up list's filters: `overdue` rather than the day it is judged
// on, so a token stays valid across midnight.
std::string FilterKey(const FollowUpFilter& filter, bool overdue);

// EncodePageToken returns the token that resumes below `before_id` for the
// filters whose FilterKey is `filter_key`.
std::string EncodePageToken(int64_t before_id, const std::string& filter_key);

// DecodePageToken returns the cursor; "" decodes to 0 (the first page).
// INVALID_ARGUMENT naming page_token when it is malformed or was issued for
// other filters.
absl::StatusOr<int64_t> DecodePageToken(const std::string& token, const std::string& filter_key);

}  // namespace ff

#endif  // FF_SERVER_GRPC_PAGE_TOKEN_H_
