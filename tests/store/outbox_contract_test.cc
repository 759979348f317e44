// The OutboxStore contract for the writes made beside the incident's own:
// background records stored once per key (RecordOnce), operator retries of
// dead deliveries (RetryDelivery) with who acted (TimelineEntry.via), a
// delivery's progress and deferrals, which deliveries are due and when, and
// the installation id. Run against SqliteStore, PgStore and the in-memory
// fake, which must behave the same.
#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/core/follow_ups.h"
#include "server/core/reminder_policy.h"
#include "server/core/time_util.h"
#include "server/core/workflow.h"
#include "server/store/pg_store.h"
#include "server/store/sqlite_store.h"
#include "tests/testing/memory_store.h"
#include "tests/testing/postgres_cluster.h"
#include "tests/testing/server_process.h"
#include "tests/testing/status_matchers.h"

namespace ff {
namespace {

using ::ff::testing::IsOk;
using ::ff::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::SizeIs;

const absl::Time kNow = absl::FromUnixSeconds(1767225600);

enum class Backend { kSqlite, kPostgres, kMemory };

class OutboxContractTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    if (GetParam() == Backend::kSqlite) {
      Adopt(SqliteStore::Create(dir_.File("ff.db")));
    } else if (GetParam() == Backend::kMemory) {
      Adopt(absl::StatusOr<std::unique_ptr<::ff::testing::MemoryStore>>(
          std::make_unique<::ff::testing::MemoryStore>()));
    } else {
      auto cluster = ::ff::testing::PostgresCluster::Create();
      ASSERT_THAT(cluster, IsOk());
      cluster_ = *std::move(cluster);
      auto uri = cluster_->CreateDatabase("outbox");
      ASSERT_THAT(uri, IsOk());
      Adopt(PgStore::Create(*uri, PgStoreOptions()));
    }
    ASSERT_NE(owner_, nullptr);
    // One notifier for every event: each event has exactly one delivery.
    outbox_->SetOutboxRouter(
        [](const pb::IncidentEvent&) { return std::vector<std::string>{"pager"}; });
  }

  template <typename T>
  void Adopt(absl::StatusOr<std::unique_ptr<T>> made) {
    ASSERT_THAT(made, IsOk());
    store_ = made->get();
    outbox_ = made->get();
    owner_ = *std::move(made);
  }

  // Open stores a SEV2 incident opened at kNow whose entries were made
  // through `via`.
  int64_t Open(const std::string& via = "", pb::Severity severity = pb::SEVERITY_SEV2) {
    pb::OpenIncidentRequest r;
    r.set_title("Checkout fails");
    r.set_domain("payment");
    r.set_severity(severity);
    r.set_reporter("alice");
    Change change = IncidentWorkflow::Open(r, kNow);
    for (ChangeRecord& record : change.records) record.entry.set_via(via);
    auto committed = store_->Open(change);
    EXPECT_THAT(committed, IsOk());
    return committed.ok() ? committed->incident.id() : 0;
  }

  // Once decides a reminder under `key` with `text`, whatever the incident.
  static OnceDecision Once(const std::string& key, const std::string& text, absl::Time at) {
    return [key, text, at](const pb::Incident&) -> std::optional<OnceRecord> {
      OnceRecord once;
      once.key = key;
      once.record.event_type = std::string(kEventReminder);
      *once.record.entry.mutable_time() = ToTimestamp(at);
      once.record.entry.set_kind(std::string(kReminderEntryKind));
      once.record.entry.set_actor(std::string(kReminderActor));
      once.record.entry.set_text(text);
      return once;
    };
  }

  std::vector<pb::TimelineEntry> Timeline(int64_t id) {
    auto timeline = store_->Timeline(id);
    EXPECT_THAT(timeline, IsOk());
    return timeline.value_or(std::vector<pb::TimelineEntry>{});
  }

  std::vector<std::string> ReminderTexts(int64_t id) {
    std::vector<std::string> texts;
    for (const pb::TimelineEntry& e : Timeline(id)) {
      if (e.kind() == kReminderEntryKind) texts.push_back(e.text());
    }
    return texts;
  }

  // Deliveries lists incident `id`'s deliveries of `event_type`, oldest first.
  std::vector<pb::Delivery> Deliveries(int64_t id, absl::string_view event_type) {
    DeliveryFilter filter;
    filter.incident_id = id;
    auto found = outbox_->ListDeliveries(filter, 100, 0);
    EXPECT_THAT(found, IsOk());
    std::vector<pb::Delivery> out;
    for (const pb::Delivery& d : found.value_or(std::vector<pb::Delivery>{})) {
      if (d.event_type() == event_type) out.insert(out.begin(), d);
    }
    return out;
  }

