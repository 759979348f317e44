// Who ff acts as by default: $FF_USER, else git's user.email, else the login
// name — so that people who are emails in Slack are emails from ff too.
#include <pwd.h>
#include <unistd.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "tests/cli/cli_fixture.h"

namespace ff::testing {
namespace {

class CliActorTest : public CliTest {
 protected:
  // EnvWithout is ff's environment without FF_USER: the server, TZ, the
  // test's PATH (or `path`), and `extra`.
  std::vector<std::string> EnvWithout(const char* path, std::vector<std::string> extra) const {
    const char* test_path = std::getenv("PATH");
    std::vector<std::string> env = {"FF_ADDR=" + server_->address(), "TZ=UTC",
                                    std::string("PATH=") + (path != nullptr        ? path
                                                            : test_path != nullptr ? test_path
                                                                                   : ""),
                                    // HOME and the system file hold nothing of ours; git's
                                    // command-line level config (the highest) says who the user is.
                                    "HOME=" + dir_.File("home"), "GIT_CONFIG_NOSYSTEM=1"};
    env.insert(env.end(), extra.begin(), extra.end());
    return env;
  }

  // ReporterOf opens an incident with `env` and returns its reporter.
  std::string ReporterOf(const std::vector<std::string>& env) {
    FfResult r = RunFf({"open", "-o", "json", "--title", "Checkout returns 500", "--severity", "2",
                        "--domain", "payment"},
                       env);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    nlohmann::json incident = ParseJson(r.out);
    return incident.is_object() ? incident.value("reporter", "") : "";
  }
};

const std::vector<std::string> kGitEmail = {"GIT_CONFIG_COUNT=1", "GIT_CONFIG_KEY_0=user.email",
                                            "GIT_CONFIG_VALUE_0=carol@example.com"};

TEST_F(CliActorTest, GitUserEmailIsTheDefaultActorWithoutFfUser) {
  EXPECT_EQ(ReporterOf(EnvWithout(nullptr, kGitEmail)), "carol@example.com");
  FfResult note = RunFf({"note", "1", "pool exhausted"}, EnvWithout(nullptr, kGitEmail));
  ASSERT_EQ(note.exit_code, 0) << note.err;
  FfResult timeline = RunFf({"timeline", "1", "-o", "json"}, EnvWithout(nullptr, kGitEmail));
  ASSERT_EQ(timeline.exit_code, 0) << timeline.err;
  std::vector<std::string> note_actors;
  for (const nlohmann::json& entry : ParseJson(timeline.out).value("entries", nlohmann::json())) {
    if (entry.value("kind", "") == "note") note_actors.push_back(entry.value("actor", ""));
  }
  EXPECT_THAT(note_actors, ::testing::ElementsAre("carol@example.com"));
}

TEST_F(CliActorTest, FfUserWinsOverGit) {
  std::vector<std::string> env = EnvWithout(nullptr, kGitEmail);
  env.push_back("FF_USER=alice");
  EXPECT_EQ(ReporterOf(env), "alice");
}

TEST_F(CliActorTest, WithoutGitOrItsEmailTheLoginNameActs) {
  const passwd* pw = getpwuid(geteuid());
  ASSERT_NE(pw, nullptr);
  std::string login = pw->pw_name;
  EXPECT_EQ(ReporterOf(EnvWithout(dir_.File("no-such-dir").c_str(), kGitEmail)), login)
      << "git is not on PATH";
  std::vector<std::string> empty = {"GIT_CONFIG_COUNT=1", "GIT_CONFIG_KEY_0=user.email",
                                    "GIT_CONFIG_VALUE_0="};
  EXPECT_EQ(ReporterOf(EnvWithout(nullptr, empty)), login) << "git's user.email is empty";
  std::vector<std::string> not_an_email = {"GIT_CONFIG_COUNT=1", "GIT_CONFIG_KEY_0=user.email",
                                           "GIT_CONFIG_VALUE_0=carol"};
  EXPECT_EQ(ReporterOf(EnvWithout(nullptr, not_an_email)), login) << "user.email is no email";
}

}  // namespace
}  // namespace ff::testing
