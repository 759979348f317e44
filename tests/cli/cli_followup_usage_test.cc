// ff followup: the command line alone (no server) — how each verb's
// arguments become the request, the usage errors, the help, and the views.
#include <cstdlib>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "adapters/cli/command_line.h"
#include "adapters/cli/followup_views.h"
#include "adapters/cli/value_parsing.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/cli/ff_process.h"
#include "tests/testing/status_matchers.h"

namespace ff::cli {
namespace {

using ::ff::testing::FfResult;
using ::ff::testing::RunFf;
using ::ff::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

// Parse runs ff's parser on `args` (after "ff") as FF_USER=carol.
ParseResult Parse(std::vector<const char*> args, std::string* err = nullptr) {
  setenv("FF_USER", "carol", 1);
  args.insert(args.begin(), "ff");
  std::ostringstream out_stream, err_stream;
  ParseResult parsed =
      ParseCommandLine(static_cast<int>(args.size()), args.data(), out_stream, err_stream);
  if (err != nullptr) *err = err_stream.str();
  return parsed;
}

FfResult Usage(std::vector<std::string> args) { return RunFf(std::move(args), {"FF_USER=alice"}); }

void ExpectUsageError(const FfResult& r, const std::string& message, const std::string& hint) {
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, absl::StrCat("ff: ", message, "\nRun '", hint, "' for usage.\n"));
}

TEST(CliFollowUpParseTest, AddSetsTheDueDateOnlyWhenAsked) {
  ParseResult due = Parse({"followup", "add", "#3", "Write the runbook", "--owner", "bob", "--due",
                           "2030-01-31", "--description", "for the pool"});
  ASSERT_TRUE(due.invocation.has_value());
  EXPECT_EQ(due.invocation->command, Command::kFollowUpAdd);
  const pb::AddFollowUpRequest& request = due.invocation->follow_up_add;
  EXPECT_EQ(request.incident_id(), 3);
  EXPECT_EQ(request.title(), "Write the runbook");
  EXPECT_EQ(request.description(), "for the pool");
  EXPECT_EQ(request.owner(), "bob");
  EXPECT_EQ(request.actor(), "carol");
  ASSERT_TRUE(request.has_due_date());
  EXPECT_EQ(request.due_date(), "2030-01-31");

  ParseResult by_default = Parse({"followup", "add", "3", "t"});
  ASSERT_TRUE(by_default.invocation.has_value());
  EXPECT_FALSE(by_default.invocation->follow_up_add.has_due_date());  // the severity's default

  ParseResult none = Parse({"followup", "add", "3", "t", "--no-due", "--actor", "dave"});
  ASSERT_TRUE(none.invocation.has_value());
  EXPECT_TRUE(none.invocation->follow_up_add.has_due_date());
  EXPECT_EQ(none.invocation->follow_up_add.due_date(), "");
  EXPECT_EQ(none.invocation->follow_up_add.actor(), "dave");
}

TEST(CliFollowUpParseTest, ListFilters) {
  ParseResult mine = Parse({"followup", "list", "--mine", "--overdue", "--status", "open",
                            "--status", "DONE", "--limit", "7", "-o", "json"});
  ASSERT_TRUE(mine.invocation.has_value());
  const pb::ListFollowUpsRequest& request = mine.invocation->follow_ups;
  EXPECT_EQ(request.incident_id(), 0);
  EXPECT_EQ(request.owner(), "carol");
  EXPECT_TRUE(request.overdue());
  EXPECT_THAT(request.statuses(),
              ElementsAre(pb::FOLLOW_UP_STATUS_OPEN, pb::FOLLOW_UP_STATUS_DONE));
  EXPECT_EQ(mine.invocation->max_results, 7);
  EXPECT_EQ(mine.invocation->output, OutputFormat::kJson);

  ParseResult of_incident = Parse({"followup", "list", "#4", "--owner", "bob"});
  ASSERT_TRUE(of_incident.invocation.has_value());
  EXPECT_EQ(of_incident.invocation->follow_ups.incident_id(), 4);
  EXPECT_EQ(of_incident.invocation->follow_ups.owner(), "bob");
  EXPECT_EQ(of_incident.invocation->max_results, 0);  // every one
}

TEST(CliFollowUpParseTest, DoneCancelAndEditAreUpdates) {
  ParseResult done = Parse({"followup", "done", "FU-7"});
  ASSERT_TRUE(done.invocation.has_value());
  EXPECT_EQ(done.invocation->follow_up_update.id(), 7);
  EXPECT_EQ(done.invocation->follow_up_update.status(), pb::FOLLOW_UP_STATUS_DONE);
  EXPECT_EQ(done.invocation->follow_up_update.actor(), "carol");
  EXPECT_FALSE(done.invocation->follow_up_update.has_title());

  ParseResult cancel = Parse({"followup", "cancel", "fu-8"});
  ASSERT_TRUE(cancel.invocation.has_value());
  EXPECT_EQ(cancel.invocation->follow_up_update.id(), 8);
  EXPECT_EQ(cancel.invocation->follow_up_update.status(), pb::FOLLOW_UP_STATUS_CANCELLED);

  ParseResult edit = Parse(
      {"followup", "edit", "9", "--owner", "", "--no-due", "--reopen", "--expected-version", "4"});
  ASSERT_TRUE(edit.invocation.has_value());
  const pb::UpdateFollowUpRequest& request = edit.invocation->follow_up_update;
  EXPECT_EQ(request.id(), 9);
  EXPECT_TRUE(request.has_owner());
  EXPECT_EQ(request.owner(), "");
  EXPECT_TRUE(request.has_due_date());
  EXPECT_EQ(request.due_date(), "");
  EXPECT_EQ(request.status(), pb::FOLLOW_UP_STATUS_OPEN);
  EXPECT_EQ(request.expected_version(), 4);
  EXPECT_FALSE(request.has_title());
  EXPECT_FALSE(request.has_description());
}

TEST(CliFollowUpUsageTest, BadDueDateIsRefusedNamingTheFlag) {
  for (const char* bad : {"2026-13-01", "tomorrow", "2026-1-31", "2026-01-31x", ""}) {
    ExpectUsageError(
        Usage({"followup", "add", "1", "t", "--due", bad}),
        absl::StrCat("--due: invalid date \"", bad, "\" (expected YYYY-MM-DD, e.g. 2026-01-31)"),
        "ff followup add --help");
  }
  ExpectUsageError(Usage({"followup", "edit", "1", "--due", "31/01/2026"}),
                   "--due: invalid date \"31/01/2026\" (expected YYYY-MM-DD, e.g. 2026-01-31)",
                   "ff followup edit --help");
  ExpectUsageError(Usage({"followup", "add", "1", "t", "--due", "2030-01-31", "--no-due"}),
                   "--due and --no-due: give one or the other", "ff followup add --help");
}

TEST(CliFollowUpUsageTest, BadIdsStatusesAndCombinations) {
  ExpectUsageError(Usage({"followup", "done", "FU-x"}),
                   "ID: invalid follow-up id \"FU-x\" (expected a number such as 7 or FU-7)",
                   "ff followup done --help");
  ExpectUsageError(Usage({"followup", "cancel", "0"}),
                   "ID: invalid follow-up id \"0\" (expected a number such as 7 or FU-7)",
                   "ff followup cancel --help");
  ExpectUsageError(Usage({"followup", "add", "abc", "t"}),
                   "INCIDENT: invalid incident id 'abc' (expected a number such as 42 or #42)",
                   "ff followup add --help");
  ExpectUsageError(Usage({"followup", "list", "--status", "closed"}),
                   "--status: unknown value \"closed\"; expected one of open, done, cancelled",
                   "ff followup list --help");
  ExpectUsageError(Usage({"followup", "list", "--mine", "--owner", "bob"}),
                   "--mine and --owner: give one or the other", "ff followup list --help");
  ExpectUsageError(Usage({"followup", "edit", "3"}),
                   "nothing to edit: give at least one of --title, --description, --owner, "
                   "--due, --no-due, --reopen",
                   "ff followup edit --help");
  ExpectUsageError(Usage({"followup", "add", "1"}), "TITLE is required", "ff followup add --help");
}

TEST(CliFollowUpUsageTest, TheGroupNeedsAVerbAndHasHelp) {
  FfResult bare = Usage({"followup"});
  EXPECT_EQ(bare.exit_code, 2);
  EXPECT_THAT(bare.err, HasSubstr("Run 'ff followup --help' for usage."));

  FfResult help = Usage({"help", "followup"});
  EXPECT_EQ(help.exit_code, 0) << help.err;
  for (const char* verb : {"add", "list", "done", "cancel", "edit"}) {
    EXPECT_THAT(help.out, HasSubstr(verb));
  }
  FfResult top = Usage({"help"});
  EXPECT_THAT(top.out, HasSubstr("followup"));
  FfResult add_help = Usage({"followup", "add", "--help"});
  EXPECT_EQ(add_help.exit_code, 0);
  EXPECT_THAT(add_help.out, HasSubstr("--no-due"));
}

pb::FollowUp Sample(int64_t id, bool overdue) {
  pb::FollowUp f;
  f.set_id(id);
  f.set_incident_id(3);
  f.set_title("Add an alert on the pool");
  f.set_owner("bob");
  f.set_due_date("2026-01-31");
  f.set_status(pb::FOLLOW_UP_STATUS_OPEN);
  f.set_overdue(overdue);
  f.set_version(2);
  f.set_created_by("alice");
  f.mutable_created_at()->set_seconds(1767225600);  // 2026-01-01 00:00:00 UTC
  return f;
}

TEST(CliFollowUpViewTest, ListMarksOverdueAndShowsTrackerKeys) {
  pb::ListFollowUpsResponse list;
  *list.add_follow_ups() = Sample(1, /*overdue=*/true);
  pb::FollowUp linked = Sample(2, /*overdue=*/false);
  linked.set_owner("");
  linked.set_due_date("");
  linked.set_status(pb::FOLLOW_UP_STATUS_DONE);
  linked.set_tracker_key("OPS-12");
  linked.set_tracker_url("https://acme.atlassian.net/browse/OPS-12");
  *list.add_follow_ups() = linked;
  std::ostringstream out;
  FollowUpView(out, false, absl::UTCTimeZone()).FollowUpList(list);
  EXPECT_EQ(out.str(),
            "ID    INCIDENT  STATUS  DUE                 OWNER  TITLE                     TRACKER\n"
            "FU-1  #3        open    2026-01-31 overdue  bob    Add an alert on the pool  -\n"
            "FU-2  #3        done    -                   -      Add an alert on the pool  "
            "OPS-12\n");

  std::ostringstream empty;
  FollowUpView(empty, false, absl::UTCTimeZone()).FollowUpList({});
  EXPECT_EQ(empty.str(), "No follow-ups.\n");
}

TEST(CliFollowUpViewTest, CardShowsEveryField) {
  pb::FollowUp f = Sample(7, /*overdue=*/false);
  f.set_description("Page when it is 90% full");
  f.set_tracker_key("OPS-12");
  f.set_tracker_url("https://acme.atlassian.net/browse/OPS-12");
  std::ostringstream out;
  FollowUpView(out, false, absl::UTCTimeZone()).FollowUp(f);
  EXPECT_EQ(out.str(),
            "FU-7 Add an alert on the pool\n"
            "  incident  #3\n"
            "  status    open\n"
            "  owner     bob\n"
            "  due       2026-01-31\n"
            "  tracker   OPS-12 https://acme.atlassian.net/browse/OPS-12\n"
            "  created   2026-01-01 00:00:00 by alice\n"
            "  version   2\n"
            "\n"
            "  Page when it is 90% full\n");
}

TEST(CliFollowUpValueTest, IdsAndDates) {
  EXPECT_EQ(*ParseFollowUpId("7"), 7);
  EXPECT_EQ(*ParseFollowUpId("FU-7"), 7);
  EXPECT_EQ(*ParseFollowUpId("fu-12"), 12);
  for (const char* bad : {"", "FU-", "FU-0", "#7", "-7", "7x", "FU7"}) {
    EXPECT_THAT(ParseFollowUpId(bad), StatusIs(absl::StatusCode::kInvalidArgument)) << bad;
  }
  EXPECT_EQ(*ParseDueDate("2026-02-28", "--due"), "2026-02-28");
  EXPECT_THAT(ParseDueDate("2026-02-30", "--due"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "--due: invalid date \"2026-02-30\" (expected YYYY-MM-DD, e.g. "
                       "2026-01-31)"));
  EXPECT_EQ(FollowUpRef(42), "FU-42");
}

}  // namespace
}  // namespace ff::cli
