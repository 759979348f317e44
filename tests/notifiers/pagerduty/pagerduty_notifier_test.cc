// PagerDuty notifier against the fake: trigger/resolve, the installation's
// dedup key, resolving with the key that triggered, reopen, the on-call
// lookup, idempotency and resumed deliveries, error mapping and config
// validation.
#include "server/notifiers/pagerduty/pagerduty_notifier.h"

#include <map>
#include <memory>
#include <optional>
#include <string>

#include "absl/strings/str_cat.h"
#include "clients/http/curl_http_client.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/core/workflow.h"
#include "tests/testing/fake_clock.h"
#include "tests/testing/fake_pagerduty.h"
#include "tests/testing/status_matchers.h"

namespace ff {
namespace {

using json = nlohmann::json;
using ::ff::testing::FakePagerDuty;
using ::ff::testing::IsOk;
using ::ff::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::SizeIs;

constexpr char kGlobalKey[] = "0123456789abcdef0123456789abcdef";
constexpr char kPaymentKey[] = "fedcba9876543210fedcba9876543210";
// The links' routing references: the first 8 hex digits of each key's SHA-256.
constexpr char kGlobalRef[] = "routing-key-sha256:3eb1bd43";
constexpr char kPaymentRef[] = "routing-key-sha256:4ba68aa8";
constexpr char kInstallation[] = "0123456789abcdef";
constexpr char kOurKey[] = "firefighter-0123456789abcdef-incident-42";

// Attempts keeps one delivery's recorded progress between attempts, as the
// outbox does.
struct Attempts {
  json stored = json::object();
  int recorded = 0;
  void Track(Delivery& delivery) {
    delivery.progress = stored;
    delivery.record_progress = [this](const json& progress) {
      stored = progress;
      ++recorded;
      return absl::OkStatus();
    };
  }
};

class PagerDutyNotifierTest : public ::testing::Test {
 protected:
  PagerDutyNotifierTest() {
    env_vars_ = {{"PD_ROUTING_KEY", kGlobalKey},
                 {"PD_PAYMENT_KEY", kPaymentKey},
                 {"PD_API_TOKEN", "rest-token"}};
    env_.http = http_.get();
    env_.clock = &clock_;
    env_.domains = &catalog_;
    env_.installation_id = kInstallation;
    env_.getenv = [this](const std::string& name) -> std::optional<std::string> {
      auto it = env_vars_.find(name);
      if (it == env_vars_.end()) return std::nullopt;
      return it->second;
    };
    fake_.SetOnCall("PPAY", {"PU1", "Jane Doe", "jane@example.com", "5555550100", 1, 1});
  }

  json Config() const {
    return {{"events_url", fake_.base_url()},
            {"api_url", fake_.base_url()},
            {"routing_key_env", "PD_ROUTING_KEY"},
            {"api_token_env", "PD_API_TOKEN"},
            {"timeout_ms", 300},
            {"domains",
             {{"payment", {{"escalation_policy_id", "PPAY"}}},
              {"search", {{"routing_key_env", "PD_PAYMENT_KEY"}}}}}};
  }

  std::unique_ptr<Notifier> Make(const json& config) {
    absl::StatusOr<std::unique_ptr<Notifier>> notifier =
        MakePagerDutyNotifierFactory()->Create(config, env_);
    EXPECT_THAT(notifier, IsOk());
    return notifier.ok() ? std::move(*notifier) : nullptr;
  }

  absl::Status CreateError(const json& config) {
    return MakePagerDutyNotifierFactory()->Create(config, env_).status();
  }

  static Delivery Event(absl::string_view type, const std::string& domain, bool trigger_oncall,
                        pb::Status status = pb::STATUS_OPEN) {
    Delivery delivery;
    delivery.notifier = "pagerduty";
    delivery.event.set_type(std::string(type));
    pb::Incident* incident = delivery.event.mutable_incident();
    incident->set_id(42);
    incident->set_title("Checkout fails");
    incident->set_description("500s on /pay");
    incident->set_domain(domain);
    incident->set_severity(pb::SEVERITY_SEV2);
    incident->set_status(status);
    incident->set_reporter("alice@example.com");
    incident->set_trigger_oncall(trigger_oncall);
    incident->mutable_created_at()->set_seconds(1767225600);
    delivery.current = *incident;
    return delivery;
  }

  // Reopened is the status change the workflow writes for FIXED → `to`.
  static Delivery Reopened(const std::string& domain, pb::Status to) {
    Delivery delivery = Event(kEventStatusChanged, domain, true, to);
    delivery.event.mutable_entry()->set_kind("status");
    delivery.event.mutable_entry()->set_text(
        absl::StrCat("Reopened: status FIXED \xE2\x86\x92 ",
                     to == pb::STATUS_FIXING ? "FIXING" : "INVESTIGATING", ": errors are back"));
    return delivery;
  }

