// Status propagation helpers for absl::Status / absl::StatusOr.
//
// Debian's Abseil (20220623) ships neither status macros nor matchers, so the
// project defines them once, here. Header-only; no state.
#ifndef FF_COMMON_STATUS_MACROS_H_
#define FF_COMMON_STATUS_MACROS_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"

#define FF_STATUS_CONCAT_INNER_(a, b) a##b
#define FF_STATUS_CONCAT_(a, b) FF_STATUS_CONCAT_INNER_(a, b)

// FF_RETURN_IF_ERROR(expr): returns the status of `expr` from the enclosing
// function when it is not OK.
#define FF_RETURN_IF_ERROR(expr)             \
  do {                                       \
    ::absl::Status ff_status_ = (expr);      \
    if (!ff_status_.ok()) return ff_status_; \
  } while (false)

// FF_ASSIGN_OR_RETURN(lhs, expr): evaluates `expr` (an absl::StatusOr<T>);
// returns its status when not OK, otherwise moves the value into `lhs`, which
// may be a declaration ("auto x") or an existing variable.
#define FF_ASSIGN_OR_RETURN(lhs, expr) \
  FF_ASSIGN_OR_RETURN_IMPL_(FF_STATUS_CONCAT_(ff_statusor_, __LINE__), lhs, expr)

#define FF_ASSIGN_OR_RETURN_IMPL_(statusor, lhs, expr)     \
  auto statusor = (expr);                                  \
  if (!statusor.ok()) return std::move(statusor).status(); \
  lhs = *std::move(statusor)

#endif  // FF_COMMON_STATUS_MACROS_H_
