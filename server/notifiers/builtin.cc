#include "server/notifiers/builtin.h"

#include <memory>
#include <vector>

#include "common/status_macros.h"

namespace ff {

absl::Status RegisterBuiltinNotifiers(NotifierRegistry& registry) {
  std::vector<std::unique_ptr<NotifierFactory>> factories;
  for (auto& factory : factories) FF_RETURN_IF_ERROR(registry.Register(std::move(factory)));
  return absl::OkStatus();
}

}  // namespace ff
