// The Store contract, run against every implementation: SqliteStore,
// PgStore and the in-memory fake must behave the same.
#include <algorithm>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "server/core/time_util.h"
#include "server/core/workflow.h"
#include "server/store/pg_store.h"
#include "server/store/sqlite_store.h"
#include "tests/store/record_page.h"
#include "tests/testing/memory_store.h"
#include "tests/testing/postgres_cluster.h"
#include "tests/testing/server_process.h"
#include "tests/testing/status_matchers.h"

namespace ff {
namespace {

using ::ff::testing::IsOk;
using ::ff::testing::ListByRecords;
using ::ff::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::SizeIs;

const absl::Time kNow = absl::FromUnixSeconds(1767225600);

struct SqliteFactory {
  ::ff::testing::TempDir dir;
  std::unique_ptr<Store> Make() {
    auto store = SqliteStore::Create(dir.File("ff.db"));
    EXPECT_THAT(store, IsOk());
    return store.ok() ? std::move(*store) : nullptr;
  }
};

// A database of its own per test, on a cluster of its own per test binary.
struct PostgresFactory {
  std::unique_ptr<::ff::testing::PostgresCluster> cluster;
  std::unique_ptr<Store> Make() {
    auto made = ::ff::testing::PostgresCluster::Create();
    EXPECT_THAT(made, IsOk());
    if (!made.ok()) return nullptr;
    cluster = *std::move(made);
    auto uri = cluster->CreateDatabase("contract");
    EXPECT_THAT(uri, IsOk());
    if (!uri.ok()) return nullptr;
    auto store = PgStore::Create(*uri, PgStoreOptions());
    EXPECT_THAT(store, IsOk());
    return store.ok() ? std::move(*store) : nullptr;
  }
};

struct MemoryFactory {
  std::unique_ptr<Store> Make() { return std::make_unique<::ff::testing::MemoryStore>(); }
};

// AsyncResult catches what an asynchronous write answers, and how often.
class AsyncResult {
 public:
  CommitDone Done() {
    return [this](absl::StatusOr<Committed> committed) {
      absl::MutexLock lock(&mu_);
      result_ = std::move(committed);
      ++answers_;
    };
  }
  // Wait returns the answer, or DEADLINE_EXCEEDED when none came in time.
  absl::StatusOr<Committed> Wait() {
    absl::MutexLock lock(&mu_);
    auto answered = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return answers_ > 0; };
    if (!mu_.AwaitWithTimeout(absl::Condition(&answered), absl::Seconds(30))) {
      return absl::DeadlineExceededError("no answer");
    }
    return result_;
  }
  int answers() {
    absl::MutexLock lock(&mu_);
    return answers_;
  }

