#include "server/notifiers/registry.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
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
  EXPECT_THAT(registry.CreateAll(nlohmann::json::parse(R"({"slack": true})"), NotifierEnv{}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "config: notifiers.slack must be an object"));
  EXPECT_THAT(registry.CreateAll(nlohmann::json::parse(R"({"slack": {"fail": 1}})"),
                                 NotifierEnv{}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "config: notifiers.slack.fail is not a known key"));
}

}  // namespace
}  // namespace ff
