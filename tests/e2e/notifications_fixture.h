// NotificationsTest: the real firefighterd with every notifier enabled and
// pointed at the loopback fakes of Slack, PagerDuty, Datadog, Statuspage,
// Confluence, Zoom and Google Calendar.
#ifndef FF_TESTS_E2E_NOTIFICATIONS_FIXTURE_H_
#define FF_TESTS_E2E_NOTIFICATIONS_FIXTURE_H_

#include <stdlib.h>

#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "absl/time/clock.h"
#include "nlohmann/json.hpp"
#include "tests/e2e/e2e_fixture.h"
#include "tests/testing/outside_world.h"

namespace ff::testing {

class NotificationsTest : public E2eTest {
 protected:
  void SetUp() override {
    world_.SetSecretsInEnvironment();
    std::ofstream(dir_.File("ff.json")) << world_.Config().dump(2);
    StartServer({"--config", dir_.File("ff.json")});
  }

 public:  // open to the scenario helpers
  GrpcResult<pb::ListDeliveriesResponse> Deliveries(pb::DeliveryState state) {
    pb::ListDeliveriesRequest request;
    if (state != pb::DELIVERY_STATE_UNSPECIFIED) request.add_states(state);
    request.set_page_size(500);
    GrpcResult<pb::ListDeliveriesResponse> result;
    auto context = Context();
    result.status = stub_->ListDeliveries(context.get(), request, &result.response);
    return result;
  }

  // WaitForOutbox waits until no delivery is pending; false on timeout.
  bool WaitForOutbox(absl::Duration timeout = absl::Seconds(30)) {
    absl::Time deadline = absl::Now() + timeout;
    while (absl::Now() < deadline) {
      auto pending = Deliveries(pb::DELIVERY_STATE_PENDING);
      if (pending.ok() && pending.response.deliveries().empty()) return true;
      absl::SleepFor(absl::Milliseconds(20));  // polling the server, bounded
    }
    return false;
  }

  int DeadDeliveries() { return Deliveries(pb::DELIVERY_STATE_DEAD).response.deliveries_size(); }

  std::vector<std::string> ChannelTexts(const std::string& channel_id) {
    std::vector<std::string> texts;
    auto channel = slack_.ChannelById(channel_id);
    if (channel) {
      for (const auto& m : channel->messages) texts.push_back(m.text);
    }
    return texts;
  }

  OutsideWorld world_;
  FakeSlack& slack_ = world_.slack;
  FakePagerDuty& pagerduty_ = world_.pagerduty;
  FakeDatadog& datadog_ = world_.datadog;
  FakeStatuspage& statuspage_ = world_.statuspage;
  FakeConfluence& confluence_ = world_.confluence;
  FakeZoom& zoom_ = world_.zoom;
  FakeGoogleCalendar& calendar_ = world_.calendar;
  const std::string& global_channel_ = world_.global_channel;
};

}  // namespace ff::testing

#endif  // FF_TESTS_E2E_NOTIFICATIONS_FIXTURE_H_