 private:
  absl::Mutex mu_;
  absl::StatusOr<Committed> result_ ABSL_GUARDED_BY(mu_) = absl::UnknownError("unanswered");
  int answers_ ABSL_GUARDED_BY(mu_) = 0;
};

template <typename Factory>
class StoreContractTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = factory_.Make();
    ASSERT_NE(store_, nullptr);
  }

  Change NewIncident(const std::string& title, pb::Severity severity = pb::SEVERITY_SEV2,
                     const std::string& domain = "payment", const std::string& dedup = "") {
    pb::OpenIncidentRequest r;
    r.set_title(title);
    r.set_domain(domain);
    r.set_severity(severity);
    r.set_reporter("alice");
    r.set_dedup_key(dedup);
    return IncidentWorkflow::Open(r, kNow);
  }

  // EveryField is an incident with every stored field set.
  Change EveryField(const std::string& domain = "payment") {
    Change change = NewIncident("Checkout fails", pb::SEVERITY_SEV1, domain, "k-1");
    pb::Incident& i = change.incident;
    i.set_description("multi\nline");
    i.set_trigger_oncall(true);
    i.mutable_roles()->set_commander("carol");
    i.mutable_roles()->set_communication_lead("dave");
    i.mutable_roles()->set_operations_lead("erin");
    i.add_participants("carol");
    pb::Link* link = i.add_links();
    link->set_kind("slack_channel");
    link->set_url("https://example.slack.com/archives/C1");
    link->set_external_id("C1");
    *i.mutable_occurred_at() = ToTimestamp(kNow - absl::Minutes(10) + absl::Microseconds(7));
    *i.mutable_investigating_at() = ToTimestamp(kNow + absl::Seconds(1));
    *i.mutable_fixing_at() = ToTimestamp(kNow + absl::Seconds(2));
    *i.mutable_fixed_at() = ToTimestamp(kNow + absl::Seconds(3));
    *i.mutable_postmortem_at() = ToTimestamp(kNow + absl::Seconds(4));
    *i.mutable_closed_at() = ToTimestamp(kNow + absl::Seconds(5));
    i.set_close_reason(pb::CLOSE_REASON_DUPLICATE);
    return change;
  }

  pb::Incident MustOpen(const std::string& title, pb::Severity severity = pb::SEVERITY_SEV2,
                        const std::string& domain = "payment") {
    auto committed = store_->Open(NewIncident(title, severity, domain));
    EXPECT_THAT(committed, IsOk());
    return committed->incident;
  }

  absl::StatusOr<Committed> MoveTo(int64_t id, pb::Status status) {
    return store_->Mutate(id, [status](const pb::Incident& current) {
      pb::UpdateIncidentRequest r;
      r.set_id(current.id());
      r.set_actor("bob");
      r.set_status(status);
      r.set_message("because");
      return IncidentWorkflow::Update(current, r, kNow + absl::Minutes(1));
    });
  }

  // AddEntryAsync adds a timeline entry saying `text` to incident `id`
  // through the asynchronous path, answering `done`.
  void AddEntryAsync(int64_t id, const std::string& text, CommitDone done) {
    this->store_->MutateAsync(
        id,
        [text](const pb::Incident& current) {
          pb::AddTimelineEntryRequest r;
          r.set_incident_id(current.id());
          r.set_actor("bob");
          r.set_text(text);
          return IncidentWorkflow::AddEntry(current, r, kNow + absl::Minutes(1));
        },
        std::move(done));
  }

  // The store goes before its factory (a database server, say).
  Factory factory_;
  std::unique_ptr<Store> store_;
};

using Implementations = ::testing::Types<SqliteFactory, PostgresFactory, MemoryFactory>;
class ImplementationNames {
 public:
  template <typename T>
  static std::string GetName(int) {
    if (std::is_same_v<T, SqliteFactory>) return "Sqlite";
    return std::is_same_v<T, PostgresFactory> ? "Postgres" : "Memory";
  }
};
TYPED_TEST_SUITE(StoreContractTest, Implementations, ImplementationNames);

TYPED_TEST(StoreContractTest, OpenAssignsSequentialIdsAndRecordsTheOpening) {
  std::vector<int64_t> ids;
  std::vector<int64_t> sequences;
  for (const char* title : {"a", "b", "c"}) {
    auto committed = this->store_->Open(this->NewIncident(title));
    ASSERT_THAT(committed, IsOk());
    EXPECT_TRUE(committed->created);
    ids.push_back(committed->incident.id());
    ASSERT_THAT(committed->events, SizeIs(1));
    const pb::IncidentEvent& event = committed->events[0];
    EXPECT_EQ(event.type(), kEventOpened);
    EXPECT_EQ(event.incident().id(), committed->incident.id());
    EXPECT_EQ(event.entry().incident_id(), committed->incident.id());
    EXPECT_GT(event.entry().id(), 0);
    sequences.push_back(event.sequence());
  }
  EXPECT_THAT(ids, ElementsAre(1, 2, 3));
  EXPECT_LT(sequences[0], sequences[1]);
  EXPECT_LT(sequences[1], sequences[2]);
}

TYPED_TEST(StoreContractTest, RoundTripsEveryField) {
  Change change = this->EveryField();
  const pb::Incident& i = change.incident;
  auto committed = this->store_->Open(change);
  ASSERT_THAT(committed, IsOk());
  auto got = this->store_->Get(committed->incident.id());
  ASSERT_THAT(got, IsOk());
  std::string diff;
  google::protobuf::util::MessageDifferencer differ;
  differ.ReportDifferencesToString(&diff);
  EXPECT_TRUE(differ.Compare(committed->incident, *got)) << diff;
  EXPECT_FALSE(got->has_investigating_at() && !i.has_investigating_at());
}

