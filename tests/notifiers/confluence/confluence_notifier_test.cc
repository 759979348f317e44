// The Confluence notifier against FakeConfluence: month folder + page,
// find-before-create, pages of another installation left alone, error
// mapping and config validation.
#include "server/notifiers/confluence/confluence_notifier.h"

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/time/time.h"
#include "clients/http/curl_http_client.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "server/core/time_util.h"
#include "server/notifiers/confluence/postmortem_page.h"
#include "tests/testing/fake_clock.h"
#include "tests/testing/fake_confluence.h"
#include "tests/testing/status_matchers.h"

namespace ff {
namespace {

using json = nlohmann::json;
using ::ff::testing::StatusIs;
using ::testing::HasSubstr;
using ::testing::SizeIs;

google::protobuf::Timestamp Ts(const std::string& rfc3339) {
  absl::Time t;
  std::string error;
  EXPECT_TRUE(absl::ParseTime(absl::RFC3339_full, rfc3339, &t, &error)) << error;
  return ToTimestamp(t);
}

class ConfluenceNotifierTest : public ::testing::Test {
 protected:
  ConfluenceNotifierTest() {
    env_.http = http_.get();
    env_.clock = &clock_;
    env_.installation_id = "0123456789abcdef";
    env_.getenv = [this](const std::string& name) -> std::optional<std::string> {
      auto it = vars_.find(name);
      if (it == vars_.end()) return std::nullopt;
      return it->second;
    };
  }

  json Config() const {
    return {{"base_url", fake_.wiki_url()},        {"email", "bot@example.com"},
            {"api_token_env", "CONFLUENCE_TOKEN"}, {"space_id", "12345"},
            {"parent_page_id", "67890"},           {"timeout_ms", 300}};
  }

  std::unique_ptr<Notifier> Make(const json& config) {
    absl::StatusOr<std::unique_ptr<Notifier>> notifier =
        MakeConfluenceNotifierFactory()->Create(config, env_);
    EXPECT_TRUE(notifier.ok()) << notifier.status();
    return notifier.ok() ? std::move(*notifier) : nullptr;
  }

  absl::Status CreateError(const json& config) {
    return MakeConfluenceNotifierFactory()->Create(config, env_).status();
  }

  static pb::Incident Incident() {
    pb::Incident incident;
    incident.set_id(42);
    incident.set_title("Checkout errors");
    incident.set_domain("payment");
    incident.set_severity(pb::SEVERITY_SEV2);
    incident.set_status(pb::STATUS_POSTMORTEM);
    incident.add_participants("alice@example.com");
    *incident.mutable_occurred_at() = Ts("2026-01-31T23:30:00Z");
    *incident.mutable_created_at() = Ts("2026-02-01T00:05:00Z");
    *incident.mutable_fixed_at() = Ts("2026-02-01T02:00:00Z");
    return incident;
  }

  static Delivery PostmortemDelivery() {
    Delivery delivery;
    delivery.id = 7;
    delivery.notifier = "confluence";
    delivery.event.set_type("incident.status_changed");
    *delivery.event.mutable_incident() = Incident();
    delivery.event.mutable_entry()->set_text("status FIXED → POSTMORTEM");
    delivery.current = Incident();
    delivery.current.add_participants("bob@example.com");  // joined later
    pb::TimelineEntry entry;
    *entry.mutable_time() = Ts("2026-01-31T23:40:00Z");
    entry.set_kind("note");
    entry.set_actor("alice@example.com");
    entry.set_text("rolled back <v2>");
    delivery.timeline.push_back(entry);
    return delivery;
  }

  // Plant stores a page another installation (or one before markers) made.
  std::string Plant(const std::string& parent_id, const std::string& title,
                    const std::map<std::string, json>& properties, const std::string& body) {
    absl::StatusOr<std::string> id =
        fake_.PlantPage({{"spaceId", "12345"},
                         {"status", "current"},
                         {"title", title},
                         {"parentId", parent_id},
                         {"body", {{"representation", "storage"}, {"value", body}}}},
                        properties);
    EXPECT_TRUE(id.ok()) << id.status();
    return id.ok() ? *id : "";
  }

