// DomainCatalog: the configured list of domains (payment, search, …) an
// incident can belong to. Immutable after construction; thread-safe.
#ifndef FF_SERVER_CORE_DOMAIN_CATALOG_H_
#define FF_SERVER_CORE_DOMAIN_CATALOG_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace ff {

struct DomainConfig {
  std::string name;  // [a-z0-9-], unique
  std::string description;
  std::vector<std::string> invite;  // people or Slack user groups to invite
};

class DomainCatalog {
 public:
  // REQUIRES: names are unique (the config loader checks).
  explicit DomainCatalog(std::vector<DomainConfig> domains);

  // Find returns the domain named `name`, or nullptr. The pointer lives as
  // long as the catalog.
  const DomainConfig* Find(absl::string_view name) const;
  // Names returns the names joined by ", ", in configured order.
  std::string Names() const;
  const std::vector<DomainConfig>& domains() const { return domains_; }

 private:
  std::vector<DomainConfig> domains_;
};

}  // namespace ff

#endif  // FF_SERVER_CORE_DOMAIN_CATALOG_H_
