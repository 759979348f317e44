// Parsing of the CLI's own argument values (delivery states, incident,
// delivery and follow-up ids, due dates, timeouts, times) and the names of delivery states.
// Statuses, severities and close reasons are the shared vocabulary's
// (clients/incident/vocabulary.h). Pure; thread-safe.
#ifndef FF_ADAPTERS_CLI_VALUE_PARSING_H_
#define FF_ADAPTERS_CLI_VALUE_PARSING_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "firefighter/v1/delivery.pb.h"

namespace ff::cli {
namespace pb = ::firefighter::v1;

// Each Parse* function is case-insensitive and returns INVALID_ARGUMENT with a
// message listing the accepted values when `text` is not one of them.

// ParseDeliveryState accepts "pending", "delivered", "dead".
absl::StatusOr<pb::DeliveryState> ParseDeliveryState(const std::string& text);
// ParseIncidentId accepts a positive integer, optionally written "#42".
absl::StatusOr<int64_t> ParseIncidentId(const std::string& text);
// ParseDeliveryId accepts a positive integer ("7"). Unlike incidents,
// deliveries are not written "#7".
absl::StatusOr<int64_t> ParseDeliveryId(const std::string& text);
// ParseFollowUpId accepts a positive integer, optionally written as ff
// shows it, "FU-7" (any case).
absl::StatusOr<int64_t> ParseFollowUpId(const std::string& text);
// ParseDueDate accepts a calendar date written YYYY-MM-DD ("2026-01-31")
// and returns it as written; the message names `flag`. Whether the date is
// in the past is the server's to judge (in its time zone).
absl::StatusOr<std::string> ParseDueDate(const std::string& text, const char* flag);
// FollowUpRef is how ff writes a follow-up's id: "FU-7".
std::string FollowUpRef(int64_t id);

// ParseTimeout accepts a positive duration such as "500ms", "2s", "1m", or
// a plain number of seconds ("3", "0.5").
absl::StatusOr<absl::Duration> ParseTimeout(const std::string& text);

// ParseServerAddress accepts the server's address: HOST:PORT or [V6]:PORT
// with a port from 1 to 65535, or unix:PATH. The message names --addr.
absl::StatusOr<std::string> ParseServerAddress(const std::string& text);

// ParseTimeArg accepts a point in time: "2026-01-31T10:00:00Z" (RFC 3339),
// "2026-01-31 10:00" or "2026-01-31" in `zone`, or an age before `now` such
// as "7d", "12h", "90m".
absl::StatusOr<absl::Time> ParseTimeArg(const std::string& text, absl::Time now,
                                        absl::TimeZone zone);

// DeliveryStateLabel returns "pending", "delivered" or "dead", or "?".
std::string DeliveryStateLabel(int state);

}  // namespace ff::cli

#endif  // FF_ADAPTERS_CLI_VALUE_PARSING_H_