  // DeadDelivery makes the delivery of incident `id`'s opening dead, as a
  // notifier's permanent failure does, and returns it.
  pb::Delivery DeadDelivery(int64_t id, const std::string& error) {
    std::vector<pb::Delivery> opened = Deliveries(id, kEventOpened);
    EXPECT_THAT(opened, SizeIs(1));
    if (opened.empty()) return pb::Delivery();
    EXPECT_THAT(outbox_->MarkFailed(opened[0].id(), error, std::nullopt, kNow + absl::Minutes(1)),
                IsOk());
    std::vector<pb::Delivery> now = Deliveries(id, kEventOpened);
    EXPECT_THAT(now, SizeIs(1));
    if (now.empty()) return pb::Delivery();
    EXPECT_EQ(now[0].state(), pb::DELIVERY_STATE_DEAD);
    return now[0];
  }

  // Declared in the order they are built, so the store goes before its
  // database.
  ::ff::testing::TempDir dir_;
  std::unique_ptr<::ff::testing::PostgresCluster> cluster_;
  std::unique_ptr<Store> owner_;
  Store* store_ = nullptr;
  OutboxStore* outbox_ = nullptr;
};

INSTANTIATE_TEST_SUITE_P(Stores, OutboxContractTest,
                         ::testing::Values(Backend::kSqlite, Backend::kPostgres, Backend::kMemory),
                         [](const ::testing::TestParamInfo<Backend>& instance) {
                           switch (instance.param) {
                             case Backend::kSqlite:
                               return "Sqlite";
                             case Backend::kPostgres:
                               return "Postgres";
                             case Backend::kMemory:
                               return "Memory";
                           }
                           return "Unknown";
                         });

TEST_P(OutboxContractTest, RecordOnceStoresOncePerIncidentAndKey) {
  const int64_t id = Open();
  const int64_t other = Open();
  const absl::Time at = kNow + absl::Minutes(30);
  auto first = outbox_->RecordOnce(id, Once("stale:30m", "first", at), at);
  ASSERT_THAT(first, IsOk());
  EXPECT_TRUE(*first);
  auto again = outbox_->RecordOnce(id, Once("stale:30m", "again", at), at + absl::Minutes(1));
  ASSERT_THAT(again, IsOk());
  EXPECT_FALSE(*again) << "the key was recorded before";
  auto next_key = outbox_->RecordOnce(id, Once("stale:1h", "second", at), at);
  ASSERT_THAT(next_key, IsOk());
  EXPECT_TRUE(*next_key);
  auto other_incident = outbox_->RecordOnce(other, Once("stale:30m", "other", at), at);
  ASSERT_THAT(other_incident, IsOk());
  EXPECT_TRUE(*other_incident) << "keys are per incident";

  EXPECT_THAT(ReminderTexts(id), ElementsAre("first", "second"));
  EXPECT_THAT(ReminderTexts(other), ElementsAre("other"));
  std::vector<pb::Delivery> reminders = Deliveries(id, kEventReminder);
  ASSERT_THAT(reminders, SizeIs(2));
  for (const pb::Delivery& d : reminders) {
    EXPECT_EQ(d.notifier(), "pager");
    EXPECT_EQ(d.state(), pb::DELIVERY_STATE_PENDING);
    EXPECT_EQ(FromTimestamp(d.next_attempt_at()), at) << "due when recorded";
  }
}

TEST_P(OutboxContractTest, RecordOnceWithNothingDecidedOrNoIncidentStoresNothing) {
  const int64_t id = Open();
  auto none = outbox_->RecordOnce(
      id, [](const pb::Incident&) { return std::optional<OnceRecord>(); }, kNow);
  ASSERT_THAT(none, IsOk());
  EXPECT_FALSE(*none);
  bool decided = false;
  EXPECT_THAT(outbox_->RecordOnce(
                  99,
                  [&decided](const pb::Incident&) {
                    decided = true;
                    return std::optional<OnceRecord>();
                  },
                  kNow),
              StatusIs(absl::StatusCode::kNotFound, "incident #99 does not exist"));
  EXPECT_FALSE(decided);
  EXPECT_THAT(Timeline(id), SizeIs(1));
  EXPECT_THAT(Deliveries(id, kEventReminder), SizeIs(0));
}

