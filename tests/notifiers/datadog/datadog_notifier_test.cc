// Datadog notifier against the fake: events per change with the right tags,
// this installation's markers on everything and nothing of another
// installation adopted, no duplicate event after a lost answer although the
// fake indexes events late, error mapping and config validation.
#include "server/notifiers/datadog/datadog_notifier.h"

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "clients/http/curl_http_client.h"
#include "clients/http/rate_budget.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/core/workflow.h"
#include "tests/notifiers/datadog/notebook_body.h"
#include "tests/testing/fake_clock.h"
#include "tests/testing/fake_datadog.h"
#include "tests/testing/status_matchers.h"

namespace ff {
namespace {

using json = nlohmann::json;
using ::ff::testing::FakeDatadog;
using ::ff::testing::IsOk;
using ::ff::testing::NotebookBody;
using ::ff::testing::StatusIs;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

constexpr char kInstallation[] = "0123456789abcdef";
constexpr char kOtherInstallation[] = "fedcba9876543210";

// KeptProgress keeps one delivery's progress between attempts, as the outbox
// does.
struct KeptProgress {
  json stored = json::object();
  Delivery Attempt(Delivery delivery) {
    delivery.progress = stored;
    delivery.record_progress = [this](const json& progress) {
      stored = progress;
      return absl::OkStatus();
    };
    return delivery;
  }
};

// Summary lists requests as "METHOD path".
std::vector<std::string> Summary(const std::vector<testing::RecordedRequest>& requests) {
  std::vector<std::string> out;
  for (const testing::RecordedRequest& request : requests) {
    out.push_back(absl::StrCat(request.method, " ", request.path));
  }
  return out;
}

class DatadogNotifierTest : public ::testing::Test {
 protected:
  DatadogNotifierTest() {
    env_vars_ = {{"DD_API_KEY", "api-key"}, {"DD_APP_KEY", "app-key"}};
    env_.http = http_.get();
    env_.clock = &clock_;
    env_.installation_id = kInstallation;
    env_.getenv = [this](const std::string& name) -> std::optional<std::string> {
      auto it = env_vars_.find(name);
      if (it == env_vars_.end()) return std::nullopt;
      return it->second;
    };
  }

  json Config() const {
    return {{"base_url", fake_.base_url()}, {"app_url", "https://app.datadoghq.eu"},
            {"api_key_env", "DD_API_KEY"},  {"app_key_env", "DD_APP_KEY"},
            {"tags", {"team:sre"}},         {"timeout_ms", 300},
            {"index_delay_s", 60}};
  }

  std::unique_ptr<Notifier> Make(const json& config) {
    absl::StatusOr<std::unique_ptr<Notifier>> notifier =
        MakeDatadogNotifierFactory()->Create(config, env_);
    EXPECT_THAT(notifier, IsOk());
    return notifier.ok() ? std::move(*notifier) : nullptr;
  }

  absl::Status CreateError(const json& config) {
    return MakeDatadogNotifierFactory()->Create(config, env_).status();
  }

  static Delivery Event(absl::string_view type, int64_t sequence,
                        pb::Status status = pb::STATUS_OPEN,
                        pb::Severity severity = pb::SEVERITY_SEV2) {
    Delivery delivery;
    delivery.notifier = "datadog";
    delivery.event.set_type(std::string(type));
    delivery.event.set_sequence(sequence);
    delivery.event.mutable_entry()->mutable_time()->set_seconds(1767225600 + sequence);
    delivery.event.mutable_entry()->set_text("status INVESTIGATING → FIXED");
    pb::Incident* incident = delivery.event.mutable_incident();
    incident->set_id(42);
    incident->set_title("Checkout fails");
    incident->set_description("500s on /pay");
    incident->set_domain("payment");
    incident->set_severity(severity);
    incident->set_status(status);
    incident->set_reporter("alice@example.com");
    delivery.current = *incident;
    return delivery;
  }

