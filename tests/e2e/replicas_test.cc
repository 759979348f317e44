// Several firefighterd replicas on one PostgreSQL database, with every
// outside fake: changes through either reach both watchers, notifications
// go out once, a killed replica's claimed deliveries are finished by the
// other, and a database outage is answered with UNAVAILABLE and survived.
#include <signal.h>

#include <algorithm>
#include <atomic>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "server/store/pg_connection.h"
#include "tests/e2e/e2e_fixture.h"
#include "tests/testing/outside_world.h"
#include "tests/testing/postgres_cluster.h"

namespace ff::testing {
namespace {

using ::testing::ElementsAreArray;

// Replica is one firefighterd with its own client.
struct Replica {
  std::unique_ptr<ServerProcess> server;
  std::unique_ptr<pb::IncidentService::Stub> stub;
};

// Watcher follows WatchIncidents on one replica from a thread of its own.
class Watcher {
 public:
  explicit Watcher(pb::IncidentService::Stub* stub) {
    reader_ = stub->WatchIncidents(&context_, pb::WatchIncidentsRequest());
    reader_->WaitForInitialMetadata();  // subscribed: no later change is missed
    thread_ = std::thread([this] {
      pb::IncidentEvent event;
      while (reader_->Read(&event)) {
        absl::MutexLock lock(&mu_);
        events_.push_back(event);
      }
    });
  }
  ~Watcher() {
    context_.TryCancel();
    thread_.join();
  }

  // WaitForEntry waits until an event carrying timeline entry `entry_id`
  // arrived; false on timeout.
  bool WaitForEntry(int64_t entry_id) {
    absl::MutexLock lock(&mu_);
    auto arrived = [&]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      return std::any_of(events_.begin(), events_.end(),
                         [&](const pb::IncidentEvent& e) { return e.entry().id() == entry_id; });
    };
    return mu_.AwaitWithTimeout(absl::Condition(&arrived), absl::Seconds(30));
  }

  std::vector<int64_t> Sequences() {
    absl::MutexLock lock(&mu_);
    std::vector<int64_t> out;
    for (const auto& e : events_) out.push_back(e.sequence());
    return out;
  }

  std::vector<pb::IncidentEvent> Events() {
    absl::MutexLock lock(&mu_);
    return events_;
  }