  // Stored applies what a delivery returned to `incident`'s links, as the
  // outbox's write-back does (upsert by kind + external_id).
  static void Store(const DeliveryResult& result, pb::Incident* incident) {
    for (const pb::Link& link : result.links) {
      bool replaced = false;
      for (pb::Link& existing : *incident->mutable_links()) {
        if (existing.kind() == link.kind() && existing.external_id() == link.external_id()) {
          existing = link;
          replaced = true;
        }
      }
      if (!replaced) *incident->add_links() = link;
    }
  }

  // Plant posts a trigger the way another FireFighter (or this one before
  // installation ids) would have.
  void Plant(const std::string& dedup_key, const std::string& routing_key) {
    HttpRequest request;
    request.method = "POST";
    request.url = absl::StrCat(fake_.base_url(), "/v2/enqueue");
    request.headers = {{"Content-Type", "application/json"}};
    request.body =
        json{{"routing_key", routing_key},
             {"event_action", "trigger"},
             {"dedup_key", dedup_key},
             {"payload", {{"summary", "elsewhere"}, {"source", "ff"}, {"severity", "error"}}}}
            .dump();
    absl::StatusOr<HttpResponse> response = http_->Send(request);
    ASSERT_THAT(response, IsOk());
    ASSERT_EQ(response->status, 202);
  }

  // Enqueued lists the Events API bodies the fake received.
  std::vector<json> Enqueued() {
    std::vector<json> bodies;
    for (const testing::RecordedRequest& request : fake_.requests()) {
      if (request.path == "/v2/enqueue") bodies.push_back(json::parse(request.body));
    }
    return bodies;
  }

  json LastBody() { return json::parse(fake_.requests().back().body); }