  FakeDatadog fake_{"api-key", "app-key"};
  std::unique_ptr<HttpClient> http_ = CurlHttpClient::Create();
  testing::FakeClock clock_;
  std::map<std::string, std::string> env_vars_;
  NotifierEnv env_;
};

TEST_F(DatadogNotifierTest, InterestedInOpenStatusSeverityAndClose) {
  std::unique_ptr<Notifier> notifier = Make(Config());
  ASSERT_NE(notifier, nullptr);
  EXPECT_EQ(notifier->name(), "datadog");
  for (absl::string_view type :
       {kEventOpened, kEventStatusChanged, kEventSeverityChanged, kEventClosed}) {
    EXPECT_TRUE(notifier->Interested(Event(type, 1).event)) << type;
  }
  for (absl::string_view type : {kEventRolesChanged, kEventDetailsChanged, kEventEntryAdded,
                                 kEventParticipantsChanged, kEventLinksChanged}) {
    EXPECT_FALSE(notifier->Interested(Event(type, 1).event)) << type;
  }
}

TEST_F(DatadogNotifierTest, OpenedPostsAnEventAndCreatesTheNotebook) {
  std::unique_ptr<Notifier> notifier = Make(Config());
  Delivery delivery = Event(kEventOpened, 7);
  pb::Link* channel = delivery.current.add_links();
  channel->set_kind("slack_channel");
  channel->set_url("https://acme.slack.com/archives/C1");
  absl::StatusOr<DeliveryResult> result = notifier->Deliver(delivery);
  ASSERT_THAT(result, IsOk());

  std::vector<testing::RecordedRequest> requests = fake_.requests();
  // A first try posts without searching for the event.
  EXPECT_THAT(Summary(requests), ElementsAre("POST /api/v1/events", "GET /api/v1/notebooks",
                                             "POST /api/v1/notebooks"));
  EXPECT_EQ(requests[0].Header("DD-API-KEY"), "api-key");
  EXPECT_EQ(requests[0].Header("DD-APPLICATION-KEY"), "");
  EXPECT_EQ(requests[1].Param("query"), "[ff-0123456789abcdef-42]");
  EXPECT_EQ(requests[2].Header("DD-APPLICATION-KEY"), "app-key");

  ASSERT_EQ(fake_.events().size(), 1u);
  json event = fake_.events()[0];
  EXPECT_EQ(event["title"], "Incident #42 opened: Checkout fails");
  EXPECT_THAT(event["text"].get<std::string>(), HasSubstr("https://acme.slack.com/archives/C1"));
  EXPECT_THAT(event["text"].get<std::string>(), HasSubstr("**Severity:** SEV2"));
  EXPECT_EQ(event["alert_type"], "error");
  EXPECT_EQ(event["aggregation_key"], "firefighter-incident-42");
  EXPECT_EQ(event["date_happened"], 1767225607);
  EXPECT_THAT(event["tags"].get<std::vector<std::string>>(),
              UnorderedElementsAre("incident:42", "severity:sev2", "domain:payment", "team:sre",
                                   "firefighter_installation:0123456789abcdef",
                                   "firefighter_event:0123456789abcdef-7"));

  ASSERT_EQ(fake_.notebooks().size(), 1u);
  json notebook = fake_.notebooks()[0];
  EXPECT_EQ(notebook["attributes"]["name"],
            "Incident #42: Checkout fails [ff-0123456789abcdef-42]");
  EXPECT_THAT(
      notebook["attributes"]["cells"][0]["attributes"]["definition"]["text"].get<std::string>(),
      HasSubstr("FireFighter installation 0123456789abcdef"));
  std::string id = notebook["id"].dump();
  ASSERT_EQ(result->links.size(), 1u);
  EXPECT_EQ(result->links[0].kind(), "datadog_notebook");
  EXPECT_EQ(result->links[0].external_id(), id);
  EXPECT_EQ(result->links[0].url(), absl::StrCat("https://app.datadoghq.eu/notebook/", id));
  EXPECT_EQ(result->note, absl::StrCat("Datadog notebook: https://app.datadoghq.eu/notebook/", id));
}

TEST_F(DatadogNotifierTest, LongTitlesKeepTheWholeMarkerWithinTheNameLimit) {
  std::unique_ptr<Notifier> notifier = Make(Config());
  Delivery delivery = Event(kEventOpened, 7);
  delivery.event.mutable_incident()->set_title(std::string(100, 'x'));
  ASSERT_THAT(notifier->Deliver(delivery), IsOk());
  ASSERT_EQ(fake_.notebooks().size(), 1u);
  std::string name = fake_.notebooks()[0]["attributes"]["name"];
  EXPECT_EQ(name.size(), 80u);
  EXPECT_TRUE(absl::EndsWith(name, " [ff-0123456789abcdef-42]")) << name;
}

TEST_F(DatadogNotifierTest, AnotherInstallationsObjectsAreLeftAlone) {
  // Another FireFighter (and an older one, before markers) already wrote
  // about its own incident #42 in the same organisation.
  absl::StatusOr<json> old_notebook = fake_.PlantNotebook(NotebookBody("Incident #42: Old"));
  absl::StatusOr<json> other_notebook =
      fake_.PlantNotebook(NotebookBody("Incident #42: Other [ff-fedcba9876543210-42]"));
  absl::StatusOr<json> other_event = fake_.PlantEvent(
      {{"title", "Incident #42 opened: Other"},
       {"text", "t"},
       {"date_happened", 1767225607},
       {"tags",
        {"incident:42", "firefighter_event:7", "firefighter_event:fedcba9876543210-7",
         "firefighter_installation:fedcba9876543210"}}});
  ASSERT_THAT(old_notebook, IsOk());
  ASSERT_THAT(other_notebook, IsOk());
  ASSERT_THAT(other_event, IsOk());
  std::unique_ptr<Notifier> notifier = Make(Config());

  absl::StatusOr<DeliveryResult> result = notifier->Deliver(Event(kEventOpened, 7));
  ASSERT_THAT(result, IsOk());

  std::vector<json> notebooks = fake_.notebooks();
  ASSERT_EQ(notebooks.size(), 3u);
  EXPECT_EQ(notebooks[0], *old_notebook);
  EXPECT_EQ(notebooks[1], *other_notebook);
  EXPECT_EQ(notebooks[2]["attributes"]["name"],
            "Incident #42: Checkout fails [ff-0123456789abcdef-42]");
  ASSERT_EQ(result->links.size(), 1u);
  EXPECT_EQ(result->links[0].external_id(), notebooks[2]["id"].dump());
  std::vector<json> events = fake_.events();
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0], *other_event);
  EXPECT_THAT(events[1]["tags"], Contains("firefighter_event:0123456789abcdef-7"));
  EXPECT_THAT(Summary(fake_.requests()), ElementsAre("POST /api/v1/events", "GET /api/v1/notebooks",
                                                     "POST /api/v1/notebooks"));
}

