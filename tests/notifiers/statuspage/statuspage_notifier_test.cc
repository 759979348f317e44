// Statuspage notifier against the fake: create for customer-facing
// severities, status/impact updates, find-before-create by this
// installation's marker only, errors, config.
#include "server/notifiers/statuspage/statuspage_notifier.h"

#include <map>
#include <memory>
#include <optional>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "clients/http/curl_http_client.h"
#include "clients/http/rate_budget.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/core/workflow.h"
#include "tests/testing/fake_statuspage.h"
#include "tests/testing/status_matchers.h"

namespace ff {
namespace {

using json = nlohmann::json;
using ::ff::testing::FakeStatuspage;
using ::ff::testing::IsOk;
using ::ff::testing::StatusIs;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

class StatuspageNotifierTest : public ::testing::Test {
 protected:
  StatuspageNotifierTest() {
    fake_.AddComponent("cmp1");
    env_vars_ = {{"SP_KEY", "sp-key"}};
    env_.http = http_.get();
    env_.installation_id = "0123456789abcdef";
    env_.getenv = [this](const std::string& name) -> std::optional<std::string> {
      auto it = env_vars_.find(name);
      if (it == env_vars_.end()) return std::nullopt;
      return it->second;
    };
  }

  json Config() const {
    return {{"base_url", fake_.base_url()},
            {"page_id", "pg1"},
            {"api_key_env", "SP_KEY"},
            {"timeout_ms", 300}};
  }

  std::unique_ptr<Notifier> Make(const json& config) {
    absl::StatusOr<std::unique_ptr<Notifier>> notifier =
        MakeStatuspageNotifierFactory()->Create(config, env_);
    EXPECT_THAT(notifier, IsOk());
    return notifier.ok() ? std::move(*notifier) : nullptr;
  }

  absl::Status CreateError(const json& config) {
    return MakeStatuspageNotifierFactory()->Create(config, env_).status();
  }

  static Delivery Event(absl::string_view type, pb::Status status = pb::STATUS_OPEN,
                        pb::Severity severity = pb::SEVERITY_SEV2) {
    Delivery delivery;
    delivery.notifier = "statuspage";
    delivery.event.set_type(std::string(type));
    pb::Incident* incident = delivery.event.mutable_incident();
    incident->set_id(42);
    incident->set_title("Checkout fails");
    incident->set_domain("payment");
    incident->set_severity(severity);
    incident->set_status(status);
    delivery.current = *incident;
    return delivery;
  }

  // WithLink adds the link a successful open stored.
  static Delivery WithLink(Delivery delivery, const DeliveryResult& opened) {
    for (const pb::Link& link : opened.links) {
      *delivery.current.add_links() = link;
      *delivery.event.mutable_incident()->add_links() = link;
    }
    return delivery;
  }

  // Plant stores another installation's (or a pre-marker) incident #42.
  json Plant(const json& marker) {
    absl::StatusOr<json> planted = fake_.Plant({{"incident",
                                                 {{"name", "Checkout fails"},
                                                  {"status", "investigating"},
                                                  {"impact_override", "major"},
                                                  {"metadata", {{"firefighter", marker}}}}}});
    EXPECT_THAT(planted, IsOk());
    return planted.ok() ? *planted : json();
  }

  DeliveryResult Open(Notifier& notifier) {
    absl::StatusOr<DeliveryResult> result = notifier.Deliver(Event(kEventOpened));
    EXPECT_THAT(result, IsOk());
    return result.ok() ? *result : DeliveryResult{};
  }

