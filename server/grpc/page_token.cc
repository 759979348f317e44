#include "server/grpc/page_token.h"

#include <algorithm>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"

namespace ff {
namespace {

template <typename Enum>
std::string SortedJoin(const std::vector<Enum>& values) {
  std::vector<int> sorted(values.begin(), values.end());
  std::sort(sorted.begin(), sorted.end());
  return absl::StrJoin(sorted, ",");
}

// Fingerprint is a 64-bit FNV-1a over the canonical filters: stable across
// processes and versions, unlike absl::Hash.
std::string Fingerprint(const std::string& canonical) {
  uint64_t hash = 1469598103934665603ULL;
  for (unsigned char c : canonical) {
    hash ^= c;
    hash *= 1099511628211ULL;
  }
  return absl::StrCat(absl::Hex(hash));
}

absl::Status BadToken(absl::string_view why) {
  return absl::InvalidArgumentError(absl::StrCat("page_token ", why));
}

}  // namespace

std::string FilterKey(const IncidentFilter& filter) {
  return absl::StrCat("incidents;s=", SortedJoin(filter.statuses),
                      ";v=", SortedJoin(filter.severities), ";d=", filter.domain);
}

std::string FilterKey(const DeliveryFilter& filter) {
  return absl::StrCat("deliveries;i=", filter.incident_id, ";s=", SortedJoin(filter.states),
                      ";n=", filter.notifier);
}

std::string FilterKey(const FollowUpFilter& filter, bool overdue) {
  return absl::StrCat("followups;i=", filter.incident_id, ";s=", SortedJoin(filter.statuses),
                      ";d=", overdue ? 1 : 0, ";o=", filter.owner);
}

std::string EncodePageToken(int64_t before_id, const std::string& filter_key) {
  return absl::WebSafeBase64Escape(absl::StrCat("v1:", before_id, ":", Fingerprint(filter_key)));
}

absl::StatusOr<int64_t> DecodePageToken(const std::string& token, const std::string& filter_key) {
  if (token.empty()) return 0;
  std::string raw;
  if (!absl::WebSafeBase64Unescape(token, &raw)) {
    return BadToken("is not a token this server issued");
  }
  std::vector<std::string> parts = absl::StrSplit(raw, ':');
  int64_t before_id = 0;
  if (parts.size() != 3 || parts[0] != "v1" || !absl::SimpleAtoi(parts[1], &before_id) ||
      before_id <= 0) {
    return BadToken("is not a token this server issued");
  }
  if (parts[2] != Fingerprint(filter_key)) {
    return BadToken("was issued for different filters; repeat the first request's filters");
  }
  return before_id;
}

}  // namespace ff
