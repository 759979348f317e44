#include "server/auth/authorizer.h"

#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace ff {

absl::string_view PermissionName(Permission permission) {
  switch (permission) {
    case Permission::kRead:
      return "incidents.read";
    case Permission::kWrite:
      return "incidents.write";
    case Permission::kOperate:
      return "deliveries.retry";
  }
  return "unknown";
}

bool RoleGrants(Role role, Permission permission) {
  switch (permission) {
    case Permission::kRead:
      return true;
    case Permission::kWrite:
      return role == Role::kResponder || role == Role::kAdmin;
    case Permission::kOperate:
      return role == Role::kAdmin;
  }
  return false;
}

Acting ActingFor(const Caller& caller, const std::string& requested_actor) {
  if (!caller.authenticated) return {requested_actor, ""};
  if (caller.service) return {requested_actor, caller.principal};
  return {caller.principal, ""};
}

std::unique_ptr<Authorizer> Authorizer::Open() {
  return std::unique_ptr<Authorizer>(new Authorizer("", nullptr));
}

absl::StatusOr<std::unique_ptr<Authorizer>> Authorizer::FromFile(const std::string& path) {
  absl::StatusOr<TokenTable> tokens = LoadTokenFile(path);
  if (!tokens.ok()) return tokens.status();
  return std::unique_ptr<Authorizer>(
      new Authorizer(path, std::make_shared<const TokenTable>(*std::move(tokens))));
}

absl::Status Authorizer::Reload() {
  if (!enabled()) return absl::OkStatus();
  absl::StatusOr<TokenTable> tokens = LoadTokenFile(path_);
  if (!tokens.ok()) return tokens.status();
  auto fresh = std::make_shared<const TokenTable>(*std::move(tokens));
  {
    absl::MutexLock lock(&mu_);
    tokens_ = std::move(fresh);
  }
  generation_.fetch_add(1, std::memory_order_release);
  return absl::OkStatus();
}

size_t Authorizer::TokenCount() const {
  absl::MutexLock lock(&mu_);
  return tokens_ == nullptr ? 0 : tokens_->size();
}

absl::StatusOr<Caller> Authorizer::Authorize(std::optional<absl::string_view> authorization,
                                             Permission permission) const {
  if (!enabled()) return Caller{};
  if (!authorization.has_value() || authorization->empty()) {
    return absl::UnauthenticatedError(
        "missing credentials: send the metadata `authorization: Bearer <token>`");
  }
  absl::string_view token = *authorization;
  if (!absl::ConsumePrefix(&token, "Bearer ") && !absl::ConsumePrefix(&token, "bearer ")) {
    return absl::UnauthenticatedError("the authorization metadata must read `Bearer <token>`");
  }
  token = absl::StripAsciiWhitespace(token);
  if (token.empty()) return absl::UnauthenticatedError("the bearer token is empty");
  std::shared_ptr<const TokenTable> tokens;
  {
    absl::MutexLock lock(&mu_);
    tokens = tokens_;
  }
  auto it = tokens->find(Sha256Hex(token));
  if (it == tokens->end()) return absl::UnauthenticatedError("unknown or revoked bearer token");
  const TokenGrant& grant = it->second;
  if (!RoleGrants(grant.role, permission)) {
    return absl::PermissionDeniedError(absl::StrCat("permission ", PermissionName(permission),
                                                    " is required; ", grant.principal, " is a ",
                                                    RoleName(grant.role)));
  }
  return Caller{true, grant.principal, grant.role, grant.service};
}

}  // namespace ff