  static pb::IncidentEvent Event(const std::string& type, pb::Status status) {
    pb::IncidentEvent event;
    event.set_type(type);
    event.mutable_incident()->set_status(status);
    return event;
  }

  static pb::FollowUp FollowUp(int64_t id, const std::string& title, pb::FollowUpStatus status) {
    pb::FollowUp follow_up;
    follow_up.set_id(id);
    follow_up.set_incident_id(42);
    follow_up.set_title(title);
    follow_up.set_owner("alice@example.com");
    follow_up.set_due_date("2026-02-20");
    follow_up.set_status(status);
    return follow_up;
  }

  // FollowUpDelivery is a follow-up event on incident 42, now in `status`,
  // linking postmortem page `page_id` ("": none), with `follow_ups`.
  static Delivery FollowUpDelivery(const std::string& type, const std::string& page_id,
                                   const std::vector<pb::FollowUp>& follow_ups,
                                   pb::Status status = pb::STATUS_POSTMORTEM) {
    Delivery delivery;
    delivery.id = 8;
    delivery.notifier = "confluence";
    delivery.event.set_type(type);
    *delivery.event.mutable_incident() = Incident();
    delivery.event.mutable_incident()->set_status(status);
    if (!follow_ups.empty()) *delivery.event.mutable_follow_up() = follow_ups.back();
    delivery.current = delivery.event.incident();
    if (!page_id.empty()) {
      pb::Link* link = delivery.current.add_links();
      link->set_kind("postmortem");
      link->set_external_id(page_id);
    }
    delivery.follow_ups = follow_ups;
    return delivery;
  }

  // MakePage delivers the postmortem (no follow-ups yet) and returns its id.
  std::string MakePage(Notifier& notifier) {
    absl::StatusOr<DeliveryResult> made = notifier.Deliver(PostmortemDelivery());
    EXPECT_TRUE(made.ok()) << made.status();
    return made.ok() && !made->links.empty() ? made->links[0].external_id() : "";
  }

  std::vector<testing::RecordedRequest> Puts() {
    std::vector<testing::RecordedRequest> puts;
    for (const testing::RecordedRequest& request : fake_.requests()) {
      if (request.method == "PUT") puts.push_back(request);
    }
    return puts;
  }

