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

}  // namespace

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

  absl::StatusOr<std::string> limit = SingleValue(params, "closed_limit");
  if (!limit.ok()) return limit.status();
  if (!limit->empty() && (!absl::SimpleAtoi(*limit, &query.closed_limit) ||
                          query.closed_limit < 0 || query.closed_limit > kMaxClosedLimit)) {
    return Bad("closed_limit", absl::StrCat(QuoteValue(*limit), " is not a whole number from 0 to ",
                                            kMaxClosedLimit));
  }
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

std::string ParameterOf(absl::string_view message) {
  size_t colon = message.find(':');
  return std::string(colon == absl::string_view::npos ? "" : message.substr(0, colon));
}

}  // namespace ff::web
