#include "server/notifiers/registry.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace ff {

absl::Status NotifierRegistry::Register(std::unique_ptr<NotifierFactory> factory) {
  std::string name(factory->name());
  if (!factories_.emplace(name, std::move(factory)).second) {
    return absl::AlreadyExistsError(absl::StrCat("notifier ", name, " is registered twice"));
  }
  return absl::OkStatus();
}

std::vector<std::string> NotifierRegistry::names() const {
  std::vector<std::string> out;
  for (const auto& [name, factory] : factories_) out.push_back(name);
  return out;
}

absl::StatusOr<std::vector<std::unique_ptr<Notifier>>> NotifierRegistry::CreateAll(
    const nlohmann::json& notifiers, const NotifierEnv& env) const {
  std::vector<std::unique_ptr<Notifier>> built;
  if (notifiers.is_null()) return built;
  if (!notifiers.is_object()) {
    return absl::InvalidArgumentError("config: notifiers must be an object");
  }
  for (const auto& [name, config] : notifiers.items()) {
    auto factory = factories_.find(name);
    if (factory == factories_.end()) {
      return absl::InvalidArgumentError(
          absl::StrCat("config: notifiers.", name,
                       " is not a known notifier; known: ", absl::StrJoin(names(), ", ")));
    }
    if (!config.is_object()) {
      return absl::InvalidArgumentError(
          absl::StrCat("config: notifiers.", name, " must be an object"));
    }
    absl::StatusOr<std::unique_ptr<Notifier>> notifier = factory->second->Create(config, env);
    if (!notifier.ok()) return notifier.status();
    built.push_back(*std::move(notifier));
  }
  return built;
}

}  // namespace ff