  FakePagerDuty fake_{"rest-token"};
  std::unique_ptr<HttpClient> http_ = CurlHttpClient::Create();
  testing::FakeClock clock_;
  DomainCatalog catalog_{{{"payment", "", {}}, {"search", "", {}}, {"backoffice", "", {}}}};
  std::map<std::string, std::string> env_vars_;
  NotifierEnv env_;
};

TEST_F(PagerDutyNotifierTest, InterestedOnlyInWhatItActsOn) {
  std::unique_ptr<Notifier> notifier = Make(Config());
  ASSERT_NE(notifier, nullptr);
  EXPECT_EQ(notifier->name(), "pagerduty");
  EXPECT_TRUE(notifier->Interested(Event(kEventOpened, "search", true).event));
  EXPECT_FALSE(notifier->Interested(Event(kEventOpened, "search", false).event));
  // payment has an escalation policy: the on-call person is looked up anyway.
  EXPECT_TRUE(notifier->Interested(Event(kEventOpened, "payment", false).event));
  EXPECT_TRUE(
      notifier->Interested(Event(kEventStatusChanged, "search", true, pb::STATUS_FIXED).event));
  EXPECT_FALSE(
      notifier->Interested(Event(kEventStatusChanged, "search", true, pb::STATUS_FIXING).event));
  EXPECT_FALSE(
      notifier->Interested(Event(kEventStatusChanged, "search", false, pb::STATUS_FIXED).event));
  EXPECT_TRUE(notifier->Interested(Event(kEventClosed, "search", true).event));
  EXPECT_FALSE(notifier->Interested(Event(kEventClosed, "search", false).event));
  EXPECT_FALSE(notifier->Interested(Event(kEventSeverityChanged, "search", true).event));
  EXPECT_FALSE(notifier->Interested(Event(kEventRolesChanged, "search", true).event));
}

TEST_F(PagerDutyNotifierTest, OpenedTriggersWithAStableDedupKey) {
  std::unique_ptr<Notifier> notifier = Make(Config());
  Delivery delivery = Event(kEventOpened, "backoffice", true);
  pb::Link* channel = delivery.current.add_links();
  channel->set_kind("slack_channel");
  channel->set_url("https://acme.slack.com/archives/C1");
  absl::StatusOr<DeliveryResult> result = notifier->Deliver(delivery);
  ASSERT_THAT(result, IsOk());

  ASSERT_EQ(fake_.requests().size(), 1u);
  const testing::RecordedRequest request = fake_.requests()[0];
  EXPECT_EQ(request.method, "POST");
  EXPECT_EQ(request.path, "/v2/enqueue");
  EXPECT_EQ(request.Header("Authorization"), "");
  json body = LastBody();
  EXPECT_EQ(body["routing_key"], kGlobalKey);
  EXPECT_EQ(body["event_action"], "trigger");
  EXPECT_EQ(body["dedup_key"], kOurKey);
  EXPECT_EQ(body["payload"]["summary"], "[SEV2] #42 backoffice: Checkout fails");
  EXPECT_EQ(body["payload"]["severity"], "error");
  EXPECT_EQ(body["payload"]["source"], "firefighter");
  EXPECT_EQ(body["payload"]["timestamp"], "2026-01-01T00:00:00Z");
  EXPECT_EQ(body["payload"]["custom_details"]["incident_id"], 42);
  EXPECT_EQ(body["payload"]["custom_details"]["reporter"], "alice@example.com");
  EXPECT_EQ(body["links"][0]["href"], "https://acme.slack.com/archives/C1");

  ASSERT_EQ(result->links.size(), 1u);
  EXPECT_EQ(result->links[0].kind(), "pagerduty");
  EXPECT_EQ(result->links[0].external_id(), kOurKey);
  // Which key triggered, without the key: links are shown to users.
  EXPECT_EQ(result->links[0].url(), kGlobalRef);
  EXPECT_THAT(result->links[0].url(), Not(HasSubstr(kGlobalKey)));
  EXPECT_THAT(result->participants, IsEmpty());
  EXPECT_EQ(result->note,
            absl::StrCat("PagerDuty paged the on-call for backoffice (dedup key ", kOurKey, ")."));
  ASSERT_TRUE(fake_.alert(kOurKey).has_value());
  EXPECT_TRUE(fake_.alert(kOurKey)->open);
}

TEST_F(PagerDutyNotifierTest, DomainRoutingKeyOverridesTheDefault) {
  std::unique_ptr<Notifier> notifier = Make(Config());
  ASSERT_THAT(notifier->Deliver(Event(kEventOpened, "search", true)), IsOk());
  EXPECT_EQ(fake_.alert(kOurKey)->routing_key, kPaymentKey);
}

TEST_F(PagerDutyNotifierTest, ALongSummaryIsCutOnACharacterBoundary) {
  std::unique_ptr<Notifier> notifier = Make(Config());
  Delivery delivery = Event(kEventOpened, "backoffice", true);
  // The 1024-byte limit falls between the two bytes of the closing "é".
  std::string title = std::string(1000, 'x') + "\xC3\xA9";
  delivery.event.mutable_incident()->set_title(title);
  delivery.current.set_title(title);
  ASSERT_THAT(notifier->Deliver(delivery), IsOk());
  EXPECT_EQ(LastBody()["payload"]["summary"],
            absl::StrCat("[SEV2] #42 backoffice: ", std::string(1000, 'x')));
}

TEST_F(PagerDutyNotifierTest, SeverityMapsOntoPagerDutySeverities) {
  std::unique_ptr<Notifier> notifier = Make(Config());
  const std::pair<pb::Severity, const char*> cases[] = {{pb::SEVERITY_SEV1, "critical"},
                                                        {pb::SEVERITY_SEV3, "warning"},
                                                        {pb::SEVERITY_SEV4, "info"},
                                                        {pb::SEVERITY_SEV5, "info"}};
  for (const auto& [severity, expected] : cases) {
    Delivery delivery = Event(kEventOpened, "backoffice", true);
    delivery.event.mutable_incident()->set_severity(severity);
    ASSERT_THAT(notifier->Deliver(delivery), IsOk());
    EXPECT_EQ(LastBody()["payload"]["severity"], expected);
  }
}

TEST_F(PagerDutyNotifierTest, OpenedLooksUpWhoIsOnCall) {
  std::unique_ptr<Notifier> notifier = Make(Config());
  absl::StatusOr<DeliveryResult> result = notifier->Deliver(Event(kEventOpened, "payment", false));
  ASSERT_THAT(result, IsOk());

  std::vector<testing::RecordedRequest> requests = fake_.requests();
  ASSERT_EQ(requests.size(), 2u);  // no trigger: trigger_oncall is false
  EXPECT_EQ(requests[0].path, "/oncalls");
  EXPECT_EQ(requests[0].Param("escalation_policy_ids[]"), "PPAY");
  EXPECT_EQ(requests[0].Param("include[]"), "users");
  EXPECT_EQ(requests[0].Param("earliest"), "true");
  EXPECT_EQ(requests[0].Header("Authorization"), "Token token=rest-token");
  EXPECT_EQ(requests[0].Header("Accept"), "application/vnd.pagerduty+json;version=2");
  EXPECT_EQ(requests[1].path, "/users/PU1/contact_methods");

  EXPECT_THAT(result->participants, ElementsAre("jane@example.com"));
  ASSERT_EQ(result->links.size(), 1u);
  EXPECT_EQ(result->links[0].kind(), "oncall");
  EXPECT_EQ(result->links[0].external_id(), "PU1");
  EXPECT_EQ(result->links[0].url(), fake_.html_url("PU1"));
  EXPECT_EQ(result->note, "On call for payment: Jane Doe (jane@example.com, +1 5555550100)");
  EXPECT_EQ(fake_.alerts_opened(), 0);
}

TEST_F(PagerDutyNotifierTest, TriggerAndLookupTogetherPickTheFirstResponder) {
  fake_.SetOnCall("PPAY", {"PU9", "Second Line", "second@example.com", "", 1, 2});
  std::unique_ptr<Notifier> notifier = Make(Config());
  absl::StatusOr<DeliveryResult> result = notifier->Deliver(Event(kEventOpened, "payment", true));
  ASSERT_THAT(result, IsOk());
  ASSERT_EQ(result->links.size(), 2u);
  EXPECT_EQ(result->links[0].kind(), "pagerduty");
  EXPECT_EQ(result->links[1].external_id(), "PU1");
  EXPECT_THAT(result->note, HasSubstr("PagerDuty paged the on-call for payment"));
  EXPECT_THAT(result->note, HasSubstr("On call for payment: Jane Doe"));
}

TEST_F(PagerDutyNotifierTest, NobodyOnCallIsANoteNotAnError) {
  json config = Config();
  config["domains"]["payment"]["escalation_policy_id"] = "PEMPTY";
  std::unique_ptr<Notifier> notifier = Make(config);
  absl::StatusOr<DeliveryResult> result = notifier->Deliver(Event(kEventOpened, "payment", false));
  ASSERT_THAT(result, IsOk());
  EXPECT_THAT(result->participants, IsEmpty());
  EXPECT_EQ(result->note, "Nobody is on call for payment in PagerDuty.");
}

TEST_F(PagerDutyNotifierTest, NoLookupWithoutAnApiToken) {
  json config = Config();
  config.erase("api_token_env");
  std::unique_ptr<Notifier> notifier = Make(config);
  EXPECT_FALSE(notifier->Interested(Event(kEventOpened, "payment", false).event));
  ASSERT_THAT(notifier->Deliver(Event(kEventOpened, "payment", true)), IsOk());
  ASSERT_EQ(fake_.requests().size(), 1u);
  EXPECT_EQ(fake_.requests()[0].path, "/v2/enqueue");
}

TEST_F(PagerDutyNotifierTest, DeliveringOpenedTwiceOpensOneAlert) {
  std::unique_ptr<Notifier> notifier = Make(Config());
  Delivery delivery = Event(kEventOpened, "search", true);
  ASSERT_THAT(notifier->Deliver(delivery), IsOk());
  ASSERT_THAT(notifier->Deliver(delivery), IsOk());
  EXPECT_EQ(fake_.alerts_opened(), 1);
  EXPECT_EQ(fake_.open_alerts(), 1);
}

TEST_F(PagerDutyNotifierTest, FixedAndClosedResolveOnceAndHarmlessly) {
  std::unique_ptr<Notifier> notifier = Make(Config());
  absl::StatusOr<DeliveryResult> opened = notifier->Deliver(Event(kEventOpened, "search", true));
  ASSERT_THAT(opened, IsOk());
  Delivery fixed_event = Event(kEventStatusChanged, "search", true, pb::STATUS_FIXED);
  Store(*opened, &fixed_event.current);
  absl::StatusOr<DeliveryResult> fixed = notifier->Deliver(fixed_event);
  ASSERT_THAT(fixed, IsOk());
  json body = LastBody();
  EXPECT_EQ(
      body,
      json({{"routing_key", kPaymentKey}, {"event_action", "resolve"}, {"dedup_key", kOurKey}}));
  EXPECT_EQ(fixed->note, absl::StrCat("PagerDuty alert ", kOurKey, " resolved."));
  EXPECT_THAT(fixed->links, IsEmpty());
  EXPECT_FALSE(fake_.alert(kOurKey)->open);
  // Closed resolves again: PagerDuty drops it, the delivery succeeds.
  Delivery closed = Event(kEventClosed, "search", true, pb::STATUS_CLOSED);
  Store(*opened, &closed.current);
  ASSERT_THAT(notifier->Deliver(closed), IsOk());
  EXPECT_EQ(fake_.dropped_events(), 1);
  EXPECT_EQ(fake_.alerts_opened(), 1);
}

TEST_F(PagerDutyNotifierTest, ResolvingWithoutALinkSendsOurOwnKeyHarmlessly) {
  std::unique_ptr<Notifier> notifier = Make(Config());
  EXPECT_THAT(notifier->Deliver(Event(kEventClosed, "search", true, pb::STATUS_CLOSED)), IsOk());
  EXPECT_EQ(
      LastBody(),
      json({{"routing_key", kPaymentKey}, {"event_action", "resolve"}, {"dedup_key", kOurKey}}));
  EXPECT_EQ(fake_.dropped_events(), 1);
  EXPECT_EQ(fake_.alerts_opened(), 0);
}

TEST_F(PagerDutyNotifierTest, ResolveAfterADomainChangeUsesTheKeyThatTriggered) {
  std::unique_ptr<Notifier> notifier = Make(Config());
  absl::StatusOr<DeliveryResult> opened = notifier->Deliver(Event(kEventOpened, "search", true));
  ASSERT_THAT(opened, IsOk());
  ASSERT_EQ(opened->links[0].url(), kPaymentRef);
  // The incident moved to backoffice, which pages through the default key.
  Delivery fixed = Event(kEventStatusChanged, "backoffice", true, pb::STATUS_FIXED);
  Store(*opened, &fixed.current);
  ASSERT_TRUE(notifier->Interested(fixed.event));
  absl::StatusOr<DeliveryResult> result = notifier->Deliver(fixed);
  ASSERT_THAT(result, IsOk());

  EXPECT_EQ(
      LastBody(),
      json({{"routing_key", kPaymentKey}, {"event_action", "resolve"}, {"dedup_key", kOurKey}}));
  EXPECT_FALSE(fake_.alert(kOurKey)->open);
  EXPECT_EQ(fake_.dropped_events(), 0);
  for (const json& body : Enqueued()) EXPECT_NE(body["routing_key"], kGlobalKey) << body;
}

TEST_F(PagerDutyNotifierTest, ResolveFindsTheTriggeringKeyUnderAnotherDomainEntry) {
  std::unique_ptr<Notifier> before = Make(Config());
  absl::StatusOr<DeliveryResult> opened = before->Deliver(Event(kEventOpened, "search", true));
  ASSERT_THAT(opened, IsOk());
  // search now has a key of its own; the old one moved to payment.
  env_vars_["PD_SEARCH_KEY"] = "00000000000000000000000000000000";
  json config = Config();
  config["domains"]["search"]["routing_key_env"] = "PD_SEARCH_KEY";
  config["domains"]["payment"]["routing_key_env"] = "PD_PAYMENT_KEY";
  std::unique_ptr<Notifier> after = Make(config);
  Delivery fixed = Event(kEventStatusChanged, "search", true, pb::STATUS_FIXED);
  Store(*opened, &fixed.current);
  ASSERT_THAT(after->Deliver(fixed), IsOk());
  EXPECT_EQ(LastBody()["routing_key"], kPaymentKey);
  EXPECT_FALSE(fake_.alert(kOurKey)->open);
}

TEST_F(PagerDutyNotifierTest, ResolveWhenTheTriggeringKeyIsGoneFailsPermanently) {
  std::unique_ptr<Notifier> before = Make(Config());
  absl::StatusOr<DeliveryResult> opened = before->Deliver(Event(kEventOpened, "search", true));
  ASSERT_THAT(opened, IsOk());
  env_vars_["PD_SEARCH_KEY"] = "00000000000000000000000000000000";
  json config = Config();
  config["domains"]["search"]["routing_key_env"] = "PD_SEARCH_KEY";
  std::unique_ptr<Notifier> after = Make(config);
  Delivery fixed = Event(kEventStatusChanged, "search", true, pb::STATUS_FIXED);
  Store(*opened, &fixed.current);
  size_t requests = fake_.requests().size();

  absl::StatusOr<DeliveryResult> result = after->Deliver(fixed);
  EXPECT_THAT(result,
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr(absl::StrCat("link \"pagerduty\" ", kOurKey, " (", kPaymentRef,
                                              ") names a routing key that "
                                              "is no longer configured"))));
  EXPECT_THAT(std::string(result.status().message()), Not(HasSubstr(kPaymentKey)));
  EXPECT_FALSE(IsRetryable(result.status()));
  EXPECT_EQ(fake_.requests().size(), requests);  // nothing sent with another key
  EXPECT_TRUE(fake_.alert(kOurKey)->open);
}

TEST_F(PagerDutyNotifierTest, LinkFromBeforeInstallationIdsStillResolves) {
  // What an older FireFighter triggered and stored for incident #42.
  Plant("firefighter-incident-42", kPaymentKey);
  std::unique_ptr<Notifier> notifier = Make(Config());
  Delivery fixed = Event(kEventStatusChanged, "search", true, pb::STATUS_FIXED);
  pb::Link* link = fixed.current.add_links();
  link->set_kind("pagerduty");
  link->set_external_id("firefighter-incident-42");
  absl::StatusOr<DeliveryResult> result = notifier->Deliver(fixed);
  ASSERT_THAT(result, IsOk());
  EXPECT_EQ(LastBody(), json({{"routing_key", kPaymentKey},
                              {"event_action", "resolve"},
                              {"dedup_key", "firefighter-incident-42"}}));
  EXPECT_FALSE(fake_.alert("firefighter-incident-42")->open);
  EXPECT_EQ(result->note, "PagerDuty alert firefighter-incident-42 resolved.");
  EXPECT_EQ(fake_.dropped_events(), 0);
}

TEST_F(PagerDutyNotifierTest, AnotherInstallationsOpenAlertIsNeverTouched) {
  // Another FireFighter, old and new, has an open alert for its incident #1.
  const std::string theirs_old = "firefighter-incident-1";
  const std::string theirs_new = "firefighter-fedcba9876543210-incident-1";
  const std::string ours = "firefighter-0123456789abcdef-incident-1";
  Plant(theirs_old, kGlobalKey);
  Plant(theirs_new, kGlobalKey);
  std::unique_ptr<Notifier> notifier = Make(Config());
  auto event = [](absl::string_view type, pb::Status status) {
    Delivery delivery = Event(type, "backoffice", true, status);
    delivery.event.mutable_incident()->set_id(1);
    delivery.current.set_id(1);
    return delivery;
  };
  absl::StatusOr<DeliveryResult> opened = notifier->Deliver(event(kEventOpened, pb::STATUS_OPEN));
  ASSERT_THAT(opened, IsOk());
  ASSERT_TRUE(fake_.alert(ours).has_value()) << "somebody is paged";
  EXPECT_TRUE(fake_.alert(ours)->open);
  EXPECT_EQ(fake_.alerts_opened(), 3);
  for (absl::string_view type : {kEventStatusChanged, kEventClosed}) {
    Delivery resolve = event(type, type == kEventClosed ? pb::STATUS_CLOSED : pb::STATUS_FIXED);
    Store(*opened, &resolve.current);
    ASSERT_THAT(notifier->Deliver(resolve), IsOk());
  }
  EXPECT_FALSE(fake_.alert(ours)->open);
  for (const std::string& theirs : {theirs_old, theirs_new}) {
    ASSERT_THAT(fake_.alerts(theirs), SizeIs(1));
    EXPECT_TRUE(fake_.alert(theirs)->open) << theirs;
    EXPECT_EQ(fake_.alert(theirs)->triggers, 1) << theirs;
  }
  // Besides the two planted triggers, every event named our alert.
  std::vector<json> bodies = Enqueued();
  ASSERT_THAT(bodies, SizeIs(5));  // 2 planted, trigger, 2 resolves
  for (size_t i = 2; i < bodies.size(); ++i) EXPECT_EQ(bodies[i]["dedup_key"], ours) << bodies[i];
}

TEST_F(PagerDutyNotifierTest, AnotherInstallationsLinkIsIgnored) {
  std::unique_ptr<Notifier> notifier = Make(Config());
  Delivery fixed = Event(kEventStatusChanged, "search", true, pb::STATUS_FIXED);
  pb::Link* link = fixed.current.add_links();  // e.g. a database copied from another
  link->set_kind("pagerduty");
  link->set_external_id("firefighter-fedcba9876543210-incident-42");
  link->set_url(kPaymentRef);
  ASSERT_THAT(notifier->Deliver(fixed), IsOk());
  EXPECT_EQ(LastBody()["dedup_key"], kOurKey);
}

TEST_F(PagerDutyNotifierTest, ReopenPagesAgainWithANewAlert) {
  std::unique_ptr<Notifier> notifier = Make(Config());
  Delivery reopen = Reopened("search", pb::STATUS_INVESTIGATING);
  EXPECT_TRUE(notifier->Interested(reopen.event));
  EXPECT_TRUE(notifier->Interested(Reopened("search", pb::STATUS_FIXING).event));
  Delivery quiet = Reopened("search", pb::STATUS_INVESTIGATING);
  quiet.event.mutable_incident()->set_trigger_oncall(false);
  EXPECT_FALSE(notifier->Interested(quiet.event));

  absl::StatusOr<DeliveryResult> opened = notifier->Deliver(Event(kEventOpened, "search", true));
  ASSERT_THAT(opened, IsOk());
  Delivery fixed = Event(kEventStatusChanged, "search", true, pb::STATUS_FIXED);
  Store(*opened, &fixed.current);
  ASSERT_THAT(notifier->Deliver(fixed), IsOk());
  ASSERT_EQ(fake_.open_alerts(), 0);

  Store(*opened, &reopen.current);
  absl::StatusOr<DeliveryResult> reopened = notifier->Deliver(reopen);
  ASSERT_THAT(reopened, IsOk());
  EXPECT_EQ(LastBody()["event_action"], "trigger");
  EXPECT_EQ(fake_.alerts_opened(), 2);
  std::vector<FakePagerDuty::Alert> alerts = fake_.alerts(kOurKey);
  ASSERT_THAT(alerts, SizeIs(2));
  EXPECT_FALSE(alerts[0].open);
  EXPECT_TRUE(alerts[1].open);
  ASSERT_THAT(reopened->links, SizeIs(1));
  EXPECT_EQ(reopened->links[0].external_id(), kOurKey);
  EXPECT_EQ(reopened->links[0].url(), kPaymentRef);
  EXPECT_EQ(reopened->note, absl::StrCat("PagerDuty paged the on-call for search again, the "
                                         "incident was reopened (dedup key ",
                                         kOurKey, ")."));
  // Fixed again: the new alert is resolved.
  Store(*reopened, &fixed.current);
  ASSERT_THAT(notifier->Deliver(fixed), IsOk());
  EXPECT_FALSE(fake_.alert(kOurKey)->open);
}

TEST_F(PagerDutyNotifierTest, OnlyAReopenFromFixedPagesAgain) {
  std::unique_ptr<Notifier> notifier = Make(Config());
  Delivery forward = Event(kEventStatusChanged, "search", true, pb::STATUS_INVESTIGATING);
  forward.event.mutable_entry()->set_kind("status");
  forward.event.mutable_entry()->set_text("status OPEN \xE2\x86\x92 INVESTIGATING");
  EXPECT_FALSE(notifier->Interested(forward.event));
  Delivery back = Event(kEventStatusChanged, "search", true, pb::STATUS_INVESTIGATING);
  back.event.mutable_entry()->set_kind("status");
  back.event.mutable_entry()->set_text("status FIXING \xE2\x86\x92 INVESTIGATING: wrong fix");
  EXPECT_FALSE(notifier->Interested(back.event));
  ASSERT_THAT(notifier->Deliver(back), IsOk());
  ASSERT_THAT(notifier->Deliver(forward), IsOk());
  EXPECT_THAT(fake_.requests(), IsEmpty());
}

TEST_F(PagerDutyNotifierTest, RetryAfterTheLookupFailedDoesNotTriggerAgain) {
  FakePagerDuty rest{"rest-token"};  // the REST API, failing once
  rest.SetOnCall("PPAY", {"PU1", "Jane Doe", "jane@example.com", "5555550100", 1, 1});
  json config = Config();
  config["api_url"] = rest.base_url();
  std::unique_ptr<Notifier> notifier = Make(config);
  Attempts attempts;
  Delivery first = Event(kEventOpened, "payment", true);
  attempts.Track(first);
  rest.FailNext(1, 503);
  EXPECT_THAT(notifier->Deliver(first), StatusIs(absl::StatusCode::kUnavailable));
  ASSERT_EQ(fake_.alerts_opened(), 1);

  Delivery second = Event(kEventOpened, "payment", true);
  attempts.Track(second);
  absl::StatusOr<DeliveryResult> result = notifier->Deliver(second);
  ASSERT_THAT(result, IsOk());
  EXPECT_THAT(Enqueued(), SizeIs(1)) << "the trigger was sent once";
  EXPECT_EQ(fake_.alert(kOurKey)->triggers, 1);
  ASSERT_THAT(result->links, SizeIs(2));
  EXPECT_EQ(result->links[0].external_id(), kOurKey);
  EXPECT_EQ(result->links[0].url(), kGlobalRef);
  EXPECT_EQ(result->links[1].external_id(), "PU1");
  EXPECT_THAT(result->note, HasSubstr("PagerDuty paged the on-call for payment"));
  EXPECT_THAT(result->participants, ElementsAre("jane@example.com"));
}

TEST_F(PagerDutyNotifierTest, TriggerAloneRecordsNoProgress) {
  std::unique_ptr<Notifier> notifier = Make(Config());
  Attempts attempts;
  Delivery delivery = Event(kEventOpened, "search", true);
  attempts.Track(delivery);
  ASSERT_THAT(notifier->Deliver(delivery), IsOk());
  EXPECT_EQ(attempts.recorded, 0);
}

TEST_F(PagerDutyNotifierTest, ThrottlingIsRetryableWithRetryAfter) {
  std::unique_ptr<Notifier> notifier = Make(Config());
  fake_.FailNext(1, 429, 7);
  absl::StatusOr<DeliveryResult> result = notifier->Deliver(Event(kEventOpened, "search", true));
  EXPECT_THAT(result, StatusIs(absl::StatusCode::kResourceExhausted));
  EXPECT_EQ(RetryAfterOf(result.status()), absl::Seconds(7));
  EXPECT_TRUE(IsRetryable(result.status()));
}

TEST_F(PagerDutyNotifierTest, ServerErrorIsUnavailable) {
  std::unique_ptr<Notifier> notifier = Make(Config());
  fake_.FailNext(1, 500);
  EXPECT_THAT(notifier->Deliver(Event(kEventOpened, "search", true)),
              StatusIs(absl::StatusCode::kUnavailable));
}

TEST_F(PagerDutyNotifierTest, HangPastTheTimeoutIsDeadlineExceeded) {
  std::unique_ptr<Notifier> notifier = Make(Config());  // timeout_ms 300
  fake_.HangNext(1, absl::Seconds(1));
  EXPECT_THAT(notifier->Deliver(Event(kEventOpened, "search", true)),
              StatusIs(absl::StatusCode::kDeadlineExceeded));
}

TEST_F(PagerDutyNotifierTest, RefusedConnectionIsUnavailable) {
  std::unique_ptr<Notifier> notifier = Make(Config());
  fake_.Refuse();
  EXPECT_THAT(notifier->Deliver(Event(kEventOpened, "search", true)),
              StatusIs(absl::StatusCode::kUnavailable));
  fake_.Heal();
  EXPECT_THAT(notifier->Deliver(Event(kEventOpened, "search", true)), IsOk());
}

TEST_F(PagerDutyNotifierTest, BadRestTokenIsUnauthenticatedAndPermanent) {
  env_vars_["PD_API_TOKEN"] = "stale-token";
  std::unique_ptr<Notifier> notifier = Make(Config());
  absl::StatusOr<DeliveryResult> result = notifier->Deliver(Event(kEventOpened, "payment", false));
  EXPECT_THAT(result, StatusIs(absl::StatusCode::kUnauthenticated));
  EXPECT_FALSE(IsRetryable(result.status()));
}

TEST_F(PagerDutyNotifierTest, ConfigErrorsNameTheKey) {
  json config = Config();
  config["events_url"] = "ftp://x";
  EXPECT_THAT(CreateError(config),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("config: notifiers.pagerduty.events_url must be an http")));
  config = Config();
  config["routing_key_env"] = "UNSET_VAR";
  EXPECT_THAT(CreateError(config), StatusIs(absl::StatusCode::kInvalidArgument,
                                            HasSubstr("notifiers.pagerduty.routing_key_env "
                                                      "names environment variable UNSET_VAR")));
  config = Config();
  config["api_token_env"] = "UNSET_VAR";
  EXPECT_THAT(CreateError(config), StatusIs(absl::StatusCode::kInvalidArgument,
                                            HasSubstr("notifiers.pagerduty.api_token_env")));
  config = Config();
  config["routing_key"] = "inline secrets are not allowed";
  EXPECT_THAT(CreateError(config),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("notifiers.pagerduty.routing_key is not a known key")));
  config = Config();
  config["timeout_ms"] = 0;
  EXPECT_THAT(CreateError(config), StatusIs(absl::StatusCode::kInvalidArgument,
                                            HasSubstr("notifiers.pagerduty.timeout_ms")));
}

