#include "adapters/web/query_params.h"

#include <algorithm>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "common/quote.h"

namespace ff::web {
namespace {

absl::Status Bad(absl::string_view parameter, absl::string_view why) {
  return absl::InvalidArgumentError(absl::StrCat(parameter, ": ", why));
}

// How an error names a parameter we do not know: its name when that is a
// short plain word, else a quoted prefix, so ParameterOf reads it back whole.
std::string NameOfUnknown(absl::string_view name) {
  bool plain = !name.empty() && name.size() <= kMaxQuotedBytes &&
               std::all_of(name.begin(), name.end(), [](char c) {
                 return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '_' ||
                        c == '-' || c == '.' || c == '[' || c == ']';
               });
  if (plain) return std::string(name);
  std::string quoted = QuoteValue(name);
  absl::StrReplaceAll({{":", "\\x3a"}}, &quoted);
  return quoted;
}

absl::Status CheckKnown(const QueryParams& params, std::initializer_list<absl::string_view> known) {
  for (const auto& [name, value] : params) {
    if (std::find(known.begin(), known.end(), name) == known.end()) {
      return Bad(NameOfUnknown(name), known.size() == 0
                                          ? "this endpoint takes no parameters"
                                          : absl::StrCat("unknown parameter; expected one of ",
                                                         absl::StrJoin(known, ", ")));
    }
  }
  return absl::OkStatus();
}

// Values of `name`, each split on commas, empty pieces dropped.
std::vector<std::string> ListValues(const QueryParams& params, const std::string& name) {
  std::vector<std::string> out;
  auto [begin, end] = params.equal_range(name);
  for (auto it = begin; it != end; ++it) {
    for (absl::string_view piece : absl::StrSplit(it->second, ',', absl::SkipWhitespace())) {
      out.emplace_back(absl::StripAsciiWhitespace(piece));
    }
  }
  return out;
}

// The single value of `name`, or "" when absent; INVALID_ARGUMENT when repeated.
absl::StatusOr<std::string> SingleValue(const QueryParams& params, const std::string& name) {
  auto [begin, end] = params.equal_range(name);
  if (begin == end) return std::string();
  if (std::next(begin) != end) return Bad(name, "given more than once");
  return begin->second;
}

// Each value read with `parse` (a vocabulary parser, whose message starts
// with `name`); duplicates dropped.
template <typename Enum>
absl::StatusOr<std::vector<Enum>> ParseEnumList(const QueryParams& params, const std::string& name,
                                                absl::StatusOr<Enum> (*parse)(absl::string_view,
                                                                              absl::string_view)) {
  std::vector<Enum> out;
  for (const std::string& value : ListValues(params, name)) {
    absl::StatusOr<Enum> parsed = parse(value, name);
    if (!parsed.ok()) return parsed.status();
    if (std::find(out.begin(), out.end(), *parsed) == out.end()) out.push_back(*parsed);
  }
  return out;
}

absl::StatusOr<absl::CivilDay> ParseDay(const QueryParams& params, const std::string& name,
                                        absl::CivilDay fallback) {
  absl::StatusOr<std::string> value = SingleValue(params, name);
  if (!value.ok()) return value.status();
  if (value->empty()) return fallback;
  absl::CivilDay day;
  // Only the day's own spelling: ParseCivilTime also reads signed and short
  // years ("-024-02-20"), which no link of the dashboard writes.
  if (value->size() != 10 || !absl::ParseCivilTime(*value, &day) ||
      absl::FormatCivilTime(day) != *value) {
    return Bad(name, absl::StrCat(QuoteValue(*value), " is not a date like 2024-05-31"));
  }
  if (day < kFirstInsightsDay) {
    return Bad(name, absl::StrCat(*value, " is before ", absl::FormatCivilTime(kFirstInsightsDay)));
  }
  return day;
}

// A whole number from `low` to `high`, or `fallback` when absent.
absl::StatusOr<int> ParseBoundedInt(const QueryParams& params, const std::string& name, int low,
                                    int high, int fallback) {
  absl::StatusOr<std::string> value = SingleValue(params, name);
  if (!value.ok()) return value.status();
  if (value->empty()) return fallback;
  int n = 0;
  if (!absl::SimpleAtoi(*value, &n) || n < low || n > high) {
    return Bad(name,
               absl::StrCat(QuoteValue(*value), " is not a whole number from ", low, " to ", high));
  }
  return n;
}

absl::StatusOr<bool> ParseFlag(const QueryParams& params, const std::string& name) {
  absl::StatusOr<std::string> value = SingleValue(params, name);
  if (!value.ok()) return value.status();
  if (value->empty() || *value == "false" || *value == "0") return false;
  if (*value == "true" || *value == "1") return true;
  return Bad(name, absl::StrCat(QuoteValue(*value), " is not true or false"));
}

// Reads the filters of GET /api/followups: incident, owner, status, overdue.
absl::Status ReadFollowUpFilters(const QueryParams& params, pb::ListFollowUpsRequest& request) {
  absl::StatusOr<std::string> incident = SingleValue(params, "incident");
  if (!incident.ok()) return incident.status();
  if (!incident->empty()) {
    int64_t id = 0;
    if (!absl::SimpleAtoi(*incident, &id) || id <= 0) {
      return Bad("incident", absl::StrCat(QuoteValue(*incident), " is not an incident number"));
    }
    request.set_incident_id(id);
  }
  absl::StatusOr<std::string> owner = SingleValue(params, "owner");
  if (!owner.ok()) return owner.status();
  request.set_owner(std::string(absl::StripAsciiWhitespace(*owner)));
  absl::StatusOr<std::vector<pb::FollowUpStatus>> statuses =
      ParseEnumList<pb::FollowUpStatus>(params, "status", ParseFollowUpStatus);
  if (!statuses.ok()) return statuses.status();
  for (pb::FollowUpStatus status : *statuses) request.add_statuses(status);
  absl::StatusOr<bool> overdue = ParseFlag(params, "overdue");
  if (!overdue.ok()) return overdue.status();
  request.set_overdue(*overdue);
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<pb::ListFollowUpsRequest> ParseFollowUpListQuery(const QueryParams& params) {
  if (absl::Status known =
          CheckKnown(params, {"incident", "owner", "status", "overdue", "page_size", "page_token"});
      !known.ok()) {
    return known;
  }
  pb::ListFollowUpsRequest request;
  if (absl::Status filters = ReadFollowUpFilters(params, request); !filters.ok()) return filters;
  absl::StatusOr<int> page_size =
      ParseBoundedInt(params, "page_size", 1, kMaxFollowUpPageSize, kDefaultFollowUpPageSize);
  if (!page_size.ok()) return page_size.status();
  request.set_page_size(*page_size);
  absl::StatusOr<std::string> token = SingleValue(params, "page_token");
  if (!token.ok()) return token.status();
  request.set_page_token(*token);
  return request;
}

absl::StatusOr<IncidentListQuery> ParseIncidentListQuery(const QueryParams& params) {
  if (absl::Status known =
          CheckKnown(params, {"status", "severity", "domain", "q", "closed_limit"});
      !known.ok()) {
    return known;
  }
  IncidentListQuery query;
  absl::StatusOr<std::vector<pb::Status>> statuses =
      ParseEnumList<pb::Status>(params, "status", ParseStatus);
  if (!statuses.ok()) return statuses.status();
  query.statuses = *std::move(statuses);
  absl::StatusOr<std::vector<pb::Severity>> severities =
      ParseEnumList<pb::Severity>(params, "severity", ParseSeverity);
  if (!severities.ok()) return severities.status();
  query.severities = *std::move(severities);

  absl::StatusOr<std::string> domain = SingleValue(params, "domain");
  if (!domain.ok()) return domain.status();
  query.domain = absl::AsciiStrToLower(absl::StripAsciiWhitespace(*domain));
  absl::StatusOr<std::string> text = SingleValue(params, "q");
  if (!text.ok()) return text.status();
  query.text = std::string(absl::StripAsciiWhitespace(*text));
  if (query.text.size() > 200) return Bad("q", "longer than 200 characters");

  absl::StatusOr<int> limit =
      ParseBoundedInt(params, "closed_limit", 0, kMaxClosedLimit, query.closed_limit);
  if (!limit.ok()) return limit.status();
  query.closed_limit = *limit;
  return query;
}

absl::StatusOr<InsightsQuery> ParseInsightsQuery(const QueryParams& params, absl::CivilDay today) {
  if (absl::Status known = CheckKnown(params, {"from", "to"}); !known.ok()) return known;
  InsightsQuery query;
  absl::StatusOr<absl::CivilDay> to = ParseDay(params, "to", today);
  if (!to.ok()) return to.status();
  query.to = *to;
  // Twelve whole weeks ending with to's week: its Monday minus eleven weeks.
  absl::CivilDay monday = query.to - (static_cast<int>(absl::GetWeekday(query.to)) -
                                      static_cast<int>(absl::Weekday::monday));
  absl::StatusOr<absl::CivilDay> from =
      ParseDay(params, "from", std::max(monday - 77, kFirstInsightsDay));
  if (!from.ok()) return from.status();
  query.from = *from;
  if (query.from > query.to) {
    return Bad("from", absl::StrCat(absl::FormatCivilTime(query.from), " is after to (",
                                    absl::FormatCivilTime(query.to), ")"));
  }
  if (query.to - query.from + 1 > kMaxInsightsDays) {
    return Bad("from", absl::StrCat("the range is ", query.to - query.from + 1,
                                    " days long; the limit is ", kMaxInsightsDays));
  }
  return query;
}

absl::Status CheckNoParams(const QueryParams& params) { return CheckKnown(params, {}); }

absl::StatusOr<int64_t> ParseIncidentId(absl::string_view text) {
  int64_t id = 0;
  if (!absl::SimpleAtoi(text, &id) || id <= 0) {
    return Bad("id", absl::StrCat(QuoteValue(text), " is not an incident number"));
  }
  return id;
}

absl::StatusOr<int64_t> ParseFollowUpId(absl::string_view text) {
  int64_t id = 0;
  if (!absl::SimpleAtoi(text, &id) || id <= 0) {
    return Bad("id", absl::StrCat(QuoteValue(text), " is not a follow-up number"));
  }
  return id;
}

std::string ParameterOf(absl::string_view message) {
  size_t colon = message.find(':');
  return std::string(colon == absl::string_view::npos ? "" : message.substr(0, colon));
}

}  // namespace ff::web
