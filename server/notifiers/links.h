// Reading an incident's links, for the notifiers. Pure; thread-safe.
#ifndef FF_SERVER_NOTIFIERS_LINKS_H_
#define FF_SERVER_NOTIFIERS_LINKS_H_

#include "absl/strings/string_view.h"
#include "firefighter/v1/incident.pb.h"

namespace ff {

// FindLink returns the incident's first link of `kind`, or nullptr. The
// pointer lives as long as `incident` is unchanged.
inline const ::firefighter::v1::Link* FindLink(const ::firefighter::v1::Incident& incident,
                                               absl::string_view kind) {
  for (const ::firefighter::v1::Link& link : incident.links()) {
    if (link.kind() == kind) return &link;
  }
  return nullptr;
}

}  // namespace ff

#endif  // FF_SERVER_NOTIFIERS_LINKS_H_