TEST_F(PagerDutyNotifierTest, DomainConfigErrorsNameTheDomainKey) {
  json config = Config();
  config["domains"]["payment"]["policy"] = "PX";
  EXPECT_THAT(CreateError(config),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("notifiers.pagerduty.domains.payment.policy is not a known key")));
  config = Config();
  config["domains"]["nowhere"] = json::object();
  EXPECT_THAT(
      CreateError(config),
      StatusIs(absl::StatusCode::kInvalidArgument,
               HasSubstr("notifiers.pagerduty.domains.nowhere is not a configured domain")));
  config = Config();
  config["domains"]["search"]["routing_key_env"] = "PD_API_TOKEN";  // not 32 characters
  EXPECT_THAT(CreateError(config),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("notifiers.pagerduty.domains.search.routing_key_env")));
  config = Config();
  config["domains"]["search"] = "key";
  EXPECT_THAT(CreateError(config),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("notifiers.pagerduty.domains.search must be an object")));
}

TEST_F(PagerDutyNotifierTest, FactoryRejectsAnEmptyInstallationId) {
  env_.installation_id.clear();
  EXPECT_THAT(CreateError(Config()),
              StatusIs(absl::StatusCode::kInternal, "notifiers.pagerduty: no installation id"));
}

TEST_F(PagerDutyNotifierTest, DefaultsNeedNothingButAreInert) {
  absl::StatusOr<std::unique_ptr<Notifier>> notifier =
      MakePagerDutyNotifierFactory()->Create(json::object(), env_);
  ASSERT_THAT(notifier, IsOk());
  EXPECT_FALSE((*notifier)->Interested(Event(kEventOpened, "search", true).event));
}

}  // namespace
}  // namespace ff