  testing::FakeConfluence fake_{"bot@example.com", "s3cret"};
  std::unique_ptr<HttpClient> http_ = CurlHttpClient::Create();
  testing::FakeClock clock_;
  std::map<std::string, std::string> vars_{{"CONFLUENCE_TOKEN", "s3cret"}};
  NotifierEnv env_;
};

TEST_F(ConfluenceNotifierTest, InterestedOnlyInReachingPostmortem) {
  auto notifier = Make(Config());
  ASSERT_NE(notifier, nullptr);
  EXPECT_EQ(notifier->name(), "confluence");
  EXPECT_TRUE(notifier->NeedsTimeline());
  EXPECT_TRUE(notifier->Interested(Event("incident.status_changed", pb::STATUS_POSTMORTEM)));
  EXPECT_FALSE(notifier->Interested(Event("incident.status_changed", pb::STATUS_FIXED)));
  EXPECT_FALSE(notifier->Interested(Event("incident.status_changed", pb::STATUS_CLOSED)));
  EXPECT_FALSE(notifier->Interested(Event("incident.opened", pb::STATUS_OPEN)));
  EXPECT_FALSE(notifier->Interested(Event("incident.details_changed", pb::STATUS_POSTMORTEM)));
  EXPECT_FALSE(notifier->Interested(Event("incident.closed", pb::STATUS_CLOSED)));
}

TEST_F(ConfluenceNotifierTest, InterestedInEveryFollowUpEventWhicheverTheStatus) {
  auto notifier = Make(Config());
  ASSERT_NE(notifier, nullptr);
  EXPECT_TRUE(notifier->NeedsFollowUps());
  for (const char* type : {"followup.added", "followup.updated", "followup.tracker_linked"}) {
    for (pb::Status status : {pb::STATUS_INVESTIGATING, pb::STATUS_POSTMORTEM, pb::STATUS_CLOSED}) {
      EXPECT_TRUE(notifier->Interested(Event(type, status))) << type << " " << status;
    }
  }
}

TEST_F(ConfluenceNotifierTest, ThePageIsMadeWithTheFollowUpList) {
  auto notifier = Make(Config());
  ASSERT_NE(notifier, nullptr);
  Delivery delivery = PostmortemDelivery();
  delivery.follow_ups = {FollowUp(7, "Alert on <pool> size", pb::FOLLOW_UP_STATUS_OPEN)};
  ASSERT_TRUE(notifier->Deliver(delivery).ok());
  std::string body = fake_.FindPage("12345", "Postmortem #42: Checkout errors")->body;
  EXPECT_THAT(body, HasSubstr("<h2>Follow-ups</h2>" + RenderFollowUpsSection(delivery.follow_ups)));
  EXPECT_THAT(body, HasSubstr("<tr><td>FU-7</td><td>Alert on &lt;pool&gt; size</td>"));
}

TEST_F(ConfluenceNotifierTest, AFollowUpEventWithoutAPageDoesNothing) {
  auto notifier = Make(Config());
  ASSERT_NE(notifier, nullptr);
  absl::StatusOr<DeliveryResult> result = notifier->Deliver(FollowUpDelivery(
      "followup.added", "", {FollowUp(7, "Alert", pb::FOLLOW_UP_STATUS_OPEN)}, pb::STATUS_FIXED));
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_TRUE(result->links.empty());
  EXPECT_EQ(result->note, "");
  EXPECT_TRUE(fake_.requests().empty());
}

TEST_F(ConfluenceNotifierTest, AFollowUpChangeReplacesOnlyTheSectionKeepingAuthorsEdits) {
  auto notifier = Make(Config());
  ASSERT_NE(notifier, nullptr);
  std::string page_id = MakePage(*notifier);
  std::string made = fake_.FindPage("12345", "Postmortem #42: Checkout errors")->body;
  std::string edited = made;
  const std::string root_cause = "<h2>Root cause</h2><p></p>";
  edited.replace(edited.find(root_cause), root_cause.size(),
                 "<h2>Root cause</h2><p>The pool was <b>too small</b>.</p>");
  ASSERT_TRUE(fake_.EditPage(page_id, edited).ok());  // version 2

  std::vector<pb::FollowUp> follow_ups = {FollowUp(7, "Grow the pool", pb::FOLLOW_UP_STATUS_DONE)};
  absl::StatusOr<DeliveryResult> result = notifier->Deliver(
      FollowUpDelivery("followup.updated", page_id, follow_ups, pb::STATUS_CLOSED));
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_TRUE(result->links.empty());

  std::string expected = edited;
  std::string none_yet = RenderFollowUpsSection({});
  expected.replace(expected.find(none_yet), none_yet.size(), RenderFollowUpsSection(follow_ups));
  std::optional<testing::ConfluencePage> page =
      fake_.FindPage("12345", "Postmortem #42: Checkout errors");
  EXPECT_EQ(page->body, expected);
  EXPECT_EQ(page->version, 3);
  std::vector<testing::RecordedRequest> puts = Puts();
  ASSERT_THAT(puts, SizeIs(1));
  EXPECT_EQ(puts[0].path, "/wiki/api/v2/pages/" + page_id);
  json sent = json::parse(puts[0].body);
  EXPECT_EQ(sent["id"], page_id);
  EXPECT_EQ(sent["status"], "current");
  EXPECT_EQ(sent["title"], "Postmortem #42: Checkout errors");
  EXPECT_EQ(sent["body"]["representation"], "storage");
  EXPECT_EQ(sent["version"]["number"], 3);
}

TEST_F(ConfluenceNotifierTest, AnUnchangedSectionWritesNothing) {
  auto notifier = Make(Config());
  ASSERT_NE(notifier, nullptr);
  Delivery postmortem = PostmortemDelivery();
  std::vector<pb::FollowUp> follow_ups = {FollowUp(7, "Alert", pb::FOLLOW_UP_STATUS_OPEN)};
  postmortem.follow_ups = follow_ups;
  absl::StatusOr<DeliveryResult> made = notifier->Deliver(postmortem);
  ASSERT_TRUE(made.ok()) << made.status();
  std::string page_id = made->links[0].external_id();
  // The follow-up added right before the page was made arrives after it, and
  // again as a redelivery.
  for (int i = 0; i < 2; ++i) {
    ASSERT_TRUE(notifier->Deliver(FollowUpDelivery("followup.added", page_id, follow_ups)).ok());
  }
  EXPECT_TRUE(Puts().empty());
  EXPECT_EQ(fake_.FindPage("12345", "Postmortem #42: Checkout errors")->version, 1);
}

TEST_F(ConfluenceNotifierTest, AVersionConflictIsReadAgainAndRetried) {
  auto notifier = Make(Config());
  ASSERT_NE(notifier, nullptr);
  std::string page_id = MakePage(*notifier);
  std::string made = fake_.FindPage("12345", "Postmortem #42: Checkout errors")->body;
  std::string by_hand = "<p>Impact: checkout down for 2h</p>" + made;
  fake_.EditBeforeNextUpdate(page_id, by_hand);
  std::vector<pb::FollowUp> follow_ups = {FollowUp(7, "Alert", pb::FOLLOW_UP_STATUS_OPEN)};
  absl::StatusOr<DeliveryResult> result =
      notifier->Deliver(FollowUpDelivery("followup.added", page_id, follow_ups));
  ASSERT_TRUE(result.ok()) << result.status();

  std::vector<testing::RecordedRequest> puts = Puts();
  ASSERT_THAT(puts, SizeIs(2));
  EXPECT_EQ(json::parse(puts[0].body)["version"]["number"], 2);  // refused: an author saved 2
  EXPECT_EQ(json::parse(puts[1].body)["version"]["number"], 3);
  std::optional<testing::ConfluencePage> page =
      fake_.FindPage("12345", "Postmortem #42: Checkout errors");
  EXPECT_EQ(page->version, 3);
  EXPECT_THAT(page->body, ::testing::StartsWith("<p>Impact: checkout down for 2h</p>"));
  EXPECT_THAT(page->body, HasSubstr(RenderFollowUpsSection(follow_ups)));
}

TEST_F(ConfluenceNotifierTest, AnotherInstallationsLinkedPageIsNeverEdited) {
  std::string theirs =
      Plant("67890", "Postmortem #42: Checkout errors",
            {{"firefighter", {{"installation", "fedcba9876543210"}, {"incident_id", "42"}}}},
            "<p>theirs</p>");
  std::string unmarked = Plant("67890", "Postmortem #42: old", {}, "<p>before markers</p>");
  auto notifier = Make(Config());
  ASSERT_NE(notifier, nullptr);
  for (const std::string& page_id : {theirs, unmarked}) {
    absl::StatusOr<DeliveryResult> result = notifier->Deliver(FollowUpDelivery(
        "followup.added", page_id, {FollowUp(7, "Alert", pb::FOLLOW_UP_STATUS_OPEN)}));
    ASSERT_TRUE(result.ok()) << result.status();
  }
  EXPECT_TRUE(Puts().empty());
  for (const testing::ConfluencePage& page : fake_.pages()) EXPECT_EQ(page.version, 1);
}

TEST_F(ConfluenceNotifierTest, CreatesMonthFolderThenPostmortemPage) {
  auto notifier = Make(Config());
  ASSERT_NE(notifier, nullptr);
  absl::StatusOr<DeliveryResult> result = notifier->Deliver(PostmortemDelivery());
  ASSERT_TRUE(result.ok()) << result.status();

  std::vector<testing::RecordedRequest> requests = fake_.requests();
  ASSERT_THAT(requests, SizeIs(5));
  const std::string auth = "Basic " + absl::Base64Escape("bot@example.com:s3cret");
  for (const auto& request : requests) EXPECT_EQ(request.Header("Authorization"), auth);
  EXPECT_EQ(requests[0].method, "GET");
  EXPECT_EQ(requests[0].path, "/wiki/api/v2/pages");
  EXPECT_EQ(requests[0].Param("space-id"), "12345");
  EXPECT_EQ(requests[0].Param("title"), "2026-01");  // month it occurred, not created
  EXPECT_EQ(requests[0].Param("status"), "current");
  EXPECT_EQ(requests[1].method, "POST");
  json folder = json::parse(requests[1].body);
  EXPECT_EQ(folder["title"], "2026-01");
  EXPECT_EQ(folder["parentId"], "67890");
  EXPECT_EQ(folder["spaceId"], "12345");
  EXPECT_EQ(folder["status"], "current");
  EXPECT_EQ(folder["body"]["representation"], "storage");
  EXPECT_EQ(requests[2].Param("title"), "Postmortem #42: Checkout errors");
  json page = json::parse(requests[3].body);
  EXPECT_EQ(page["title"], "Postmortem #42: Checkout errors");
  std::string folder_id = fake_.FindPage("12345", "2026-01")->id;
  EXPECT_EQ(page["parentId"], folder_id);
  std::string body = page["body"]["value"];
  EXPECT_THAT(body, HasSubstr("<li>bob@example.com</li>"));  // from `current`
  EXPECT_THAT(body, HasSubstr("rolled back &lt;v2&gt;"));    // the timeline, escaped
  EXPECT_THAT(body, HasSubstr("<h2>Root cause</h2>"));
  EXPECT_THAT(body, HasSubstr("FireFighter installation 0123456789abcdef, incident #42."));

  std::optional<testing::ConfluencePage> created =
      fake_.FindPage("12345", "Postmortem #42: Checkout errors");
  ASSERT_TRUE(created.has_value());
  EXPECT_EQ(requests[4].method, "POST");
  EXPECT_EQ(requests[4].path, "/wiki/api/v2/pages/" + created->id + "/properties");
  EXPECT_EQ(created->properties.at("firefighter"),
            json::parse(R"({"installation":"0123456789abcdef","incident_id":"42"})"));
  ASSERT_THAT(result->links, SizeIs(1));
  EXPECT_EQ(result->links[0].kind(), "postmortem");
  EXPECT_EQ(result->links[0].external_id(), created->id);
  std::string url =
      fake_.wiki_url() + "/spaces/OPS/pages/" + created->id + "/Postmortem+42+Checkout+errors";
  EXPECT_EQ(result->links[0].url(), url);
  EXPECT_EQ(result->note, "Postmortem page: " + url);
  EXPECT_TRUE(result->participants.empty());
}

TEST_F(ConfluenceNotifierTest, ReusesAnExistingMonthFolder) {
  std::string folder_id = fake_.AddPage("12345", "67890", "2026-01");
  auto notifier = Make(Config());
  ASSERT_NE(notifier, nullptr);
  ASSERT_TRUE(notifier->Deliver(PostmortemDelivery()).ok());
  std::vector<testing::RecordedRequest> requests = fake_.requests();
  ASSERT_THAT(requests, SizeIs(4));  // find folder, find page, create page, mark it
  EXPECT_EQ(requests[2].method, "POST");
  EXPECT_EQ(json::parse(requests[2].body)["parentId"], folder_id);
}

TEST_F(ConfluenceNotifierTest, RedeliveryCreatesNothingTwice) {
  auto notifier = Make(Config());
  ASSERT_NE(notifier, nullptr);
  absl::StatusOr<DeliveryResult> first = notifier->Deliver(PostmortemDelivery());
  ASSERT_TRUE(first.ok()) << first.status();
  absl::StatusOr<DeliveryResult> second = notifier->Deliver(PostmortemDelivery());
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(fake_.pages().size(), 3u);  // parent, folder, page
  ASSERT_THAT(second->links, SizeIs(1));
  EXPECT_EQ(second->links[0].external_id(), first->links[0].external_id());
  EXPECT_EQ(second->links[0].url(), first->links[0].url());
  std::vector<testing::RecordedRequest> requests = fake_.requests();
  ASSERT_THAT(requests, SizeIs(8));  // find folder, find page, read its marker
  EXPECT_EQ(requests[5].method, "GET");
  EXPECT_EQ(requests[6].method, "GET");
  EXPECT_EQ(requests[7].path,
            "/wiki/api/v2/pages/" + first->links[0].external_id() + "/properties");
}

TEST_F(ConfluenceNotifierTest, AnotherInstallationsPageIsNeitherLinkedNorEdited) {
  std::string folder = Plant("67890", "2026-01", {}, "<p>their folder</p>");
  std::string theirs =
      Plant(folder, "Postmortem #42: Checkout errors",
            {{"firefighter", {{"installation", "fedcba9876543210"}, {"incident_id", "42"}}}},
            "<p>FireFighter installation fedcba9876543210, incident #42.</p>");
  std::vector<testing::ConfluencePage> before = fake_.pages();
  auto notifier = Make(Config());
  ASSERT_NE(notifier, nullptr);
  absl::StatusOr<DeliveryResult> result = notifier->Deliver(PostmortemDelivery());
  ASSERT_TRUE(result.ok()) << result.status();

  std::optional<testing::ConfluencePage> ours =
      fake_.FindPage("12345", "Postmortem #42: Checkout errors [ff-0123456789abcdef]");
  ASSERT_TRUE(ours.has_value());
  EXPECT_EQ(ours->parent_id, folder);  // the month folder is shared
  ASSERT_THAT(result->links, SizeIs(1));
  EXPECT_EQ(result->links[0].external_id(), ours->id);
  std::vector<testing::ConfluencePage> after = fake_.pages();
  ASSERT_EQ(after.size(), before.size() + 1);
  for (size_t i = 0; i < before.size(); ++i) {
    EXPECT_EQ(after[i].body, before[i].body);
    EXPECT_EQ(after[i].properties, before[i].properties);
  }
  for (const testing::RecordedRequest& request : fake_.requests()) {
    if (request.method != "GET") EXPECT_THAT(request.path, ::testing::Not(HasSubstr(theirs)));
  }
  // The redelivery finds ours under its distinguishing title.
  absl::StatusOr<DeliveryResult> again = notifier->Deliver(PostmortemDelivery());
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->links[0].external_id(), ours->id);
  EXPECT_EQ(fake_.pages().size(), after.size());
}

TEST_F(ConfluenceNotifierTest, APageFromBeforeMarkersIsNotAdopted) {
  std::string older = Plant("67890", "Postmortem #42: Checkout errors", {}, "<p>old</p>");
  auto notifier = Make(Config());
  ASSERT_NE(notifier, nullptr);
  absl::StatusOr<DeliveryResult> result = notifier->Deliver(PostmortemDelivery());
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_NE(result->links[0].external_id(), older);
  EXPECT_TRUE(
      fake_.FindPage("12345", "Postmortem #42: Checkout errors [ff-0123456789abcdef]").has_value());
  EXPECT_TRUE(fake_.FindPage("12345", "Postmortem #42: Checkout errors")->properties.empty());
}

TEST_F(ConfluenceNotifierTest, BothTitlesTakenByOthersIsFailedPrecondition) {
  Plant("67890", "Postmortem #42: Checkout errors", {}, "<p>old</p>");
  Plant("67890", "Postmortem #42: Checkout errors [ff-0123456789abcdef]",
        {{"firefighter", {{"installation", "0123456789abcdef"}, {"incident_id", "7"}}}},
        "<p>renamed by hand</p>");
  auto notifier = Make(Config());
  ASSERT_NE(notifier, nullptr);
  size_t pages = fake_.pages().size();
  absl::StatusOr<DeliveryResult> result = notifier->Deliver(PostmortemDelivery());
  EXPECT_THAT(result, StatusIs(absl::StatusCode::kFailedPrecondition,
                               HasSubstr("belong to another FireFighter installation")));
  EXPECT_EQ(fake_.pages().size(), pages + 1);  // the month folder only
}

TEST_F(ConfluenceNotifierTest, OurPageWhoseCreateAnswerWasLostIsAdoptedAndMarked) {
  std::string folder = Plant("67890", "2026-01", {}, "<p>folder</p>");
  std::string ours = Plant(folder, "Postmortem #42: Checkout errors", {},
                           "<p>…</p><p><sub>FireFighter installation 0123456789abcdef, incident "
                           "#42.</sub></p>");
  auto notifier = Make(Config());
  ASSERT_NE(notifier, nullptr);
  absl::StatusOr<DeliveryResult> result = notifier->Deliver(PostmortemDelivery());
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->links[0].external_id(), ours);
  EXPECT_EQ(
      fake_.FindPage("12345", "Postmortem #42: Checkout errors")->properties.at("firefighter"),
      json::parse(R"({"installation":"0123456789abcdef","incident_id":"42"})"));
  EXPECT_EQ(fake_.requests().back().path, "/wiki/api/v2/pages/" + ours + "/properties");
}

