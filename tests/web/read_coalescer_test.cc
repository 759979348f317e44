// ReadCoalescer as a unit: fetches that the test holds open, so which read
// gets which fetch's answer is decided by the test, not by timing.
#include "adapters/web/read_coalescer.h"

#include <atomic>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace ff::web {
namespace {

using ::testing::Each;
using ::testing::Field;

// HeldFetches: a fetch whose first call waits until the test releases it;
// each call answers with its own number ("1", "2", …), with `status`, but
// call number `throwing_call` throws.
class HeldFetches {
 public:
  explicit HeldFetches(int status = 200, int throwing_call = 0)
      : status_(status), throwing_call_(throwing_call) {}
  ReadCoalescer::Fetch fetch() {
    return [this] {
      int n = ++calls_;
      if (n == 1) {
        first_started_.Notify();
        release_first_.WaitForNotification();
      }
      if (n == throwing_call_) throw std::runtime_error("fetch failed");
      return HttpReply{status_, "text/plain", std::to_string(n)};
    };
  }
  void WaitUntilFirstStarted() { first_started_.WaitForNotification(); }
  void ReleaseFirst() { release_first_.Notify(); }
  int calls() const { return calls_; }

 private:
  const int status_;
  const int throwing_call_;
  std::atomic<int> calls_{0};
  absl::Notification first_started_;
  absl::Notification release_first_;
};

// WaitUntilGathering polls until `count` reads of `key` have joined the
// next fetch, or 30 s pass.
bool WaitUntilGathering(const ReadCoalescer& coalescer, const std::string& key, int count) {
  absl::Time deadline = absl::Now() + absl::Seconds(30);
  while (coalescer.Gathering(key) < count && absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(1));
  }
  return coalescer.Gathering(key) == count;
}

// ReadsDuringFirst: starts a read of `key` whose fetch is held, then
// `waiting` more reads; releases the first once they have all joined and
// returns their replies (the first read's is *first).
std::vector<HttpReply> ReadsDuringFirst(ReadCoalescer& coalescer, HeldFetches& fetches,
                                        const std::string& key, int waiting, HttpReply* first) {
  std::thread first_read([&] { *first = coalescer.Read(key, fetches.fetch()); });
  fetches.WaitUntilFirstStarted();
  std::vector<HttpReply> replies(waiting);
  std::vector<std::thread> reads;
  for (int i = 0; i < waiting; ++i) {
    reads.emplace_back([&, i] { replies[i] = coalescer.Read(key, fetches.fetch()); });
  }
  EXPECT_TRUE(WaitUntilGathering(coalescer, key, waiting));
  fetches.ReleaseFirst();
  first_read.join();
  for (std::thread& read : reads) read.join();
  return replies;
}

TEST(ReadCoalescerTest, AReadAloneFetchesAtOnce) {
  ReadCoalescer coalescer;
  HeldFetches fetches;
  fetches.ReleaseFirst();
  HttpReply reply = coalescer.Read("all", fetches.fetch());
  EXPECT_EQ(reply.status, 200);
  EXPECT_EQ(reply.body, "1");
  EXPECT_EQ(coalescer.Read("all", fetches.fetch()).body, "2");
  EXPECT_EQ(fetches.calls(), 2);
}

TEST(ReadCoalescerTest, ReadsArrivingDuringAFetchShareTheNextOneNotThatOne) {
  ReadCoalescer coalescer;
  HeldFetches fetches;
  HttpReply first;
  std::vector<HttpReply> later = ReadsDuringFirst(coalescer, fetches, "all", 8, &first);
  EXPECT_EQ(first.body, "1");
  // None got the answer of the fetch that had started before they came.
  EXPECT_THAT(later, Each(Field(&HttpReply::body, "2")));
  EXPECT_EQ(fetches.calls(), 2);
  EXPECT_EQ(coalescer.Gathering("all"), 0);
}

TEST(ReadCoalescerTest, AFailedFetchIsTheAnswerOfEveryReadThatJoinedIt) {
  ReadCoalescer coalescer;
  HeldFetches fetches(503);
  HttpReply first;
  std::vector<HttpReply> later = ReadsDuringFirst(coalescer, fetches, "all", 5, &first);
  EXPECT_EQ(first.status, 503);
  EXPECT_THAT(later, Each(Field(&HttpReply::status, 503)));
  EXPECT_THAT(later, Each(Field(&HttpReply::body, "2")));
  EXPECT_EQ(fetches.calls(), 2);
}

// The read that ran a fetch that threw gets the exception (the HTTP layer
// answers it 500); the others that joined get 500, and the key is not left
// waiting on a fetch that will never end.
TEST(ReadCoalescerTest, AFetchThatThrowsEndsItsBatch) {
  ReadCoalescer coalescer;
  HeldFetches fetches(200, /*throwing_call=*/2);
  std::thread first_read([&] { coalescer.Read("all", fetches.fetch()); });
  fetches.WaitUntilFirstStarted();
  std::atomic<int> threw{0};
  std::vector<HttpReply> replies(4);
  std::vector<std::thread> reads;
  for (size_t i = 0; i < replies.size(); ++i) {
    reads.emplace_back([&, i] {
      try {
        replies[i] = coalescer.Read("all", fetches.fetch());
      } catch (const std::runtime_error&) {
        ++threw;
        replies[i] = {500, "text/plain", "internal error"};
      }
    });
  }
  EXPECT_TRUE(WaitUntilGathering(coalescer, "all", 4));
  fetches.ReleaseFirst();
  first_read.join();
  for (std::thread& read : reads) read.join();
  EXPECT_EQ(threw, 1);
  EXPECT_THAT(replies, Each(Field(&HttpReply::status, 500)));
  EXPECT_THAT(replies, Each(Field(&HttpReply::body, "internal error")));
  EXPECT_EQ(coalescer.Read("all", fetches.fetch()).body, "3");
}

TEST(ReadCoalescerTest, ReadsOfAnotherKeyNeitherWaitNorShare) {
  ReadCoalescer coalescer;
  HeldFetches held;
  HttpReply first;
  std::thread first_read([&] { first = coalescer.Read("severity=sev1", held.fetch()); });
  held.WaitUntilFirstStarted();
  // Answered while the other key's fetch is still held.
  HeldFetches other;
  other.ReleaseFirst();
  EXPECT_EQ(coalescer.Read("severity=sev3", other.fetch()).body, "1");
  EXPECT_EQ(other.calls(), 1);
  held.ReleaseFirst();
  first_read.join();
  EXPECT_EQ(first.body, "1");
  EXPECT_EQ(held.calls(), 1);
}

}  // namespace
}  // namespace ff::web
