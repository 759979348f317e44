// Authorizer: turns a request's bearer token into a caller and decides what
// that caller may do.
//
// Two modes. Open (no token file): every caller may do everything and the
// request's actor is taken at its word; firefighterd only allows this on
// loopback. With a token file: each RPC needs `authorization: Bearer <token>`
// whose role grants the RPC's permission. Thread-safe; Reload may run while
// requests are being authorized.
#ifndef FF_SERVER_AUTH_AUTHORIZER_H_
#define FF_SERVER_AUTH_AUTHORIZER_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "server/auth/tokens.h"

namespace ff {

// What an RPC needs. viewer: kRead; responder: kRead, kWrite; admin: all.
enum class Permission {
  kRead,     // "incidents.read": get, list, timeline, watch, domains, deliveries
  kWrite,    // "incidents.write": open, update, close, timeline entries
  kOperate,  // "deliveries.retry": operator actions on the notification outbox
};

absl::string_view PermissionName(Permission permission);
bool RoleGrants(Role role, Permission permission);

// Caller is who sent a request.
struct Caller {
  bool authenticated = false;  // false in open mode
  std::string principal;       // empty in open mode
  Role role = Role::kAdmin;
  bool service = false;
};

// Acting is whom a change is attributed to (TimelineEntry.actor / .via).
struct Acting {
  std::string actor;
  std::string via;
};

// ActingFor attributes a change. In open mode the requested actor stands. A
// person's token is its principal, whatever the request says: nobody can
// write in someone else's name. A service token acts for the requested end
// user and is recorded as `via`.
Acting ActingFor(const Caller& caller, const std::string& requested_actor);

class Authorizer {
 public:
  // Open returns an authorizer that lets everyone in.
  static std::unique_ptr<Authorizer> Open();
  // FromFile loads the token file at `path` (see tokens.h).
  static absl::StatusOr<std::unique_ptr<Authorizer>> FromFile(const std::string& path);

  bool enabled() const { return !path_.empty(); }

  // Reload re-reads the token file; on error the current tokens stay in
  // force and the error is returned. Tokens no longer listed stop working
  // for the next request (and, see Generation, for open watch streams); open
  // connections are not touched.
  absl::Status Reload() ABSL_LOCKS_EXCLUDED(mu_);
  // Generation counts the successful reloads: a long call that saw it change
  // authorizes its token again.
  uint64_t Generation() const { return generation_.load(std::memory_order_acquire); }
  // TokenCount is the number of tokens in force.
  size_t TokenCount() const ABSL_LOCKS_EXCLUDED(mu_);

  // Authorize checks the value of the `authorization` metadata (nullopt when
  // absent) against `permission`. UNAUTHENTICATED when the token is missing,
  // malformed or unknown; PERMISSION_DENIED naming the permission when the
  // token's role does not grant it.
  absl::StatusOr<Caller> Authorize(std::optional<absl::string_view> authorization,
                                   Permission permission) const ABSL_LOCKS_EXCLUDED(mu_);

 private:
  Authorizer(std::string path, std::shared_ptr<const TokenTable> tokens)
      : path_(std::move(path)), tokens_(std::move(tokens)) {}

  const std::string path_;  // empty: open mode
  std::atomic<uint64_t> generation_{0};
  mutable absl::Mutex mu_;
  std::shared_ptr<const TokenTable> tokens_ ABSL_GUARDED_BY(mu_);
};

}  // namespace ff

#endif  // FF_SERVER_AUTH_AUTHORIZER_H_