TEST_F(ConfluenceNotifierTest, AnIncidentLinkedToAPageKeepsIt) {
  Plant("67890", "Postmortem #42: Checkout errors", {}, "<p>old</p>");
  auto notifier = Make(Config());
  ASSERT_NE(notifier, nullptr);
  Delivery delivery = PostmortemDelivery();
  pb::Link* link = delivery.current.add_links();
  link->set_kind("postmortem");
  link->set_external_id("100001");
  absl::StatusOr<DeliveryResult> result = notifier->Deliver(delivery);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_TRUE(result->links.empty());
  EXPECT_TRUE(fake_.requests().empty());
}

TEST_F(ConfluenceNotifierTest, NoInstallationIdIsInternal) {
  env_.installation_id.clear();
  EXPECT_THAT(CreateError(Config()),
              StatusIs(absl::StatusCode::kInternal, "notifiers.confluence: no installation id"));
}

TEST_F(ConfluenceNotifierTest, TitleHeldByANonCurrentPageIsFailedPrecondition) {
  // A draft holds the title: lookup (status=current) misses, create says
  // duplicate, the re-read misses again.
  HttpRequest draft;
  draft.method = "POST";
  draft.url = fake_.wiki_url() + "/api/v2/pages";
  draft.headers = {{"Authorization", "Basic " + absl::Base64Escape("bot@example.com:s3cret")},
                   {"Content-Type", "application/json"}};
  draft.body = json{{"spaceId", "12345"}, {"status", "draft"}, {"title", "2026-01"}}.dump();
  ASSERT_EQ(http_->Send(draft)->status, 200);
  auto notifier = Make(Config());
  ASSERT_NE(notifier, nullptr);
  absl::StatusOr<DeliveryResult> result = notifier->Deliver(PostmortemDelivery());
  EXPECT_THAT(result, StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("2026-01")));
  EXPECT_FALSE(IsRetryable(result.status()));
}

