// What only the PostgreSQL store has: several stores (replicas) on one
// database, delivery claims with leases, the shared event feed, migrations
// run by replicas starting together, background records stored once across
// replicas, and a database that goes away.
#include "server/store/pg_store.h"

#include <algorithm>
#include <atomic>
#include <memory>
#include <set>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/core/reminder_policy.h"
#include "server/core/time_util.h"
#include "server/core/workflow.h"
#include "server/store/pg_schema.h"
#include "tests/store/record_page.h"
#include "tests/testing/postgres_cluster.h"
#include "tests/testing/status_matchers.h"

namespace ff {
namespace {

using ::ff::testing::IsOk;
using ::ff::testing::ListByRecords;
using ::ff::testing::PostgresCluster;
using ::ff::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::SizeIs;

const absl::Time kNow = absl::FromUnixSeconds(1767225600);

Change NewIncident(const std::string& title, const std::string& dedup = "") {
  pb::OpenIncidentRequest r;
  r.set_title(title);
  r.set_domain("payment");
  r.set_severity(pb::SEVERITY_SEV3);
  r.set_reporter("alice");
  r.set_dedup_key(dedup);
  return IncidentWorkflow::Open(r, kNow);
}

class PgStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto cluster = PostgresCluster::Create();
    ASSERT_THAT(cluster, IsOk());
    cluster_ = *std::move(cluster);
    auto uri = cluster_->CreateDatabase("ff");
    ASSERT_THAT(uri, IsOk());
    uri_ = *uri;
  }

  // Replica opens one more store on the database, as another firefighterd
  // would. Every replica's router names one notifier for every event.
  PgStore* Replica(const std::string& name) {
    PgStoreOptions options;
    options.replica = name;
    options.claim_lease = absl::Seconds(30);
    auto store = PgStore::Create(uri_, options);
    EXPECT_THAT(store, IsOk());
    if (!store.ok()) return nullptr;
    (*store)->SetOutboxRouter(
        [](const pb::IncidentEvent&) { return std::vector<std::string>{"pager"}; });
    replicas_.push_back(*std::move(store));
    return replicas_.back().get();
  }

  std::unique_ptr<PostgresCluster> cluster_;
  std::string uri_;
  std::vector<std::unique_ptr<PgStore>> replicas_;  // before the cluster goes
};

TEST_F(PgStoreTest, ReplicasStartingTogetherMigrateOnce) {
  std::vector<std::thread> starts;
  std::atomic<int> started{0};
  for (int i = 0; i < 4; ++i) {
    starts.emplace_back([&] {
      if (PgStore::Create(uri_, PgStoreOptions()).ok()) ++started;
    });
  }
  for (auto& t : starts) t.join();
  EXPECT_EQ(started.load(), 4);
  auto conn = PgConnection::Connect(uri_);
  ASSERT_THAT(conn, IsOk());
  EXPECT_THAT(PgSchemaVersion(**conn), IsOk());
  EXPECT_EQ(*PgSchemaVersion(**conn), static_cast<int>(PgMigrations().size()));
}

// As SQLite's test of the same name: a row without a record (written before
// migration 5) or with one behind its version (written by a binary that does
// not keep records) is listed from its columns, as Get reads it.
TEST_F(PgStoreTest, ListsRowsWithoutACurrentRecordFromTheirColumns) {
  PgStore* store = Replica("a");
  ASSERT_NE(store, nullptr);
  for (const char* title : {"no record", "kept", "changed behind our back"}) {
    ASSERT_THAT(store->Open(NewIncident(title)), IsOk());
  }
  auto conn = PgConnection::Connect(uri_);
  ASSERT_THAT(conn, IsOk());
  ASSERT_THAT((*conn)->Run("UPDATE incidents SET record = NULL, record_version = NULL "
                           "WHERE id = 1"),
              IsOk());
  ASSERT_THAT((*conn)->Run("UPDATE incidents SET title = 'changed by another', "
                           "version = version + 1 WHERE id = 3"),
              IsOk());
  for (int32_t limit : {50, 2}) {
    auto page = ListByRecords(*store, {}, limit, 0);
    ASSERT_THAT(page, IsOk());
    const std::vector<pb::Incident>& listed = page->incidents;
    EXPECT_EQ(page->next_before_id, limit == 2 ? 2 : 0);
    ASSERT_EQ(listed.size(), limit == 2 ? 2u : 3u);
    for (const pb::Incident& incident : listed) {
      auto got = store->Get(incident.id());
      ASSERT_THAT(got, IsOk());
      EXPECT_EQ(got->SerializeAsString(), incident.SerializeAsString()) << incident.id();
    }
    EXPECT_EQ(listed[0].title(), "changed by another");
    EXPECT_EQ(listed[1].title(), "kept");
    if (limit == 50) EXPECT_EQ(listed[2].title(), "no record");
  }
}