TEST_F(DatadogNotifierTest, OurNotebookFromALostAnswerIsAdopted) {
  // An earlier try created our notebook, but its answer never came back.
  absl::StatusOr<json> ours =
      fake_.PlantNotebook(NotebookBody("Incident #42: Checkout fails [ff-0123456789abcdef-42]"));
  ASSERT_THAT(ours, IsOk());
  std::unique_ptr<Notifier> notifier = Make(Config());
  absl::StatusOr<DeliveryResult> result = notifier->Deliver(Event(kEventOpened, 7));
  ASSERT_THAT(result, IsOk());
  EXPECT_EQ(fake_.notebooks().size(), 1u);
  ASSERT_EQ(result->links.size(), 1u);
  EXPECT_EQ(result->links[0].external_id(), (*ours)["id"].dump());
}

TEST_F(DatadogNotifierTest, AnIncidentLinkedToAnOldNotebookKeepsIt) {
  absl::StatusOr<json> old_notebook = fake_.PlantNotebook(NotebookBody("Incident #42: Old"));
  ASSERT_THAT(old_notebook, IsOk());
  std::unique_ptr<Notifier> notifier = Make(Config());
  Delivery delivery = Event(kEventOpened, 7);
  pb::Link* link = delivery.current.add_links();
  link->set_kind("datadog_notebook");
  link->set_external_id((*old_notebook)["id"].dump());
  absl::StatusOr<DeliveryResult> result = notifier->Deliver(delivery);
  ASSERT_THAT(result, IsOk());
  EXPECT_THAT(Summary(fake_.requests()), ElementsAre("POST /api/v1/events"));
  EXPECT_THAT(result->links, IsEmpty());
  EXPECT_EQ(fake_.notebooks().size(), 1u);
}

