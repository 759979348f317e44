// Bearer tokens: who may call firefighterd, and with which role.
//
// The token file (--auth-tokens) has one token per line:
//
//   <sha256-hex-of-token> <principal> <role> [service]
//
// `#` starts a comment; blank lines are ignored. The role is viewer,
// responder or admin. The optional fourth word `service` marks a token used by
// an adapter (Slack, web) that acts on behalf of end users: its principal is
// recorded as `via` beside the end user's actor. Only hashes are stored, so
// the file (and this process's memory) never holds a usable token.
#ifndef FF_SERVER_AUTH_TOKENS_H_
#define FF_SERVER_AUTH_TOKENS_H_

#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace ff {

enum class Role { kViewer = 1, kResponder = 2, kAdmin = 3 };

// RoleName is "viewer", "responder" or "admin".
absl::string_view RoleName(Role role);

struct TokenGrant {
  std::string principal;
  Role role = Role::kViewer;
  bool service = false;  // may act on behalf of end users
};

// TokenTable maps the lowercase hex SHA-256 of a token to its grant.
using TokenTable = absl::flat_hash_map<std::string, TokenGrant>;

// Sha256Hex returns the lowercase hex SHA-256 digest of `data`.
std::string Sha256Hex(absl::string_view data);

// ParseTokenFile parses the file's text. INVALID_ARGUMENT naming `source`,
// the line number and what is wrong: a malformed hash, an unknown role, a
// principal that is not a single word of at most 100 characters, a hash
// listed twice.
absl::StatusOr<TokenTable> ParseTokenFile(absl::string_view text, absl::string_view source);

// LoadTokenFile reads and parses `path`; NOT_FOUND / PERMISSION_DENIED when
// it cannot be read.
absl::StatusOr<TokenTable> LoadTokenFile(const std::string& path);

}  // namespace ff

#endif  // FF_SERVER_AUTH_TOKENS_H_