TEST_F(PgStoreTest, IdsAndSequencesStayGaplessAcrossReplicas) {
  PgStore* a = Replica("a");
  PgStore* b = Replica("b");
  ASSERT_TRUE(a != nullptr && b != nullptr);
  constexpr int kThreads = 6, kEach = 15;
  absl::Mutex mu;
  std::vector<int64_t> ids, sequences;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      PgStore* store = t % 2 == 0 ? a : b;
      for (int n = 0; n < kEach; ++n) {
        auto committed = store->Open(NewIncident("t" + std::to_string(t)));
        ASSERT_THAT(committed, IsOk());
        absl::MutexLock lock(&mu);
        ids.push_back(committed->incident.id());
        sequences.push_back(committed->events[0].sequence());
      }
    });
  }
  for (auto& t : threads) t.join();
  std::sort(ids.begin(), ids.end());
  std::sort(sequences.begin(), sequences.end());
  std::vector<int64_t> expected(kThreads * kEach);
  for (size_t i = 0; i < expected.size(); ++i) expected[i] = static_cast<int64_t>(i) + 1;
  EXPECT_EQ(ids, expected);
  EXPECT_EQ(sequences, expected);
}

TEST_F(PgStoreTest, DedupKeyHoldsUnderConcurrentOpensThroughTwoReplicas) {
  PgStore* a = Replica("a");
  PgStore* b = Replica("b");
  ASSERT_TRUE(a != nullptr && b != nullptr);
  absl::Mutex mu;
  std::set<int64_t> ids;
  int created = 0;
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      auto committed = (t % 2 == 0 ? a : b)->Open(NewIncident("dup", "alert-42"));
      ASSERT_THAT(committed, IsOk());
      absl::MutexLock lock(&mu);
      ids.insert(committed->incident.id());
      created += committed->created ? 1 : 0;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(created, 1);
  EXPECT_THAT(ids, ElementsAre(1));
}

TEST_F(PgStoreTest, ExpectedVersionHoldsAcrossReplicas) {
  PgStore* a = Replica("a");
  PgStore* b = Replica("b");
  ASSERT_TRUE(a != nullptr && b != nullptr);
  ASSERT_THAT(a->Open(NewIncident("shared")), IsOk());
  auto update_at_version_one = [](PgStore* store, const std::string& commander) {
    return store->Mutate(1, [&](const pb::Incident& current) {
      pb::UpdateIncidentRequest r;
      r.set_id(1);
      r.set_actor("bob");
      r.set_commander(commander);
      r.set_expected_version(1);
      return IncidentWorkflow::Update(current, r, kNow + absl::Minutes(1));
    });
  };
  absl::StatusOr<Committed> first = absl::UnknownError("not run");
  absl::StatusOr<Committed> second = absl::UnknownError("not run");
  std::thread via_a([&] { first = update_at_version_one(a, "carol"); });
  std::thread via_b([&] { second = update_at_version_one(b, "dave"); });
  via_a.join();
  via_b.join();
  EXPECT_NE(first.ok(), second.ok()) << first.status() << " / " << second.status();
  const auto& loser = first.ok() ? second : first;
  EXPECT_THAT(loser, StatusIs(absl::StatusCode::kAborted,
                              "incident #1 is at version 2, not the expected 1: reload and retry"));
  auto stored = b->Get(1);
  ASSERT_THAT(stored, IsOk());
  EXPECT_EQ(stored->version(), 2);
  EXPECT_EQ(stored->roles().commander(), first.ok() ? "carol" : "dave");
}

