// Reminders end to end in process: the real ReminderScheduler on each real
// store (SqliteStore in a temporary file, PgStore on a throwaway PostgreSQL
// cluster), a fake clock the tests advance (no sleeping for an interval), and
// restarts made by opening a new store on the same database. Every test
// asserts the same on both: what a reminder is must not depend on where it
// is stored.
#include "server/reminders/reminder_scheduler.h"

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/core/follow_ups.h"
#include "server/core/time_util.h"
#include "server/core/workflow.h"
#include "server/outbox/dispatcher.h"
#include "server/store/pg_store.h"
#include "server/store/sqlite_store.h"
#include "tests/testing/fake_clock.h"
#include "tests/testing/postgres_cluster.h"
#include "tests/testing/scripted_notifier.h"
#include "tests/testing/server_process.h"
#include "tests/testing/status_matchers.h"

namespace ff {
namespace {

using ::ff::testing::IsOk;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

// Monday 2026-01-05 10:00 UTC.
const absl::Time kMonday10 = absl::FromUnixSeconds(1767571200) + absl::Hours(10);

ReminderSettings Settings() {
  ReminderSettings s;
  s.stale.after[pb::SEVERITY_SEV2] = absl::Minutes(30);
  s.fixed.after[pb::SEVERITY_SEV2] = absl::Hours(24);
  s.postmortem.after[pb::SEVERITY_SEV2] = absl::Hours(24 * 5);
  OfficeHours hours;
  hours.days = {absl::Weekday::monday, absl::Weekday::tuesday, absl::Weekday::wednesday,
                absl::Weekday::thursday, absl::Weekday::friday};
  hours.start_minute = 9 * 60;
  hours.end_minute = 18 * 60;
  s.postmortem.office_hours = hours;
  s.followup.after[pb::SEVERITY_SEV2] = absl::Hours(24);
  return s;
}

enum class Backend { kSqlite, kPostgres };

class ReminderSchedulerTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    if (GetParam() == Backend::kPostgres) {
      auto cluster = ::ff::testing::PostgresCluster::Create();
      ASSERT_THAT(cluster, IsOk());
      cluster_ = *std::move(cluster);
      auto uri = cluster_->CreateDatabase("ff");
      ASSERT_THAT(uri, IsOk());
      uri_ = *uri;
    }
    Restart();
  }

  // Restart drops the scheduler and the store and opens them again on the
  // same database: whatever survives is what the database holds.
  void Restart() {
    scheduler_.reset();
    store_ = nullptr;
    outbox_ = nullptr;
    owner_.reset();
    if (GetParam() == Backend::kSqlite) {
      Adopt(SqliteStore::Create(dir_.File("ff.db")));
    } else {
      Adopt(PgStore::Create(uri_, PgStoreOptions()));
    }
    ASSERT_NE(owner_, nullptr);
    outbox_->SetOutboxRouter([this](const pb::IncidentEvent& event) {
      std::vector<std::string> names;
      if (slack_.Interested(event)) names.emplace_back(slack_.name());
      return names;
    });
    scheduler_ = std::make_unique<ReminderScheduler>(store_, outbox_, &clock_, Settings());
  }

  // Adopt keeps a newly opened store, which is both a Store and an
  // OutboxStore.
  template <typename T>
  void Adopt(absl::StatusOr<std::unique_ptr<T>> made) {
    ASSERT_THAT(made, IsOk());
    store_ = made->get();
    outbox_ = made->get();
    owner_ = *std::move(made);
  }

  int Tick() {
    absl::StatusOr<int> recorded = scheduler_->Tick();
    EXPECT_THAT(recorded, IsOk());
    return recorded.value_or(-1);
  }

  int64_t Open(pb::Severity severity = pb::SEVERITY_SEV2) {
    pb::OpenIncidentRequest r;
    r.set_title("Checkout fails");
    r.set_domain("payment");
    r.set_severity(severity);
    r.set_reporter("alice");
    auto committed = store_->Open(IncidentWorkflow::Open(r, clock_.Now()));
    EXPECT_THAT(committed, IsOk());
    return committed.ok() ? committed->incident.id() : 0;
  }

