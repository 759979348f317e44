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
#include "tests/testing/fake_confluence.h"
#include "tests/testing/fake_datadog.h"
#include "tests/testing/fake_google_calendar.h"
#include "tests/testing/fake_pagerduty.h"
#include "tests/testing/fake_slack.h"
#include "tests/testing/fake_statuspage.h"
#include "tests/testing/fake_zoom.h"

namespace ff::testing {

inline constexpr char kRoutingKey[] = "R0123456789abcdef0123456789abcdE";  // 32 chars

class NotificationsTest : public E2eTest {
 protected:
  void SetUp() override {
    slack_.AddUser("U0ALICE", "alice@example.com");
    slack_.AddUser("U0CAROL", "carol@example.com");
    slack_.AddUser("U0JANE", "jane@example.com");
    global_channel_ = slack_.AddChannel("incidents");
    pagerduty_.SetOnCall("PEP0001", {"PJANE01", "Jane Doe", "jane@example.com", "5550100"});
    setenv("FF_TEST_SLACK_TOKEN", slack_.token().c_str(), 1);
    setenv("FF_TEST_PD_ROUTING_KEY", kRoutingKey, 1);
    setenv("FF_TEST_PD_TOKEN", "pd-rest-token", 1);
    setenv("FF_TEST_DD_API_KEY", "dd-api", 1);
    setenv("FF_TEST_DD_APP_KEY", "dd-app", 1);
    setenv("FF_TEST_SP_KEY", "sp-key", 1);
    setenv("FF_TEST_CONFLUENCE_TOKEN", "cf-token", 1);
    setenv("FF_TEST_ZOOM_TOKEN", "zoom-token", 1);
    setenv("FF_TEST_GCAL_TOKEN", "gcal-token", 1);
    std::ofstream(dir_.File("ff.json")) << Config().dump(2);
    StartServer({"--config", dir_.File("ff.json")});
  }

  nlohmann::json Config() {
    return {
        {"domains", {{{"name", "payment"}, {"description", "Payments"}}}},
        {"outbox", {{"initial_backoff_ms", 50}, {"max_backoff_ms", 400}, {"max_attempts", 30}}},
        {"notifiers",
         {{"slack",
           {{"base_url", slack_.api_url()},
            {"bot_token_env", "FF_TEST_SLACK_TOKEN"},
            {"global_channel", global_channel_},
            {"workspace_url", "https://acme.slack.com"},
            {"timeout_ms", 1000}}},
          {"pagerduty",
           {{"events_url", pagerduty_.base_url()},
            {"api_url", pagerduty_.base_url()},
            {"routing_key_env", "FF_TEST_PD_ROUTING_KEY"},
            {"api_token_env", "FF_TEST_PD_TOKEN"},
            {"domains", {{"payment", {{"escalation_policy_id", "PEP0001"}}}}},
            {"timeout_ms", 1000}}},
          {"datadog",
           {{"base_url", datadog_.base_url()},
            {"api_key_env", "FF_TEST_DD_API_KEY"},
            {"app_key_env", "FF_TEST_DD_APP_KEY"},
            {"timeout_ms", 1000}}},
          {"statuspage",
           {{"base_url", statuspage_.base_url()},
            {"page_id", "pg0001"},
            {"api_key_env", "FF_TEST_SP_KEY"},
            {"timeout_ms", 1000}}},
          {"confluence",
           {{"base_url", confluence_.wiki_url()},
            {"email", "bot@example.com"},
            {"api_token_env", "FF_TEST_CONFLUENCE_TOKEN"},
            {"space_id", "12345"},
            {"parent_page_id", "67890"},
            {"timeout_ms", 1000}}},
          {"meeting",
           {{"base_url", zoom_.base_url()},
            {"token_env", "FF_TEST_ZOOM_TOKEN"},
            {"timeout_ms", 1000}}},
          {"calendar",
           {{"base_url", calendar_.base_url()},
            {"calendar_id", "primary"},
            {"token_env", "FF_TEST_GCAL_TOKEN"},
            {"timeout_ms", 1000}}}}}};
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

  FakeSlack slack_;
  FakePagerDuty pagerduty_;
  FakeDatadog datadog_{"dd-api", "dd-app"};
  FakeStatuspage statuspage_{"pg0001", "sp-key"};
  FakeConfluence confluence_{"bot@example.com", "cf-token"};
  FakeZoom zoom_{"zoom-token"};
  FakeGoogleCalendar calendar_{"gcal-token"};
  std::string global_channel_;
};

}  // namespace ff::testing

#endif  // FF_TESTS_E2E_NOTIFICATIONS_FIXTURE_H_
