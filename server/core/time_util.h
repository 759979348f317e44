// Conversions between absl::Time and google.protobuf.Timestamp. Pure.
#ifndef FF_SERVER_CORE_TIME_UTIL_H_
#define FF_SERVER_CORE_TIME_UTIL_H_

#include <cstdint>

#include "absl/time/time.h"
#include "google/protobuf/timestamp.pb.h"

namespace ff {

// ToTimestamp converts `t`, truncated to microseconds (the store's precision).
google::protobuf::Timestamp ToTimestamp(absl::Time t);
// FromTimestamp converts a timestamp; REQUIRES: IsValidTimestamp(ts).
absl::Time FromTimestamp(const google::protobuf::Timestamp& ts);
// IsValidTimestamp is true when seconds lie in years 0001..9999 and nanos in
// [0, 1e9), the range google.protobuf.Timestamp documents.
bool IsValidTimestamp(const google::protobuf::Timestamp& ts);

// Microseconds since the Unix epoch: the store's representation; 0 = unset.
int64_t ToUnixMicros(const google::protobuf::Timestamp& ts);
google::protobuf::Timestamp FromUnixMicros(int64_t micros);
// SetUnixMicros is FromUnixMicros written into `out` (which may be on an arena).
void SetUnixMicros(int64_t micros, google::protobuf::Timestamp* out);

}  // namespace ff

#endif  // FF_SERVER_CORE_TIME_UTIL_H_