TEST_F(ConfluenceNotifierTest, RateLimitIsRetryableWithRetryAfter) {
  auto notifier = Make(Config());
  ASSERT_NE(notifier, nullptr);
  fake_.FailNext(1, 429, 7);
  absl::StatusOr<DeliveryResult> result = notifier->Deliver(PostmortemDelivery());
  EXPECT_THAT(result, StatusIs(absl::StatusCode::kResourceExhausted));
  EXPECT_EQ(RetryAfterOf(result.status()), absl::Seconds(7));
  EXPECT_TRUE(IsRetryable(result.status()));
}

TEST_F(ConfluenceNotifierTest, ServerErrorIsUnavailable) {
  auto notifier = Make(Config());
  ASSERT_NE(notifier, nullptr);
  fake_.FailNext(1, 500);
  EXPECT_THAT(notifier->Deliver(PostmortemDelivery()), StatusIs(absl::StatusCode::kUnavailable));
  // The retry completes the work.
  EXPECT_TRUE(notifier->Deliver(PostmortemDelivery()).ok());
  EXPECT_EQ(fake_.pages().size(), 3u);
}

TEST_F(ConfluenceNotifierTest, HangPastTimeoutIsDeadlineExceeded) {
  auto notifier = Make(Config());  // timeout_ms 300
  ASSERT_NE(notifier, nullptr);
  fake_.HangNext(1, absl::Seconds(1));
  EXPECT_THAT(notifier->Deliver(PostmortemDelivery()),
              StatusIs(absl::StatusCode::kDeadlineExceeded));
}

