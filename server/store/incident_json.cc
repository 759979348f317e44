#include "server/store/incident_json.h"

#include "nlohmann/json.hpp"

namespace ff {

std::string ParticipantsJson(const pb::Incident& incident) {
  nlohmann::json array = nlohmann::json::array();
  for (const std::string& p : incident.participants()) array.push_back(p);
  return array.dump();
}

std::string LinksJson(const pb::Incident& incident) {
  nlohmann::json array = nlohmann::json::array();
  for (const pb::Link& l : incident.links()) {
    array.push_back({{"kind", l.kind()}, {"url", l.url()}, {"external_id", l.external_id()}});
  }
  return array.dump();
}

void ReadJsonLists(const std::string& participants, const std::string& links,
                   pb::Incident& incident) {
  for (const auto& p : nlohmann::json::parse(participants)) {
    incident.add_participants(p.get<std::string>());
  }
  for (const auto& l : nlohmann::json::parse(links)) {
    pb::Link* link = incident.add_links();
    link->set_kind(l.value("kind", ""));
    link->set_url(l.value("url", ""));
    link->set_external_id(l.value("external_id", ""));
  }
}

}  // namespace ff
