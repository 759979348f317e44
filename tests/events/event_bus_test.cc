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
