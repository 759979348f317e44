// The outbox end to end in process: SqliteStore on a temporary file, the real
// Dispatcher, and scripted notifiers.
#include "server/outbox/dispatcher.h"

#include <memory>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/core/time_util.h"
#include "server/core/workflow.h"
#include "server/store/sqlite_store.h"
#include "tests/testing/scripted_notifier.h"
#include "tests/testing/server_process.h"
#include "tests/testing/status_matchers.h"

namespace ff {
namespace {

using ::ff::testing::IsOk;
using ::ff::testing::ScriptedNotifier;
using ::ff::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr absl::Duration kWait = absl::Seconds(10);

class DispatcherTest : public ::testing::Test {
 protected:
  void SetUp() override {
    all_ = std::make_unique<ScriptedNotifier>("all");
    opened_only_ =
        std::make_unique<ScriptedNotifier>("opened_only", std::set<std::string>{"incident.opened"});
    OpenStore();
  }

  void TearDown() override {
    all_->Release();
    opened_only_->Release();
    StopAll();
  }

  void OpenStore() {
    auto store = SqliteStore::Create(dir_.File("ff.db"));
    ASSERT_THAT(store, IsOk());
    store_ = *std::move(store);
    std::vector<Notifier*> notifiers = {all_.get(), opened_only_.get()};
    store_->SetOutboxRouter([notifiers](const pb::IncidentEvent& event) {
      std::vector<std::string> names;
      for (Notifier* n : notifiers) {
        if (n->Interested(event)) names.emplace_back(n->name());
      }
      return names;
    });
  }

  void StartDispatcher(int max_attempts = 5) {
    Dispatcher::Options options;
    options.retry = {absl::Milliseconds(5), absl::Milliseconds(20), max_attempts};
    options.workers_per_notifier = 2;
    options.idle_poll = absl::Milliseconds(20);
    dispatcher_ = std::make_unique<Dispatcher>(
        store_.get(), std::vector<Notifier*>{all_.get(), opened_only_.get()}, &clock_, options);
    store_->SetCommitObserver([this](const Committed&) { dispatcher_->Wake(); });
    dispatcher_->Start();
  }

  void StopAll() {
    if (dispatcher_) dispatcher_->Stop();
    dispatcher_.reset();
    store_.reset();
  }

  int64_t Open(const std::string& title) {
    pb::OpenIncidentRequest r;
    r.set_title(title);
    r.set_domain("payment");
    r.set_severity(pb::SEVERITY_SEV2);
    r.set_reporter("alice");
    auto committed = store_->Open(IncidentWorkflow::Open(r, clock_.Now()));
    EXPECT_THAT(committed, IsOk());
    return committed->incident.id();
  }

  void Move(int64_t id, pb::Status status) {
    auto committed = store_->Mutate(id, [&](const pb::Incident& current) {
      pb::UpdateIncidentRequest r;
      r.set_id(id);
      r.set_actor("bob");
      r.set_status(status);
      return IncidentWorkflow::Update(current, r, clock_.Now());
    });
    ASSERT_THAT(committed, IsOk());
  }

  std::vector<pb::Delivery> Deliveries(pb::DeliveryState state = pb::DELIVERY_STATE_UNSPECIFIED) {
    DeliveryFilter filter;
    if (state != pb::DELIVERY_STATE_UNSPECIFIED) filter.states = {state};
    auto found = store_->ListDeliveries(filter, 500, 0);
    EXPECT_THAT(found, IsOk());
    return *found;
  }

  // WaitUntilSettled waits until no delivery is pending.
  bool WaitUntilSettled() {
    absl::Time deadline = absl::Now() + kWait;
    while (absl::Now() < deadline) {
      if (Deliveries(pb::DELIVERY_STATE_PENDING).empty()) return true;
      absl::SleepFor(absl::Milliseconds(5));  // polling the store, bounded
    }
    return false;
  }

  static std::vector<std::string> Types(const std::vector<ff::testing::NotifierCall>& calls) {
    std::vector<std::string> out;
    for (const auto& c : calls) out.push_back(absl::StrCat(c.incident_id, ":", c.event_type));
    return out;
  }

