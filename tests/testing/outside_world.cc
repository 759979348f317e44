#include "tests/testing/outside_world.h"

#include <stdlib.h>

namespace ff::testing {

OutsideWorld::OutsideWorld() {
  slack.AddUser("U0ALICE", "alice@example.com");
  slack.AddUser("U0CAROL", "carol@example.com");
  slack.AddUser("U0JANE", "jane@example.com");
  global_channel = slack.AddChannel("incidents");
  pagerduty.SetOnCall("PEP0001", {"PJANE01", "Jane Doe", "jane@example.com", "5550100"});
}

void OutsideWorld::SetSecretsInEnvironment() const {
  setenv("FF_TEST_SLACK_TOKEN", slack.token().c_str(), 1);
  setenv("FF_TEST_PD_ROUTING_KEY", kRoutingKey, 1);
  setenv("FF_TEST_PD_TOKEN", "pd-rest-token", 1);
  setenv("FF_TEST_DD_API_KEY", "dd-api", 1);
  setenv("FF_TEST_DD_APP_KEY", "dd-app", 1);
  setenv("FF_TEST_SP_KEY", "sp-key", 1);
  setenv("FF_TEST_CONFLUENCE_TOKEN", "cf-token", 1);
  setenv("FF_TEST_ZOOM_TOKEN", "zoom-token", 1);
  setenv("FF_TEST_GCAL_TOKEN", "gcal-token", 1);
}

nlohmann::json OutsideWorld::Config() const {
  return {{"domains", {{{"name", "payment"}, {"description", "Payments"}}}},
          {"outbox", {{"initial_backoff_ms", 50}, {"max_backoff_ms", 400}, {"max_attempts", 30}}},
          {"notifiers",
           {{"slack",
             {{"base_url", slack.api_url()},
              {"bot_token_env", "FF_TEST_SLACK_TOKEN"},
              {"global_channel", global_channel},
              {"workspace_url", "https://acme.slack.com"},
              {"timeout_ms", 1000}}},
            {"pagerduty",
             {{"events_url", pagerduty.base_url()},
              {"api_url", pagerduty.base_url()},
              {"routing_key_env", "FF_TEST_PD_ROUTING_KEY"},
              {"api_token_env", "FF_TEST_PD_TOKEN"},
              {"domains", {{"payment", {{"escalation_policy_id", "PEP0001"}}}}},
              {"timeout_ms", 1000}}},
            {"datadog",
             {{"base_url", datadog.base_url()},
              {"api_key_env", "FF_TEST_DD_API_KEY"},
              {"app_key_env", "FF_TEST_DD_APP_KEY"},
              // The fake indexes at once (unless a test says otherwise):
              // an in-doubt post is looked for a second later.
              {"index_delay_s", 1},
              {"timeout_ms", 1000}}},
            {"statuspage",
             {{"base_url", statuspage.base_url()},
              {"page_id", "pg0001"},
              {"api_key_env", "FF_TEST_SP_KEY"},
              {"timeout_ms", 1000}}},
            {"confluence",
             {{"base_url", confluence.wiki_url()},
              {"email", "bot@example.com"},
              {"api_token_env", "FF_TEST_CONFLUENCE_TOKEN"},
              {"space_id", "12345"},
              {"parent_page_id", "67890"},
              {"timeout_ms", 1000}}},
            {"meeting",
             {{"base_url", zoom.base_url()},
              {"token_env", "FF_TEST_ZOOM_TOKEN"},
              {"timeout_ms", 1000}}},
            {"calendar",
             {{"base_url", calendar.base_url()},
              {"calendar_id", "primary"},
              {"token_env", "FF_TEST_GCAL_TOKEN"},
              {"timeout_ms", 1000}}}}}};
}

}  // namespace ff::testing