TEST_P(OutboxContractTest, RecordOnceIsNoUpdateOfTheIncident) {
  const int64_t id = Open();
  const absl::Time at = kNow + absl::Hours(1);
  auto stored = outbox_->RecordOnce(id, Once("stale:1h", "reminded", at), at);
  ASSERT_THAT(stored, IsOk());
  ASSERT_TRUE(*stored);

  auto incident = store_->Get(id);
  ASSERT_THAT(incident, IsOk());
  EXPECT_EQ(incident->version(), 1);
  EXPECT_EQ(FromTimestamp(incident->updated_at()), kNow);
  // The event shows the incident as it stood.
  std::vector<pb::Delivery> reminders = Deliveries(id, kEventReminder);
  ASSERT_THAT(reminders, SizeIs(1));
  auto delivery = outbox_->LoadDelivery(reminders[0].id(), false);
  ASSERT_THAT(delivery, IsOk());
  EXPECT_EQ(delivery->event.type(), kEventReminder);
  EXPECT_EQ(delivery->event.incident().version(), 1);
  EXPECT_EQ(FromTimestamp(delivery->event.incident().updated_at()), kNow);
  EXPECT_EQ(delivery->event.entry().text(), "reminded");
  // A client that read version 1 before the reminder may still update.
  auto updated = store_->Mutate(id, [at](const pb::Incident& current) {
    pb::UpdateIncidentRequest r;
    r.set_id(current.id());
    r.set_actor("bob");
    r.set_status(pb::STATUS_INVESTIGATING);
    r.set_expected_version(1);
    return IncidentWorkflow::Update(current, r, at);
  });
  ASSERT_THAT(updated, IsOk());
  EXPECT_EQ(updated->incident.version(), 2);
}

TEST_P(OutboxContractTest, ConcurrentRecordOnceStoresOnce) {
  const int64_t id = Open();
  const absl::Time at = kNow + absl::Minutes(30);
  // Concurrent writers: SQLite serialises them, PostgreSQL and the fake may
  // commit them together in one group; either way the key is stored once.
  constexpr int kCallers = 8;
  std::atomic<int> stored{0};
  std::vector<std::thread> callers;
  for (int i = 0; i < kCallers; ++i) {
    callers.emplace_back([&, i] {
      auto recorded =
          outbox_->RecordOnce(id, Once("stale:30m", absl::StrCat("caller ", i), at), at);
      ASSERT_THAT(recorded, IsOk());
      if (*recorded) ++stored;
    });
  }
  for (std::thread& t : callers) t.join();
  EXPECT_EQ(stored.load(), 1);
  EXPECT_THAT(ReminderTexts(id), SizeIs(1));
  EXPECT_THAT(Deliveries(id, kEventReminder), SizeIs(1));
}

TEST_P(OutboxContractTest, RetryingADeadDeliveryIsRecordedWithWhoDidIt) {
  const int64_t id = Open();
  const pb::Delivery dead = DeadDelivery(id, "invalid_auth");
  ASSERT_GT(dead.id(), 0);
  const absl::Time at = kNow + absl::Minutes(5);

  auto retried = outbox_->RetryDelivery(dead.id(), {"grace", "ops-bot"}, at);
  ASSERT_THAT(retried, IsOk());
  EXPECT_EQ(retried->id(), dead.id());
  EXPECT_EQ(retried->state(), pb::DELIVERY_STATE_PENDING);
  EXPECT_EQ(FromTimestamp(retried->next_attempt_at()), at);
  EXPECT_EQ(retried->attempts(), 1) << "the failed attempt still counts";

  std::vector<pb::TimelineEntry> timeline = Timeline(id);
  ASSERT_THAT(timeline, SizeIs(2));
  const pb::TimelineEntry& audit = timeline[1];
  EXPECT_GT(audit.id(), timeline[0].id());
  EXPECT_EQ(audit.incident_id(), id);
  EXPECT_EQ(FromTimestamp(audit.time()), at);
  EXPECT_EQ(audit.kind(), "delivery");
  EXPECT_EQ(audit.actor(), "grace");
  EXPECT_EQ(audit.via(), "ops-bot");
  EXPECT_EQ(audit.text(), RetryNote(dead.id(), "pager", "invalid_auth"));
  EXPECT_EQ(audit.text(), absl::StrCat("Retried the pager notification (delivery ", dead.id(),
                                       "), which had failed: invalid_auth"));
  // An operator's retry is no update of the incident.
  EXPECT_EQ(store_->Get(id)->version(), 1);
  // It is due at once.
  auto due = outbox_->DueDeliveries(at, 10);
  ASSERT_THAT(due, IsOk());
  ASSERT_THAT(*due, SizeIs(1));
  EXPECT_EQ((*due)[0].id, dead.id());
}

