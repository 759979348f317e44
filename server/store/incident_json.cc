#include "server/store/incident_json.h"

#include <string>
#include <utility>

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

namespace {

// ListReader reads one of the two columns with nlohmann's SAX parser: the
// strings go straight into the message, with no JSON tree in between (a
// page of incidents reads two columns per row). Whatever else the column
// holds — numbers, nulls, other keys — is skipped, as the tree reader did.
class ListReader final : public nlohmann::json_sax<nlohmann::json> {
 public:
  // `links`: the links column; else the participants column.
  ListReader(pb::Incident& incident, bool links) : incident_(incident), links_(links) {}

  bool string(string_t& value) override {
    if (!links_ && depth_ == 1) {
      incident_.add_participants(std::move(value));
    } else if (links_ && depth_ == 2 && field_ != nullptr) {
      *field_ = std::move(value);
    }
    return true;
  }
  bool start_object(std::size_t /*elements*/) override {
    if (links_ && ++depth_ == 2) link_ = incident_.add_links();
    if (!links_) ++depth_;
    return true;
  }
  bool key(string_t& name) override {
    field_ = nullptr;
    if (link_ == nullptr || depth_ != 2) return true;
    if (name == "kind") field_ = link_->mutable_kind();
    if (name == "url") field_ = link_->mutable_url();
    if (name == "external_id") field_ = link_->mutable_external_id();
    return true;
  }
  bool end_object() override { return Leave(); }
  bool start_array(std::size_t /*elements*/) override {
    ++depth_;
    return true;
  }
  bool end_array() override { return Leave(); }
  bool null() override { return true; }
  bool boolean(bool /*value*/) override { return true; }
  bool number_integer(number_integer_t /*value*/) override { return true; }
  bool number_unsigned(number_unsigned_t /*value*/) override { return true; }
  bool number_float(number_float_t /*value*/, const string_t& /*text*/) override { return true; }
  bool binary(binary_t& /*value*/) override { return true; }
  bool parse_error(std::size_t /*position*/, const std::string& /*token*/,
                   const nlohmann::detail::exception& error) override {
    throw error;
  }

 private:
  bool Leave() {
    if (depth_ == 2) link_ = nullptr;
    field_ = nullptr;
    --depth_;
    return true;
  }

  pb::Incident& incident_;
  const bool links_;
  int depth_ = 0;
  pb::Link* link_ = nullptr;
  std::string* field_ = nullptr;
};

}  // namespace

void ReadJsonLists(absl::string_view participants, absl::string_view links,
                   pb::Incident& incident) {
  // Most incidents have no links and many no participants: "[]" needs no parser.
  if (participants != "[]") {
    ListReader reader(incident, /*links=*/false);
    nlohmann::json::sax_parse(participants.begin(), participants.end(), &reader);
  }
  if (links != "[]") {
    ListReader reader(incident, /*links=*/true);
    nlohmann::json::sax_parse(links.begin(), links.end(), &reader);
  }
}

}  // namespace ff
