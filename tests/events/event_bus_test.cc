#include "server/events/event_bus.h"

#include <thread>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace ff {
namespace {

Committed CommitOf(int64_t id, const std::string& domain, std::vector<std::string> types) {
  Committed c;
  c.incident.set_id(id);
  c.incident.set_domain(domain);
  c.incident.set_status(pb::STATUS_OPEN);
  int64_t sequence = id * 100;
  for (const std::string& type : types) {
    pb::IncidentEvent e;
    e.set_type(type);
    e.set_sequence(++sequence);
    *e.mutable_incident() = c.incident;
    c.events.push_back(e);
  }
  return c;
}

TEST(EventBus, DeliversMatchingEventsInOrder) {
  EventBus bus(10);
  IncidentFilter search;
  search.domain = "search";
  auto all = bus.Subscribe({});
  auto only_search = bus.Subscribe(search);
  bus.Publish(CommitOf(1, "payment", {"incident.opened"}));
  bus.Publish(CommitOf(2, "search", {"incident.opened", "incident.roles_changed"}));

  pb::IncidentEvent event;
  std::vector<std::string> seen;
  while (all->Next(&event, absl::ZeroDuration()) == Subscription::Result::kEvent) {
    seen.push_back(absl::StrCat(event.incident().id(), ":", event.type()));
  }
  EXPECT_THAT(seen, ::testing::ElementsAre("1:incident.opened", "2:incident.opened",
                                           "2:incident.roles_changed"));
  ASSERT_EQ(only_search->Next(&event, absl::ZeroDuration()), Subscription::Result::kEvent);
  EXPECT_EQ(event.incident().id(), 2);
  ASSERT_EQ(only_search->Next(&event, absl::ZeroDuration()), Subscription::Result::kEvent);
  EXPECT_EQ(only_search->Next(&event, absl::ZeroDuration()), Subscription::Result::kTimeout);
}

TEST(EventBus, SlowSubscriberIsCutOffWithoutBlockingThePublisher) {
  EventBus bus(3);
  auto slow = bus.Subscribe({});
  for (int i = 1; i <= 5; ++i) bus.Publish(CommitOf(i, "payment", {"incident.opened"}));
  pb::IncidentEvent event;
  EXPECT_EQ(slow->Next(&event, absl::ZeroDuration()), Subscription::Result::kOverflow);
}

TEST(EventBus, WatchStreamsAreCappedPerPrincipalAndInTotal) {
  WatchLimits limits;
  limits.max_streams = 3;
  limits.max_streams_per_principal = 2;
  EventBus bus(limits);
  auto a1 = bus.Watch({}, "alice");
  auto a2 = bus.Watch({}, "alice");
  ASSERT_TRUE(a1.ok());
  ASSERT_TRUE(a2.ok());
  absl::StatusOr<std::shared_ptr<Subscription>> a3 = bus.Watch({}, "alice");
  EXPECT_EQ(a3.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_THAT(a3.status().message(), ::testing::HasSubstr("watch_max_streams_per_principal"));

  auto b1 = bus.Watch({}, "bob");
  ASSERT_TRUE(b1.ok());
  absl::StatusOr<std::shared_ptr<Subscription>> b2 = bus.Watch({}, "bob");
  EXPECT_EQ(b2.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_THAT(b2.status().message(), ::testing::HasSubstr("3 are open (watch_max_streams)"));
  // In-process subscribers do not count.
  EXPECT_NE(bus.Subscribe({}), nullptr);

  bus.Unsubscribe(*a1);
  EXPECT_TRUE(bus.Watch({}, "bob").ok());
  EXPECT_EQ(bus.Watch({}, "alice").status().code(), absl::StatusCode::kResourceExhausted);
}

// Watchers that never read hold at most the byte budget between them; one
// that keeps up is never cut off by the others' backlog.
TEST(EventBus, QueuedBytesAreBoundedByTheBudgetNotByTheWatcherCount) {
  const int64_t event_bytes =
      static_cast<int64_t>(CommitOf(1, "payment", {"incident.opened"}).events[0].ByteSizeLong());
  WatchLimits limits;
  limits.queue_events = 1000;
  limits.buffer_bytes = 20 * event_bytes;
  EventBus bus(limits);
  std::vector<std::shared_ptr<Subscription>> idle;
  for (int i = 0; i < 50; ++i) idle.push_back(bus.Subscribe({}));
  auto reader = bus.Subscribe({});

  pb::IncidentEvent event;
  for (int i = 1; i <= 100; ++i) {
    bus.Publish(CommitOf(1, "payment", {"incident.opened"}));
    EXPECT_LE(bus.queued_bytes(), limits.buffer_bytes + 51 * event_bytes) << i;
    ASSERT_EQ(reader->Next(&event, absl::ZeroDuration()), Subscription::Result::kEvent) << i;
  }
  int cut_off = 0;
  for (const auto& watcher : idle) {
    if (watcher->Next(&event, absl::ZeroDuration()) == Subscription::Result::kOverflow) ++cut_off;
  }
  EXPECT_EQ(cut_off, 50);
  EXPECT_EQ(bus.queued_bytes(), 0);
}

TEST(EventBus, AnEndedSubscriptionGivesBackItsBytes) {
  EventBus bus(10);
  auto watcher = bus.Subscribe({});
  bus.Publish(CommitOf(1, "payment", {"incident.opened", "incident.roles_changed"}));
  EXPECT_GT(bus.queued_bytes(), 0);
  bus.Unsubscribe(watcher);
  watcher.reset();
  EXPECT_EQ(bus.queued_bytes(), 0);
}

TEST(EventBus, CloseReleasesWaitersAndRefusesNewSubscribers) {
  EventBus bus(10);
  auto waiting = bus.Subscribe({});
  Subscription::Result result = Subscription::Result::kEvent;
  std::thread waiter([&] {
    pb::IncidentEvent event;
    result = waiting->Next(&event, absl::Seconds(30));
  });
  bus.Close();
  waiter.join();
  EXPECT_EQ(result, Subscription::Result::kClosed);
  auto late = bus.Subscribe({});
  pb::IncidentEvent event;
  EXPECT_EQ(late->Next(&event, absl::ZeroDuration()), Subscription::Result::kClosed);
  EXPECT_EQ(bus.subscriber_count(), 0u);
}

TEST(EventBus, UnsubscribeStopsDelivery) {
  EventBus bus(10);
  auto sub = bus.Subscribe({});
  EXPECT_EQ(bus.subscriber_count(), 1u);
  bus.Unsubscribe(sub);
  EXPECT_EQ(bus.subscriber_count(), 0u);
  bus.Publish(CommitOf(1, "payment", {"incident.opened"}));
  pb::IncidentEvent event;
  EXPECT_EQ(sub->Next(&event, absl::ZeroDuration()), Subscription::Result::kTimeout);
}

}  // namespace
}  // namespace ff
