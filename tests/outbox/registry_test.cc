#include "server/notifiers/registry.h"

#include <fstream>
#include <set>
#include <sstream>

#include "clients/http/curl_http_client.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/config/config.h"
#include "server/notifiers/builtin.h"
#include "tests/testing/scripted_notifier.h"
#include "tests/testing/status_matchers.h"

namespace ff {
namespace {

using ::ff::testing::IsOk;
using ::ff::testing::StatusIs;

class ScriptedFactory final : public NotifierFactory {
 public:
  explicit ScriptedFactory(std::string name) : name_(std::move(name)) {}
  absl::string_view name() const override { return name_; }
  absl::StatusOr<std::unique_ptr<Notifier>> Create(const nlohmann::json& config,
                                                   const NotifierEnv&) const override {
    if (config.contains("fail")) {
      return absl::InvalidArgumentError("config: notifiers." + name_ + ".fail is not a known key");
    }
    return std::make_unique<::ff::testing::ScriptedNotifier>(name_);
  }

 private:
  std::string name_;
};

TEST(NotifierRegistry, BuildsEachConfiguredNotifier) {
  NotifierRegistry registry;
  ASSERT_THAT(registry.Register(std::make_unique<ScriptedFactory>("slack")), IsOk());
  ASSERT_THAT(registry.Register(std::make_unique<ScriptedFactory>("pagerduty")), IsOk());
  auto built = registry.CreateAll(nlohmann::json::parse(R"({"slack": {}})"), NotifierEnv{});
  ASSERT_THAT(built, IsOk());
  ASSERT_EQ(built->size(), 1u);
  EXPECT_EQ((*built)[0]->name(), "slack");
  auto none = registry.CreateAll(nlohmann::json::object(), NotifierEnv{});
  ASSERT_THAT(none, IsOk());
  EXPECT_TRUE(none->empty());
}

TEST(NotifierRegistry, RejectsDuplicatesUnknownNamesAndBadValues) {
  NotifierRegistry registry;
  ASSERT_THAT(registry.Register(std::make_unique<ScriptedFactory>("slack")), IsOk());
  EXPECT_THAT(registry.Register(std::make_unique<ScriptedFactory>("slack")),
              StatusIs(absl::StatusCode::kAlreadyExists, "notifier slack is registered twice"));
  EXPECT_THAT(registry.CreateAll(nlohmann::json::parse(R"({"teams": {}})"), NotifierEnv{}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "config: notifiers.teams is not a known notifier; known: slack"));
  EXPECT_THAT(
      registry.CreateAll(nlohmann::json::parse(R"({"slack": true})"), NotifierEnv{}),
      StatusIs(absl::StatusCode::kInvalidArgument, "config: notifiers.slack must be an object"));
  EXPECT_THAT(registry.CreateAll(nlohmann::json::parse(R"({"slack": {"fail": 1}})"), NotifierEnv{}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "config: notifiers.slack.fail is not a known key"));
}

}  // namespace
}  // namespace ff

namespace ff {
namespace {

// The example configuration the README documents builds every notifier.
TEST(ExampleConfig, BuildsEveryShippedNotifier) {
  std::ifstream in(FF_EXAMPLE_CONFIG);
  std::stringstream text;
  text << in.rdbuf();
  absl::StatusOr<ServerConfig> config = ParseConfig(text.str());
  ASSERT_THAT(config, ::ff::testing::IsOk());
  NotifierRegistry registry;
  ASSERT_THAT(RegisterBuiltinNotifiers(registry), ::ff::testing::IsOk());
  DomainCatalog domains(config->domains);
  std::unique_ptr<CurlHttpClient> http = CurlHttpClient::Create();
  SystemClock clock;
  NotifierEnv env;
  env.http = http.get();
  env.clock = &clock;
  env.domains = &domains;
  env.installation_id = "0123456789abcdef";
  env.getenv = [](const std::string& name) -> std::optional<std::string> {
    // Secrets of the right shape; the names are the example's.
    if (name.find("ROUTING_KEY") != std::string::npos) return std::string(32, 'k');
    if (name == "SLACK_BOT_TOKEN") return std::string("xoxb-example");
    return std::string("secret");
  };
  auto built = registry.CreateAll(config->notifiers, env);
  ASSERT_THAT(built, ::ff::testing::IsOk());
  std::set<std::string> names;
  for (const auto& n : *built) names.emplace(n->name());
  EXPECT_EQ(names, (std::set<std::string>{"slack", "pagerduty", "datadog", "statuspage",
                                          "confluence", "meeting", "calendar", "jira"}));
  // And it documents every kind of reminder.
  EXPECT_EQ(config->reminders.stale.after.at(pb::SEVERITY_SEV2), absl::Minutes(30));
  EXPECT_EQ(config->reminders.fixed.after.at(pb::SEVERITY_SEV3), absl::Hours(48));
  EXPECT_EQ(config->reminders.postmortem.after.at(pb::SEVERITY_SEV1), absl::Hours(24 * 5));
  EXPECT_TRUE(config->reminders.postmortem.office_hours.has_value());
}

}  // namespace
}  // namespace ff