TEST_F(ConfluenceNotifierTest, RefusedConnectionIsUnavailable) {
  auto notifier = Make(Config());
  ASSERT_NE(notifier, nullptr);
  fake_.Refuse();
  EXPECT_THAT(notifier->Deliver(PostmortemDelivery()), StatusIs(absl::StatusCode::kUnavailable));
}

TEST_F(ConfluenceNotifierTest, AnswerWithoutItsDocumentedFieldsIsUnavailable) {
  auto notifier = Make(Config());
  ASSERT_NE(notifier, nullptr);
  fake_.FailNext(1, 200);  // a 2xx JSON object without "results"
  EXPECT_THAT(notifier->Deliver(PostmortemDelivery()),
              StatusIs(absl::StatusCode::kUnavailable, HasSubstr("no results array")));
  EXPECT_TRUE(notifier->Deliver(PostmortemDelivery()).ok());
}

TEST_F(ConfluenceNotifierTest, BadTokenIsUnauthenticatedAndPermanent) {
  vars_["CONFLUENCE_TOKEN"] = "wrong";
  auto notifier = Make(Config());
  ASSERT_NE(notifier, nullptr);
  absl::StatusOr<DeliveryResult> result = notifier->Deliver(PostmortemDelivery());
  EXPECT_THAT(result, StatusIs(absl::StatusCode::kUnauthenticated));
  EXPECT_FALSE(IsRetryable(result.status()));
  EXPECT_EQ(fake_.pages().size(), 1u);
}