TEST_F(PgStoreTest, ObserverSeesEveryReplicasCommitsOnceInOrder) {
  PgStore* a = Replica("a");
  PgStore* b = Replica("b");
  ASSERT_TRUE(a != nullptr && b != nullptr);
  absl::Mutex mu;
  std::vector<int64_t> seen;  // sequences, as b's observer got them
  b->SetCommitObserver([&](const Committed& c) {
    absl::MutexLock lock(&mu);
    for (const auto& e : c.events) seen.push_back(e.sequence());
  });
  constexpr int kOpens = 20;
  std::thread via_a([&] {
    for (int i = 0; i < kOpens; ++i) ASSERT_THAT(a->Open(NewIncident("a")), IsOk());
  });
  for (int i = 0; i < kOpens; ++i) ASSERT_THAT(b->Open(NewIncident("b")), IsOk());
  via_a.join();
  absl::MutexLock lock(&mu);
  auto all_seen = [&]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu) { return seen.size() >= 2 * kOpens; };
  mu.AwaitWithTimeout(absl::Condition(&all_seen), absl::Seconds(20));
  std::vector<int64_t> expected(2 * kOpens);
  for (size_t i = 0; i < expected.size(); ++i) expected[i] = static_cast<int64_t>(i) + 1;
  EXPECT_EQ(seen, expected);
}

TEST_F(PgStoreTest, ClaimsAreExclusiveUntilTheirLeaseExpires) {
  PgStore* a = Replica("a");
  PgStore* b = Replica("b");
  ASSERT_TRUE(a != nullptr && b != nullptr);
  for (int i = 0; i < 3; ++i) ASSERT_THAT(a->Open(NewIncident("i")), IsOk());
  const absl::Time opened = kNow;

  auto claimed_by_a = a->DueDeliveries(opened, 64);
  ASSERT_THAT(claimed_by_a, IsOk());
  EXPECT_THAT(*claimed_by_a, SizeIs(3));
  auto claimed_by_b = b->DueDeliveries(opened + absl::Seconds(29), 64);
  ASSERT_THAT(claimed_by_b, IsOk());
  EXPECT_THAT(*claimed_by_b, IsEmpty()) << "a's claims hold for their lease";
  auto next = b->NextDueTime();
  ASSERT_THAT(next, IsOk());
  EXPECT_EQ(*next, opened + absl::Seconds(30)) << "claimed work is due when its claim ends";

  // a finishes one; the other two are taken over by b once a's lease ends.
  ASSERT_THAT(a->MarkDelivered((*claimed_by_a)[0].id, WriteBack(), opened + absl::Seconds(1)),
              IsOk());
  auto taken_over = b->DueDeliveries(opened + absl::Seconds(30), 64);
  ASSERT_THAT(taken_over, IsOk());
  ASSERT_THAT(*taken_over, SizeIs(2));
  EXPECT_EQ((*taken_over)[0].id, (*claimed_by_a)[1].id);
  EXPECT_EQ((*taken_over)[1].id, (*claimed_by_a)[2].id);
  auto again_by_a = a->DueDeliveries(opened + absl::Seconds(31), 64);
  ASSERT_THAT(again_by_a, IsOk());
  EXPECT_THAT(*again_by_a, IsEmpty()) << "now b's claims hold";
}

TEST_F(PgStoreTest, OnlyTheOldestPendingDeliveryOfAnIncidentIsClaimed) {
  PgStore* a = Replica("a");
  ASSERT_NE(a, nullptr);
  ASSERT_THAT(a->Open(NewIncident("i")), IsOk());
  ASSERT_THAT(a->Mutate(1,
                        [](const pb::Incident& current) {
                          pb::UpdateIncidentRequest r;
                          r.set_id(1);
                          r.set_actor("bob");
                          r.set_status(pb::STATUS_INVESTIGATING);
                          return IncidentWorkflow::Update(current, r, kNow);
                        }),
              IsOk());
  auto first = a->DueDeliveries(kNow, 64);
  ASSERT_THAT(first, IsOk());
  ASSERT_THAT(*first, SizeIs(1));
  ASSERT_THAT(a->MarkFailed((*first)[0].id, "busy", kNow + absl::Seconds(5), kNow), IsOk());
  auto next = a->NextDueTime();
  ASSERT_THAT(next, IsOk());
  EXPECT_EQ(*next, kNow + absl::Seconds(5)) << "the successor waits for its predecessor";
  auto retried = a->DueDeliveries(kNow + absl::Seconds(5), 64);
  ASSERT_THAT(retried, IsOk());
  ASSERT_THAT(*retried, SizeIs(1));
  EXPECT_EQ((*retried)[0].id, (*first)[0].id);
}