TEST_F(DatadogNotifierTest, RetryAfterARefusalPostsWithoutSearching) {
  std::unique_ptr<Notifier> notifier = Make(Config());
  KeptProgress outbox;
  fake_.FailNext(1, 429, 9);
  EXPECT_THAT(notifier->Deliver(outbox.Attempt(Event(kEventClosed, 3))),
              StatusIs(absl::StatusCode::kResourceExhausted));
  // The 429 paused Datadog for every delivery until its Retry-After.
  absl::StatusOr<DeliveryResult> paused = notifier->Deliver(outbox.Attempt(Event(kEventClosed, 3)));
  EXPECT_TRUE(IsBudgetWait(paused.status())) << paused.status();
  EXPECT_EQ(RetryAfterOf(paused.status()), absl::Seconds(9));
  clock_.Advance(absl::Seconds(9));
  ASSERT_THAT(notifier->Deliver(outbox.Attempt(Event(kEventClosed, 3))), IsOk());
  EXPECT_THAT(Summary(fake_.requests()), ElementsAre("POST /api/v1/events"));
  EXPECT_EQ(fake_.events().size(), 1u);
}

TEST_F(DatadogNotifierTest, LostAnswerIsSearchedOnlyOnceTheEventIsIndexed) {
  fake_.set_index_delay(absl::Seconds(1));
  std::unique_ptr<Notifier> notifier = Make(Config());
  KeptProgress outbox;
  // The post is made, but the answer comes after the 300 ms timeout.
  fake_.HangNext(1, absl::Seconds(1));
  EXPECT_THAT(notifier->Deliver(outbox.Attempt(Event(kEventClosed, 3))),
              StatusIs(absl::StatusCode::kDeadlineExceeded));
  ASSERT_TRUE(fake_.WaitForRequests(1, absl::Seconds(10)));
  // The request is recorded when it arrives; the event is stored once the
  // hung handler finishes.
  for (int i = 0; i < 1000 && fake_.events().empty(); ++i) {
    absl::SleepFor(absl::Milliseconds(10));
  }
  ASSERT_EQ(fake_.events().size(), 1u);

  // Too early to search: a search now could miss the unindexed event.
  absl::StatusOr<DeliveryResult> early = notifier->Deliver(outbox.Attempt(Event(kEventClosed, 3)));
  EXPECT_THAT(early, StatusIs(absl::StatusCode::kUnavailable, HasSubstr("indexed")));
  EXPECT_EQ(RetryAfterOf(early.status()), absl::Seconds(60));
  clock_.Advance(absl::Seconds(59));
  absl::StatusOr<DeliveryResult> later = notifier->Deliver(outbox.Attempt(Event(kEventClosed, 3)));
  EXPECT_THAT(later, StatusIs(absl::StatusCode::kUnavailable));
  EXPECT_EQ(RetryAfterOf(later.status()), absl::Seconds(1));
  EXPECT_THAT(Summary(fake_.requests()), ElementsAre("POST /api/v1/events"));

  clock_.Advance(absl::Seconds(1));
  ASSERT_TRUE(fake_.WaitUntilIndexed(absl::Seconds(10)));
  ASSERT_THAT(notifier->Deliver(outbox.Attempt(Event(kEventClosed, 3))), IsOk());
  EXPECT_THAT(Summary(fake_.requests()), ElementsAre("POST /api/v1/events", "GET /api/v1/events"));
  EXPECT_EQ(fake_.requests()[1].Param("tags"), "firefighter_event:0123456789abcdef-3");
  EXPECT_EQ(fake_.events().size(), 1u);
}