TEST_P(OutboxContractTest, RefusedRetriesWriteNothing) {
  const int64_t id = Open();
  std::vector<pb::Delivery> opened = Deliveries(id, kEventOpened);
  ASSERT_THAT(opened, SizeIs(1));
  const int64_t delivery = opened[0].id();
  const Audit by{"grace", "ops-bot"};

  EXPECT_THAT(outbox_->RetryDelivery(delivery, by, kNow),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       absl::StrCat("delivery ", delivery,
                                    " is pending; only a dead delivery can be retried")));
  ASSERT_THAT(outbox_->MarkDelivered(delivery, WriteBack(), kNow), IsOk());
  EXPECT_THAT(outbox_->RetryDelivery(delivery, by, kNow),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       absl::StrCat("delivery ", delivery,
                                    " is delivered; only a dead delivery can be retried")));
  EXPECT_THAT(outbox_->RetryDelivery(999, by, kNow),
              StatusIs(absl::StatusCode::kNotFound, "delivery 999 does not exist"));

  EXPECT_THAT(Timeline(id), SizeIs(1));
  std::vector<pb::Delivery> after = Deliveries(id, kEventOpened);
  ASSERT_THAT(after, SizeIs(1));
  EXPECT_EQ(after[0].state(), pb::DELIVERY_STATE_DELIVERED);
}

TEST_P(OutboxContractTest, ViaRoundTrips) {
  const int64_t id = Open("slack-bot");
  auto updated = store_->Mutate(id, [](const pb::Incident& current) -> absl::StatusOr<Change> {
    pb::UpdateIncidentRequest r;
    r.set_id(current.id());
    r.set_actor("bob");
    r.set_status(pb::STATUS_INVESTIGATING);
    absl::StatusOr<Change> change = IncidentWorkflow::Update(current, r, kNow + absl::Minutes(1));
    if (change.ok()) {
      for (ChangeRecord& record : change->records) record.entry.set_via("web");
    }
    return change;
  });
  ASSERT_THAT(updated, IsOk());

  std::vector<pb::TimelineEntry> timeline = Timeline(id);
  ASSERT_THAT(timeline, SizeIs(2));
  EXPECT_EQ(timeline[0].via(), "slack-bot");
  EXPECT_EQ(timeline[1].via(), "web");
  // A notifier reads the same through its delivery: the event's entry and the
  // timeline.
  std::vector<pb::Delivery> changed = Deliveries(id, kEventStatusChanged);
  ASSERT_THAT(changed, SizeIs(1));
  auto delivery = outbox_->LoadDelivery(changed[0].id(), /*with_timeline=*/true);
  ASSERT_THAT(delivery, IsOk());
  EXPECT_EQ(delivery->event.entry().via(), "web");
  ASSERT_THAT(delivery->timeline, SizeIs(2));
  EXPECT_EQ(delivery->timeline[0].via(), "slack-bot");
  EXPECT_EQ(delivery->timeline[1].via(), "web");
}

// Mutate moves incident `id` to INVESTIGATING (one more event and delivery).
void Investigate(Store* store, int64_t id) {
  auto updated = store->Mutate(id, [](const pb::Incident& current) -> absl::StatusOr<Change> {
    pb::UpdateIncidentRequest r;
    r.set_id(current.id());
    r.set_actor("bob");
    r.set_status(pb::STATUS_INVESTIGATING);
    return IncidentWorkflow::Update(current, r, kNow);
  });
  ASSERT_THAT(updated, IsOk());
}

