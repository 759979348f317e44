#include "server/auth/tokens.h"

#include <openssl/sha.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/quote.h"

namespace ff {
namespace {

constexpr size_t kSha256HexDigits = size_t{2} * SHA256_DIGEST_LENGTH;

}  // namespace

absl::string_view RoleName(Role role) {
  switch (role) {
    case Role::kViewer:
      return "viewer";
    case Role::kResponder:
      return "responder";
    case Role::kAdmin:
      return "admin";
  }
  return "unknown";
}

std::string Sha256Hex(absl::string_view data) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(kSha256HexDigits);
  for (unsigned char byte : digest) {
    out.push_back(kHex[byte >> 4]);
    out.push_back(kHex[byte & 0xf]);
  }
  return out;
}

namespace {

bool IsSha256Hex(absl::string_view s) {
  if (s.size() != kSha256HexDigits) return false;
  for (char c : s) {
    if (!absl::ascii_isxdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

}  // namespace

absl::StatusOr<TokenTable> ParseTokenFile(absl::string_view text, absl::string_view source) {
  TokenTable table;
  int number = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    ++number;
    if (size_t hash = line.find('#'); hash != absl::string_view::npos) line = line.substr(0, hash);
    std::vector<absl::string_view> words =
        absl::StrSplit(line, absl::ByAnyChar(" \t\r"), absl::SkipEmpty());
    if (words.empty()) continue;
    auto error = [&](absl::string_view what) {
      return absl::InvalidArgumentError(absl::StrCat(source, ":", number, ": ", what));
    };
    if (words.size() < 3 || words.size() > 4) {
      return error("expected `<sha256-hex-of-token> <principal> <role> [service]`");
    }
    if (!IsSha256Hex(words[0])) {
      return error(
          "the first word must be the token's SHA-256 as 64 hex digits (never the token "
          "itself); e.g. `printf %s \"$TOKEN\" | sha256sum`");
    }
    TokenGrant grant;
    grant.principal = std::string(words[1]);
    if (grant.principal.size() > 100) return error("principal is longer than 100 characters");
    if (words[2] == "viewer") {
      grant.role = Role::kViewer;
    } else if (words[2] == "responder") {
      grant.role = Role::kResponder;
    } else if (words[2] == "admin") {
      grant.role = Role::kAdmin;
    } else {
      return error(
          absl::StrCat("role ", QuoteValue(words[2]), " is not viewer, responder or admin"));
    }
    if (words.size() == 4) {
      if (words[3] != "service") {
        return error(
            absl::StrCat("the fourth word may only be \"service\", got ", QuoteValue(words[3])));
      }
      grant.service = true;
    }
    std::string key = absl::AsciiStrToLower(words[0]);
    if (!table.emplace(key, std::move(grant)).second) {
      return error("this token hash is listed twice");
    }
  }
  return table;
}

absl::StatusOr<TokenTable> LoadTokenFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) {
    int err = errno;
    std::string why = absl::StrCat("cannot read token file ", path, ": ", std::strerror(err));
    return err == EACCES ? absl::PermissionDeniedError(why) : absl::NotFoundError(why);
  }
  std::stringstream text;
  text << in.rdbuf();
  return ParseTokenFile(text.str(), path);
}

}  // namespace ff
