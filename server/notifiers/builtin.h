// RegisterBuiltinNotifiers registers the factory of every notifier shipped
// with firefighterd. Called explicitly by main.cc (no static initialisers).
#ifndef FF_SERVER_NOTIFIERS_BUILTIN_H_
#define FF_SERVER_NOTIFIERS_BUILTIN_H_

#include "absl/status/status.h"
#include "server/notifiers/registry.h"

namespace ff {

absl::Status RegisterBuiltinNotifiers(NotifierRegistry& registry);

}  // namespace ff

#endif  // FF_SERVER_NOTIFIERS_BUILTIN_H_