TEST_F(DatadogNotifierTest, LostPostThatNeverLandedIsPostedAgainBesideAnotherInstallations) {
  ASSERT_THAT(fake_.PlantEvent({{"title", "Incident #42 closed: Other"},
                                {"text", "t"},
                                {"date_happened", 1767225603},
                                {"tags",
                                 {"firefighter_event:fedcba9876543210-3",
                                  "firefighter_installation:fedcba9876543210"}}}),
              IsOk());
  std::unique_ptr<Notifier> notifier = Make(Config());
  KeptProgress outbox;
  fake_.FailNext(1, 500);  // not recorded, nothing stored: the outcome is unknown
  EXPECT_THAT(notifier->Deliver(outbox.Attempt(Event(kEventClosed, 3))),
              StatusIs(absl::StatusCode::kUnavailable));
  EXPECT_THAT(notifier->Deliver(outbox.Attempt(Event(kEventClosed, 3))),
              StatusIs(absl::StatusCode::kUnavailable));
  clock_.Advance(absl::Seconds(60));
  ASSERT_THAT(notifier->Deliver(outbox.Attempt(Event(kEventClosed, 3))), IsOk());
  EXPECT_THAT(Summary(fake_.requests()), ElementsAre("GET /api/v1/events", "POST /api/v1/events"));
  std::vector<json> events = fake_.events();
  ASSERT_EQ(events.size(), 2u);
  EXPECT_THAT(events[1]["tags"], Contains("firefighter_event:0123456789abcdef-3"));

  // Once done, the delivery posts nothing more.
  ASSERT_THAT(notifier->Deliver(outbox.Attempt(Event(kEventClosed, 3))), IsOk());
  EXPECT_EQ(fake_.requests().size(), 2u);
}

TEST_F(DatadogNotifierTest, AnotherIncidentsNotebookIsNotReused) {
  std::unique_ptr<Notifier> notifier = Make(Config());
  Delivery other = Event(kEventOpened, 1);
  other.event.mutable_incident()->set_id(4);
  ASSERT_THAT(notifier->Deliver(other), IsOk());
  ASSERT_THAT(notifier->Deliver(Event(kEventOpened, 2)), IsOk());
  EXPECT_EQ(fake_.notebooks().size(), 2u);
}

TEST_F(DatadogNotifierTest, ChangesPostOneEventEach) {
  std::unique_ptr<Notifier> notifier = Make(Config());
  absl::StatusOr<DeliveryResult> fixed =
      notifier->Deliver(Event(kEventStatusChanged, 8, pb::STATUS_FIXED));
  ASSERT_THAT(fixed, IsOk());
  EXPECT_THAT(fixed->links, IsEmpty());
  EXPECT_EQ(fixed->note, "");
  ASSERT_THAT(
      notifier->Deliver(Event(kEventSeverityChanged, 9, pb::STATUS_FIXING, pb::SEVERITY_SEV3)),
      IsOk());
  ASSERT_THAT(notifier->Deliver(Event(kEventClosed, 10, pb::STATUS_CLOSED)), IsOk());
  std::vector<json> events = fake_.events();
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0]["title"], "Incident #42 is now FIXED: Checkout fails");
  EXPECT_EQ(events[0]["alert_type"], "success");
  EXPECT_THAT(events[0]["text"].get<std::string>(), HasSubstr("status INVESTIGATING → FIXED"));
  EXPECT_EQ(events[1]["title"], "Incident #42 is now SEV3: Checkout fails");
  EXPECT_EQ(events[1]["alert_type"], "warning");
  EXPECT_THAT(events[1]["tags"].get<std::vector<std::string>>(),
              ::testing::Contains("severity:sev3"));
  EXPECT_EQ(events[2]["title"], "Incident #42 closed: Checkout fails");
  EXPECT_TRUE(fake_.notebooks().empty());
}

