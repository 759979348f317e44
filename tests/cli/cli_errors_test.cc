// Every bad input to ff: usage errors (exit 2, no server needed) and the
// server's refusals mapped to their exit codes (3, 4, 5, 6).
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/cli/cli_fixture.h"

namespace ff::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

// Usage errors are caught before any call, so no server runs for these.
FfResult Usage(std::vector<std::string> args) { return RunFf(std::move(args), {"FF_USER=alice"}); }

void ExpectUsageError(const FfResult& r, const std::string& message, const std::string& hint) {
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, absl::StrCat("ff: ", message, "\nRun '", hint, "' for usage.\n"));
}

TEST(CliUsageTest, UnknownSubcommand) {
  ExpectUsageError(Usage({"frobnicate"}), "unknown command 'frobnicate'", "ff help");
  ExpectUsageError(Usage({"help", "frobnicate"}), "unknown command 'frobnicate'", "ff help");
}

TEST(CliUsageTest, NoSubcommand) { ExpectUsageError(Usage({}), "no command given", "ff help"); }

TEST(CliUsageTest, MissingRequiredFlagOrArgument) {
  ExpectUsageError(Usage({"open", "--domain", "payment", "--severity", "2"}), "--title is required",
                   "ff open --help");
  ExpectUsageError(Usage({"open", "--title", "t", "--domain", "payment"}), "--severity is required",
                   "ff open --help");
  ExpectUsageError(Usage({"info"}), "ID is required", "ff info --help");
  ExpectUsageError(Usage({"note", "1"}), "TEXT is required", "ff note --help");
}

TEST(CliUsageTest, BadSeverity) {
  const std::string message =
      "--severity: unknown value \"sev9\"; expected one of sev1, sev2, sev3, sev4, sev5";
  ExpectUsageError(Usage({"open", "--title", "t", "--domain", "payment", "--severity", "sev9"}),
                   message, "ff open --help");
  ExpectUsageError(Usage({"update", "1", "--severity", "sev9"}), message, "ff update --help");
  ExpectUsageError(Usage({"list", "--severity", "sev9"}), message, "ff list --help");
  ExpectUsageError(Usage({"update", "1", "--severity", "0"}),
                   "--severity: unknown value \"0\"; expected one of sev1, sev2, sev3, sev4, sev5",
                   "ff update --help");
}

TEST(CliUsageTest, BadStatus) {
  const std::string message =
      "--status: unknown value \"done\"; expected one of open, investigating, fixing, fixed, "
      "postmortem, closed";
  ExpectUsageError(Usage({"update", "1", "--status", "done"}), message, "ff update --help");
  ExpectUsageError(Usage({"list", "--status", "done"}), message, "ff list --help");
  ExpectUsageError(Usage({"watch", "--status", "done"}), message, "ff watch --help");
}

TEST(CliUsageTest, BadCloseReason) {
  ExpectUsageError(Usage({"close", "1", "--reason", "fixed"}),
                   "--reason: unknown value \"fixed\"; expected one of resolved, mistake, "
                   "duplicate, not-an-incident",
                   "ff close --help");
}

TEST(CliUsageTest, NonNumericId) {
  for (const char* command : {"update", "close", "info", "timeline", "note"}) {
    std::vector<std::string> args = {command, "abc"};
    if (std::string(command) == "note") args.push_back("text");
    if (std::string(command) == "update") args.insert(args.end(), {"--severity", "2"});
    ExpectUsageError(Usage(args),
                     "ID: invalid incident id 'abc' (expected a number such as 42 or #42)",
                     absl::StrCat("ff ", command, " --help"));
  }
  ExpectUsageError(Usage({"info", "0"}),
                   "ID: invalid incident id '0' (expected a number such as 42 or #42)",
                   "ff info --help");
}

