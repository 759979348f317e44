// libFuzzer target: the dashboard's query parameter parsers
// (adapters/web/query_params.h). The first byte picks the endpoint; the rest
// is a query string, "name=value" pairs joined by '&' (bytes as the HTTP
// server hands them over, already percent-decoded). Asserts: no crash; an
// error is INVALID_ARGUMENT whose message is short and names, through
// ParameterOf, a parameter of the endpoint or one given; a parsed query,
// written back as parameters, parses to the same query.
#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "adapters/web/query_params.h"
#include "tests/testing/fuzz_check.h"

namespace ff::web {
namespace {

using ::ff::fuzzing::CheckParseError;

QueryParams ToParams(absl::string_view query) {
  QueryParams params;
  for (absl::string_view pair : absl::StrSplit(query, '&', absl::SkipEmpty())) {
    std::pair<std::string, std::string> kv = absl::StrSplit(pair, absl::MaxSplits('=', 1));
    params.emplace(std::move(kv));
  }
  return params;
}

// An error names a parameter: `known` ones by name, others by name or quote.
void CheckNamesParameter(const absl::Status& status, std::initializer_list<absl::string_view> known,
                         const QueryParams& params) {
  CheckParseError(status, "");
  std::string parameter = ParameterOf(status.message());
  FUZZ_CHECK(!parameter.empty(), status.message());
  bool named = std::find(known.begin(), known.end(), parameter) != known.end() ||
               params.count(parameter) > 0 || parameter.front() == '"';
  FUZZ_CHECK(named, status.message());
}

template <typename Value>
std::string Words(const std::vector<Value>& values) {
  return absl::StrJoin(values, ",",
                       [](std::string* out, Value value) { absl::StrAppend(out, Word(value)); });
}

void CheckIncidentList(const QueryParams& params) {
  absl::StatusOr<IncidentListQuery> query = ParseIncidentListQuery(params);
  if (!query.ok()) {
    CheckNamesParameter(query.status(), {"status", "severity", "domain", "q", "closed_limit"},
                        params);
    return;
  }
  FUZZ_CHECK(query->closed_limit >= 0 && query->closed_limit <= kMaxClosedLimit, "closed_limit");
  QueryParams again{{"closed_limit", absl::StrCat(query->closed_limit)}};
  if (!query->statuses.empty()) again.emplace("status", Words(query->statuses));
  if (!query->severities.empty()) again.emplace("severity", Words(query->severities));
  if (!query->domain.empty()) again.emplace("domain", query->domain);
  if (!query->text.empty()) again.emplace("q", query->text);
  absl::StatusOr<IncidentListQuery> reparsed = ParseIncidentListQuery(again);
  FUZZ_CHECK(reparsed.ok(), reparsed.status().ToString());
  FUZZ_CHECK(reparsed->statuses == query->statuses, "statuses round trip");
  FUZZ_CHECK(reparsed->severities == query->severities, "severities round trip");
  FUZZ_CHECK(reparsed->domain == query->domain, "domain round trip");
  FUZZ_CHECK(reparsed->text == query->text, "q round trip");
  FUZZ_CHECK(reparsed->closed_limit == query->closed_limit, "closed_limit round trip");
}

void CheckInsights(const QueryParams& params) {
  const absl::CivilDay today(2024, 5, 31);
  absl::StatusOr<InsightsQuery> query = ParseInsightsQuery(params, today);
  if (!query.ok()) {
    CheckNamesParameter(query.status(), {"from", "to"}, params);
    return;
  }
  FUZZ_CHECK(query->from <= query->to, "from after to");
  FUZZ_CHECK(query->to - query->from < kMaxInsightsDays, "range too long");
  QueryParams again{{"from", absl::FormatCivilTime(query->from)},
                    {"to", absl::FormatCivilTime(query->to)}};
  absl::StatusOr<InsightsQuery> reparsed = ParseInsightsQuery(again, today);
  FUZZ_CHECK(reparsed.ok(), reparsed.status().ToString());
  FUZZ_CHECK(reparsed->from == query->from && reparsed->to == query->to, "days round trip");
}

void CheckIncidentId(absl::string_view text) {
  absl::StatusOr<int64_t> id = ParseIncidentId(text);
  if (!id.ok()) {
    CheckParseError(id.status(), "id: ");
    return;
  }
  FUZZ_CHECK(*id > 0, "id");
  absl::StatusOr<int64_t> reparsed = ParseIncidentId(absl::StrCat(*id));
  FUZZ_CHECK(reparsed.ok() && *reparsed == *id, "id round trip");
}

}  // namespace
}  // namespace ff::web

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  absl::string_view query(reinterpret_cast<const char*>(data) + 1, size - 1);
  ff::web::QueryParams params = ff::web::ToParams(query);
  switch (data[0] % 4) {
    case 0:
      ff::web::CheckIncidentList(params);
      break;
    case 1:
      ff::web::CheckInsights(params);
      break;
    case 2:
      if (absl::Status none = ff::web::CheckNoParams(params); !none.ok()) {
        ff::web::CheckNamesParameter(none, {}, params);
      }
      break;
    default:
      ff::web::CheckIncidentId(query);
      break;
  }
  return 0;
}
