// NotifierRegistry: the named factories firefighterd can build notifiers
// from. main.cc registers each one explicitly (no static initialisers); the
// config's "notifiers" object then says which to build and how.
// Not thread-safe: filled and used once at start-up.
#ifndef FF_SERVER_NOTIFIERS_REGISTRY_H_
#define FF_SERVER_NOTIFIERS_REGISTRY_H_

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "nlohmann/json.hpp"
#include "server/notifiers/notifier.h"

namespace ff {

class NotifierRegistry {
 public:
  // Register adds a factory; ALREADY_EXISTS when its name is taken.
  absl::Status Register(std::unique_ptr<NotifierFactory> factory);

  // CreateAll builds one notifier per key of `notifiers` (the config's
  // "notifiers" object). INVALID_ARGUMENT naming the key for an unknown
  // notifier, a value that is not an object, or any error of its factory.
  absl::StatusOr<std::vector<std::unique_ptr<Notifier>>> CreateAll(const nlohmann::json& notifiers,
                                                                   const NotifierEnv& env) const;

  std::vector<std::string> names() const;

 private:
  std::map<std::string, std::unique_ptr<NotifierFactory>> factories_;
};

}  // namespace ff

#endif  // FF_SERVER_NOTIFIERS_REGISTRY_H_
