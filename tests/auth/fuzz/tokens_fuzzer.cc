// libFuzzer target: the token file parser (server/auth/tokens.h). Asserts:
// no crash; an error is INVALID_ARGUMENT naming the source and a line of the
// text, with a short message; a parsed table holds lowercase 64-digit keys
// and principals that are single words of at most 100 bytes, and written
// back as a token file it parses to the same table.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "server/auth/tokens.h"
#include "tests/testing/fuzz_check.h"

namespace ff {
namespace {

constexpr absl::string_view kSource = "fuzz.tokens";

void CheckError(const absl::Status& status, absl::string_view text) {
  fuzzing::CheckParseError(status, absl::StrCat(kSource, ":"));
  absl::string_view rest = status.message();
  absl::ConsumePrefix(&rest, absl::StrCat(kSource, ":"));
  int line = 0;
  FUZZ_CHECK(absl::SimpleAtoi(rest.substr(0, rest.find(':')), &line), status.message());
  int lines = static_cast<int>(std::count(text.begin(), text.end(), '\n')) + 1;
  FUZZ_CHECK(line >= 1 && line <= lines, status.message());
}

bool IsLowerHex(absl::string_view s) {
  return s.size() == 64 && std::all_of(s.begin(), s.end(), [](char c) {
           return absl::ascii_isdigit(static_cast<unsigned char>(c)) || (c >= 'a' && c <= 'f');
         });
}

std::string Write(const TokenTable& table) {
  std::string text = "# written back\n";
  for (const auto& [hash, grant] : table) {
    absl::StrAppend(&text, hash, " ", grant.principal, "\t", RoleName(grant.role),
                    grant.service ? " service" : "", "\n");
  }
  return text;
}

void CheckTable(const TokenTable& table) {
  for (const auto& [hash, grant] : table) {
    FUZZ_CHECK(IsLowerHex(hash), hash);
    FUZZ_CHECK(!grant.principal.empty() && grant.principal.size() <= 100, grant.principal);
    FUZZ_CHECK(grant.principal.find_first_of(" \t\r\n#") == std::string::npos, grant.principal);
  }
  absl::StatusOr<TokenTable> again = ParseTokenFile(Write(table), kSource);
  FUZZ_CHECK(again.ok(), again.status().ToString());
  FUZZ_CHECK(again->size() == table.size(), "table size round trip");
  for (const auto& [hash, grant] : table) {
    auto it = again->find(hash);
    FUZZ_CHECK(it != again->end(), hash);
    FUZZ_CHECK(it->second.principal == grant.principal && it->second.role == grant.role &&
                   it->second.service == grant.service,
               hash);
  }
}

}  // namespace
}  // namespace ff

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  absl::string_view text(reinterpret_cast<const char*>(data), size);
  absl::StatusOr<ff::TokenTable> table = ff::ParseTokenFile(text, ff::kSource);
  if (table.ok()) {
    ff::CheckTable(*table);
  } else {
    ff::CheckError(table.status(), text);
  }
  return 0;
}