TYPED_TEST(StoreContractTest, UnsetStatusTimesStayUnset) {
  pb::Incident opened = this->MustOpen("a");
  auto got = this->store_->Get(opened.id());
  ASSERT_THAT(got, IsOk());
  EXPECT_FALSE(got->has_investigating_at());
  EXPECT_FALSE(got->has_fixed_at());
  EXPECT_FALSE(got->has_closed_at());
}

TYPED_TEST(StoreContractTest, DedupKeyReturnsTheOpenIncidentUntilItCloses) {
  auto first = this->store_->Open(this->NewIncident("a", pb::SEVERITY_SEV4, "payment", "alert-7"));
  ASSERT_THAT(first, IsOk());
  auto again = this->store_->Open(this->NewIncident("b", pb::SEVERITY_SEV4, "payment", "alert-7"));
  ASSERT_THAT(again, IsOk());
  EXPECT_FALSE(again->created);
  EXPECT_EQ(again->incident.id(), first->incident.id());
  EXPECT_EQ(again->incident.title(), "a");
  EXPECT_THAT(again->events, IsEmpty());

  ASSERT_THAT(this->MoveTo(first->incident.id(), pb::STATUS_FIXED), IsOk());
  ASSERT_THAT(this->MoveTo(first->incident.id(), pb::STATUS_CLOSED), IsOk());
  auto after_close =
      this->store_->Open(this->NewIncident("c", pb::SEVERITY_SEV4, "payment", "alert-7"));
  ASSERT_THAT(after_close, IsOk());
  EXPECT_TRUE(after_close->created);
  EXPECT_NE(after_close->incident.id(), first->incident.id());
}

TYPED_TEST(StoreContractTest, UnknownIncidentIsNotFound) {
  EXPECT_THAT(this->store_->Get(99),
              StatusIs(absl::StatusCode::kNotFound, "incident #99 does not exist"));
  EXPECT_THAT(this->store_->Timeline(99), StatusIs(absl::StatusCode::kNotFound));
  bool called = false;
  EXPECT_THAT(this->store_->Mutate(99,
                                   [&](const pb::Incident&) -> absl::StatusOr<Change> {
                                     called = true;
                                     return absl::InternalError("must not run");
                                   }),
              StatusIs(absl::StatusCode::kNotFound, "incident #99 does not exist"));
  EXPECT_FALSE(called);
}

TYPED_TEST(StoreContractTest, MutateStoresStateTimelineAndEventsTogether) {
  pb::Incident opened = this->MustOpen("a");
  auto committed = this->MoveTo(opened.id(), pb::STATUS_INVESTIGATING);
  ASSERT_THAT(committed, IsOk());
  EXPECT_EQ(committed->incident.version(), 2);
  ASSERT_THAT(committed->events, SizeIs(1));
  EXPECT_EQ(committed->events[0].type(), kEventStatusChanged);
  EXPECT_EQ(committed->events[0].incident().status(), pb::STATUS_INVESTIGATING);

  auto got = this->store_->Get(opened.id());
  ASSERT_THAT(got, IsOk());
  EXPECT_EQ(got->status(), pb::STATUS_INVESTIGATING);
  EXPECT_EQ(got->version(), 2);
  auto timeline = this->store_->Timeline(opened.id());
  ASSERT_THAT(timeline, IsOk());
  ASSERT_THAT(*timeline, SizeIs(2));
  EXPECT_EQ((*timeline)[0].kind(), "opened");
  EXPECT_EQ((*timeline)[1].kind(), "status");
  EXPECT_EQ((*timeline)[1].id(), committed->events[0].entry().id());
}