 private:
  grpc::ClientContext context_;
  std::unique_ptr<grpc::ClientReader<pb::IncidentEvent>> reader_;
  absl::Mutex mu_;
  std::vector<pb::IncidentEvent> events_ ABSL_GUARDED_BY(mu_);
  std::thread thread_;
};

class ReplicasTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto cluster = PostgresCluster::Create();
    ASSERT_TRUE(cluster.ok()) << cluster.status();
    cluster_ = *std::move(cluster);
    auto uri = cluster_->CreateDatabase("firefighter");
    ASSERT_TRUE(uri.ok()) << uri.status();
    uri_ = *uri;
    world_.SetSecretsInEnvironment();
    nlohmann::json config = world_.Config();
    // A Slack call may hang up to 6 s; the lease outlasts it, so only a dead
    // replica's claim is ever taken over.
    config["notifiers"]["slack"]["timeout_ms"] = 6000;
    std::ofstream(dir_.File("ff.json")) << config.dump(2);
  }

  Replica StartReplica(std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"--config", dir_.File("ff.json"), "--outbox-lease", "8"};
    args.insert(args.end(), extra.begin(), extra.end());
    Replica r;
    r.server = std::make_unique<ServerProcess>(ServerBinary(), uri_, args);
    absl::Status started = r.server->Start();
    EXPECT_TRUE(started.ok()) << started;
    if (started.ok()) {
      r.stub = pb::IncidentService::NewStub(
          grpc::CreateChannel(r.server->address(), grpc::InsecureChannelCredentials()));
    }
    return r;
  }

  static pb::Incident Open(Replica& r, const std::string& title) {
    pb::OpenIncidentRequest request = E2eTest::OpenRequest(title, pb::SEVERITY_SEV2);
    request.set_reporter("alice@example.com");
    request.set_trigger_oncall(true);
    pb::Incident incident;
    auto context = E2eTest::Context();
    grpc::Status status = r.stub->OpenIncident(context.get(), request, &incident);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return incident;
  }

  static void Move(Replica& r, int64_t id, pb::Status to) {
    pb::Incident incident;
    auto context = E2eTest::Context();
    grpc::Status status =
        r.stub->UpdateIncident(context.get(), E2eTest::StatusUpdate(id, to), &incident);
    EXPECT_TRUE(status.ok()) << status.error_message();
  }

  static int64_t Note(Replica& r, int64_t id, const std::string& text) {
    pb::AddTimelineEntryRequest request;
    request.set_incident_id(id);
    request.set_actor("bob");
    request.set_text(text);
    pb::TimelineEntry entry;
    auto context = E2eTest::Context();
    grpc::Status status = r.stub->AddTimelineEntry(context.get(), request, &entry);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return entry.id();
  }

  // WaitForOutbox waits until `r` lists no pending delivery.
  static bool WaitForOutbox(Replica& r) {
    absl::Time deadline = absl::Now() + absl::Seconds(40);
    while (absl::Now() < deadline) {
      pb::ListDeliveriesRequest request;
      request.add_states(pb::DELIVERY_STATE_PENDING);
      pb::ListDeliveriesResponse response;
      auto context = E2eTest::Context();
      if (r.stub->ListDeliveries(context.get(), request, &response).ok() &&
          response.deliveries().empty()) {
        return true;
      }
      absl::SleepFor(absl::Milliseconds(50));  // polling the server, bounded
    }
    return false;
  }

  // ExpectEachToldOnce checks what the fakes heard of incidents 1..n: one
  // Slack channel each with no message twice, one PagerDuty trigger each,
  // and no Datadog event twice.
  void ExpectEachToldOnce(int n) {
    for (int id = 1; id <= n; ++id) {
      int channels = 0;
      for (const auto& channel : world_.slack.channels()) {
        if (!absl::StartsWith(channel.name, "inc-" + std::to_string(id) + "-")) continue;
        ++channels;
        std::set<std::string> texts;
        for (const auto& m : channel.messages) {
          EXPECT_TRUE(texts.insert(m.text).second) << "posted twice: " << m.text;
        }
        EXPECT_FALSE(texts.empty());
      }
      EXPECT_EQ(channels, 1) << "incident #" << id;
      int alerts = 0;  // dedup keys carry the installation id
      for (const auto& alert : world_.pagerduty.alerts()) {
        if (!absl::EndsWith(alert.dedup_key, "-incident-" + std::to_string(id))) continue;
        ++alerts;
        EXPECT_THAT(alert.dedup_key,
                    ::testing::MatchesRegex("firefighter-[0-9a-f]{16}-incident-[0-9]+"));
        EXPECT_EQ(alert.triggers, 1);
      }
      EXPECT_EQ(alerts, 1) << "incident #" << id;
    }
    EXPECT_EQ(world_.pagerduty.alerts_opened(), n);
    std::multiset<std::string> datadog_events;
    for (const auto& event : world_.datadog.events()) {
      for (const auto& tag : event["tags"]) {
        std::string t = tag.get<std::string>();
        if (absl::StartsWith(t, "firefighter_event:")) datadog_events.insert(t);
      }
    }
    for (const auto& tag : datadog_events) {
      EXPECT_EQ(datadog_events.count(tag), 1u) << tag << " sent twice";
    }
  }

  // WaitForPending waits (up to 20 s) until `done` holds for incident
  // `id`'s pending deliveries.
  template <typename Done>
  static bool WaitForPending(Replica& r, int64_t id, Done done) {
    absl::Time deadline = absl::Now() + absl::Seconds(20);
    while (absl::Now() < deadline) {
      pb::ListDeliveriesRequest request;
      request.set_incident_id(id);
      request.add_states(pb::DELIVERY_STATE_PENDING);
      pb::ListDeliveriesResponse response;
      auto context = E2eTest::Context();
      if (r.stub->ListDeliveries(context.get(), request, &response).ok() && done(response)) {
        return true;
      }
      absl::SleepFor(absl::Milliseconds(20));  // polling the server, bounded
    }
    return false;
  }
  // WaitForAllButSlack: only Slack deliveries of incident `id` are pending.
  static bool WaitForAllButSlack(Replica& r, int64_t id) {
    return WaitForPending(r, id, [](const pb::ListDeliveriesResponse& pending) {
      return std::all_of(pending.deliveries().begin(), pending.deliveries().end(),
                         [](const pb::Delivery& d) { return d.notifier() == "slack"; });
    });
  }
  // WaitForNoPending: incident `id` has no pending delivery, to any notifier.
  static bool WaitForNoPending(Replica& r, int64_t id) {
    return WaitForPending(r, id, [](const pb::ListDeliveriesResponse& pending) {
      return pending.deliveries().empty();
    });
  }

  // ClaimantPid is the pid in the claim on incident `id`'s pending Slack
  // delivery, read from the database; 0 when it is not claimed.
  int ClaimantPid(int64_t id) {
    auto conn = PgConnection::Connect(uri_);
    EXPECT_TRUE(conn.ok()) << conn.status();
    if (!conn.ok()) return 0;
    auto claimed = (*conn)->Exec(
        "SELECT claimed_by FROM deliveries WHERE incident_id = $1 AND "
        "notifier = 'slack' AND state = 1 AND claimed_by <> ''",
        PgParams().Int(id));
    EXPECT_TRUE(claimed.ok()) << claimed.status();
    if (!claimed.ok() || claimed->rows() == 0) return 0;
    std::string by = claimed->Text(0, 0);
    int pid = 0;
    return absl::SimpleAtoi(by.substr(by.rfind('/') + 1), &pid) ? pid : 0;
  }

  TempDir dir_;
  OutsideWorld world_;
  std::unique_ptr<PostgresCluster> cluster_;  // outlives the replicas
  std::string uri_;
};

