// Many viewers of one dashboard (issue 21): GET /api/incidents read by many
// pages at once, end to end against the real firefighterd and the real
// firefighter-web. Identical reads that arrive together share one fetch
// (adapters/web/read_coalescer.h); these tests hold what each viewer sees to
// what it would have seen alone.
#include <atomic>
#include <functional>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "tests/web/web_actions_fixture.h"

namespace ff::web {
namespace {

// Titles: the titles of a GET /api/incidents answer.
std::set<std::string> Titles(const Reply& reply) {
  std::set<std::string> titles;
  if (!reply.body.is_object() || !reply.body.contains("incidents")) return titles;
  for (const nlohmann::json& incident : reply.body["incidents"]) {
    titles.insert(incident["title"].get<std::string>());
  }
  return titles;
}

// Viewers: `count` threads, viewer i GETting `paths[i % size]` back to back
// with `read` and handing each answer to `check` (both thread-safe), until
// the Viewers go.
class Viewers {
 public:
  using ReadFn = std::function<Reply(const std::string& path)>;
  using CheckFn = std::function<void(const std::string& path, const Reply& reply)>;
  Viewers(int count, std::vector<std::string> paths, ReadFn read, CheckFn check)
      : paths_(std::move(paths)), read_(std::move(read)), check_(std::move(check)) {
    for (int i = 0; i < count; ++i) {
      threads_.emplace_back([this, i] {
        const std::string& path = paths_[i % paths_.size()];
        while (!stop_) {
          check_(path, read_(path));
          ++reads_;
        }
      });
    }
  }
  ~Viewers() {
    stop_ = true;
    for (std::thread& thread : threads_) thread.join();
  }
  // WaitForReads polls until `count` reads were made (or 60 s pass).
  bool WaitForReads(int count) const {
    absl::Time deadline = absl::Now() + absl::Seconds(60);
    while (reads_ < count && absl::Now() < deadline) absl::SleepFor(absl::Milliseconds(10));
    return reads_ >= count;
  }

 private:
  const std::vector<std::string> paths_;
  const ReadFn read_;
  const CheckFn check_;
  std::atomic<bool> stop_{false};
  std::atomic<int> reads_{0};
  std::vector<std::thread> threads_;
};

class WebViewersTest : public WebActionsTest {
 protected:
  void SetUp() override {
    WebActionsTest::SetUp();
    StartWeb();
  }
  Viewers::ReadFn AsBob() const {
    return [this](const std::string& path) { return Read(kBob, path); };
  }
};

// Someone who has just declared an incident finds it on the overview they
// load next, while the rest of the company loads the same overview.
TEST_F(WebViewersTest, AnIncidentDeclaredBeforeAReadIsInItWhileOthersRead) {
  std::atomic<int> refused{0};
  Viewers others(12, {"/api/incidents"}, AsBob(), [&](const std::string&, const Reply& reply) {
    if (reply.status != 200) ++refused;
  });
  for (int i = 0; i < 25; ++i) {
    const std::string title = "Checkout fails, report " + std::to_string(i);
    ASSERT_NE(Declare(title), 0);
    Reply overview = Read(kAlice, "/api/incidents");
    ASSERT_EQ(overview.status, 200) << overview.body.dump();
    EXPECT_EQ(Titles(overview).count(title), 1u) << "declared before the read: " << title;
    EXPECT_EQ(overview.body["active_count"], i + 1);
  }
  EXPECT_EQ(refused, 0);
}

// Different filters are different questions: read at the same time, each
// gets its own answer.
TEST_F(WebViewersTest, ConcurrentReadsOfDifferentFiltersGetTheirOwnAnswers) {
  pb::OpenIncidentRequest open;
  open.set_title("Checkout down");
  open.set_severity(pb::SEVERITY_SEV1);
  open.set_domain("payment");
  open.set_reporter("alice");
  ASSERT_THAT(Core().OpenIncident(open), IsOk());
  ASSERT_NE(Declare("Refunds delayed"), 0);  // SEV2
  const std::set<std::string> both = {"Checkout down", "Refunds delayed"};

  std::atomic<int> wrong{0};
  Viewers viewers(
      12, {"/api/incidents?severity=sev1", "/api/incidents?severity=sev2", "/api/incidents"},
      AsBob(), [&](const std::string& path, const Reply& reply) {
        std::set<std::string> expected = both;
        if (absl::EndsWith(path, "sev1")) expected = {"Checkout down"};
        if (absl::EndsWith(path, "sev2")) expected = {"Refunds delayed"};
        if (reply.status != 200 || Titles(reply) != expected) ++wrong;
      });
  EXPECT_TRUE(viewers.WaitForReads(300));
  EXPECT_EQ(wrong, 0);
}

// While firefighterd is away every reader is told so, none waits forever.
TEST_F(WebViewersTest, EveryConcurrentReadLearnsThatFirefighterdIsDown) {
  ASSERT_NE(Declare("Checkout down"), 0);
  server_->Kill();
  std::vector<Reply> replies(12);
  std::vector<std::thread> readers;
  for (size_t i = 0; i < replies.size(); ++i) {
    readers.emplace_back([&, i] { replies[i] = Read(kBob, "/api/incidents"); });
  }
  for (std::thread& reader : readers) reader.join();
  for (const Reply& reply : replies) {
    EXPECT_EQ(reply.status, 503) << reply.body.dump();
    EXPECT_TRUE(absl::StartsWith(reply.body.value("error", ""), "firefighterd is unreachable"))
        << reply.body.dump();
  }
}

}  // namespace
}  // namespace ff::web
