// Jira notifier against the fake: exactly one issue per follow-up with the
// right fields and exactly one transition when it is done or cancelled,
// under injected 500s, 429 + Retry-After and lost answers; another
// installation's issues never adopted; config keys validated by name.
#include "server/notifiers/jira/jira_notifier.h"

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "clients/http/curl_http_client.h"
#include "clients/http/rate_budget.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/core/follow_ups.h"
#include "tests/testing/fake_clock.h"
#include "tests/testing/fake_jira.h"
#include "tests/testing/status_matchers.h"

namespace ff {
namespace {

using json = nlohmann::json;
using ::ff::testing::FakeJira;
using ::ff::testing::IsOk;
using ::ff::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

constexpr char kInstallation[] = "0123456789abcdef";
constexpr char kIssuePath[] = "POST /rest/api/3/issue";

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

int Count(const std::vector<testing::RecordedRequest>& requests, const std::string& route) {
  int n = 0;
  for (const testing::RecordedRequest& request : requests) {
    n += absl::StrCat(request.method, " ", request.path) == route;
  }
  return n;
}

class JiraNotifierTest : public ::testing::Test {
 protected:
  JiraNotifierTest() {
    fake_.AddUser("acc-alice", "alice@example.com", "Alice Martin");
    fake_.set_index_lag(absl::Seconds(30), &clock_);
    env_vars_ = {{"JIRA_API_TOKEN", "secret"}};
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
    return {{"url", fake_.base_url()},
            {"email", "bot@example.com"},
            {"token_env", "JIRA_API_TOKEN"},
            {"project_key", "OPS"},
            {"issue_type", "Task"},
            {"done_transition", "Done"},
            {"cancelled_transition", "Won't Do"},
            {"labels", json::array({"postmortem-action"})},
            {"dashboard_url", "https://ff.example.com"},
            {"index_delay_s", 30},
            {"timeout_ms", 2000}};
  }

  std::unique_ptr<Notifier> Make(const json& config) {
    absl::StatusOr<std::unique_ptr<Notifier>> notifier =
        MakeJiraNotifierFactory()->Create(config, env_);
    EXPECT_THAT(notifier, IsOk());
    return notifier.ok() ? std::move(*notifier) : nullptr;
  }

  absl::Status CreateError(const json& config) {
    return MakeJiraNotifierFactory()->Create(config, env_).status();
  }

  static pb::FollowUp FollowUp(pb::FollowUpStatus status = pb::FOLLOW_UP_STATUS_OPEN) {
    pb::FollowUp follow_up;
    follow_up.set_id(7);
    follow_up.set_incident_id(42);
    follow_up.set_title("Add a circuit breaker to the payment client");
    follow_up.set_description("Timeouts cascaded.\nSee the postmortem.");
    follow_up.set_owner("alice@example.com");
    follow_up.set_due_date("2026-02-01");
    follow_up.set_status(status);
    return follow_up;
  }

  // Event is a follow-up event; `tracker_key` is what the store holds now.
  static Delivery Event(absl::string_view type, const pb::FollowUp& follow_up,
                        const std::string& tracker_key = "") {
    Delivery delivery;
    delivery.id = 1;
    delivery.notifier = "jira";
    delivery.event.set_type(std::string(type));
    *delivery.event.mutable_follow_up() = follow_up;
    pb::Incident* incident = delivery.event.mutable_incident();
    incident->set_id(42);
    incident->set_title("Checkout fails");
    incident->set_severity(pb::SEVERITY_SEV2);
    pb::Link* channel = incident->add_links();
    channel->set_kind("slack_channel");
    channel->set_url("https://acme.slack.com/archives/C042");
    delivery.current = *incident;
    pb::FollowUp stored = follow_up;
    stored.set_tracker_key(tracker_key);
    delivery.follow_ups.push_back(stored);
    return delivery;
  }

  // Created delivers followup.added and returns the issue's key.
  std::string Created(Notifier& notifier) {
    absl::StatusOr<DeliveryResult> result =
        notifier.Deliver(Event(kEventFollowUpAdded, FollowUp()));
    EXPECT_THAT(result, IsOk());
    return result.ok() && !result->trackers.empty() ? result->trackers[0].key : "";
  }

