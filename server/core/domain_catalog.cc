#include "server/core/domain_catalog.h"

#include <utility>

#include "absl/strings/str_join.h"

namespace ff {

DomainCatalog::DomainCatalog(std::vector<DomainConfig> domains) : domains_(std::move(domains)) {}

const DomainConfig* DomainCatalog::Find(absl::string_view name) const {
  for (const DomainConfig& d : domains_) {
    if (d.name == name) return &d;
  }
  return nullptr;
}

std::string DomainCatalog::Names() const {
  return absl::StrJoin(domains_, ", ",
                       [](std::string* out, const DomainConfig& d) { out->append(d.name); });
}

}  // namespace ff