  SystemClock clock_;
  ::ff::testing::TempDir dir_;
  std::unique_ptr<ScriptedNotifier> all_;
  std::unique_ptr<ScriptedNotifier> opened_only_;
  std::unique_ptr<SqliteStore> store_;
  std::unique_ptr<Dispatcher> dispatcher_;
};

TEST_F(DispatcherTest, EachEventReachesEachInterestedNotifierOnceInOrder) {
  StartDispatcher();
  int64_t id = Open("db down");
  Move(id, pb::STATUS_INVESTIGATING);
  Move(id, pb::STATUS_FIXED);
  ASSERT_TRUE(WaitUntilSettled());
  EXPECT_THAT(Types(all_->calls()), ElementsAre("1:incident.opened", "1:incident.status_changed",
                                                "1:incident.status_changed"));
  EXPECT_THAT(Types(opened_only_->calls()), ElementsAre("1:incident.opened"));
  std::vector<pb::Delivery> delivered = Deliveries(pb::DELIVERY_STATE_DELIVERED);
  EXPECT_EQ(delivered.size(), 4u);
  for (const auto& d : delivered) {
    EXPECT_EQ(d.attempts(), 1);
    EXPECT_TRUE(d.has_delivered_at());
  }
}

TEST_F(DispatcherTest, RetriesUntilDeliveredAndKeepsOrderMeanwhile) {
  all_->FailWith({absl::UnavailableError("503"), absl::DeadlineExceededError("slow")});
  StartDispatcher();
  int64_t id = Open("flaky");
  Move(id, pb::STATUS_FIXING);
  ASSERT_TRUE(WaitUntilSettled());
  auto calls = all_->calls();
  // opened failed twice; the status change waited for it.
  EXPECT_THAT(Types(calls), ElementsAre("1:incident.opened", "1:incident.opened",
                                        "1:incident.opened", "1:incident.status_changed"));
  EXPECT_EQ(calls[2].attempt, 3);
  DeliveryFilter mine;
  mine.notifier = "all";
  auto deliveries = store_->ListDeliveries(mine, 10, 0);
  ASSERT_THAT(deliveries, IsOk());
  EXPECT_EQ(deliveries->back().event_type(), "incident.opened");
  EXPECT_EQ(deliveries->back().attempts(), 3);
  EXPECT_EQ(deliveries->back().state(), pb::DELIVERY_STATE_DELIVERED);
  (void)id;
}

TEST_F(DispatcherTest, RetryAfterSetsTheNextAttempt) {
  all_->FailWith({WithRetryAfter(absl::ResourceExhaustedError("429"), absl::Hours(1))});
  StartDispatcher();
  Open("rate limited");
  ASSERT_TRUE(all_->WaitForCalls(1, kWait));
  absl::Time deadline = absl::Now() + kWait;
  std::vector<pb::Delivery> pending;
  while (absl::Now() < deadline) {
    DeliveryFilter filter;
    filter.notifier = "all";
    pending = *store_->ListDeliveries(filter, 10, 0);
    if (pending[0].attempts() == 1) break;
    absl::SleepFor(absl::Milliseconds(5));
  }
  ASSERT_EQ(pending[0].attempts(), 1);
  EXPECT_EQ(pending[0].state(), pb::DELIVERY_STATE_PENDING);
  EXPECT_THAT(pending[0].last_error(), HasSubstr("429"));
  absl::Duration wait =
      FromTimestamp(pending[0].next_attempt_at()) - FromTimestamp(pending[0].updated_at());
  EXPECT_GE(wait, absl::Hours(1));
}

TEST_F(DispatcherTest, PermanentFailureIsDeadAndRetryDeliveryRevivesIt) {
  all_->FailWith({absl::UnauthenticatedError("invalid_auth")});
  StartDispatcher();
  Open("bad token");
  ASSERT_TRUE(WaitUntilSettled());
  std::vector<pb::Delivery> dead = Deliveries(pb::DELIVERY_STATE_DEAD);
  ASSERT_EQ(dead.size(), 1u);
  EXPECT_EQ(dead[0].notifier(), "all");
  EXPECT_EQ(dead[0].attempts(), 1);
  EXPECT_THAT(dead[0].last_error(), HasSubstr("invalid_auth"));

  auto retried = store_->RetryDelivery(dead[0].id(), {"grace", "ops-bot"}, clock_.Now());
  ASSERT_THAT(retried, IsOk());
  EXPECT_EQ(retried->state(), pb::DELIVERY_STATE_PENDING);
  // The retry is on the incident's timeline, attributed, in the same write.
  auto timeline = store_->Timeline(dead[0].incident_id());
  ASSERT_THAT(timeline, IsOk());
  const pb::TimelineEntry& audit = timeline->back();
  EXPECT_EQ(audit.kind(), "delivery");
  EXPECT_EQ(audit.actor(), "grace");
  EXPECT_EQ(audit.via(), "ops-bot");
  EXPECT_EQ(audit.text(), absl::StrCat("Retried the all notification (delivery ", dead[0].id(),
                                       "), which had failed: ", dead[0].last_error()));
  dispatcher_->Wake();
  ASSERT_TRUE(WaitUntilSettled());
  EXPECT_TRUE(Deliveries(pb::DELIVERY_STATE_DEAD).empty());
  const size_t entries = store_->Timeline(dead[0].incident_id())->size();
  EXPECT_THAT(store_->RetryDelivery(dead[0].id(), {"grace", ""}, clock_.Now()),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("is delivered; only a dead delivery can be retried")));
  EXPECT_THAT(store_->RetryDelivery(999, {"grace", ""}, clock_.Now()),
              StatusIs(absl::StatusCode::kNotFound, "delivery 999 does not exist"));
  EXPECT_EQ(store_->Timeline(dead[0].incident_id())->size(), entries);  // refusals write nothing
}

TEST_F(DispatcherTest, GivesUpAfterMaxAttempts) {
  all_->FailWith(
      {absl::UnavailableError("1"), absl::UnavailableError("2"), absl::UnavailableError("3")});
  StartDispatcher(/*max_attempts=*/3);
  Open("always down");
  ASSERT_TRUE(WaitUntilSettled());
  std::vector<pb::Delivery> dead = Deliveries(pb::DELIVERY_STATE_DEAD);
  ASSERT_EQ(dead.size(), 1u);
  EXPECT_EQ(dead[0].attempts(), 3);
  EXPECT_THAT(dead[0].last_error(), HasSubstr("3"));
}

TEST_F(DispatcherTest, AHeldNotifierDelaysNeitherOthersNorOtherIncidents) {
  StartDispatcher();
  all_->HoldIncident(1);
  int64_t first = Open("stuck");
  ASSERT_TRUE(all_->WaitForCalls(1, kWait));  // held inside Deliver
  int64_t second = Open("moving");
  // The other notifier, and the same notifier for another incident, go on.
  ASSERT_TRUE(opened_only_->WaitForCalls(2, kWait));
  ASSERT_TRUE(all_->WaitForCalls(2, kWait));
  EXPECT_EQ(all_->calls()[1].incident_id, second);
  all_->Release();
  ASSERT_TRUE(WaitUntilSettled());
  EXPECT_EQ(all_->calls()[0].incident_id, first);
}

TEST_F(DispatcherTest, PendingDeliveriesResumeAfterRestart) {
  Open("before the crash");  // no dispatcher yet: stays pending
  Open("also before");
  EXPECT_EQ(Deliveries(pb::DELIVERY_STATE_PENDING).size(), 4u);
  StopAll();
  OpenStore();
  StartDispatcher();
  ASSERT_TRUE(WaitUntilSettled());
  EXPECT_THAT(Types(opened_only_->calls()),
              ::testing::UnorderedElementsAre("1:incident.opened", "2:incident.opened"));
  EXPECT_EQ(Deliveries(pb::DELIVERY_STATE_DELIVERED).size(), 4u);
}

TEST_F(DispatcherTest, WriteBackAddsLinksParticipantsAndTheirEvents) {
  DeliveryResult result;
  pb::Link channel;
  channel.set_kind("slack_channel");
  channel.set_url("https://example.slack.com/archives/C1");
  channel.set_external_id("C1");
  result.links.push_back(channel);
  result.participants = {"oncall@example.com"};
  result.note = "Channel #inc-1-payment-db created";
  opened_only_->ResultFor("incident.opened", result);
  StartDispatcher();
  int64_t id = Open("db");
  ASSERT_TRUE(WaitUntilSettled());
  auto incident = store_->Get(id);
  ASSERT_THAT(incident, IsOk());
  ASSERT_EQ(incident->links_size(), 1);
  EXPECT_EQ(incident->links(0).external_id(), "C1");
  EXPECT_THAT(incident->participants(), ElementsAre("alice", "oncall@example.com"));
  EXPECT_EQ(incident->version(), 1);  // background work leaves the version alone
  auto timeline = store_->Timeline(id);
  ASSERT_THAT(timeline, IsOk());
  ASSERT_EQ(timeline->size(), 3u);
  EXPECT_EQ((*timeline)[1].kind(), "notification");
  EXPECT_EQ((*timeline)[1].actor(), "opened_only");
  EXPECT_EQ((*timeline)[1].text(), "Channel #inc-1-payment-db created");
  EXPECT_EQ((*timeline)[2].text(), "Participants added: oncall@example.com");
  // "all" hears of the new link and participant, with the current incident.
  EXPECT_THAT(Types(all_->calls()), ElementsAre("1:incident.opened", "1:incident.links_changed",
                                                "1:incident.participants_changed"));
  EXPECT_EQ(all_->calls()[2].current.links_size(), 1);
}

TEST_F(DispatcherTest, UnconfiguredNotifierIsDead) {
  StartDispatcher();
  // A row for a notifier this dispatcher does not know (configured once,
  // removed since), inserted through a router that names it.
  store_->SetOutboxRouter(
      [](const pb::IncidentEvent&) { return std::vector<std::string>{"retired"}; });
  Open("orphan");
  ASSERT_TRUE(WaitUntilSettled());
  std::vector<pb::Delivery> dead = Deliveries(pb::DELIVERY_STATE_DEAD);
  ASSERT_EQ(dead.size(), 1u);
  EXPECT_EQ(dead[0].last_error(), "notifier retired is not configured");
}

}  // namespace
}  // namespace ff
