#include "server/notifiers/builtin.h"

#include <memory>
#include <vector>

#include "common/status_macros.h"
#include "server/notifiers/calendar/calendar_notifier.h"
#include "server/notifiers/confluence/confluence_notifier.h"
#include "server/notifiers/datadog/datadog_notifier.h"
#include "server/notifiers/jira/jira_notifier.h"
#include "server/notifiers/meeting/zoom_notifier.h"
#include "server/notifiers/pagerduty/pagerduty_notifier.h"
#include "server/notifiers/slack/slack_notifier.h"
#include "server/notifiers/statuspage/statuspage_notifier.h"

namespace ff {

absl::Status RegisterBuiltinNotifiers(NotifierRegistry& registry) {
  std::vector<std::unique_ptr<NotifierFactory>> factories;
  factories.push_back(MakeSlackNotifierFactory());
  factories.push_back(MakePagerDutyNotifierFactory());
  factories.push_back(MakeDatadogNotifierFactory());
  factories.push_back(MakeStatuspageNotifierFactory());
  factories.push_back(MakeConfluenceNotifierFactory());
  factories.push_back(MakeZoomNotifierFactory());
  factories.push_back(MakeCalendarNotifierFactory());
  factories.push_back(MakeJiraNotifierFactory());
  for (auto& factory : factories) FF_RETURN_IF_ERROR(registry.Register(std::move(factory)));
  return absl::OkStatus();
}

}  // namespace ff
