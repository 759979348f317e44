// The incident's list columns: what ParticipantsJson and LinksJson write,
// ReadJsonLists reads back exactly, including text JSON must escape.
#include "server/store/incident_json.h"

#include "gmock/gmock.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"

namespace ff {
namespace {

using ::testing::ElementsAre;

pb::Incident RoundTrip(const pb::Incident& incident) {
  pb::Incident read;
  ReadJsonLists(ParticipantsJson(incident), LinksJson(incident), read);
  return read;
}

TEST(IncidentJsonTest, EmptyListsReadAsEmpty) {
  pb::Incident incident;
  EXPECT_EQ(ParticipantsJson(incident), "[]");
  EXPECT_EQ(LinksJson(incident), "[]");
  pb::Incident read = RoundTrip(incident);
  EXPECT_EQ(read.participants_size(), 0);
  EXPECT_EQ(read.links_size(), 0);
}

TEST(IncidentJsonTest, ParticipantsAndLinksRoundTripWithEscapes) {
  pb::Incident incident;
  incident.add_participants("alice");
  incident.add_participants("b\"ob\\ \n \u00e9\u6f22 \xF0\x9F\x94\xA5");
  incident.add_participants("");
  pb::Link* slack = incident.add_links();
  slack->set_kind("slack_channel");
  slack->set_url("https://example.slack.com/archives/C1?a=\"b\"");
  slack->set_external_id("C1");
  pb::Link* bare = incident.add_links();
  bare->set_kind("jira");
  pb::Incident read = RoundTrip(incident);
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(read, incident))
      << read.DebugString();
}

TEST(IncidentJsonTest, LinksMissingOrUnknownKeysAreEmptyOrSkipped) {
  pb::Incident read;
  ReadJsonLists(R"(["a", 7, null, ["nested"], "b"])",
                R"([{"url": "https://x", "extra": {"kind": "no"}, "n": 1.5},
                    {"kind": "k", "external_id": "e", "flag": true}])",
                read);
  EXPECT_THAT(read.participants(), ElementsAre("a", "b"));
  ASSERT_EQ(read.links_size(), 2);
  EXPECT_EQ(read.links(0).kind(), "");
  EXPECT_EQ(read.links(0).url(), "https://x");
  EXPECT_EQ(read.links(1).kind(), "k");
  EXPECT_EQ(read.links(1).external_id(), "e");
  EXPECT_EQ(read.links(1).url(), "");
}

TEST(IncidentJsonTest, MalformedColumnThrowsParseError) {
  pb::Incident read;
  EXPECT_THROW(ReadJsonLists(R"(["a", )", "[]", read), nlohmann::json::exception);
  EXPECT_THROW(ReadJsonLists("[]", R"([{"kind": )", read), nlohmann::json::exception);
}

}  // namespace
}  // namespace ff