TYPED_TEST(StoreContractTest, RefusedMutationStoresNothing) {
  pb::Incident opened = this->MustOpen("a");
  int notified = 0;
  this->store_->SetCommitObserver([&](const Committed&) { ++notified; });
  EXPECT_THAT(this->MoveTo(opened.id(), pb::STATUS_POSTMORTEM),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  auto got = this->store_->Get(opened.id());
  ASSERT_THAT(got, IsOk());
  EXPECT_EQ(got->status(), pb::STATUS_OPEN);
  EXPECT_EQ(got->version(), 1);
  EXPECT_THAT(*this->store_->Timeline(opened.id()), SizeIs(1));
  EXPECT_EQ(notified, 0);
}

TYPED_TEST(StoreContractTest, ChangeWithoutRecordsStoresNothing) {
  pb::Incident opened = this->MustOpen("a");
  auto committed = this->MoveTo(opened.id(), pb::STATUS_OPEN);  // already there
  ASSERT_THAT(committed, IsOk());
  EXPECT_THAT(committed->events, IsEmpty());
  EXPECT_EQ(committed->incident.version(), 1);
  EXPECT_EQ(this->store_->Get(opened.id())->version(), 1);
}

TYPED_TEST(StoreContractTest, ListIsNewestFirstFilteredAndPaged) {
  this->MustOpen("p1", pb::SEVERITY_SEV1, "payment");  // 1
  this->MustOpen("s1", pb::SEVERITY_SEV2, "search");   // 2
  this->MustOpen("p2", pb::SEVERITY_SEV2, "payment");  // 3
  this->MustOpen("p3", pb::SEVERITY_SEV4, "payment");  // 4
  this->MustOpen("s2", pb::SEVERITY_SEV1, "search");   // 5
  ASSERT_THAT(this->MoveTo(3, pb::STATUS_FIXING), IsOk());

  auto ids = [](const IncidentPage& page) {
    std::vector<int64_t> out;
    for (const auto& i : page.incidents) out.push_back(i.id());
    return out;
  };
  auto all = this->store_->List({}, 50, 0);
  ASSERT_THAT(all, IsOk());
  EXPECT_THAT(ids(*all), ElementsAre(5, 4, 3, 2, 1));
  EXPECT_EQ(all->next_before_id, 0);

  auto first = this->store_->List({}, 2, 0);
  EXPECT_THAT(ids(*first), ElementsAre(5, 4));
  EXPECT_EQ(first->next_before_id, 4);
  auto second = this->store_->List({}, 2, first->next_before_id);
  EXPECT_THAT(ids(*second), ElementsAre(3, 2));
  auto third = this->store_->List({}, 2, second->next_before_id);
  EXPECT_THAT(ids(*third), ElementsAre(1));
  EXPECT_EQ(third->next_before_id, 0);

  IncidentFilter payment;
  payment.domain = "payment";
  EXPECT_THAT(ids(*this->store_->List(payment, 50, 0)), ElementsAre(4, 3, 1));
  IncidentFilter sev1;
  sev1.severities = {pb::SEVERITY_SEV1};
  EXPECT_THAT(ids(*this->store_->List(sev1, 50, 0)), ElementsAre(5, 1));
  IncidentFilter fixing_or_sev4;
  fixing_or_sev4.statuses = {pb::STATUS_FIXING};
  EXPECT_THAT(ids(*this->store_->List(fixing_or_sev4, 50, 0)), ElementsAre(3));
  IncidentFilter combined;
  combined.statuses = {pb::STATUS_OPEN, pb::STATUS_FIXING};
  combined.severities = {pb::SEVERITY_SEV2, pb::SEVERITY_SEV4};
  combined.domain = "payment";
  EXPECT_THAT(ids(*this->store_->List(combined, 50, 0)), ElementsAre(4, 3));
}

// ListRecords is List as stored records: the same pages, and each record
// with its id is the listed incident, every field included.
TYPED_TEST(StoreContractTest, ListRecordsHandsOverListsPagesAsRecords) {
  Change full = this->EveryField("search");
  ASSERT_THAT(this->store_->Open(full), IsOk());
  this->MustOpen("p1", pb::SEVERITY_SEV2, "payment");
  this->MustOpen("p2", pb::SEVERITY_SEV4, "payment");
  ASSERT_THAT(this->MoveTo(2, pb::STATUS_FIXING), IsOk());

  IncidentFilter payment;
  payment.domain = "payment";
  IncidentFilter fixing;
  fixing.statuses = {pb::STATUS_FIXING};
  for (const IncidentFilter& filter : {IncidentFilter{}, payment, fixing}) {
    for (int32_t limit : {50, 1}) {
      int64_t before = 0;
      do {
        auto page = this->store_->List(filter, limit, before);
        ASSERT_THAT(page, IsOk());
        auto records = ListByRecords(*this->store_, filter, limit, before);
        ASSERT_THAT(records, IsOk());
        EXPECT_EQ(records->next_before_id, page->next_before_id);
        ASSERT_EQ(records->incidents.size(), page->incidents.size());
        for (size_t n = 0; n < page->incidents.size(); ++n) {
          std::string diff;
          google::protobuf::util::MessageDifferencer differ;
          differ.ReportDifferencesToString(&diff);
          EXPECT_TRUE(differ.Compare(page->incidents[n], records->incidents[n])) << diff;
        }
        before = records->next_before_id;
      } while (before != 0);
    }
  }
}

TYPED_TEST(StoreContractTest, TimelineIsOldestFirstByEntryTime) {
  pb::Incident opened = this->MustOpen("a");
  auto add = [&](absl::Time when, const std::string& text) {
    return this->store_->Mutate(opened.id(), [&](const pb::Incident& current) {
      pb::AddTimelineEntryRequest r;
      r.set_incident_id(current.id());
      r.set_actor("bob");
      r.set_text(text);
      *r.mutable_time() = ToTimestamp(when);
      return IncidentWorkflow::AddEntry(current, r, kNow + absl::Hours(1));
    });
  };
  ASSERT_THAT(add(kNow + absl::Minutes(20), "later"), IsOk());
  ASSERT_THAT(add(kNow + absl::Minutes(10), "earlier"), IsOk());
  auto timeline = this->store_->Timeline(opened.id());
  ASSERT_THAT(timeline, IsOk());
  ASSERT_THAT(*timeline, SizeIs(3));
  EXPECT_EQ((*timeline)[1].text(), "earlier");
  EXPECT_EQ((*timeline)[2].text(), "later");
}

TYPED_TEST(StoreContractTest, ObserverSeesEveryCommitInOrder) {
  std::vector<std::string> seen;
  this->store_->SetCommitObserver([&](const Committed& c) {
    for (const auto& e : c.events) seen.push_back(absl::StrCat(e.incident().id(), ":", e.type()));
  });
  pb::Incident a = this->MustOpen("a");
  ASSERT_THAT(this->MoveTo(a.id(), pb::STATUS_FIXED), IsOk());
  EXPECT_THAT(seen, ElementsAre("1:incident.opened", "1:incident.status_changed"));
}

// The asynchronous writes every write RPC makes: the same results as the
// blocking ones, each answered once, once durable and seen by the observer.
TYPED_TEST(StoreContractTest, AsyncOpenAndMutateAnswerWithWhatTheyStored) {
  absl::Mutex seen_mu;
  std::vector<int64_t> seen;  // sequences the observer was told of
  this->store_->SetCommitObserver([&](const Committed& c) {
    absl::MutexLock lock(&seen_mu);
    for (const auto& e : c.events) seen.push_back(e.sequence());
  });
  auto observed = [&](const Committed& c) {
    absl::MutexLock lock(&seen_mu);
    return !c.events.empty() &&
           std::find(seen.begin(), seen.end(), c.events.back().sequence()) != seen.end();
  };
  AsyncResult opened;
  this->store_->OpenAsync(this->NewIncident("a"), opened.Done());
  absl::StatusOr<Committed> open = opened.Wait();
  ASSERT_THAT(open, IsOk());
  EXPECT_TRUE(open->created);
  EXPECT_EQ(open->incident.id(), 1);
  ASSERT_THAT(open->events, SizeIs(1));
  EXPECT_EQ(open->events[0].type(), kEventOpened);
  EXPECT_TRUE(observed(*open)) << "the observer is told before the writer is answered";

  AsyncResult added;
  this->AddEntryAsync(1, "rolled back the deploy", added.Done());
  absl::StatusOr<Committed> add = added.Wait();
  ASSERT_THAT(add, IsOk());
  EXPECT_FALSE(add->created);
  EXPECT_EQ(add->incident.version(), 2);
  ASSERT_THAT(add->events, SizeIs(1));
  EXPECT_EQ(add->events[0].type(), kEventEntryAdded);
  EXPECT_GT(add->events[0].sequence(), open->events[0].sequence());
  EXPECT_TRUE(observed(*add));

  EXPECT_EQ(this->store_->Get(1)->version(), 2);
  auto timeline = this->store_->Timeline(1);
  ASSERT_THAT(timeline, IsOk());
  ASSERT_THAT(*timeline, SizeIs(2));
  EXPECT_EQ((*timeline)[1].text(), "rolled back the deploy");
  EXPECT_EQ((*timeline)[1].id(), add->events[0].entry().id());
  EXPECT_EQ(opened.answers(), 1);
  EXPECT_EQ(added.answers(), 1);
}

TYPED_TEST(StoreContractTest, AsyncWritesRefuseAndDeduplicateAsTheBlockingOnes) {
  auto first = this->store_->Open(this->NewIncident("a", pb::SEVERITY_SEV4, "payment", "alert-7"));
  ASSERT_THAT(first, IsOk());
  AsyncResult again;
  this->store_->OpenAsync(this->NewIncident("b", pb::SEVERITY_SEV4, "payment", "alert-7"),
                          again.Done());
  absl::StatusOr<Committed> deduplicated = again.Wait();
  ASSERT_THAT(deduplicated, IsOk());
  EXPECT_FALSE(deduplicated->created);
  EXPECT_EQ(deduplicated->incident.id(), first->incident.id());
  EXPECT_THAT(deduplicated->events, IsEmpty());

  bool called = false;
  AsyncResult missing;
  this->store_->MutateAsync(
      99,
      [&called](const pb::Incident&) -> absl::StatusOr<Change> {
        called = true;
        return absl::InternalError("must not run");
      },
      missing.Done());
  EXPECT_THAT(missing.Wait(), StatusIs(absl::StatusCode::kNotFound, "incident #99 does not exist"));
  EXPECT_FALSE(called);

  AsyncResult refused;
  this->store_->MutateAsync(
      first->incident.id(),
      [](const pb::Incident& current) {
        pb::UpdateIncidentRequest r;
        r.set_id(current.id());
        r.set_actor("bob");
        r.set_status(pb::STATUS_POSTMORTEM);
        return IncidentWorkflow::Update(current, r, kNow + absl::Minutes(1));
      },
      refused.Done());
  EXPECT_THAT(refused.Wait(), StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_EQ(this->store_->Get(first->incident.id())->version(), 1);
  EXPECT_THAT(*this->store_->Timeline(first->incident.id()), SizeIs(1));
}

TYPED_TEST(StoreContractTest, ConcurrentAsyncWritesAreEachStoredAndAnsweredOnce) {
  pb::Incident opened = this->MustOpen("a");
  constexpr int kWrites = 24;
  std::vector<std::unique_ptr<AsyncResult>> results;
  for (int i = 0; i < kWrites; ++i) {
    results.push_back(std::make_unique<AsyncResult>());
    this->AddEntryAsync(opened.id(), absl::StrCat("note ", i), results.back()->Done());
  }
  std::set<int64_t> versions;
  for (auto& result : results) {
    absl::StatusOr<Committed> committed = result->Wait();
    ASSERT_THAT(committed, IsOk());
    versions.insert(committed->incident.version());
  }
  // No write lost another's: every version from 2 on, once.
  EXPECT_THAT(versions, SizeIs(kWrites));
  EXPECT_EQ(*versions.begin(), 2);
  EXPECT_EQ(*versions.rbegin(), kWrites + 1);
  EXPECT_EQ(this->store_->Get(opened.id())->version(), kWrites + 1);
  EXPECT_THAT(*this->store_->Timeline(opened.id()), SizeIs(kWrites + 1));
  for (auto& result : results) EXPECT_EQ(result->answers(), 1);
}

}  // namespace
}  // namespace ff
