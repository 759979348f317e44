// StopSignals and ServeUntilStopped in this process: SIGHUP reloads, SIGTERM
// runs the shutdown steps in order and yields exit status 0. The signals go
// to this process with kill(); they stay pending while blocked, so no timing
// is involved.
#include "common/lifecycle.h"

#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace ff {
namespace {

using ::testing::ElementsAre;

// SignalMaskScope restores the thread's signal mask when the test ends.
class SignalMaskScope {
 public:
  SignalMaskScope() { pthread_sigmask(SIG_SETMASK, nullptr, &saved_); }
  ~SignalMaskScope() { pthread_sigmask(SIG_SETMASK, &saved_, nullptr); }

 private:
  sigset_t saved_;
};

TEST(StopSignalsTest, SigtermRunsTheStepsInOrderAfterEachSighupReloads) {
  SignalMaskScope scope;
  StopSignals signals = StopSignals::Block(/*reload_on_hangup=*/true);
  ASSERT_EQ(kill(getpid(), SIGHUP), 0);  // pending: taken before SIGTERM
  ASSERT_EQ(kill(getpid(), SIGTERM), 0);
  std::vector<std::string> done;
  int exit_status = ServeUntilStopped(signals,
                                      {{"report NOT_SERVING", [&] { done.push_back("health"); }},
                                       {"stop accepting", [&] { done.push_back("listener"); }},
                                       {"finish in-flight work", [&] { done.push_back("drain"); }}},
                                      [&] { done.push_back("reload"); });
  EXPECT_EQ(exit_status, 0);
  EXPECT_THAT(done, ElementsAre("reload", "health", "listener", "drain"));
}

TEST(StopSignalsTest, SigintStopsToo) {
  SignalMaskScope scope;
  StopSignals signals = StopSignals::Block(/*reload_on_hangup=*/false);
  ASSERT_EQ(kill(getpid(), SIGINT), 0);
  EXPECT_EQ(signals.Await(nullptr), SIGINT);
}

}  // namespace
}  // namespace ff