  FakeJira fake_{"bot@example.com", "secret"};
  std::unique_ptr<HttpClient> http_ = CurlHttpClient::Create();
  testing::FakeClock clock_;
  std::map<std::string, std::string> env_vars_;
  NotifierEnv env_;
};

TEST_F(JiraNotifierTest, InterestedInFollowUpsAddedAndUpdatedOnly) {
  std::unique_ptr<Notifier> notifier = Make(Config());
  EXPECT_TRUE(notifier->NeedsFollowUps());
  EXPECT_TRUE(notifier->Interested(Event(kEventFollowUpAdded, FollowUp()).event));
  EXPECT_TRUE(notifier->Interested(Event(kEventFollowUpUpdated, FollowUp()).event));
  EXPECT_FALSE(notifier->Interested(Event(kEventFollowUpTrackerLinked, FollowUp()).event));
  EXPECT_FALSE(notifier->Interested(Event("incident.opened", pb::FollowUp()).event));
}

TEST_F(JiraNotifierTest, AddedCreatesOneIssueWithTheRightFields) {
  std::unique_ptr<Notifier> notifier = Make(Config());
  absl::StatusOr<DeliveryResult> result = notifier->Deliver(Event(kEventFollowUpAdded, FollowUp()));
  ASSERT_THAT(result, IsOk());
  ASSERT_EQ(fake_.issues().size(), 1u);
  testing::JiraIssueRecord issue = fake_.issues()[0];
  EXPECT_EQ(issue.key, "OPS-1");
  EXPECT_EQ(issue.issue_type, "Task");
  EXPECT_EQ(issue.summary, "Add a circuit breaker to the payment client");
  EXPECT_EQ(issue.assignee, "acc-alice");
  EXPECT_EQ(issue.due_date, "2026-02-01");
  EXPECT_THAT(issue.labels, ElementsAre("firefighter-0123456789abcdef", "firefighter-incident-42",
                                        "firefighter-0123456789abcdef-fu-7", "postmortem-action"));
  std::string description = issue.description.dump();
  EXPECT_THAT(description, HasSubstr(R"("text":"Timeouts cascaded.")"));
  EXPECT_THAT(description, HasSubstr(R"("text":"incident #42: Checkout fails")"));
  EXPECT_THAT(description, HasSubstr(R"("href":"https://ff.example.com/incidents/42")"));
  EXPECT_THAT(description, HasSubstr(R"("href":"https://acme.slack.com/archives/C042")"));
  ASSERT_EQ(result->trackers.size(), 1u);
  EXPECT_EQ(result->trackers[0].follow_up_id, 7);
  EXPECT_EQ(result->trackers[0].key, "OPS-1");
  EXPECT_EQ(result->trackers[0].url, fake_.base_url() + "/browse/OPS-1");
  EXPECT_EQ(result->note, "Jira issue OPS-1 created for follow-up FU-7");
}

TEST_F(JiraNotifierTest, AnOwnerWithoutAJiraAccountLeavesTheIssueUnassigned) {
  std::unique_ptr<Notifier> notifier = Make(Config());
  pb::FollowUp follow_up = FollowUp();
  follow_up.set_owner("carol@example.com");
  follow_up.clear_due_date();
  ASSERT_THAT(notifier->Deliver(Event(kEventFollowUpAdded, follow_up)), IsOk());
  ASSERT_EQ(fake_.issues().size(), 1u);
  EXPECT_EQ(fake_.issues()[0].assignee, "");
  EXPECT_EQ(fake_.issues()[0].due_date, "");
}

TEST_F(JiraNotifierTest, DeliveredAgainFindsTheIssueByItsMarker) {
  std::unique_ptr<Notifier> notifier = Make(Config());
  std::string key = Created(*notifier);
  clock_.Advance(absl::Seconds(30));  // indexed
  absl::StatusOr<DeliveryResult> again = notifier->Deliver(Event(kEventFollowUpAdded, FollowUp()));
  ASSERT_THAT(again, IsOk());
  EXPECT_EQ(fake_.issues().size(), 1u);
  ASSERT_EQ(again->trackers.size(), 1u);
  EXPECT_EQ(again->trackers[0].key, key);
  EXPECT_EQ(again->note, "");
}

TEST_F(JiraNotifierTest, AnotherInstallationsIssueIsNeverAdopted) {
  fake_.PlantIssue("theirs", {"firefighter-fedcba9876543210-fu-7", "firefighter-incident-42"});
  std::unique_ptr<Notifier> notifier = Make(Config());
  ASSERT_THAT(notifier->Deliver(Event(kEventFollowUpAdded, FollowUp())), IsOk());
  ASSERT_EQ(fake_.issues().size(), 2u);
  EXPECT_EQ(fake_.issues()[1].summary, "Add a circuit breaker to the payment client");
}

TEST_F(JiraNotifierTest, AServerErrorOnTheCreateStillMakesExactlyOneIssue) {
  std::unique_ptr<Notifier> notifier = Make(Config());
  KeptProgress outbox;
  fake_.FailNextOn(1, kIssuePath, 500);
  EXPECT_THAT(notifier->Deliver(outbox.Attempt(Event(kEventFollowUpAdded, FollowUp()))),
              StatusIs(absl::StatusCode::kUnavailable));
  // A 500 may hide a create that happened: look once Jira's search has it.
  absl::StatusOr<DeliveryResult> early =
      notifier->Deliver(outbox.Attempt(Event(kEventFollowUpAdded, FollowUp())));
  EXPECT_THAT(early, StatusIs(absl::StatusCode::kUnavailable, HasSubstr("indexed")));
  EXPECT_EQ(RetryAfterOf(early.status()), absl::Seconds(30));
  clock_.Advance(absl::Seconds(30));
  absl::StatusOr<DeliveryResult> later =
      notifier->Deliver(outbox.Attempt(Event(kEventFollowUpAdded, FollowUp())));
  ASSERT_THAT(later, IsOk());
  ASSERT_EQ(fake_.issues().size(), 1u);
  EXPECT_EQ(Count(fake_.requests(), kIssuePath), 2);
  ASSERT_EQ(later->trackers.size(), 1u);
  EXPECT_EQ(later->trackers[0].key, fake_.issues()[0].key);
}

TEST_F(JiraNotifierTest, ALostCreateAnswerIsFoundNotRepeated) {
  std::unique_ptr<Notifier> notifier = Make(Config());
  KeptProgress outbox;
  fake_.LoseNextAnswers(1, kIssuePath);
  EXPECT_THAT(notifier->Deliver(outbox.Attempt(Event(kEventFollowUpAdded, FollowUp()))),
              StatusIs(absl::StatusCode::kUnavailable));
  ASSERT_EQ(fake_.issues().size(), 1u);  // made, though we were not told
  EXPECT_THAT(notifier->Deliver(outbox.Attempt(Event(kEventFollowUpAdded, FollowUp()))),
              StatusIs(absl::StatusCode::kUnavailable, HasSubstr("indexed")));
  clock_.Advance(absl::Seconds(30));
  absl::StatusOr<DeliveryResult> found =
      notifier->Deliver(outbox.Attempt(Event(kEventFollowUpAdded, FollowUp())));
  ASSERT_THAT(found, IsOk());
  EXPECT_EQ(fake_.issues().size(), 1u);
  EXPECT_EQ(Count(fake_.requests(), kIssuePath), 1);
  ASSERT_EQ(found->trackers.size(), 1u);
  EXPECT_EQ(found->trackers[0].key, "OPS-1");
  EXPECT_EQ(found->note, "Jira issue OPS-1 created for follow-up FU-7");
}

TEST_F(JiraNotifierTest, RateLimitPausesEveryDeliveryUntilRetryAfter) {
  std::unique_ptr<Notifier> notifier = Make(Config());
  KeptProgress outbox;
  fake_.FailNextOn(1, kIssuePath, 429, 9);
  absl::StatusOr<DeliveryResult> limited =
      notifier->Deliver(outbox.Attempt(Event(kEventFollowUpAdded, FollowUp())));
  EXPECT_THAT(limited, StatusIs(absl::StatusCode::kResourceExhausted));
  EXPECT_EQ(RetryAfterOf(limited.status()), absl::Seconds(9));
  size_t sent = fake_.requests().size();
  absl::StatusOr<DeliveryResult> paused =
      notifier->Deliver(outbox.Attempt(Event(kEventFollowUpAdded, FollowUp())));
  EXPECT_TRUE(IsBudgetWait(paused.status())) << paused.status();
  EXPECT_EQ(fake_.requests().size(), sent);  // nothing sent while paused
  clock_.Advance(absl::Seconds(9));
  // A 429 is a definite refusal: the create is made at once, not searched for.
  ASSERT_THAT(notifier->Deliver(outbox.Attempt(Event(kEventFollowUpAdded, FollowUp()))), IsOk());
  EXPECT_EQ(fake_.issues().size(), 1u);
  EXPECT_EQ(Count(fake_.requests(), kIssuePath), 2);
}

TEST_F(JiraNotifierTest, DoneTransitionsTheIssueExactlyOnce) {
  std::unique_ptr<Notifier> notifier = Make(Config());
  std::string key = Created(*notifier);
  Delivery done = Event(kEventFollowUpUpdated, FollowUp(pb::FOLLOW_UP_STATUS_DONE), key);
  absl::StatusOr<DeliveryResult> result = notifier->Deliver(done);
  ASSERT_THAT(result, IsOk());
  EXPECT_EQ(result->note, "Jira issue OPS-1 moved to Done (follow-up FU-7 done)");
  EXPECT_THAT(result->trackers, IsEmpty());      // the follow-up holds it already
  ASSERT_THAT(notifier->Deliver(done), IsOk());  // delivered again
  ASSERT_EQ(fake_.transitions().size(), 1u);
  EXPECT_EQ(fake_.transitions()[0].key, key);
  EXPECT_EQ(fake_.transitions()[0].name, "Done");
  EXPECT_EQ(fake_.issue(key)->status, "Done");
  EXPECT_EQ(Count(fake_.requests(), "POST /rest/api/3/search/jql"), 1);  // the key was known
}

TEST_F(JiraNotifierTest, ALostTransitionAnswerIsNotRepeated) {
  std::unique_ptr<Notifier> notifier = Make(Config());
  std::string key = Created(*notifier);
  KeptProgress outbox;
  Delivery done = Event(kEventFollowUpUpdated, FollowUp(pb::FOLLOW_UP_STATUS_DONE), key);
  fake_.LoseNextAnswers(1, "POST /rest/api/3/issue/" + key + "/transitions");
  EXPECT_THAT(notifier->Deliver(outbox.Attempt(done)), StatusIs(absl::StatusCode::kUnavailable));
  fake_.FailNext(1, 503);  // and Jira stumbles once more
  EXPECT_THAT(notifier->Deliver(outbox.Attempt(done)), StatusIs(absl::StatusCode::kUnavailable));
  ASSERT_THAT(notifier->Deliver(outbox.Attempt(done)), IsOk());
  ASSERT_EQ(fake_.transitions().size(), 1u);
  EXPECT_EQ(fake_.issue(key)->status, "Done");
}

TEST_F(JiraNotifierTest, CancelledTakesTheCancelledTransition) {
  std::unique_ptr<Notifier> notifier = Make(Config());
  std::string key = Created(*notifier);
  ASSERT_THAT(notifier->Deliver(
                  Event(kEventFollowUpUpdated, FollowUp(pb::FOLLOW_UP_STATUS_CANCELLED), key)),
              IsOk());
  ASSERT_EQ(fake_.transitions().size(), 1u);
  EXPECT_EQ(fake_.transitions()[0].name, "Won't Do");
  // Done after cancelled: the issue is closed already, nothing moves.
  ASSERT_THAT(
      notifier->Deliver(Event(kEventFollowUpUpdated, FollowUp(pb::FOLLOW_UP_STATUS_DONE), key)),
      IsOk());
  EXPECT_EQ(fake_.transitions().size(), 1u);
}

TEST_F(JiraNotifierTest, DoneBeforeTheTrackerKeyWasStoredFindsTheIssueByMarker) {
  std::unique_ptr<Notifier> notifier = Make(Config());
  Created(*notifier);
  clock_.Advance(absl::Seconds(30));
  absl::StatusOr<DeliveryResult> result =
      notifier->Deliver(Event(kEventFollowUpUpdated, FollowUp(pb::FOLLOW_UP_STATUS_DONE)));
  ASSERT_THAT(result, IsOk());
  EXPECT_EQ(fake_.issues().size(), 1u);
  EXPECT_EQ(fake_.transitions().size(), 1u);
  ASSERT_EQ(result->trackers.size(), 1u);
  EXPECT_EQ(result->trackers[0].key, "OPS-1");
}

TEST_F(JiraNotifierTest, EditsBringTitleOwnerAndDueDateInLine) {
  fake_.AddUser("acc-bob", "bob@example.com", "Bob");
  std::unique_ptr<Notifier> notifier = Make(Config());
  std::string key = Created(*notifier);
  pb::FollowUp edited = FollowUp();
  edited.set_title("Add a circuit breaker and a retry budget");
  edited.set_owner("bob@example.com");
  edited.set_due_date("2026-03-01");
  ASSERT_THAT(notifier->Deliver(Event(kEventFollowUpUpdated, edited, key)), IsOk());
  std::optional<testing::JiraIssueRecord> issue = fake_.issue(key);
  ASSERT_TRUE(issue.has_value());
  EXPECT_EQ(issue->summary, "Add a circuit breaker and a retry budget");
  EXPECT_EQ(issue->assignee, "acc-bob");
  EXPECT_EQ(issue->due_date, "2026-03-01");
  EXPECT_THAT(fake_.transitions(), IsEmpty());
  size_t puts = Count(fake_.requests(), "PUT /rest/api/3/issue/" + key);
  ASSERT_THAT(notifier->Deliver(Event(kEventFollowUpUpdated, edited, key)), IsOk());
  EXPECT_EQ(Count(fake_.requests(), "PUT /rest/api/3/issue/" + key), puts);  // nothing to edit
}

TEST_F(JiraNotifierTest, AFollowUpClosedBeforeItHadAnIssueGetsNone) {
  std::unique_ptr<Notifier> notifier = Make(Config());
  absl::StatusOr<DeliveryResult> result =
      notifier->Deliver(Event(kEventFollowUpUpdated, FollowUp(pb::FOLLOW_UP_STATUS_CANCELLED)));
  ASSERT_THAT(result, IsOk());
  EXPECT_THAT(fake_.issues(), IsEmpty());
  EXPECT_THAT(result->trackers, IsEmpty());
}

TEST_F(JiraNotifierTest, AnIssueDeletedInJiraStaysDeleted) {
  std::unique_ptr<Notifier> notifier = Make(Config());
  absl::StatusOr<DeliveryResult> result = notifier->Deliver(
      Event(kEventFollowUpUpdated, FollowUp(pb::FOLLOW_UP_STATUS_DONE), "OPS-404"));
  ASSERT_THAT(result, IsOk());
  EXPECT_THAT(fake_.issues(), IsEmpty());
  EXPECT_THAT(fake_.transitions(), IsEmpty());
}

TEST_F(JiraNotifierTest, ATransitionTheWorkflowLacksIsAPermanentErrorNamingIt) {
  json config = Config();
  config["done_transition"] = "Finish";
  std::unique_ptr<Notifier> notifier = Make(config);
  std::string key = Created(*notifier);
  absl::StatusOr<DeliveryResult> result =
      notifier->Deliver(Event(kEventFollowUpUpdated, FollowUp(pb::FOLLOW_UP_STATUS_DONE), key));
  EXPECT_THAT(result, StatusIs(absl::StatusCode::kFailedPrecondition,
                               HasSubstr("transition \"Finish\" is not available for OPS-1 in "
                                         "status \"To Do\"; available: Start, Done, Won't Do")));
  EXPECT_FALSE(IsRetryable(result.status()));
}

TEST_F(JiraNotifierTest, BadCredentialsArePermanent) {
  env_vars_["JIRA_API_TOKEN"] = "wrong";
  std::unique_ptr<Notifier> notifier = Make(Config());
  absl::StatusOr<DeliveryResult> result = notifier->Deliver(Event(kEventFollowUpAdded, FollowUp()));
  EXPECT_THAT(result, StatusIs(absl::StatusCode::kUnauthenticated));
  EXPECT_FALSE(IsRetryable(result.status()));
  EXPECT_THAT(std::string(result.status().message()), ::testing::Not(HasSubstr("wrong")));
}

TEST_F(JiraNotifierTest, ConfigErrorsNameTheKey) {
  for (const char* key :
       {"url", "email", "project_key", "issue_type", "done_transition", "cancelled_transition"}) {
    json config = Config();
    config.erase(key);
    EXPECT_THAT(CreateError(config), StatusIs(absl::StatusCode::kInvalidArgument,
                                              HasSubstr(absl::StrCat("notifiers.jira.", key))))
        << key;
  }
  struct Bad {
    const char* key;
    json value;
    const char* named;
  };
  for (const Bad& bad : std::vector<Bad>{{"url", "acme.atlassian.net", "url"},
                                         {"email", "bot", "email"},
                                         {"project_key", "ops", "project_key"},
                                         {"labels", json::array({"ok", "not ok"}), "labels[1]"},
                                         {"dashboard_url", "ff", "dashboard_url"},
                                         {"index_delay_s", -1, "index_delay_s"},
                                         {"set_due_date", "yes", "set_due_date"},
                                         {"timeout_ms", 0, "timeout_ms"},
                                         {"rate_limits", {{"search", 10}}, "rate_limits"},
                                         {"token_env", "UNSET_VARIABLE", "token_env"},
                                         {"projectKey", "OPS", "projectKey"}}) {
    json config = Config();
    config[bad.key] = bad.value;
    EXPECT_THAT(CreateError(config),
                StatusIs(absl::StatusCode::kInvalidArgument,
                         HasSubstr(absl::StrCat("notifiers.jira.", bad.named))))
        << bad.key;
  }
  json defaults = Config();
  defaults.erase("token_env");  // JIRA_API_TOKEN
  EXPECT_THAT(CreateError(defaults), IsOk());
}

TEST_F(JiraNotifierTest, NoInstallationIdIsInternal) {
  env_.installation_id.clear();
  EXPECT_THAT(CreateError(Config()), StatusIs(absl::StatusCode::kInternal));
}

}  // namespace
}  // namespace ff