  void MoveTo(int64_t id, pb::Status status) {
    pb::UpdateIncidentRequest r;
    r.set_id(id);
    r.set_actor("bob");
    r.set_status(status);
    absl::Time now = clock_.Now();
    ASSERT_THAT(store_->Mutate(id,
                               [&](const pb::Incident& current) {
                                 return IncidentWorkflow::Update(current, r, now);
                               }),
                IsOk());
  }

  // ReminderTexts lists the reminders recorded on incident `id`, oldest first.
  std::vector<std::string> ReminderTexts(int64_t id) {
    std::vector<std::string> texts;
    auto timeline = store_->Timeline(id);
    EXPECT_THAT(timeline, IsOk());
    for (const pb::TimelineEntry& e : timeline.value_or(std::vector<pb::TimelineEntry>{})) {
      if (e.kind() == "reminder") texts.push_back(e.text());
    }
    return texts;
  }

  // SlackDeliveries counts the reminder deliveries queued for "slack".
  int SlackDeliveries(int64_t id) {
    DeliveryFilter filter;
    filter.incident_id = id;
    filter.notifier = "slack";
    auto deliveries = outbox_->ListDeliveries(filter, 100, 0);
    EXPECT_THAT(deliveries, IsOk());
    int n = 0;
    for (const pb::Delivery& d : deliveries.value_or(std::vector<pb::Delivery>{})) {
      n += d.event_type() == kEventReminder;
    }
    return n;
  }

  // Declared in the order they may be built; destroyed in reverse, so the
  // scheduler goes before the store and the store before its database.
  ::ff::testing::TempDir dir_;
  std::unique_ptr<::ff::testing::PostgresCluster> cluster_;
  std::string uri_;
  ::ff::testing::FakeClock clock_{kMonday10};
  ::ff::testing::ScriptedNotifier slack_{"slack", {std::string(kEventReminder)}};
  std::unique_ptr<Store> owner_;
  Store* store_ = nullptr;
  OutboxStore* outbox_ = nullptr;
  std::unique_ptr<ReminderScheduler> scheduler_;
};

INSTANTIATE_TEST_SUITE_P(Stores, ReminderSchedulerTest,
                         ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         [](const ::testing::TestParamInfo<Backend>& instance) {
                           return instance.param == Backend::kSqlite ? "Sqlite" : "Postgres";
                         });

TEST_P(ReminderSchedulerTest, StaleReminderFiresOncePerIntervalAcrossRestarts) {
  int64_t id = Open();
  clock_.Advance(absl::Minutes(30) - absl::Seconds(1));
  EXPECT_EQ(Tick(), 0) << "not before the interval";
  clock_.Advance(absl::Seconds(1));
  EXPECT_EQ(Tick(), 1) << "at the interval";
  EXPECT_EQ(Tick(), 0) << "not twice";
  clock_.Advance(absl::Minutes(15));
  EXPECT_EQ(Tick(), 0) << "not twice in one interval";

  Restart();
  EXPECT_EQ(Tick(), 0) << "not again after a restart";
  clock_.Advance(absl::Minutes(15));  // 60 minutes without an update
  EXPECT_EQ(Tick(), 1) << "the next interval";
  Restart();
  EXPECT_EQ(Tick(), 0);

  EXPECT_THAT(ReminderTexts(id), ElementsAre(HasSubstr("Reminder: no update for 30m (OPEN, SEV2)"),
                                             HasSubstr("Reminder: no update for 1h (OPEN, SEV2)")));
  EXPECT_EQ(SlackDeliveries(id), 2);
  // A reminder is not an update: the incident is as it was.
  auto incident = store_->Get(id);
  ASSERT_THAT(incident, IsOk());
  EXPECT_EQ(incident->version(), 1);
  EXPECT_EQ(FromTimestamp(incident->updated_at()), kMonday10);
}

TEST_P(ReminderSchedulerTest, AnUpdateStartsTheCountAgain) {
  int64_t id = Open();
  clock_.Advance(absl::Minutes(20));
  MoveTo(id, pb::STATUS_INVESTIGATING);
  clock_.Advance(absl::Minutes(20));  // 40 minutes after opening, 20 after the update
  EXPECT_EQ(Tick(), 0);
  clock_.Advance(absl::Minutes(10));
  EXPECT_EQ(Tick(), 1);
  EXPECT_THAT(ReminderTexts(id), ElementsAre(HasSubstr("no update for 30m (INVESTIGATING")));
}