TEST_F(ReplicasTest, TwoReplicasShareChangesWatchersAndTheOutboxAndSurviveAKill) {
  Replica a = StartReplica();
  Replica b = StartReplica();
  ASSERT_TRUE(a.stub && b.stub);
  auto watch_a = std::make_unique<Watcher>(a.stub.get());
  auto watch_b = std::make_unique<Watcher>(b.stub.get());

  // Opens and updates through both, alternating.
  int64_t one = Open(a, "Checkout fails").id();
  int64_t two = Open(b, "Search slow").id();
  EXPECT_EQ(one, 1);
  EXPECT_EQ(two, 2);
  Move(b, one, pb::STATUS_INVESTIGATING);
  Move(a, two, pb::STATUS_INVESTIGATING);
  Move(a, one, pb::STATUS_FIXING);
  Move(b, two, pb::STATUS_FIXING);
  Move(b, one, pb::STATUS_FIXED);
  Move(a, two, pb::STATUS_FIXED);
  ASSERT_TRUE(WaitForOutbox(a));

  // A last note: once both watchers have it, they have everything before
  // it, notifiers' write-backs included, in sequence order with no gap.
  int64_t marker = Note(a, one, "all quiet");
  ASSERT_TRUE(watch_a->WaitForEntry(marker));
  ASSERT_TRUE(watch_b->WaitForEntry(marker));
  std::vector<int64_t> seen_a = watch_a->Sequences(), seen_b = watch_b->Sequences();
  std::vector<int64_t> every(seen_a.empty() ? 0 : seen_a.back());
  for (size_t i = 0; i < every.size(); ++i) every[i] = static_cast<int64_t>(i) + 1;
  EXPECT_THAT(seen_a, ElementsAreArray(every));
  EXPECT_THAT(seen_b, ElementsAreArray(every));
  std::map<int64_t, int> status_changes;
  for (const auto& e : watch_b->Events()) {
    if (e.type() == "incident.status_changed") ++status_changes[e.incident().id()];
  }
  EXPECT_EQ(status_changes[one], 3);
  EXPECT_EQ(status_changes[two], 3);
  ExpectEachToldOnce(2);

  // A third incident's first Slack call hangs; once its other notifications
  // are through, the replica delivering it to Slack is killed with the
  // delivery claimed, and the other one finishes it. (Slack answers the
  // hung call after 3 s, to nobody: the redelivery must not repeat it.)
  // The hung call must be incident three's: the live summary also calls
  // Slack for the first two incidents' late link changes, so those finish
  // first.
  ASSERT_TRUE(WaitForNoPending(a, one));
  ASSERT_TRUE(WaitForNoPending(a, two));
  world_.slack.HangNext(1, absl::Seconds(3));
  int64_t three = Open(a, "Payments down").id();
  ASSERT_TRUE(WaitForAllButSlack(a, three));
  // Slack's call may start after the others are through: its deliveries are
  // paced by Slack's published limits.
  ASSERT_TRUE(world_.slack.WaitForHanging(1, absl::Seconds(10)));
  ASSERT_EQ(world_.slack.hanging(), 1);
  int claimant = ClaimantPid(three);
  ASSERT_TRUE(claimant == a.server->pid() || claimant == b.server->pid()) << claimant;
  Replica& victim = claimant == a.server->pid() ? a : b;
  Replica& survivor = claimant == a.server->pid() ? b : a;
  std::unique_ptr<Watcher>& survivor_watch = claimant == a.server->pid() ? watch_b : watch_a;
  (claimant == a.server->pid() ? watch_a : watch_b).reset();
  victim.server->Kill();

  ASSERT_TRUE(WaitForOutbox(survivor));
  EXPECT_EQ(ClaimantPid(three), 0);
  ExpectEachToldOnce(3);
  int64_t last = Note(survivor, three, "taken over");
  ASSERT_TRUE(survivor_watch->WaitForEntry(last));
  std::vector<int64_t> seen = survivor_watch->Sequences();
  std::vector<int64_t> all(seen.empty() ? 0 : seen.back());
  for (size_t i = 0; i < all.size(); ++i) all[i] = static_cast<int64_t>(i) + 1;
  EXPECT_THAT(seen, ElementsAreArray(all)) << "the survivor's watcher missed nothing";
}

