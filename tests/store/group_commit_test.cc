// Group commit: concurrent writes share a transaction, each keeps its own
// result, and a failing member fails nobody else.
#include "server/store/group_commit.h"

#include <atomic>
#include <thread>
#include <vector>

#include "absl/synchronization/notification.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/core/workflow.h"
#include "server/store/sqlite_store.h"
#include "tests/testing/server_process.h"
#include "tests/testing/status_matchers.h"

namespace ff {
namespace {

using ::ff::testing::IsOk;
using ::ff::testing::StatusIs;

const absl::Time kNow = absl::FromUnixSeconds(1767225600);

// WaitFor spins (bounded) until `ready` holds.
template <typename Ready>
bool WaitFor(Ready ready) {
  absl::Time deadline = absl::Now() + absl::Seconds(10);
  while (!ready()) {
    if (absl::Now() > deadline) return false;
    std::this_thread::yield();
  }
  return true;
}

TEST(GroupCommit, WritesQueuedDuringAGroupShareTheNextOne) {
  absl::Notification release;
  std::atomic<int> groups_seen{0};
  std::vector<size_t> group_sizes;
  GroupCommit group(
      [&](const std::vector<const GroupCommit::Body*>& bodies) {
        if (groups_seen++ == 0) release.WaitForNotification();
        group_sizes.push_back(bodies.size());
        std::vector<absl::StatusOr<Committed>> results;
        for (const auto* body : bodies) results.push_back((*body)());
        return results;
      },
      /*max_group=*/64);
  auto write = [](int n) {
    return [n]() -> absl::StatusOr<Committed> {
      if (n == 3) return absl::FailedPreconditionError("member 3 refused");
      Committed c;
      c.incident.set_id(n);
      return c;
    };
  };
  std::thread leader([&] { EXPECT_EQ(group.Run(write(0))->incident.id(), 0); });
  ASSERT_TRUE(WaitFor([&] { return groups_seen.load() == 1; }));
  std::vector<std::thread> followers;
  std::vector<absl::StatusOr<Committed>> results(5, absl::UnknownError("unset"));
  for (int n = 1; n <= 5; ++n) {
    followers.emplace_back([&, n] { results[n - 1] = group.Run(write(n)); });
  }
  ASSERT_TRUE(WaitFor([&] { return group.waiting() == 5; }));
  release.Notify();
  leader.join();
  for (auto& f : followers) f.join();
  EXPECT_EQ(group.groups(), 2);
  EXPECT_THAT(group_sizes, ::testing::ElementsAre(1, 5));
  for (int n = 1; n <= 5; ++n) {
    if (n == 3) {
      EXPECT_THAT(results[n - 1], StatusIs(absl::StatusCode::kFailedPrecondition));
    } else {
      ASSERT_THAT(results[n - 1], IsOk());
      EXPECT_EQ(results[n - 1]->incident.id(), n);
    }
  }
}

TEST(GroupCommit, SubmittedWritesAreAnsweredOnceTheirGroupIsCommitted) {
  absl::Notification release;
  std::atomic<int> groups_seen{0};
  std::atomic<int> committed_groups{0};
  GroupCommit group(
      [&](const std::vector<const GroupCommit::Body*>& bodies) {
        if (groups_seen++ == 0) release.WaitForNotification();
        std::vector<absl::StatusOr<Committed>> results;
        for (const auto* body : bodies) results.push_back((*body)());
        ++committed_groups;  // "durable" from here on
        return results;
      },
      /*max_group=*/64);
  auto write = [](int n) {
    return [n]() -> absl::StatusOr<Committed> {
      if (n == 3) return absl::FailedPreconditionError("member 3 refused");
      Committed c;
      c.incident.set_id(n);
      return c;
    };
  };
  absl::Mutex mu;
  std::vector<absl::StatusOr<Committed>> results(6, absl::UnknownError("unanswered"));
  std::vector<int> groups_at_answer(6, -1);
  auto answer = [&](int n) {
    return [&, n](absl::StatusOr<Committed> result) {
      absl::MutexLock lock(&mu);
      results[n] = std::move(result);
      groups_at_answer[n] = committed_groups.load();
    };
  };
  // The first submitter leads; its group is held open while five more queue.
  std::thread first([&] { group.Submit(write(0), answer(0)); });
  ASSERT_TRUE(WaitFor([&] { return groups_seen.load() == 1; }));
  for (int n = 1; n <= 5; ++n) group.Submit(write(n), answer(n));  // none blocks
  EXPECT_EQ(group.waiting(), 5u);
  {
    absl::MutexLock lock(&mu);
    for (const auto& r : results) EXPECT_THAT(r, StatusIs(absl::StatusCode::kUnknown));
  }
  release.Notify();
  first.join();
  ASSERT_TRUE(WaitFor([&] {
    absl::MutexLock lock(&mu);
    return groups_at_answer[5] >= 0;
  }));
  EXPECT_EQ(group.groups(), 2);
  absl::MutexLock lock(&mu);
  EXPECT_EQ(groups_at_answer[0], 1);  // answered after its own commit only
  for (int n = 0; n <= 5; ++n) {
    if (n > 0) {
      EXPECT_EQ(groups_at_answer[n], 2) << n;
    }
    if (n == 3) {
      EXPECT_THAT(results[n], StatusIs(absl::StatusCode::kFailedPrecondition, "member 3 refused"));
    } else {
      ASSERT_THAT(results[n], IsOk());
      EXPECT_EQ(results[n]->incident.id(), n);
    }
  }
}

TEST(GroupCommit, BlockingAndSubmittedWritesMixAndDestructionAnswersEveryWrite) {
  std::atomic<int> runs{0};
  std::atomic<int> answered{0};
  {
    GroupCommit group(
        [&](const std::vector<const GroupCommit::Body*>& bodies) {
          std::vector<absl::StatusOr<Committed>> results;
          for (const auto* body : bodies) results.push_back((*body)());
          ++runs;
          return results;
        },
        /*max_group=*/4);
    auto ok = []() -> absl::StatusOr<Committed> { return Committed{}; };
    std::vector<std::thread> writers;
    for (int t = 0; t < 8; ++t) {
      writers.emplace_back([&, t] {
        for (int i = 0; i < 50; ++i) {
          if ((t + i) % 2 == 0) {
            EXPECT_THAT(group.Run(ok), IsOk());
            ++answered;
          } else {
            group.Submit(ok, [&](absl::StatusOr<Committed> r) {
              EXPECT_THAT(r, IsOk());
              ++answered;
            });
          }
        }
      });
    }
    for (auto& w : writers) w.join();
  }  // the destructor waits for every submitted write to be answered
  EXPECT_EQ(answered.load(), 400);
  EXPECT_GE(runs.load(), 100);  // at most 4 per group
}

TEST(SqliteGroupCommit, AsyncWritesAreDurableWhenAnswered) {
  ::ff::testing::TempDir dir;
  std::atomic<int> answered{0};
  {
    auto store = SqliteStore::Create(dir.File("ff.db"));
    ASSERT_THAT(store, IsOk());
    pb::OpenIncidentRequest open;
    open.set_title("async");
    open.set_severity(pb::SEVERITY_SEV3);
    open.set_reporter("alice");
    open.set_domain("payment");
    for (int i = 0; i < 20; ++i) {
      (*store)->OpenAsync(IncidentWorkflow::Open(open, kNow), [&](absl::StatusOr<Committed> c) {
        EXPECT_THAT(c, IsOk());
        ++answered;
      });
    }
    ASSERT_TRUE(WaitFor([&] { return answered.load() == 20; }));
    (*store)->MutateAsync(
        7,
        [](const pb::Incident& current) -> absl::StatusOr<Change> {
          return absl::FailedPreconditionError("refused inside the transaction");
        },
        [&](absl::StatusOr<Committed> c) {
          EXPECT_THAT(c, StatusIs(absl::StatusCode::kFailedPrecondition));
          ++answered;
        });
    ASSERT_TRUE(WaitFor([&] { return answered.load() == 21; }));
  }
  // Reopened: every answered write is there, the refused one changed nothing.
  auto reopened = SqliteStore::Create(dir.File("ff.db"));
  ASSERT_THAT(reopened, IsOk());
  auto page = (*reopened)->List({}, 100, 0);
  ASSERT_THAT(page, IsOk());
  EXPECT_EQ(page->incidents.size(), 20u);
  EXPECT_EQ((*reopened)->Get(7)->version(), 1);
}

Change NewIncident(const std::string& title) {
  pb::OpenIncidentRequest r;
  r.set_title(title);
  r.set_domain("payment");
  r.set_severity(pb::SEVERITY_SEV4);
  r.set_reporter("alice");
  return IncidentWorkflow::Open(r, kNow);
}

TEST(SqliteGroupCommit, AFailingMemberLeavesTheOthersCommitted) {
  ::ff::testing::TempDir dir;
  auto store = SqliteStore::Create(dir.File("ff.db"));
  ASSERT_THAT(store, IsOk());
  SqliteStore& s = **store;
  ASSERT_THAT(s.Open(NewIncident("first")), IsOk());
  // Hold a group open with a mutation that waits, so the next writes queue.
  absl::Notification release;
  std::atomic<bool> holding{false};
  std::thread holder([&] {
    auto held = s.Mutate(1, [&](const pb::Incident& current) {
      holding = true;
      release.WaitForNotification();
      pb::AddTimelineEntryRequest r;
      r.set_incident_id(1);
      r.set_actor("bob");
      r.set_text("held");
      return IncidentWorkflow::AddEntry(current, r, kNow);
    });
    EXPECT_THAT(held, IsOk());
  });
  ASSERT_TRUE(WaitFor([&] { return holding.load(); }));
  int64_t groups_before = s.group_commits();
  std::vector<absl::StatusOr<Committed>> results(4, absl::UnknownError("unset"));
  std::vector<std::thread> writers;
  for (int n = 0; n < 4; ++n) {
    writers.emplace_back([&, n] {
      if (n == 2) {  // refused by the rules: a postmortem for a SEV4 still OPEN
        results[n] = s.Mutate(1, [](const pb::Incident& current) {
          pb::UpdateIncidentRequest r;
          r.set_id(1);
          r.set_actor("bob");
          r.set_status(pb::STATUS_POSTMORTEM);
          return IncidentWorkflow::Update(current, r, kNow);
        });
      } else {
        results[n] = s.Open(NewIncident(absl::StrCat("queued ", n)));
      }
    });
  }
  ASSERT_TRUE(WaitFor([&] { return s.writes_waiting() == 4; }));
  release.Notify();
  holder.join();
  for (auto& w : writers) w.join();
  EXPECT_EQ(s.group_commits() - groups_before, 2) << "the held group, then all four together";
  EXPECT_THAT(results[2], StatusIs(absl::StatusCode::kFailedPrecondition));
  for (int n : {0, 1, 3}) ASSERT_THAT(results[n], IsOk()) << n;
  auto page = s.List({}, 10, 0);
  ASSERT_THAT(page, IsOk());
  EXPECT_EQ(page->incidents.size(), 4u);  // first + three queued opens
  auto first = s.Get(1);
  ASSERT_THAT(first, IsOk());
  EXPECT_EQ(first->status(), pb::STATUS_OPEN);
  EXPECT_EQ(first->version(), 2);  // the held note only
}

}  // namespace
}  // namespace ff