TEST_P(ReminderSchedulerTest, FixedWithoutPostmortemAfterItsHours) {
  int64_t id = Open();
  MoveTo(id, pb::STATUS_FIXED);
  clock_.Advance(absl::Hours(24) - absl::Minutes(1));
  EXPECT_EQ(Tick(), 0);
  clock_.Advance(absl::Minutes(1));
  EXPECT_EQ(Tick(), 1);
  Restart();
  EXPECT_EQ(Tick(), 0);
  EXPECT_THAT(ReminderTexts(id),
              ElementsAre("Reminder: FIXED for 1d without a postmortem. SEV2 incidents need one: "
                          "move it to POSTMORTEM."));
  MoveTo(id, pb::STATUS_POSTMORTEM);
  clock_.Advance(absl::Hours(24));
  EXPECT_EQ(Tick(), 0) << "the fixed reminder stops once in POSTMORTEM";
}

TEST_P(ReminderSchedulerTest, PostmortemReminderWaitsForOfficeHours) {
  int64_t id = Open();
  MoveTo(id, pb::STATUS_FIXED);
  MoveTo(id, pb::STATUS_POSTMORTEM);    // Monday 10:00
  clock_.Advance(absl::Hours(24 * 5));  // Saturday 10:00: due, but a weekend
  EXPECT_EQ(Tick(), 0);
  clock_.Advance(absl::Hours(24 + 22) + absl::Minutes(59));  // Monday 08:59
  EXPECT_EQ(Tick(), 0);
  clock_.Advance(absl::Minutes(1));  // Monday 09:00: the window opens
  EXPECT_EQ(Tick(), 1);
  clock_.Advance(absl::Hours(1));
  EXPECT_EQ(Tick(), 0);
  Restart();
  EXPECT_EQ(Tick(), 0);
  EXPECT_THAT(ReminderTexts(id),
              ElementsAre("Reminder: in POSTMORTEM for 5d. Hold the review and close the "
                          "incident."));
}

TEST_P(ReminderSchedulerTest, SeveritiesWithoutARuleAndClosedIncidentsGetNone) {
  int64_t sev4 = Open(pb::SEVERITY_SEV4);
  int64_t closed = Open();
  pb::CloseIncidentRequest close;
  close.set_id(closed);
  close.set_actor("bob");
  close.set_reason(pb::CLOSE_REASON_DUPLICATE);
  absl::Time now = clock_.Now();
  ASSERT_THAT(store_->Mutate(closed,
                             [&](const pb::Incident& current) {
                               return IncidentWorkflow::Close(current, close, now);
                             }),
              IsOk());
  clock_.Advance(absl::Hours(48));
  EXPECT_EQ(Tick(), 0);
  EXPECT_TRUE(ReminderTexts(sev4).empty());
  EXPECT_TRUE(ReminderTexts(closed).empty());
}

TEST_P(ReminderSchedulerTest, TheDispatcherDeliversEachReminderOnce) {
  Dispatcher::Options options;
  options.idle_poll = absl::Milliseconds(20);
  Dispatcher dispatcher(outbox_, {&slack_}, &clock_, options);
  store_->SetCommitObserver([&dispatcher](const Committed&) { dispatcher.Wake(); });
  dispatcher.Start();
  int64_t id = Open();
  clock_.Advance(absl::Minutes(30));
  EXPECT_EQ(Tick(), 1);
  EXPECT_EQ(Tick(), 0);
  ASSERT_TRUE(slack_.WaitForCalls(1, absl::Seconds(10)));
  dispatcher.Stop();
  std::vector<::ff::testing::NotifierCall> calls = slack_.calls();
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].incident_id, id);
  EXPECT_EQ(calls[0].event_type, kEventReminder);
  DeliveryFilter filter;
  filter.states = {pb::DELIVERY_STATE_DELIVERED};
  auto delivered = outbox_->ListDeliveries(filter, 10, 0);
  ASSERT_THAT(delivered, IsOk());
  EXPECT_EQ(delivered->size(), 1u);
}