TEST_F(ConfluenceNotifierTest, ConfigErrorsNameTheKey) {
  constexpr absl::StatusCode kInvalidArgument = absl::StatusCode::kInvalidArgument;
  json config = Config();
  config.erase("base_url");
  EXPECT_THAT(CreateError(config),
              StatusIs(kInvalidArgument, "config: notifiers.confluence.base_url is required"));
  config = Config();
  config["base_url"] = "example.atlassian.net/wiki";
  EXPECT_THAT(CreateError(config),
              StatusIs(kInvalidArgument, HasSubstr("notifiers.confluence.base_url must be an "
                                                   "http or https URL")));
  config = Config();
  config.erase("email");
  EXPECT_THAT(CreateError(config),
              StatusIs(kInvalidArgument, HasSubstr("notifiers.confluence.email")));
  config = Config();
  config.erase("api_token_env");
  EXPECT_THAT(CreateError(config),
              StatusIs(kInvalidArgument, HasSubstr("notifiers.confluence.api_token_env")));
  vars_.clear();
  EXPECT_THAT(CreateError(Config()),
              StatusIs(kInvalidArgument,
                       "config: notifiers.confluence.api_token_env names environment variable "
                       "CONFLUENCE_TOKEN, which is not set"));
  vars_["CONFLUENCE_TOKEN"] = "s3cret";
  config = Config();
  config.erase("space_id");
  EXPECT_THAT(CreateError(config),
              StatusIs(kInvalidArgument, HasSubstr("notifiers.confluence.space_id")));
  config = Config();
  config["space_id"] = "OPS";
  EXPECT_THAT(CreateError(config),
              StatusIs(kInvalidArgument, HasSubstr("notifiers.confluence.space_id")));
  config = Config();
  config["parent_page_id"] = "home";
  EXPECT_THAT(CreateError(config),
              StatusIs(kInvalidArgument, HasSubstr("notifiers.confluence.parent_page_id")));
  config = Config();
  config["timeout_ms"] = 0;
  EXPECT_THAT(CreateError(config),
              StatusIs(kInvalidArgument, HasSubstr("notifiers.confluence.timeout_ms")));
  config = Config();
  config["spaceid"] = "1";
  EXPECT_THAT(
      CreateError(config),
      StatusIs(kInvalidArgument, "config: notifiers.confluence.spaceid is not a known key"));
  config = Config();
  config.erase("parent_page_id");
  config.erase("timeout_ms");
  EXPECT_TRUE(CreateError(config).ok());
}

}  // namespace
}  // namespace ff