TEST(CliUsageTest, BadGlobalOptions) {
  ExpectUsageError(Usage({"list", "--timeout", "soon"}),
                   "--timeout: invalid timeout 'soon' (expected a duration such as 2s or 500ms)",
                   "ff list --help");
  FfResult bad_output = Usage({"list", "--output", "yaml"});
  EXPECT_EQ(bad_output.exit_code, 2);
  EXPECT_THAT(bad_output.err, StartsWith("ff: --output: yaml not in {table,json}"));
  ExpectUsageError(Usage({"list", "--limit", "0"}), "--limit: Value 0 not in range 1 to 500",
                   "ff list --help");
}

TEST(CliUsageTest, UnexpectedArgumentsAndNothingToDo) {
  ExpectUsageError(Usage({"info", "1", "2"}), "The following argument was not expected: 2",
                   "ff info --help");
  ExpectUsageError(Usage({"list", "--bogus"}), "The following argument was not expected: --bogus",
                   "ff list --help");
  ExpectUsageError(Usage({"update", "1", "--message", "hi"}),
                   "nothing to update: give at least one of --status, --severity, --title, "
                   "--description, --commander, --comms-lead, --ops-lead",
                   "ff update --help");
}

TEST(CliUsageTest, BadAddressIsAUsageError) {
  for (const char* addr : {"127.0.0.1:99999", "127.0.0.1:port", ":50051", "127.0.0.1", ""}) {
    ExpectUsageError(Usage({"list", "--addr", addr}),
                     absl::StrCat("--addr: invalid address '", addr,
                                  "' (expected HOST:PORT with a port from 1 to 65535, or "
                                  "unix:PATH)"),
                     "ff list --help");
  }
  FfResult from_env = RunFf({"info", "1"}, {"FF_ADDR=127.0.0.1:99999"});
  EXPECT_EQ(from_env.exit_code, 2);
  EXPECT_THAT(from_env.err, StartsWith("ff: --addr: invalid address '127.0.0.1:99999'"));
}

TEST(CliUsageTest, UnreachableServerFailsWithinTheTimeout) {
  std::string addr = absl::StrCat("127.0.0.1:", ClosedPort());
  for (std::vector<std::string> args :
       {std::vector<std::string>{"list"}, {"info", "1"}, {"watch"}, {"domains", "-o", "json"}}) {
    args.insert(args.end(), {"--addr", addr, "--timeout", "2s"});
    FfResult r = Usage(args);
    EXPECT_EQ(r.exit_code, 6) << args[0];
    EXPECT_EQ(r.out, "") << args[0];
    EXPECT_THAT(r.err, HasSubstr(absl::StrCat(": server at ", addr, " is unavailable: ")));
    EXPECT_LT(r.elapsed, absl::Seconds(3)) << args[0];
  }
  FfResult list = Usage({"list", "--addr", addr, "--timeout", "2s"});
  EXPECT_THAT(list.err, StartsWith(absl::StrCat("ff: cannot list incidents: server at ", addr,
                                                " is unavailable: ")));
  FfResult watch = RunFf({"watch", "--timeout", "2s"}, {"FF_ADDR=" + addr});
  EXPECT_EQ(watch.exit_code, 6);
  EXPECT_THAT(watch.err, StartsWith(absl::StrCat("ff: cannot watch incidents: server at ", addr,
                                                 " is unavailable: ")));
}

TEST(CliUsageTest, SilentServerTimesOutWithExit6) {
  // A socket that listens but never accepts: TCP connects, gRPC never answers.
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof(sa);
  ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&sa), sizeof(sa)), 0);
  ASSERT_EQ(listen(fd, 16), 0);
  ASSERT_EQ(getsockname(fd, reinterpret_cast<sockaddr*>(&sa), &len), 0);
  std::string addr = absl::StrCat("127.0.0.1:", ntohs(sa.sin_port));

  FfResult list = Usage({"list", "--addr", addr, "--timeout", "1s"});
  EXPECT_EQ(list.exit_code, 6);
  EXPECT_EQ(list.out, "");
  EXPECT_EQ(list.err,
            absl::StrCat("ff: cannot list incidents: server at ", addr, ": no answer within 1s\n"));
  EXPECT_GE(list.elapsed, absl::Seconds(1));
  EXPECT_LT(list.elapsed, absl::Seconds(3));

  FfResult watch = Usage({"watch", "--addr", addr, "--timeout", "1s"});
  EXPECT_EQ(watch.exit_code, 6);
  EXPECT_EQ(watch.err, absl::StrCat("ff: cannot watch incidents: server at ", addr,
                                    " is unavailable: cannot connect within 1s\n"));
  EXPECT_LT(watch.elapsed, absl::Seconds(3));
  close(fd);
}