// An overdue follow-up reminds its owner once a day (the SEV2 rule), from the
// first moment it is overdue, across restarts, even on a closed incident,
// and no more once it is done.
TEST_P(ReminderSchedulerTest, OverdueFollowUpRemindsItsOwnerOncePerInterval) {
  int64_t id = Open();
  pb::CloseIncidentRequest close;
  close.set_id(id);
  close.set_actor("bob");
  close.set_reason(pb::CLOSE_REASON_DUPLICATE);
  const absl::Time opened = clock_.Now();
  ASSERT_THAT(store_->Mutate(id,
                             [&](const pb::Incident& current) {
                               return IncidentWorkflow::Close(current, close, opened);
                             }),
              IsOk());
  pb::AddFollowUpRequest add;
  add.set_incident_id(id);
  add.set_actor("alice");
  add.set_title("Add a retry budget");
  add.set_owner("ann@example.com");
  add.set_due_date("2026-01-06");  // the Tuesday
  auto added = store_->WriteFollowUp(
      FollowUpTarget{id, 0}, [&](const pb::Incident& incident, const pb::FollowUp*) {
        return FollowUpRules::Add(FollowUpSettings(), incident, add, opened);
      });
  ASSERT_THAT(added, IsOk());
  const int64_t follow_up = added->follow_up.id();

  clock_.Advance(absl::Hours(38) - absl::Seconds(1));  // Tuesday 23:59:59
  EXPECT_EQ(Tick(), 0) << "due today is not overdue";
  clock_.Advance(absl::Seconds(1));  // Wednesday 00:00
  EXPECT_EQ(Tick(), 1) << "overdue from the first second of the next day";
  EXPECT_EQ(Tick(), 0) << "not twice";
  Restart();
  clock_.Advance(absl::Hours(23));
  EXPECT_EQ(Tick(), 0) << "not twice in one interval, after a restart";
  clock_.Advance(absl::Hours(1));  // Thursday 00:00
  EXPECT_EQ(Tick(), 1) << "the next interval";

  pb::UpdateFollowUpRequest done;
  done.set_id(follow_up);
  done.set_actor("ann@example.com");
  done.set_status(pb::FOLLOW_UP_STATUS_DONE);
  const absl::Time now = clock_.Now();
  ASSERT_THAT(store_->WriteFollowUp(FollowUpTarget{0, follow_up},
                                    [&](const pb::Incident&, const pb::FollowUp* current) {
                                      return FollowUpRules::Update(FollowUpSettings(), *current,
                                                                   done, now);
                                    }),
              IsOk());
  clock_.Advance(absl::Hours(48));
  EXPECT_EQ(Tick(), 0) << "done: no more reminders";

  EXPECT_THAT(ReminderTexts(id),
              ElementsAre(absl::StrCat("Reminder: follow-up FU-", follow_up,
                                       " \"Add a retry budget\" was due 2026-01-06 (1 day ago), "
                                       "owner ann@example.com. Mark it done, or give it a new due "
                                       "date."),
                          HasSubstr("was due 2026-01-06 (2 days ago)")));
  EXPECT_EQ(SlackDeliveries(id), 2);
}

// The severity's rule decides: SEV3 has none, so its overdue follow-ups get
// no reminder.
TEST_P(ReminderSchedulerTest, FollowUpsOfSeveritiesWithoutARuleGetNone) {
  int64_t id = Open(pb::SEVERITY_SEV3);
  pb::AddFollowUpRequest add;
  add.set_incident_id(id);
  add.set_actor("alice");
  add.set_title("Tidy up");
  add.set_due_date("2026-01-05");
  const absl::Time now = clock_.Now();
  ASSERT_THAT(store_->WriteFollowUp(FollowUpTarget{id, 0},
                                    [&](const pb::Incident& incident, const pb::FollowUp*) {
                                      return FollowUpRules::Add(FollowUpSettings(), incident, add,
                                                                now);
                                    }),
              IsOk());
  clock_.Advance(absl::Hours(24 * 10));
  EXPECT_EQ(Tick(), 0);
  EXPECT_TRUE(ReminderTexts(id).empty());
}

}  // namespace
}  // namespace ff