TEST_F(DatadogNotifierTest, ThrottlingIsRetryableWithRetryAfter) {
  std::unique_ptr<Notifier> notifier = Make(Config());
  fake_.FailNext(1, 429, 9);
  absl::StatusOr<DeliveryResult> result = notifier->Deliver(Event(kEventClosed, 3));
  EXPECT_THAT(result, StatusIs(absl::StatusCode::kResourceExhausted));
  EXPECT_EQ(RetryAfterOf(result.status()), absl::Seconds(9));
}

TEST_F(DatadogNotifierTest, ServerErrorHangAndRefusalAreRetryable) {
  std::unique_ptr<Notifier> notifier = Make(Config());
  fake_.FailNext(1, 500);
  EXPECT_THAT(notifier->Deliver(Event(kEventClosed, 3)), StatusIs(absl::StatusCode::kUnavailable));
  fake_.HangNext(1, absl::Seconds(1));
  EXPECT_THAT(notifier->Deliver(Event(kEventClosed, 4)),
              StatusIs(absl::StatusCode::kDeadlineExceeded));
  ASSERT_TRUE(fake_.WaitForRequests(1, absl::Seconds(10)));
  fake_.Refuse();
  EXPECT_THAT(notifier->Deliver(Event(kEventClosed, 5)), StatusIs(absl::StatusCode::kUnavailable));
  fake_.Heal();
  EXPECT_THAT(notifier->Deliver(Event(kEventClosed, 5)), IsOk());
  EXPECT_EQ(fake_.events().size(), 2u);  // the hung post landed after its timeout
}

TEST_F(DatadogNotifierTest, WrongKeysArePermissionDeniedAndPermanent) {
  env_vars_["DD_API_KEY"] = "revoked";
  std::unique_ptr<Notifier> notifier = Make(Config());
  absl::StatusOr<DeliveryResult> result = notifier->Deliver(Event(kEventClosed, 3));
  EXPECT_THAT(result, StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("Forbidden")));
  EXPECT_FALSE(IsRetryable(result.status()));
  env_vars_["DD_API_KEY"] = "api-key";
  env_vars_["DD_APP_KEY"] = "revoked";
  notifier = Make(Config());
  EXPECT_THAT(notifier->Deliver(Event(kEventOpened, 4)),
              StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("datadog notebook lookup")));
}

TEST_F(DatadogNotifierTest, NoInstallationIdIsInternal) {
  env_.installation_id.clear();
  EXPECT_THAT(CreateError(Config()),
              StatusIs(absl::StatusCode::kInternal, "notifiers.datadog: no installation id"));
}

TEST_F(DatadogNotifierTest, ConfigErrorsNameTheKey) {
  json config = Config();
  config.erase("api_key_env");
  EXPECT_THAT(CreateError(config),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("notifiers.datadog.api_key_env is required")));
  config = Config();
  config["app_key_env"] = "UNSET";
  EXPECT_THAT(
      CreateError(config),
      StatusIs(absl::StatusCode::kInvalidArgument,
               HasSubstr("notifiers.datadog.app_key_env names environment variable UNSET")));
  config = Config();
  config["base_url"] = "api.datadoghq.com";
  EXPECT_THAT(CreateError(config),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("notifiers.datadog.base_url must be an http or https URL")));
  config = Config();
  config["site"] = "datadoghq.eu";
  EXPECT_THAT(CreateError(config),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("notifiers.datadog.site is not a known key")));
  config = Config();
  config["tags"] = {"a,b"};
  EXPECT_THAT(CreateError(config),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("notifiers.datadog.tags[0]")));
  config = Config();
  config["index_delay_s"] = -1;
  EXPECT_THAT(CreateError(config), StatusIs(absl::StatusCode::kInvalidArgument,
                                            HasSubstr("notifiers.datadog.index_delay_s")));
  config = Config();
  config["tags"] = "team:sre";
  EXPECT_THAT(CreateError(config),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("notifiers.datadog.tags")));
}

}  // namespace
}  // namespace ff
