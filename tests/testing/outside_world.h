// OutsideWorld: a loopback fake of every outside system firefighterd notifies
// (Slack, PagerDuty, Datadog, Statuspage, Confluence, Zoom, Google Calendar),
// seeded with a small workspace, and the "notifiers" config that points each
// notifier at its fake. Used by the end-to-end notification tests and by the
// notification-latency benchmark. Thread-safe as its fakes are.
#ifndef FF_TESTS_TESTING_OUTSIDE_WORLD_H_
#define FF_TESTS_TESTING_OUTSIDE_WORLD_H_

#include <string>

#include "nlohmann/json.hpp"
#include "tests/testing/fake_confluence.h"
#include "tests/testing/fake_datadog.h"
#include "tests/testing/fake_google_calendar.h"
#include "tests/testing/fake_pagerduty.h"
#include "tests/testing/fake_slack.h"
#include "tests/testing/fake_statuspage.h"
#include "tests/testing/fake_zoom.h"

namespace ff::testing {

inline constexpr char kRoutingKey[] = "R0123456789abcdef0123456789abcdE";  // 32 chars

class OutsideWorld {
 public:
  // Starts every fake; users alice, carol and jane (on call for "payment")
  // exist; the global incidents channel is created.
  OutsideWorld();

  // SetSecretsInEnvironment exports the secrets the config names, so a server
  // started afterwards from this process inherits them.
  void SetSecretsInEnvironment() const;

  // Config is a full firefighterd config: domain "payment", a fast outbox,
  // and every notifier pointed at its fake.
  nlohmann::json Config() const;

  FakeSlack slack;
  FakePagerDuty pagerduty;
  FakeDatadog datadog{"dd-api", "dd-app"};
  FakeStatuspage statuspage{"pg0001", "sp-key"};
  FakeConfluence confluence{"bot@example.com", "cf-token"};
  FakeZoom zoom{"zoom-token"};
  FakeGoogleCalendar calendar{"gcal-token"};
  std::string global_channel;
};

}  // namespace ff::testing

#endif  // FF_TESTS_TESTING_OUTSIDE_WORLD_H_