TEST_P(OutboxContractTest, ProgressIsKeptAcrossAttemptsUntilTheDeliveryEnds) {
  const int64_t id = Open();
  const int64_t delivery = Deliveries(id, kEventOpened).at(0).id();
  EXPECT_EQ(outbox_->LoadDelivery(delivery, false)->progress, "");

  ASSERT_THAT(outbox_->SaveProgress(delivery, R"({"done":{"create":"C1"}})", kNow), IsOk());
  ASSERT_THAT(outbox_->MarkFailed(delivery, "slack: ratelimited", kNow + absl::Seconds(5), kNow),
              IsOk());
  auto loaded = outbox_->LoadDelivery(delivery, false);
  ASSERT_THAT(loaded, IsOk());
  EXPECT_EQ(loaded->progress, R"({"done":{"create":"C1"}})");
  EXPECT_EQ(loaded->attempts, 1);

  ASSERT_THAT(outbox_->MarkDelivered(delivery, WriteBack(), kNow), IsOk());
  EXPECT_THAT(outbox_->SaveProgress(delivery, "{}", kNow),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       absl::StrCat("delivery ", delivery, " is no longer pending")));
  EXPECT_THAT(outbox_->SaveProgress(999, "{}", kNow),
              StatusIs(absl::StatusCode::kNotFound, "delivery 999 does not exist"));
  EXPECT_EQ(outbox_->LoadDelivery(delivery, false)->progress, R"({"done":{"create":"C1"}})");
}