  FakeStatuspage fake_{"pg1", "sp-key"};
  std::unique_ptr<HttpClient> http_ = CurlHttpClient::Create();
  std::map<std::string, std::string> env_vars_;
  NotifierEnv env_;
};

TEST_F(StatuspageNotifierTest, InterestedInCustomerFacingIncidents) {
  std::unique_ptr<Notifier> notifier = Make(Config());
  ASSERT_NE(notifier, nullptr);
  EXPECT_EQ(notifier->name(), "statuspage");
  EXPECT_TRUE(notifier->Interested(Event(kEventOpened).event));
  EXPECT_FALSE(notifier->Interested(Event(kEventOpened, pb::STATUS_OPEN, pb::SEVERITY_SEV4).event));
  EXPECT_TRUE(notifier->Interested(Event(kEventStatusChanged).event));
  EXPECT_TRUE(notifier->Interested(Event(kEventSeverityChanged).event));
  EXPECT_TRUE(notifier->Interested(Event(kEventClosed).event));
  EXPECT_FALSE(notifier->Interested(Event(kEventRolesChanged).event));
  EXPECT_FALSE(notifier->Interested(Event(kEventEntryAdded).event));
  // Published once, followed even after the severity dropped.
  Delivery lowered = Event(kEventStatusChanged, pb::STATUS_FIXED, pb::SEVERITY_SEV5);
  EXPECT_FALSE(notifier->Interested(lowered.event));
  lowered.event.mutable_incident()->add_links()->set_kind("statuspage");
  EXPECT_TRUE(notifier->Interested(lowered.event));
}

TEST_F(StatuspageNotifierTest, OpenedCreatesTheIncident) {
  json config = Config();
  config["component_ids"] = {"cmp1"};
  std::unique_ptr<Notifier> notifier = Make(config);
  DeliveryResult result = Open(*notifier);

  std::vector<testing::RecordedRequest> requests = fake_.requests();
  ASSERT_EQ(requests.size(), 2u);  // unresolved search, create
  EXPECT_EQ(requests[0].path, "/v1/pages/pg1/incidents/unresolved");
  EXPECT_EQ(requests[1].method, "POST");
  EXPECT_EQ(requests[1].path, "/v1/pages/pg1/incidents");
  EXPECT_EQ(requests[1].Header("Authorization"), "OAuth sp-key");
  json sent = json::parse(requests[1].body)["incident"];
  EXPECT_EQ(sent["name"], "Checkout fails");
  EXPECT_EQ(sent["status"], "investigating");
  EXPECT_EQ(sent["impact_override"], "major");
  EXPECT_EQ(sent["body"], "We are investigating this issue.");
  EXPECT_EQ(
      sent["metadata"],
      json::parse(R"({"firefighter":{"incident_id":"42","installation":"0123456789abcdef"}})"));
  EXPECT_EQ(sent["components"], json::parse(R"({"cmp1":"partial_outage"})"));

  ASSERT_EQ(fake_.incidents().size(), 1u);
  json page = fake_.incidents()[0];
  ASSERT_EQ(result.links.size(), 1u);
  EXPECT_EQ(result.links[0].kind(), "statuspage");
  EXPECT_EQ(result.links[0].external_id(), page["id"]);
  EXPECT_EQ(result.links[0].url(), page["shortlink"]);
  EXPECT_EQ(result.note,
            absl::StrCat("Status page incident created: ", page["shortlink"].get<std::string>()));
}

TEST_F(StatuspageNotifierTest, ALongTitleIsCutOnACharacterBoundary) {
  std::unique_ptr<Notifier> notifier = Make(Config());
  Delivery opened = Event(kEventOpened);
  // The 255-byte limit falls between the two bytes of the closing "é".
  std::string title = std::string(254, 'x') + "\xC3\xA9";
  opened.event.mutable_incident()->set_title(title);
  opened.current.set_title(title);
  ASSERT_THAT(notifier->Deliver(opened), IsOk());
  ASSERT_EQ(fake_.incidents().size(), 1u);
  EXPECT_EQ(fake_.incidents()[0]["name"], std::string(254, 'x'));
}

TEST_F(StatuspageNotifierTest, ImpactFollowsSeverity) {
  json config = Config();
  config["severities"] = {"SEV1", "SEV3", "SEV5"};
  std::unique_ptr<Notifier> notifier = Make(config);
  const std::pair<pb::Severity, const char*> cases[] = {
      {pb::SEVERITY_SEV1, "critical"}, {pb::SEVERITY_SEV3, "minor"}, {pb::SEVERITY_SEV5, "none"}};
  int64_t id = 1;
  for (const auto& [severity, impact] : cases) {
    Delivery delivery = Event(kEventOpened, pb::STATUS_OPEN, severity);
    delivery.event.mutable_incident()->set_id(id++);
    ASSERT_THAT(notifier->Deliver(delivery), IsOk());
    EXPECT_EQ(fake_.incidents().back()["impact_override"], impact);
  }
}

TEST_F(StatuspageNotifierTest, NonCustomerFacingSeverityPublishesNothing) {
  std::unique_ptr<Notifier> notifier = Make(Config());
  absl::StatusOr<DeliveryResult> result =
      notifier->Deliver(Event(kEventOpened, pb::STATUS_OPEN, pb::SEVERITY_SEV4));
  ASSERT_THAT(result, IsOk());
  EXPECT_TRUE(fake_.requests().empty());
  EXPECT_THAT(result->links, IsEmpty());
}

TEST_F(StatuspageNotifierTest, OpenedTwiceFindsTheFirstIncident) {
  std::unique_ptr<Notifier> notifier = Make(Config());
  DeliveryResult first = Open(*notifier);
  DeliveryResult second = Open(*notifier);  // the link was never stored
  EXPECT_EQ(fake_.incidents().size(), 1u);
  ASSERT_EQ(second.links.size(), 1u);
  EXPECT_EQ(second.links[0].external_id(), first.links[0].external_id());
  EXPECT_EQ(second.note, "");
}

TEST_F(StatuspageNotifierTest, AnotherInstallationsIncidentIsNeverAdopted) {
  json theirs = Plant({{"incident_id", "42"}, {"installation", "fedcba9876543210"}});
  json older = Plant({{"incident_id", "42"}});
  std::unique_ptr<Notifier> notifier = Make(Config());
  DeliveryResult opened = Open(*notifier);
  std::vector<json> incidents = fake_.incidents();
  ASSERT_EQ(incidents.size(), 3u);
  ASSERT_EQ(opened.links.size(), 1u);
  EXPECT_EQ(opened.links[0].external_id(), incidents[2]["id"]);
  EXPECT_EQ(opened.note, absl::StrCat("Status page incident created: ",
                                      incidents[2]["shortlink"].get<std::string>()));

  // A status change before the link is stored finds ours, not theirs.
  ASSERT_THAT(notifier->Deliver(Event(kEventStatusChanged, pb::STATUS_FIXING)), IsOk());
  incidents = fake_.incidents();
  EXPECT_EQ(incidents[0], theirs);
  EXPECT_EQ(incidents[1], older);
  EXPECT_EQ(incidents[2]["status"], "identified");
  for (const testing::RecordedRequest& request : fake_.requests()) {
    EXPECT_FALSE(absl::EndsWith(request.path, theirs["id"].get<std::string>())) << request.path;
    EXPECT_FALSE(absl::EndsWith(request.path, older["id"].get<std::string>())) << request.path;
  }
}

TEST_F(StatuspageNotifierTest, AnIncidentLinkedBeforeMarkersKeepsItsPageIncident) {
  json older = Plant({{"incident_id", "42"}});
  std::unique_ptr<Notifier> notifier = Make(Config());
  Delivery fixing = Event(kEventStatusChanged, pb::STATUS_FIXING);
  pb::Link* link = fixing.current.add_links();
  link->set_kind("statuspage");
  link->set_external_id(older["id"].get<std::string>());
  absl::StatusOr<DeliveryResult> result = notifier->Deliver(fixing);
  ASSERT_THAT(result, IsOk());
  EXPECT_EQ(result->note, "Status page updated: identified");
  ASSERT_EQ(fake_.incidents().size(), 1u);
  EXPECT_EQ(fake_.incidents()[0]["status"], "identified");
  EXPECT_EQ(fake_.requests().back().path,
            absl::StrCat("/v1/pages/pg1/incidents/", older["id"].get<std::string>()));
}

TEST_F(StatuspageNotifierTest, StatusChangesMapOntoPageStatuses) {
  std::unique_ptr<Notifier> notifier = Make(Config());
  DeliveryResult opened = Open(*notifier);
  const std::pair<pb::Status, const char*> cases[] = {{pb::STATUS_INVESTIGATING, "investigating"},
                                                      {pb::STATUS_FIXING, "identified"},
                                                      {pb::STATUS_FIXED, "monitoring"},
                                                      {pb::STATUS_POSTMORTEM, "resolved"}};
  for (const auto& [status, expected] : cases) {
    ASSERT_THAT(notifier->Deliver(WithLink(Event(kEventStatusChanged, status), opened)), IsOk());
    EXPECT_EQ(fake_.incidents()[0]["status"], expected);
  }
  // investigating → investigating changed nothing: no PATCH, no update.
  EXPECT_EQ(fake_.incidents()[0]["incident_updates"].size(), 4u);
}

TEST_F(StatuspageNotifierTest, StatusUpdateSendsThePublicMessageOnce) {
  std::unique_ptr<Notifier> notifier = Make(Config());
  DeliveryResult opened = Open(*notifier);
  Delivery fixing = WithLink(Event(kEventStatusChanged, pb::STATUS_FIXING), opened);
  absl::StatusOr<DeliveryResult> result = notifier->Deliver(fixing);
  ASSERT_THAT(result, IsOk());
  testing::RecordedRequest patch = fake_.requests().back();
  EXPECT_EQ(patch.method, "PATCH");
  EXPECT_EQ(patch.path, absl::StrCat("/v1/pages/pg1/incidents/", opened.links[0].external_id()));
  EXPECT_EQ(json::parse(patch.body), json::parse(R"({"incident":{"status":"identified",
                "body":"The issue has been identified and a fix is being implemented."}})"));
  EXPECT_EQ(result->note, "Status page updated: identified");
  EXPECT_THAT(result->links, IsEmpty());           // already stored
  ASSERT_THAT(notifier->Deliver(fixing), IsOk());  // repeated delivery
  EXPECT_EQ(fake_.incidents()[0]["incident_updates"].size(), 2u);
}

TEST_F(StatuspageNotifierTest, ClosedResolvesAndRestoresComponents) {
  json config = Config();
  config["component_ids"] = {"cmp1"};
  std::unique_ptr<Notifier> notifier = Make(config);
  DeliveryResult opened = Open(*notifier);
  absl::StatusOr<DeliveryResult> result =
      notifier->Deliver(WithLink(Event(kEventClosed, pb::STATUS_CLOSED), opened));
  ASSERT_THAT(result, IsOk());
  json page = fake_.incidents()[0];
  EXPECT_EQ(page["status"], "resolved");
  EXPECT_EQ(page["components"][0]["status"], "operational");
  EXPECT_EQ(result->note, "Status page updated: resolved");
}

TEST_F(StatuspageNotifierTest, SeverityChangeUpdatesImpact) {
  std::unique_ptr<Notifier> notifier = Make(Config());
  DeliveryResult opened = Open(*notifier);
  absl::StatusOr<DeliveryResult> result = notifier->Deliver(
      WithLink(Event(kEventSeverityChanged, pb::STATUS_OPEN, pb::SEVERITY_SEV1), opened));
  ASSERT_THAT(result, IsOk());
  EXPECT_EQ(json::parse(fake_.requests().back().body),
            json::parse(R"({"incident":{"impact_override":"critical"}})"));
  EXPECT_EQ(fake_.incidents()[0]["impact"], "critical");
  EXPECT_EQ(result->note, "Status page updated: impact critical");
}

TEST_F(StatuspageNotifierTest, SeverityBecomingCustomerFacingCreatesTheIncident) {
  std::unique_ptr<Notifier> notifier = Make(Config());
  absl::StatusOr<DeliveryResult> result =
      notifier->Deliver(Event(kEventSeverityChanged, pb::STATUS_FIXING, pb::SEVERITY_SEV3));
  ASSERT_THAT(result, IsOk());
  ASSERT_EQ(fake_.incidents().size(), 1u);
  EXPECT_EQ(fake_.incidents()[0]["status"], "identified");
  EXPECT_EQ(fake_.incidents()[0]["impact_override"], "minor");
  EXPECT_EQ(result->links.size(), 1u);
}

TEST_F(StatuspageNotifierTest, ClosingAnUnpublishedIncidentCreatesNothing) {
  std::unique_ptr<Notifier> notifier = Make(Config());
  ASSERT_THAT(notifier->Deliver(Event(kEventClosed, pb::STATUS_CLOSED)), IsOk());
  EXPECT_TRUE(fake_.incidents().empty());
}

TEST_F(StatuspageNotifierTest, ThrottlingIsRetryableWithRetryAfter) {
  std::unique_ptr<Notifier> notifier = Make(Config());
  fake_.FailNext(1, 429, 60);
  absl::StatusOr<DeliveryResult> result = notifier->Deliver(Event(kEventOpened));
  EXPECT_THAT(result, StatusIs(absl::StatusCode::kResourceExhausted));
  EXPECT_EQ(RetryAfterOf(result.status()), absl::Seconds(60));
  EXPECT_FALSE(IsBudgetWait(result.status()));
  // The 429 paused the API for every delivery: the next sends nothing.
  const size_t sent = fake_.requests().size();
  absl::StatusOr<DeliveryResult> paused = notifier->Deliver(Event(kEventOpened));
  EXPECT_TRUE(IsBudgetWait(paused.status())) << paused.status();
  EXPECT_GT(RetryAfterOf(paused.status()).value_or(absl::ZeroDuration()), absl::Seconds(55));
  EXPECT_EQ(fake_.requests().size(), sent);
  // Statuspage's older throttling answer, to a notifier not yet paused.
  notifier = Make(Config());
  fake_.FailNext(1, 420, 5);
  result = notifier->Deliver(Event(kEventOpened));
  EXPECT_THAT(result, StatusIs(absl::StatusCode::kResourceExhausted));
  EXPECT_EQ(RetryAfterOf(result.status()), absl::Seconds(5));
  EXPECT_TRUE(fake_.incidents().empty());
}

TEST_F(StatuspageNotifierTest, ServerErrorHangAndRefusalAreRetryable) {
  std::unique_ptr<Notifier> notifier = Make(Config());
  fake_.FailNext(1, 502);
  EXPECT_THAT(notifier->Deliver(Event(kEventOpened)), StatusIs(absl::StatusCode::kUnavailable));
  fake_.HangNext(1, absl::Seconds(1));
  EXPECT_THAT(notifier->Deliver(Event(kEventOpened)),
              StatusIs(absl::StatusCode::kDeadlineExceeded));
  fake_.Refuse();
  EXPECT_THAT(notifier->Deliver(Event(kEventOpened)), StatusIs(absl::StatusCode::kUnavailable));
  fake_.Heal();
  EXPECT_THAT(notifier->Deliver(Event(kEventOpened)), IsOk());
  EXPECT_EQ(fake_.incidents().size(), 1u);
}

TEST_F(StatuspageNotifierTest, BadKeyIsUnauthenticatedAndPermanent) {
  env_vars_["SP_KEY"] = "revoked";
  std::unique_ptr<Notifier> notifier = Make(Config());
  absl::StatusOr<DeliveryResult> result = notifier->Deliver(Event(kEventOpened));
  EXPECT_THAT(result, StatusIs(absl::StatusCode::kUnauthenticated));
  EXPECT_FALSE(IsRetryable(result.status()));
}

TEST_F(StatuspageNotifierTest, UnknownComponentIsAPermanentError) {
  json config = Config();
  config["component_ids"] = {"gone"};
  std::unique_ptr<Notifier> notifier = Make(config);
  EXPECT_THAT(notifier->Deliver(Event(kEventOpened)),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("unknown component")));
}