TEST_F(CliTest, UnknownIncidentIsExit3) {
  FfResult r = Ff({"info", "99"});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, "ff: cannot show incident #99: incident #99 does not exist\n");
  EXPECT_EQ(Ff({"update", "99", "--severity", "1"}).exit_code, 3);
  EXPECT_EQ(Ff({"close", "99"}).exit_code, 3);
  EXPECT_EQ(Ff({"timeline", "99"}).exit_code, 3);
  FfResult note = Ff({"note", "99", "hello"});
  EXPECT_EQ(note.exit_code, 3);
  EXPECT_EQ(note.err, "ff: cannot add a note to incident #99: incident #99 does not exist\n");
}

TEST_F(CliTest, IllegalTransitionIsExit4WithTheServersReason) {
  ASSERT_EQ(Open("Checkout fails", "4"), 1);
  FfResult r = Ff({"update", "1", "--status", "postmortem"});
  EXPECT_EQ(r.exit_code, 4);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err,
            "ff: cannot update incident #1: cannot move incident #1 from OPEN to POSTMORTEM; "
            "from OPEN it can go to INVESTIGATING, FIXING, FIXED, CLOSED with a reason other "
            "than resolved\n");

  FfResult close = Ff({"close", "1"});
  EXPECT_EQ(close.exit_code, 4);
  EXPECT_THAT(close.err, StartsWith("ff: cannot close incident #1: incident #1 is OPEN: an "
                                    "incident is closed as resolved only once FIXED"));
}

TEST_F(CliTest, StaleExpectedVersionIsExit5) {
  ASSERT_EQ(Open("Checkout fails"), 1);
  FfResult r = Ff({"update", "1", "--severity", "1", "--expected-version", "7"});
  EXPECT_EQ(r.exit_code, 5);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err,
            "ff: cannot update incident #1: incident #1 is at version 1, not the "
            "expected 7: reload and retry\n");
  EXPECT_EQ(Ff({"close", "1", "--reason", "mistake", "--expected-version", "7"}).exit_code, 5);
}

TEST_F(CliTest, FieldRejectedByTheServerIsExit2) {
  FfResult r = Ff({"open", "--title", "t", "--domain", "nowhere", "--severity", "2"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_THAT(r.err, StartsWith("ff: cannot open incident: domain"));
  EXPECT_THAT(r.err, HasSubstr("nowhere"));
}

TEST_F(CliTest, HugeFieldIsExit2NamingTheFieldAndStoresNothing) {
  const std::string huge(70000, 'x');
  FfResult open = Ff({"open", "--title", "t", "--domain", huge, "--severity", "2"});
  EXPECT_EQ(open.exit_code, 2);
  EXPECT_EQ(open.err,
            "ff: cannot open incident: domain is 70000 characters long; the limit is 40\n");
  ASSERT_EQ(Open("Checkout fails"), 1);
  FfResult note = Ff({"note", "1", "hello", "--kind", huge});
  EXPECT_EQ(note.exit_code, 2);
  EXPECT_EQ(note.err,
            "ff: cannot add a note to incident #1: kind is 70000 characters long; the limit is "
            "32\n");
  FfResult timeline = Ff({"timeline", "1", "-o", "json"});
  EXPECT_EQ(timeline.exit_code, 0) << timeline.err;
  EXPECT_EQ(ParseJson(timeline.out)["entries"].size(), 1u) << timeline.out;
  FfResult list = Ff({"list", "-o", "json"});
  EXPECT_EQ(ParseJson(list.out)["incidents"].size(), 1u) << list.out;
}

}  // namespace
}  // namespace ff::testing