TEST_P(OutboxContractTest, DeferIsNoAttempt) {
  const int64_t id = Open();
  const int64_t delivery = Deliveries(id, kEventOpened).at(0).id();
  const absl::Time until = kNow + absl::Seconds(40);

  ASSERT_THAT(outbox_->Defer(delivery, until, "waiting for slack conversations.create", kNow),
              IsOk());
  std::vector<pb::Delivery> listed = Deliveries(id, kEventOpened);
  ASSERT_THAT(listed, SizeIs(1));
  EXPECT_EQ(listed[0].state(), pb::DELIVERY_STATE_PENDING);
  EXPECT_EQ(listed[0].attempts(), 0);
  EXPECT_EQ(listed[0].last_error(), "waiting for slack conversations.create");
  EXPECT_EQ(FromTimestamp(listed[0].next_attempt_at()), until);
  EXPECT_EQ(**outbox_->NextDueTime(), until);
  EXPECT_THAT(*outbox_->DueDeliveries(until - absl::Seconds(1), 10), SizeIs(0));
  EXPECT_THAT(*outbox_->DueDeliveries(until, 10), SizeIs(1));

  ASSERT_THAT(outbox_->MarkFailed(delivery, "invalid_auth", std::nullopt, kNow), IsOk());
  EXPECT_THAT(outbox_->Defer(delivery, until, "waiting", kNow),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_THAT(outbox_->Defer(999, until, "waiting", kNow), StatusIs(absl::StatusCode::kNotFound));
}

TEST_P(OutboxContractTest, NextDueTimeIgnoresDeliveriesQueuedBehindAnother) {
  const int64_t id = Open();
  Investigate(store_, id);
  const int64_t first = Deliveries(id, kEventOpened).at(0).id();
  // The head waits for a rate budget; its successor has been due since kNow
  // but cannot go before it: nothing is due before the head is.
  const absl::Time until = kNow + absl::Minutes(1);
  ASSERT_THAT(outbox_->Defer(first, until, "waiting", kNow), IsOk());
  auto next = outbox_->NextDueTime();
  ASSERT_THAT(next, IsOk());
  ASSERT_TRUE(next->has_value());
  EXPECT_EQ(**next, until);
  EXPECT_THAT(*outbox_->DueDeliveries(kNow + absl::Seconds(30), 10), SizeIs(0));
}

TEST_P(OutboxContractTest, DeliveredWakesTheDeferredDeliveriesThatWaitedForIt) {
  const int64_t id = Open();
  Investigate(store_, id);
  const int64_t first = Deliveries(id, kEventOpened).at(0).id();
  const int64_t second = Deliveries(id, kEventStatusChanged).at(0).id();
  // The status change had waited for the channel the opening makes.
  ASSERT_THAT(outbox_->Defer(second, kNow + absl::Minutes(1), "waiting for the channel", kNow),
              IsOk());
  const absl::Time done = kNow + absl::Seconds(5);
  ASSERT_THAT(outbox_->MarkDelivered(first, WriteBack(), done), IsOk());
  std::vector<pb::Delivery> waiting = Deliveries(id, kEventStatusChanged);
  ASSERT_THAT(waiting, SizeIs(1));
  EXPECT_EQ(FromTimestamp(waiting[0].next_attempt_at()), done);
  auto due = outbox_->DueDeliveries(done, 10);
  ASSERT_THAT(due, IsOk());
  ASSERT_THAT(*due, SizeIs(1));
  EXPECT_EQ((*due)[0].id, second);
}

TEST_P(OutboxContractTest, MoreSevereIncidentsAreDueFirst) {
  const int64_t minor = Open("", pb::SEVERITY_SEV4);
  const int64_t major = Open("", pb::SEVERITY_SEV1);
  const int64_t middle = Open("", pb::SEVERITY_SEV2);
  auto due = outbox_->DueDeliveries(kNow + absl::Seconds(1), 10);
  ASSERT_THAT(due, IsOk());
  ASSERT_THAT(*due, SizeIs(3));
  std::vector<int64_t> order;
  for (const DueDelivery& d : *due) order.push_back(d.incident_id);
  EXPECT_THAT(order, ElementsAre(major, middle, minor));
}

TEST_P(OutboxContractTest, FailedAttemptsAreRetriedUntilOneIsFinal) {
  const int64_t id = Open();
  const int64_t delivery = Deliveries(id, kEventOpened).at(0).id();
  const absl::Time retry_at = kNow + absl::Seconds(30);
  const std::string long_error(3000, 'x');

  ASSERT_THAT(outbox_->MarkFailed(delivery, long_error, retry_at, kNow), IsOk());
  std::vector<pb::Delivery> listed = Deliveries(id, kEventOpened);
  ASSERT_THAT(listed, SizeIs(1));
  EXPECT_EQ(listed[0].state(), pb::DELIVERY_STATE_PENDING);
  EXPECT_EQ(listed[0].attempts(), 1);
  EXPECT_EQ(listed[0].last_error(), long_error.substr(0, 2000)) << "an error is kept in part";
  EXPECT_EQ(FromTimestamp(listed[0].next_attempt_at()), retry_at);
  EXPECT_EQ(FromTimestamp(listed[0].updated_at()), kNow);
  EXPECT_THAT(*outbox_->DueDeliveries(retry_at - absl::Seconds(1), 10), SizeIs(0));
  EXPECT_THAT(*outbox_->DueDeliveries(retry_at, 10), SizeIs(1));

  const absl::Time died = retry_at + absl::Seconds(1);
  ASSERT_THAT(outbox_->MarkFailed(delivery, "invalid_auth", std::nullopt, died), IsOk());
  listed = Deliveries(id, kEventOpened);
  ASSERT_THAT(listed, SizeIs(1));
  EXPECT_EQ(listed[0].state(), pb::DELIVERY_STATE_DEAD);
  EXPECT_EQ(listed[0].attempts(), 2);
  EXPECT_EQ(listed[0].last_error(), "invalid_auth");
  EXPECT_FALSE(listed[0].has_next_attempt_at()) << "a dead delivery is due never";
  EXPECT_FALSE(listed[0].has_delivered_at());
  EXPECT_FALSE(outbox_->NextDueTime()->has_value());
  EXPECT_THAT(*outbox_->DueDeliveries(died + absl::Hours(1), 10), SizeIs(0));

  // A late outcome of a delivery that is no longer pending changes nothing.
  ASSERT_THAT(outbox_->MarkFailed(delivery, "late", retry_at, died), IsOk());
  ASSERT_THAT(outbox_->MarkDelivered(delivery, WriteBack(), died), IsOk());
  listed = Deliveries(id, kEventOpened);
  ASSERT_THAT(listed, SizeIs(1));
  EXPECT_EQ(listed[0].state(), pb::DELIVERY_STATE_DEAD);
  EXPECT_EQ(listed[0].attempts(), 2);
  EXPECT_EQ(listed[0].last_error(), "invalid_auth");
  EXPECT_THAT(outbox_->MarkFailed(999, "gone", retry_at, kNow), IsOk());
  EXPECT_THAT(outbox_->MarkDelivered(999, WriteBack(), kNow),
              StatusIs(absl::StatusCode::kNotFound, "delivery 999 does not exist"));
}

TEST_P(OutboxContractTest, WriteBackAddsToTheIncidentWithoutAnUpdate) {
  const int64_t id = Open();
  const int64_t delivery = Deliveries(id, kEventOpened).at(0).id();
  WriteBack write_back;
  pb::Link channel;
  channel.set_kind("slack_channel");
  channel.set_url("https://example.slack.com/archives/C1");
  channel.set_external_id("C1");
  write_back.links = {channel};
  write_back.participants = {"carol", "", "alice"};  // alice opened it
  write_back.actor = "slack";
  const absl::Time done = kNow + absl::Seconds(3);

  ASSERT_THAT(outbox_->MarkDelivered(delivery, write_back, done), IsOk());
  auto incident = store_->Get(id);
  ASSERT_THAT(incident, IsOk());
  EXPECT_EQ(incident->version(), 1) << "background work is no update";
  EXPECT_EQ(FromTimestamp(incident->updated_at()), done);
  ASSERT_EQ(incident->links_size(), 1);
  EXPECT_EQ(incident->links(0).external_id(), "C1");
  EXPECT_THAT(incident->participants(), ElementsAre("alice", "carol"));
  std::vector<pb::Delivery> delivered = Deliveries(id, kEventOpened);
  ASSERT_THAT(delivered, SizeIs(1));
  EXPECT_EQ(delivered[0].state(), pb::DELIVERY_STATE_DELIVERED);
  EXPECT_EQ(delivered[0].attempts(), 1);
  EXPECT_EQ(FromTimestamp(delivered[0].delivered_at()), done);
  // What changed is told as events, each with its delivery, due at once.
  std::vector<pb::Delivery> links = Deliveries(id, kEventLinksChanged);
  std::vector<pb::Delivery> people = Deliveries(id, kEventParticipantsChanged);
  ASSERT_THAT(links, SizeIs(1));
  ASSERT_THAT(people, SizeIs(1));
  EXPECT_EQ(FromTimestamp(links[0].next_attempt_at()), done);
  auto loaded = outbox_->LoadDelivery(people[0].id(), /*with_timeline=*/true);
  ASSERT_THAT(loaded, IsOk());
  EXPECT_EQ(loaded->event.entry().kind(), "notification");
  EXPECT_EQ(loaded->event.entry().actor(), "slack");
  EXPECT_EQ(loaded->event.entry().text(), "Participants added: carol");
  EXPECT_EQ(loaded->event.incident().links_size(), 1);
  EXPECT_THAT(loaded->timeline, SizeIs(3));

  // The same write-back again (a second delivery of it) changes nothing.
  const int64_t next = links[0].id();
  ASSERT_THAT(outbox_->MarkDelivered(next, write_back, done + absl::Seconds(1)), IsOk());
  EXPECT_EQ(FromTimestamp(store_->Get(id)->updated_at()), done);
  EXPECT_THAT(Timeline(id), SizeIs(3));
}

TEST_P(OutboxContractTest, OnlyTheOldestPendingDeliveryOfAnIncidentAndNotifierIsDue) {
  const int64_t id = Open();
  Investigate(store_, id);
  const int64_t first = Deliveries(id, kEventOpened).at(0).id();
  const int64_t second = Deliveries(id, kEventStatusChanged).at(0).id();
  auto due = outbox_->DueDeliveries(kNow, 10);
  ASSERT_THAT(due, IsOk());
  ASSERT_THAT(*due, SizeIs(1));
  EXPECT_EQ((*due)[0].id, first);
  EXPECT_EQ((*due)[0].incident_id, id);
  EXPECT_EQ((*due)[0].notifier, "pager");

  ASSERT_THAT(outbox_->MarkDelivered(first, WriteBack(), kNow), IsOk());
  due = outbox_->DueDeliveries(kNow, 10);
  ASSERT_THAT(due, IsOk());
  ASSERT_THAT(*due, SizeIs(1));
  EXPECT_EQ((*due)[0].id, second);
}

TEST_P(OutboxContractTest, InstallationIdIsMadeOnceAndKept) {
  auto first = outbox_->InstallationId();
  ASSERT_THAT(first, IsOk());
  EXPECT_THAT(*first, ::testing::MatchesRegex("[0-9a-f]{16}"));
  auto again = outbox_->InstallationId();
  ASSERT_THAT(again, IsOk());
  EXPECT_EQ(*again, *first);
}

// Follow-ups: stored with their event (which keeps the follow-up as it
// stood), listed and counted, and a tracker write-back recorded once, on
// this incident's follow-ups only, without a version bump.
TEST_P(OutboxContractTest, FollowUpsAreStoredWithTheirEventsAndTrackersAreWrittenBack) {
  const int64_t id = Open();
  const int64_t other = Open();
  auto add = [this](int64_t incident, const std::string& title, const std::string& due) {
    pb::AddFollowUpRequest r;
    r.set_incident_id(incident);
    r.set_actor("alice");
    r.set_title(title);
    r.set_owner("ann@example.com");
    r.set_due_date(due);
    auto committed = store_->WriteFollowUp(
        FollowUpTarget{incident, 0}, [&](const pb::Incident& current, const pb::FollowUp* none) {
          EXPECT_EQ(none, nullptr);
          return FollowUpRules::Add(FollowUpSettings(), current, r, kNow);
        });
    EXPECT_THAT(committed, IsOk());
    return committed.ok() ? committed->follow_up : pb::FollowUp();
  };
  pb::FollowUp first = add(id, "Add a retry budget", "2026-01-10");
  pb::FollowUp second = add(id, "Page earlier", "");
  pb::FollowUp elsewhere = add(other, "Elsewhere", "2026-01-02");
  EXPECT_GT(first.id(), 0);
  EXPECT_EQ(second.id(), first.id() + 1);

  std::vector<pb::Delivery> added = Deliveries(id, kEventFollowUpAdded);
  ASSERT_THAT(added, SizeIs(2));
  auto loaded = outbox_->LoadDelivery(added[0].id(), false);
  ASSERT_THAT(loaded, IsOk());
  EXPECT_EQ(loaded->event.follow_up().id(), first.id());
  EXPECT_EQ(loaded->event.follow_up().title(), "Add a retry budget");
  EXPECT_EQ(loaded->event.entry().text(),
            absl::StrCat("Follow-up FU-", first.id(),
                         " added: Add a retry budget (owner ann@example.com), due 2026-01-10"));
  EXPECT_EQ(store_->Get(id)->version(), 1) << "a follow-up is no update of its incident";

  FollowUpFilter mine;
  mine.incident_id = id;
  auto page = store_->ListFollowUps(mine, 1, 0);
  ASSERT_THAT(page, IsOk());
  ASSERT_THAT(page->follow_ups, SizeIs(1));
  EXPECT_EQ(page->next_after_id, first.id());
  page = store_->ListFollowUps(mine, 1, page->next_after_id);
  ASSERT_THAT(page, IsOk());
  ASSERT_THAT(page->follow_ups, SizeIs(1));
  EXPECT_EQ(page->follow_ups[0].id(), second.id());
  EXPECT_EQ(page->next_after_id, 0);
  FollowUpFilter overdue;
  overdue.overdue_before = "2026-01-05";
  page = store_->ListFollowUps(overdue, 10, 0);
  ASSERT_THAT(page, IsOk());
  ASSERT_THAT(page->follow_ups, SizeIs(1));
  EXPECT_EQ(page->follow_ups[0].id(), elsewhere.id());
  auto totals = store_->CountFollowUps("2026-01-05");
  ASSERT_THAT(totals, IsOk());
  EXPECT_EQ(totals->open, 3);
  EXPECT_EQ(totals->overdue, 1);

  WriteBack write_back;
  write_back.actor = "jira";
  write_back.trackers = {{first.id(), "OPS-1", "https://acme.atlassian.net/browse/OPS-1"},
                         {elsewhere.id(), "OPS-9", "https://acme.atlassian.net/browse/OPS-9"},
                         {first.id() + 100, "OPS-0", "https://acme.atlassian.net/browse/OPS-0"}};
  const absl::Time done = kNow + absl::Seconds(5);
  ASSERT_THAT(outbox_->MarkDelivered(added[0].id(), write_back, done), IsOk());
  auto linked = store_->GetFollowUp(first.id());
  ASSERT_THAT(linked, IsOk());
  EXPECT_EQ(linked->tracker_key(), "OPS-1");
  EXPECT_EQ(linked->tracker_url(), "https://acme.atlassian.net/browse/OPS-1");
  EXPECT_EQ(linked->version(), 1) << "background work is no update";
  EXPECT_EQ(store_->GetFollowUp(elsewhere.id())->tracker_key(), "")
      << "another incident's follow-up is not this delivery's to set";
  EXPECT_THAT(store_->GetFollowUp(first.id() + 100), StatusIs(absl::StatusCode::kNotFound));
  std::vector<pb::Delivery> tracked = Deliveries(id, kEventFollowUpTrackerLinked);
  ASSERT_THAT(tracked, SizeIs(1));
  loaded = outbox_->LoadDelivery(tracked[0].id(), false);
  ASSERT_THAT(loaded, IsOk());
  EXPECT_EQ(loaded->event.follow_up().tracker_key(), "OPS-1");

  // The same write-back again records nothing new.
  ASSERT_THAT(outbox_->MarkDelivered(added[1].id(), write_back, done), IsOk());
  EXPECT_THAT(Deliveries(id, kEventFollowUpTrackerLinked), SizeIs(1));
}

}  // namespace
}  // namespace ff
