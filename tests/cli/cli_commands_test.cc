// ff open / info / update / close / timeline / note / domains / help against
// the real server, in table and JSON modes.
#include <pwd.h>
#include <unistd.h>

#include "absl/strings/match.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/cli/cli_fixture.h"

namespace ff::testing {
namespace {

using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

TEST_F(CliTest, OpenPrintsTheNewIncidentAsACard) {
  FfResult r = Ff({"open", "--title", "Checkout fails with 502", "--domain", "payment",
                   "--severity", "sev2", "--description", "Every /pay call fails"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.err, "");
  EXPECT_THAT(r.out, StartsWith("Opened incident #1.\n\n#1 Checkout fails with 502\n"));
  EXPECT_THAT(
      r.out, AllOf(HasSubstr("\n  status        open\n"), HasSubstr("\n  severity      sev2\n"),
                   HasSubstr("\n  domain        payment\n"), HasSubstr("\n  reporter      alice\n"),
                   HasSubstr("\n  commander     -\n"), HasSubstr("\n  on-call       not paged\n"),
                   HasSubstr("\n  version       1\n"), HasSubstr("\n  Every /pay call fails\n")));
  EXPECT_THAT(r.out, Not(HasSubstr("\033[")));  // not a terminal: no colour
}

TEST_F(CliTest, OpenJsonUsesProtoFieldNames) {
  FfResult r = Ff({"open", "-o", "json", "--title", "Search is slow", "--domain", "search",
                   "--severity", "3", "--reporter", "bob", "--oncall", "--dedup-key", "alert-7"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err, "");
  nlohmann::json j = ParseJson(r.out);
  EXPECT_EQ(j["id"], "1");
  EXPECT_EQ(j["title"], "Search is slow");
  EXPECT_EQ(j["severity"], "SEVERITY_SEV3");
  EXPECT_EQ(j["status"], "STATUS_OPEN");
  EXPECT_EQ(j["reporter"], "bob");
  EXPECT_EQ(j["trigger_oncall"], true);
  EXPECT_EQ(j["dedup_key"], "alert-7");
  EXPECT_TRUE(j.contains("created_at"));
  EXPECT_EQ(j["description"], "");    // scalar fields are present even when empty
  EXPECT_FALSE(j.contains("roles"));  // message fields only when set

  // The same dedup key returns the incident already open.
  FfResult again = Ff({"open", "-o", "json", "--title", "Search is slow again", "--domain",
                       "search", "--severity", "3", "--dedup-key", "alert-7"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(ParseJson(again.out)["id"], "1");

  // And says so, where a person reads it.
  FfResult table = Ff({"open", "--title", "Search is slow", "--domain", "search", "--severity", "3",
                       "--dedup-key", "alert-7"});
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_THAT(table.out, StartsWith("Already open as incident #1 (same dedup key).\n"));
  FfResult other = Ff({"open", "--title", "Search is slow", "--domain", "search", "--severity", "3",
                       "--dedup-key", "alert-8"});
  EXPECT_THAT(other.out, StartsWith("Opened incident #2.\n"));
}

TEST_F(CliTest, InfoShowsOneIncident) {
  ASSERT_EQ(Open("Login loops", "1", "main-website"), 1);

  FfResult table = Ff({"info", "1"});
  EXPECT_EQ(table.exit_code, 0);
  EXPECT_EQ(table.err, "");
  EXPECT_THAT(table.out, StartsWith("#1 Login loops\n  status        open\n"));
  EXPECT_THAT(table.out, HasSubstr("\n  severity      sev1\n"));

  FfResult json = Ff({"info", "#1", "--output", "json"});
  EXPECT_EQ(json.exit_code, 0);
  EXPECT_EQ(ParseJson(json.out)["domain"], "main-website");
}

TEST_F(CliTest, UpdateChangesStatusRolesAndDetails) {
  ASSERT_EQ(Open("Checkout fails"), 1);

  FfResult r = Ff({"update", "1", "--status", "investigating", "--commander", "carol",
                   "--comms-lead", "dave", "--ops-lead", "erin", "--message", "on it"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.err, "");
  EXPECT_EQ(r.out, "Updated incident #1: investigating, sev2, commander carol (version 2).\n");
  FfResult info = Ff({"info", "1"});
  EXPECT_THAT(
      info.out,
      AllOf(HasSubstr("\n  status        investigating\n"), HasSubstr("\n  commander     carol\n"),
            HasSubstr("\n  comms lead    dave\n"), HasSubstr("\n  ops lead      erin\n")));

  FfResult json = Ff({"update", "1", "-o", "json", "--severity", "SEV1", "--title", "Checkout down",
                      "--commander", "", "--expected-version", "2", "--actor", "bob"});
  ASSERT_EQ(json.exit_code, 0) << json.err;
  nlohmann::json j = ParseJson(json.out);
  EXPECT_EQ(j["severity"], "SEVERITY_SEV1");
  EXPECT_EQ(j["title"], "Checkout down");
  EXPECT_EQ(j["roles"]["commander"], "");  // "" removed the commander
  EXPECT_EQ(j["version"], "3");
}

TEST_F(CliTest, CloseRecordsTheReason) {
  ASSERT_EQ(Open("False alarm", "4"), 1);
  FfResult r = Ff({"close", "1", "--reason", "not-an-incident", "--message", "test alert"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.err, "");
  EXPECT_THAT(r.out, ::testing::MatchesRegex(
                         "Closed incident #1 \\(not-an-incident\\) after [0-9]+s\\.\n"));
  FfResult info = Ff({"info", "1"});
  EXPECT_THAT(info.out, HasSubstr("\n  status        closed\n"));
  EXPECT_THAT(info.out, HasSubstr("(not-an-incident, lasted "));

  ASSERT_EQ(Open("Typo on the home page", "5", "main-website"), 2);
  FfResult fixed = Ff({"update", "2", "--status", "fixed"});
  ASSERT_EQ(fixed.exit_code, 0);
  EXPECT_EQ(fixed.out, "Updated incident #2: fixed, sev5, no commander (version 2).\n");
  FfResult json = Ff({"close", "2", "-o", "json", "--expected-version", "2"});
  ASSERT_EQ(json.exit_code, 0) << json.err;
  nlohmann::json j = ParseJson(json.out);
  EXPECT_EQ(j["status"], "STATUS_CLOSED");
  EXPECT_EQ(j["close_reason"], "CLOSE_REASON_RESOLVED");
  EXPECT_TRUE(j.contains("closed_at"));
}

// Every spelling of a status, severity or close reason that any surface
// accepted or printed is read (docs/vocabulary.md); ff prints the
// vocabulary's canonical word whichever spelling came in.
TEST_F(CliTest, AcceptsTheVocabularysAliasesAndPrintsItsWords) {
  FfResult opened = Ff({"open", "--title", "Disk full on db-3", "--domain", "backoffice",
                        "--severity", "SEVERITY_SEV4"});
  ASSERT_EQ(opened.exit_code, 0) << opened.err;
  EXPECT_THAT(opened.out, HasSubstr("\n  severity      sev4\n"));
  FfResult updated = Ff({"update", "1", "--status", "STATUS_INVESTIGATING", "--severity", "SEV3"});
  ASSERT_EQ(updated.exit_code, 0) << updated.err;
  EXPECT_EQ(updated.out, "Updated incident #1: investigating, sev3, no commander (version 2).\n");
  FfResult listed = Ff({"list", "--status", "Investigating", "--severity", "3"});
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_THAT(Lines(listed.out).back(),
              ::testing::MatchesRegex("#1 +sev3 +investigating +backoffice +Disk full on db-3 .*"));

  int64_t id = 1;
  for (const char* reason :
       {"not_an_incident", "not an incident", "Not-An-Incident", "CLOSE_REASON_NOT_AN_INCIDENT"}) {
    if (id > 1) ASSERT_EQ(Open("False alarm", "4"), id);
    FfResult closed = Ff({"close", std::to_string(id), "--reason", reason});
    ASSERT_EQ(closed.exit_code, 0) << reason << ": " << closed.err;
    EXPECT_THAT(closed.out, ::testing::MatchesRegex(
                                "Closed incident #[0-9]+ \\(not-an-incident\\) after [0-9]+s\\.\n"))
        << reason;
    EXPECT_THAT(Ff({"info", std::to_string(id)}).out, HasSubstr("(not-an-incident, lasted "))
        << reason;
    ++id;
  }
}

TEST_F(CliTest, TimelineListsEntriesOldestFirst) {
  ASSERT_EQ(Open("Checkout fails"), 1);
  ASSERT_EQ(Ff({"update", "1", "--status", "fixing", "--actor", "bob"}).exit_code, 0);

  FfResult r = Ff({"timeline", "1"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.err, "");
  std::vector<std::string> lines = Lines(r.out);
  ASSERT_EQ(lines.size(), 3u) << r.out;
  EXPECT_THAT(lines[0], ::testing::MatchesRegex("TIME +KIND +ACTOR +TEXT"));
  EXPECT_THAT(lines[1],
              ::testing::MatchesRegex("20[0-9-]+ [0-9:]+ +opened +alice +Opened SEV2 incident in "
                                      "payment: Checkout fails"));
  EXPECT_THAT(lines[2],
              ::testing::MatchesRegex("20[0-9-]+ [0-9:]+ +status +bob +status OPEN → FIXING"));
  // Columns are aligned: KIND starts at the same offset on every line.
  size_t kind_at = lines[0].find("KIND");
  EXPECT_EQ(lines[1].find("opened"), kind_at);
  EXPECT_EQ(lines[2].find("status"), kind_at);

  FfResult json = Ff({"timeline", "1", "-o", "json"});
  ASSERT_EQ(json.exit_code, 0);
  nlohmann::json j = ParseJson(json.out);
  ASSERT_EQ(j["entries"].size(), 2u);
  EXPECT_EQ(j["entries"][0]["kind"], "opened");
  EXPECT_EQ(j["entries"][1]["actor"], "bob");
}

TEST_F(CliTest, NoteAddsATimelineEntry) {
  ASSERT_EQ(Open("Checkout fails"), 1);

  FfResult r = Ff({"note", "1", "Rolled back release 42"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.err, "");
  EXPECT_EQ(r.out, "Added note to incident #1.\n");

  FfResult json = Ff({"note", "1", "Error rate back to normal", "--actor", "bob", "-o", "json"});
  ASSERT_EQ(json.exit_code, 0) << json.err;
  nlohmann::json j = ParseJson(json.out);
  EXPECT_EQ(j["kind"], "note");
  EXPECT_EQ(j["actor"], "bob");
  EXPECT_EQ(j["incident_id"], "1");
  EXPECT_EQ(j["text"], "Error rate back to normal");

  FfResult timeline = Ff({"timeline", "1"});
  EXPECT_THAT(timeline.out, HasSubstr("note    alice  Rolled back release 42\n"));
}

TEST_F(CliTest, DomainsListsTheConfiguredDomains) {
  FfResult r = Ff({"domains"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.err, "");
  std::vector<std::string> lines = Lines(r.out);
  ASSERT_EQ(lines.size(), 5u) << r.out;
  EXPECT_THAT(lines[0], ::testing::MatchesRegex("NAME +DESCRIPTION"));
  EXPECT_THAT(r.out, AllOf(HasSubstr("\npayment "), HasSubstr("\nsearch "),
                           HasSubstr("\nmain-website "), HasSubstr("\nbackoffice ")));

  FfResult json = Ff({"domains", "-o", "json"});
  ASSERT_EQ(json.exit_code, 0);
  nlohmann::json j = ParseJson(json.out);
  std::vector<std::string> names;
  for (const auto& d : j["domains"]) names.push_back(d["name"]);
  EXPECT_THAT(names, ElementsAre("payment", "search", "main-website", "backoffice"));

  // Global options also work before the command, and --addr beats FF_ADDR.
  FfResult before =
      RunFf({"-o", "json", "--addr", server_->address(), "domains"}, {"FF_ADDR=127.0.0.1:1"});
  EXPECT_EQ(before.exit_code, 0) << before.err;
  EXPECT_EQ(before.out, json.out);
  FfResult after =
      RunFf({"domains", "-o", "json", "--addr", server_->address()}, {"FF_ADDR=127.0.0.1:1"});
  EXPECT_EQ(after.exit_code, 0) << after.err;
  EXPECT_EQ(after.out, json.out);
}

TEST_F(CliTest, ReporterDefaultsToTheLoginNameWithoutFfUser) {
  const passwd* pw = getpwuid(geteuid());
  ASSERT_NE(pw, nullptr);
  FfResult r = RunFf({"open", "-o", "json", "--title", "t", "--domain", "search", "--severity", "4",
                      "--addr", server_->address()},
                     {"TZ=UTC"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(ParseJson(r.out)["reporter"], pw->pw_name);
}

TEST_F(CliTest, ColourOnlyOnATerminalAndNeverWithNoColor) {
  ASSERT_EQ(Open("Checkout fails", "1"), 1);
  FfProcess tty({"list"}, Env(), FfProcess::Stdout::kTerminal);
  ASSERT_TRUE(tty.Start().ok());
  FfResult coloured = tty.Wait(absl::Seconds(30));
  EXPECT_EQ(coloured.exit_code, 0);
  EXPECT_THAT(coloured.out, HasSubstr("\033[1;31msev1\033[0m"));

  FfProcess no_color({"list"}, Env({"NO_COLOR=1"}), FfProcess::Stdout::kTerminal);
  ASSERT_TRUE(no_color.Start().ok());
  FfResult plain = no_color.Wait(absl::Seconds(30));
  EXPECT_EQ(plain.exit_code, 0);
  EXPECT_THAT(plain.out, HasSubstr("sev1"));
  EXPECT_THAT(plain.out, Not(HasSubstr("\033[")));
}

TEST(CliHelpTest, HelpDescribesEveryCommand) {
  FfResult r = RunFf({"help"}, {});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.err, "");
  for (const char* command : {"open", "update", "close", "info", "list", "timeline", "note",
                              "watch", "domains", "help"}) {
    EXPECT_THAT(r.out, HasSubstr(std::string("\n  ") + command + " ")) << command;
  }
  EXPECT_THAT(r.out, HasSubstr("Exit codes: 0 ok"));
  EXPECT_EQ(RunFf({"--help"}, {}).out, r.out);
}

TEST(CliHelpTest, EachCommandHasHelp) {
  FfResult open = RunFf({"open", "--help"}, {});
  EXPECT_EQ(open.exit_code, 0);
  EXPECT_THAT(open.out, AllOf(StartsWith("Open an incident\nUsage: ff open [OPTIONS]"),
                              HasSubstr("--dedup-key"), HasSubstr("--reporter")));
  FfResult close = RunFf({"help", "close"}, {});
  EXPECT_EQ(close.exit_code, 0);
  EXPECT_THAT(close.out, AllOf(HasSubstr("Usage: ff close [OPTIONS] ID"), HasSubstr("--reason"),
                               HasSubstr("--expected-version"),
                               HasSubstr("one of resolved, mistake, duplicate, not-an-incident")));
  for (const char* command : {"update", "info", "list", "timeline", "note", "watch", "domains"}) {
    FfResult r = RunFf({command, "--help"}, {});
    EXPECT_EQ(r.exit_code, 0) << command;
    EXPECT_THAT(r.out, HasSubstr(std::string("Usage: ff ") + command)) << command;
  }
}

}  // namespace
}  // namespace ff::testing