TEST_F(ReplicasTest, DatabaseOutageIsUnavailableLosesNothingAndHealsWithoutRestart) {
  Replica a = StartReplica();
  ASSERT_TRUE(a.stub);
  std::mutex mu;
  std::vector<std::pair<int64_t, std::string>> acknowledged;  // id, title
  std::map<grpc::StatusCode, int> codes;
  std::atomic<bool> stop{false};
  std::vector<std::thread> load;
  for (int t = 0; t < 4; ++t) {
    load.emplace_back([&, t] {
      for (int n = 0; !stop; ++n) {
        grpc::ClientContext context;
        context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(8));
        std::string title = "t" + std::to_string(t) + "-" + std::to_string(n);
        pb::Incident response;
        grpc::Status status =
            a.stub->OpenIncident(&context, E2eTest::OpenRequest(title), &response);
        std::lock_guard<std::mutex> lock(mu);
        ++codes[status.error_code()];
        if (status.ok()) acknowledged.emplace_back(response.id(), title);
        if (!status.ok()) absl::SleepFor(absl::Milliseconds(20));  // a client's pause
      }
    });
  }
  auto count = [&](grpc::StatusCode code) {
    std::lock_guard<std::mutex> lock(mu);
    return codes[code];
  };
  auto wait_for = [&](grpc::StatusCode code, int at_least) {
    absl::Time deadline = absl::Now() + absl::Seconds(30);
    while (count(code) < at_least && absl::Now() < deadline) absl::SleepFor(absl::Milliseconds(5));
    return count(code) >= at_least;
  };
  EXPECT_TRUE(wait_for(grpc::StatusCode::OK, 20)) << "load is flowing";
  ASSERT_TRUE(cluster_->Stop().ok());
  EXPECT_TRUE(wait_for(grpc::StatusCode::UNAVAILABLE, 20)) << "the outage is answered";
  // Reads fail the same way while the database is away.
  {
    pb::GetIncidentRequest get;
    get.set_id(1);
    pb::Incident incident;
    auto context = E2eTest::Context();
    EXPECT_EQ(a.stub->GetIncident(context.get(), get, &incident).error_code(),
              grpc::StatusCode::UNAVAILABLE);
  }
  const int ok_before_restart = count(grpc::StatusCode::OK);
  ASSERT_TRUE(cluster_->Start().ok());
  EXPECT_TRUE(wait_for(grpc::StatusCode::OK, ok_before_restart + 20)) << "service resumed";
  stop = true;
  for (auto& thread : load) thread.join();

  // Every call answered OK or UNAVAILABLE: none outlived its deadline.
  for (const auto& [code, n] : codes) {
    EXPECT_TRUE(code == grpc::StatusCode::OK || code == grpc::StatusCode::UNAVAILABLE)
        << "status " << code << " came " << n << " times";
  }
  EXPECT_EQ(codes[grpc::StatusCode::DEADLINE_EXCEEDED], 0);
  // Nothing acknowledged was lost, by the same firefighterd, never restarted.
  for (const auto& [id, title] : acknowledged) {
    pb::GetIncidentRequest get;
    get.set_id(id);
    pb::Incident incident;
    auto context = E2eTest::Context();
    grpc::Status status = a.stub->GetIncident(context.get(), get, &incident);
    ASSERT_TRUE(status.ok()) << "acknowledged incident #" << id << ": " << status.error_message();
    EXPECT_EQ(incident.title(), title);
  }
  EXPECT_EQ(kill(a.server->pid(), 0), 0) << "the same process served throughout";
}

}  // namespace
}  // namespace ff::testing
