// ff watch prints each change as it happens. No sleeps: the test waits for
// ff's "watching" line (printed once the server accepted the stream), makes
// a change, then reads ff's output until the line appears or a deadline.
#include <signal.h>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/cli/cli_fixture.h"

namespace ff::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::MatchesRegex;
using ::testing::Not;

constexpr absl::Duration kPatience = absl::Seconds(20);

class CliWatchTest : public CliTest {
 protected:
  // Starts `ff watch extra...` and waits until it is subscribed.
  std::unique_ptr<FfProcess> StartWatch(std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"watch"};
    args.insert(args.end(), extra.begin(), extra.end());
    auto watch = std::make_unique<FfProcess>(args, Env());
    EXPECT_TRUE(watch->Start().ok());
    EXPECT_TRUE(watch->WaitForStderr(
        absl::StrCat("ff: watching incidents on ", server_->address(), " (Ctrl-C stops)\n"),
        kPatience))
        << watch->err();
    return watch;
  }
};

TEST_F(CliWatchTest, PrintsEachChangeAsItHappens) {
  std::unique_ptr<FfProcess> watch = StartWatch();

  ASSERT_EQ(Open("Checkout fails", "2"), 1);
  ASSERT_TRUE(watch->WaitForStdout("\n", kPatience)) << watch->err();
  EXPECT_THAT(Lines(watch->out()).back(),
              MatchesRegex("[0-9]{2}:[0-9]{2}:[0-9]{2}  #1  opened  sev2  open  Checkout fails  "
                           "\\[alice\\] Opened SEV2 incident in payment: Checkout fails"));

  ASSERT_EQ(Ff({"update", "1", "--status", "investigating"}).exit_code, 0);
  ASSERT_TRUE(
      watch->WaitForStdout("#1  status_changed  sev2  investigating  Checkout fails  "
                           "[alice] status OPEN → INVESTIGATING\n",
                           kPatience))
      << watch->out();

  ASSERT_EQ(Ff({"note", "1", "Rolled back"}).exit_code, 0);
  ASSERT_TRUE(
      watch->WaitForStdout("#1  timeline_entry_added  sev2  investigating  "
                           "Checkout fails  [alice] Rolled back\n",
                           kPatience))
      << watch->out();

  ASSERT_EQ(Ff({"close", "1", "--reason", "duplicate"}).exit_code, 0);
  ASSERT_TRUE(watch->WaitForStdout("#1  closed  sev2  closed  Checkout fails", kPatience))
      << watch->out();
  EXPECT_EQ(Lines(watch->out()).size(), 4u) << watch->out();
}

TEST_F(CliWatchTest, JsonPrintsOneEventPerLine) {
  std::unique_ptr<FfProcess> watch = StartWatch({"--output", "json"});
  ASSERT_EQ(Open("Checkout fails"), 1);
  ASSERT_EQ(Ff({"update", "1", "--severity", "1"}).exit_code, 0);
  ASSERT_TRUE(watch->WaitForStdout("incident.severity_changed", kPatience)) << watch->out();
  ASSERT_TRUE(watch->WaitForStdout("}\n", kPatience));

  std::vector<std::string> lines = Lines(watch->out());
  ASSERT_EQ(lines.size(), 2u) << watch->out();
  nlohmann::json opened = ParseJson(lines[0]);
  EXPECT_EQ(opened["type"], "incident.opened");
  EXPECT_EQ(opened["incident"]["id"], "1");
  EXPECT_EQ(opened["entry"]["kind"], "opened");
  nlohmann::json changed = ParseJson(lines[1]);
  EXPECT_EQ(changed["type"], "incident.severity_changed");
  EXPECT_EQ(changed["incident"]["severity"], "SEVERITY_SEV1");
  EXPECT_GT(std::stoll(changed["sequence"].get<std::string>()),
            std::stoll(opened["sequence"].get<std::string>()));
}

TEST_F(CliWatchTest, FiltersLikeList) {
  std::unique_ptr<FfProcess> watch = StartWatch({"--domain", "search", "--severity", "3"});
  ASSERT_EQ(Open("Payment is down", "3", "payment"), 1);
  ASSERT_EQ(Open("Search is down", "1", "search"), 2);
  ASSERT_EQ(Open("Search is slow", "3", "search"), 3);
  // Events arrive in commit order: once #3 shows, #1 and #2 would have too.
  ASSERT_TRUE(watch->WaitForStdout("#3  opened", kPatience)) << watch->out();
  EXPECT_THAT(watch->out(), Not(HasSubstr("#1")));
  EXPECT_THAT(watch->out(), Not(HasSubstr("#2")));
}

TEST_F(CliWatchTest, ServerShutdownEndsTheWatchWithExit6) {
  std::unique_ptr<FfProcess> watch = StartWatch();
  server_->Stop(SIGTERM);
  FfResult r = watch->Wait(kPatience);
  EXPECT_EQ(r.exit_code, 6);
  EXPECT_THAT(r.err, HasSubstr(absl::StrCat("ff: watch stopped: server at ", server_->address(),
                                            " is unavailable: ")));
}

}  // namespace
}  // namespace ff::testing
