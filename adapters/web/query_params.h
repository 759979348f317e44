// Parsing and validation of the query parameters of the dashboard's JSON
// endpoints. Every error is INVALID_ARGUMENT with a message that starts with
// the parameter's name and a colon ("severity: unknown value ..."), so the
// HTTP layer can name the parameter in its 400 answer. An unknown parameter
// whose name is not a short plain word (letters, digits, _ - . [ ]) is named
// by its quoted, escaped prefix (common/quote.h) with any colon escaped;
// values are quoted the same way, so a message stays short.
//
// Pure functions; thread-safe.
#ifndef FF_ADAPTERS_WEB_QUERY_PARAMS_H_
#define FF_ADAPTERS_WEB_QUERY_PARAMS_H_

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "clients/incident/vocabulary.h"
#include "firefighter/v1/enums.pb.h"
#include "firefighter/v1/follow_up.pb.h"

namespace ff::web {
namespace pb = ::firefighter::v1;

// Query parameters as the HTTP server hands them over: a name may repeat.
using QueryParams = std::multimap<std::string, std::string>;

// What GET /api/incidents asks for.
struct IncidentListQuery {
  std::vector<pb::Status> statuses;      // empty: all
  std::vector<pb::Severity> severities;  // empty: all
  std::string domain;                    // empty: all
  std::string text;                      // case-insensitive substring of the title
  int closed_limit = 20;                 // closed incidents listed after the active ones
};

// What GET /api/insights asks for: whole UTC days, both ends included.
struct InsightsQuery {
  absl::CivilDay from;
  absl::CivilDay to;
};

inline constexpr int kMaxClosedLimit = 500;
inline constexpr int kMaxInsightsDays = 731;
// No incident is older than the Unix epoch.
inline constexpr absl::CivilDay kFirstInsightsDay(1970, 1, 1);

// ParseIncidentListQuery reads status, severity (comma-separated and/or
// repeated; any spelling the vocabulary reads, clients/incident/vocabulary.h),
// domain, q and closed_limit (0 to 500). INVALID_ARGUMENT for an unknown
// parameter or value.
absl::StatusOr<IncidentListQuery> ParseIncidentListQuery(const QueryParams& params);

// ParseInsightsQuery reads from and to (YYYY-MM-DD, as FormatCivilTime writes
// it). Defaults: to = `today`, from = the Monday eleven weeks before to's
// week (twelve whole weeks), or kFirstInsightsDay if later. INVALID_ARGUMENT
// for an unknown parameter, a malformed date or one before kFirstInsightsDay,
// from after to, or a range longer than kMaxInsightsDays.
absl::StatusOr<InsightsQuery> ParseInsightsQuery(const QueryParams& params, absl::CivilDay today);

inline constexpr int kDefaultFollowUpPageSize = 100;
inline constexpr int kMaxFollowUpPageSize = 500;

// ParseFollowUpListQuery reads GET /api/followups' parameters into the
// core's request: incident (a number), owner, status (follow-up status
// words, comma-separated and/or repeated), overdue (true/false, 1/0),
// page_size (1 to kMaxFollowUpPageSize, default kDefaultFollowUpPageSize)
// and page_token (from the previous page's next_page_token). INVALID_ARGUMENT
// for an unknown parameter or value.
absl::StatusOr<pb::ListFollowUpsRequest> ParseFollowUpListQuery(const QueryParams& params);

// CheckNoParams: INVALID_ARGUMENT naming the first parameter, if any (for
// endpoints that take none).
absl::Status CheckNoParams(const QueryParams& params);

// ParseIncidentId parses a path segment as a positive incident id;
// INVALID_ARGUMENT naming `id` otherwise.
absl::StatusOr<int64_t> ParseIncidentId(absl::string_view text);

// ParseFollowUpId parses a path segment as a positive follow-up id;
// INVALID_ARGUMENT naming `id` otherwise.
absl::StatusOr<int64_t> ParseFollowUpId(absl::string_view text);

// ParameterOf returns the parameter an INVALID_ARGUMENT message from this
// file names (the text before the first colon).
std::string ParameterOf(absl::string_view message);

}  // namespace ff::web

#endif  // FF_ADAPTERS_WEB_QUERY_PARAMS_H_