// OnceReminder decides the reminder stored under `key`, whatever the incident.
OnceDecision OnceReminder(const std::string& key, const std::string& text) {
  return [key, text](const pb::Incident&) -> std::optional<OnceRecord> {
    OnceRecord once;
    once.key = key;
    once.record.event_type = std::string(kEventReminder);
    *once.record.entry.mutable_time() = ToTimestamp(kNow);
    once.record.entry.set_kind(std::string(kReminderEntryKind));
    once.record.entry.set_actor(std::string(kReminderActor));
    once.record.entry.set_text(text);
    return once;
  };
}

// Every replica runs its own reminder scheduler: a reminder must still be
// stored once, by whichever replica gets there first.
TEST_F(PgStoreTest, RecordOnceStoresOnceAcrossReplicas) {
  PgStore* a = Replica("a");
  PgStore* b = Replica("b");
  ASSERT_TRUE(a != nullptr && b != nullptr);
  ASSERT_THAT(a->Open(NewIncident("i")), IsOk());

  auto by_a = a->RecordOnce(1, OnceReminder("stale:30m", "by a"), kNow);
  ASSERT_THAT(by_a, IsOk());
  EXPECT_TRUE(*by_a);
  auto by_b = b->RecordOnce(1, OnceReminder("stale:30m", "by b"), kNow);
  ASSERT_THAT(by_b, IsOk());
  EXPECT_FALSE(*by_b) << "a recorded that key";

  constexpr int kCallers = 8;
  std::atomic<int> stored{0};
  std::vector<std::thread> callers;
  for (int i = 0; i < kCallers; ++i) {
    callers.emplace_back([&, i] {
      auto recorded = (i % 2 == 0 ? a : b)
                          ->RecordOnce(1, OnceReminder("stale:1h", absl::StrCat("caller ", i)),
                                       kNow + absl::Minutes(30));
      ASSERT_THAT(recorded, IsOk());
      if (*recorded) ++stored;
    });
  }
  for (auto& t : callers) t.join();
  EXPECT_EQ(stored.load(), 1);

  auto timeline = b->Timeline(1);
  ASSERT_THAT(timeline, IsOk());
  std::vector<std::string> reminders;
  for (const pb::TimelineEntry& e : *timeline) {
    if (e.kind() == kReminderEntryKind) reminders.push_back(e.text());
  }
  ASSERT_THAT(reminders, SizeIs(2));
  EXPECT_EQ(reminders[0], "by a");
  DeliveryFilter filter;
  filter.incident_id = 1;
  auto deliveries = b->ListDeliveries(filter, 100, 0);
  ASSERT_THAT(deliveries, IsOk());
  int reminder_deliveries = 0;
  for (const pb::Delivery& d : *deliveries) reminder_deliveries += d.event_type() == kEventReminder;
  EXPECT_EQ(reminder_deliveries, 2);
  auto incident = a->Get(1);
  ASSERT_THAT(incident, IsOk());
  EXPECT_EQ(incident->version(), 1) << "reminders are no update";
}

TEST_F(PgStoreTest, ADatabaseThatGoesAwayIsUnavailableUntilItComesBack) {
  PgStore* a = Replica("a");
  ASSERT_NE(a, nullptr);
  ASSERT_THAT(a->Open(NewIncident("before")), IsOk());
  ASSERT_THAT(cluster_->Stop(), IsOk());
  EXPECT_THAT(a->Get(1), StatusIs(absl::StatusCode::kUnavailable));
  EXPECT_THAT(a->Open(NewIncident("during")), StatusIs(absl::StatusCode::kUnavailable));
  EXPECT_THAT(a->DueDeliveries(kNow, 64), StatusIs(absl::StatusCode::kUnavailable));
  ASSERT_THAT(cluster_->Start(), IsOk());
  auto before = a->Get(1);
  ASSERT_THAT(before, IsOk());
  EXPECT_EQ(before->title(), "before");
  auto after = a->Open(NewIncident("after"));
  ASSERT_THAT(after, IsOk());
  EXPECT_EQ(after->incident.id(), 2) << "nothing of the refused open was stored";
}

}  // namespace
}  // namespace ff