TEST_F(StatuspageNotifierTest, NoInstallationIdIsInternal) {
  env_.installation_id.clear();
  EXPECT_THAT(CreateError(Config()),
              StatusIs(absl::StatusCode::kInternal, "notifiers.statuspage: no installation id"));
}

TEST_F(StatuspageNotifierTest, ConfigErrorsNameTheKey) {
  json config = Config();
  config.erase("page_id");
  EXPECT_THAT(CreateError(config), StatusIs(absl::StatusCode::kInvalidArgument,
                                            HasSubstr("notifiers.statuspage.page_id is required")));
  config = Config();
  config["api_key_env"] = "UNSET";
  EXPECT_THAT(CreateError(config),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("notifiers.statuspage.api_key_env names environment variable")));
  config = Config();
  config["base_url"] = "not a url";
  EXPECT_THAT(CreateError(config), StatusIs(absl::StatusCode::kInvalidArgument,
                                            HasSubstr("notifiers.statuspage.base_url")));
  config = Config();
  config["severities"] = {"SEV1", "critical"};
  EXPECT_THAT(CreateError(config),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("notifiers.statuspage.severities[1] must be one of SEV1..SEV5")));
  config = Config();
  config["impact"] = "major";
  EXPECT_THAT(CreateError(config),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("notifiers.statuspage.impact is not a known key")));
}

}  // namespace
}  // namespace ff
