// How the SQL stores keep an incident's lists in one column each: the
// participants as a JSON array of names, the links as a JSON array of
// {"kind", "url", "external_id"} objects. The same text in SQLite and
// PostgreSQL. Pure functions; thread-safe.
#ifndef FF_SERVER_STORE_INCIDENT_JSON_H_
#define FF_SERVER_STORE_INCIDENT_JSON_H_

#include <string>

#include "absl/strings/string_view.h"
#include "firefighter/v1/incident.pb.h"

namespace ff {
namespace pb = ::firefighter::v1;

// ParticipantsJson and LinksJson are the column values for `incident`.
std::string ParticipantsJson(const pb::Incident& incident);
std::string LinksJson(const pb::Incident& incident);

// ReadJsonLists adds the participants and links stored as `participants` and
// `links` to `incident`. REQUIRES: both were written by the functions above
// (a stored column that is not such JSON throws nlohmann::json's exception).
void ReadJsonLists(absl::string_view participants, absl::string_view links, pb::Incident& incident);

}  // namespace ff

#endif  // FF_SERVER_STORE_INCIDENT_JSON_H_
