// ff followup against the real firefighterd: each verb in table and JSON,
// the list's filters and pages, and the server's refusals as exit codes.
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "clients/incident/incident_client.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/cli/cli_fixture.h"

namespace ff::testing {
namespace {

namespace pb = ::firefighter::v1;
using ::testing::ElementsAre;
using ::testing::ElementsAreArray;
using ::testing::HasSubstr;
using ::testing::MatchesRegex;
using ::testing::StartsWith;

// A date `days` from today in UTC (the server's default follow-up zone).
std::string DayFromToday(int days) {
  return absl::FormatCivilTime(absl::ToCivilDay(absl::Now(), absl::UTCTimeZone()) + days);
}

std::vector<std::string> Ids(const nlohmann::json& list) {
  std::vector<std::string> ids;
  for (const auto& follow_up : list["follow_ups"]) ids.push_back(follow_up["id"]);
  return ids;
}

class CliFollowUpTest : public CliTest {
 protected:
  void SetUp() override {
    CliTest::SetUp();
    ASSERT_EQ(Open("Checkout fails", "2"), 1);
    ASSERT_EQ(Open("Search is slow", "3", "search"), 2);
  }

  // Add adds a follow-up through ff and returns its JSON.
  nlohmann::json Add(std::vector<std::string> args) {
    args.insert(args.begin(), {"followup", "add"});
    args.insert(args.end(), {"-o", "json"});
    FfResult r = Ff(args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return ParseJson(r.out);
  }

  nlohmann::json List(std::vector<std::string> args) {
    args.insert(args.begin(), {"followup", "list"});
    args.insert(args.end(), {"-o", "json"});
    FfResult r = Ff(args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.err, "");
    return ParseJson(r.out);
  }
};

TEST_F(CliFollowUpTest, AddPrintsTheFollowUpAndStoresIt) {
  const std::string due = DayFromToday(30);
  FfResult r = Ff({"followup", "add", "#1", "Alert on pool saturation", "--owner", "bob", "--due",
                   due, "--description", "Page at 90%"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err, "");
  std::vector<std::string> lines = Lines(r.out);
  ASSERT_GE(lines.size(), 10u) << r.out;
  EXPECT_EQ(lines[0], "Added FU-1 to incident #1.");
  EXPECT_EQ(lines[2], "FU-1 Alert on pool saturation");
  EXPECT_EQ(lines[3], "  incident  #1");
  EXPECT_EQ(lines[4], "  status    open");
  EXPECT_EQ(lines[5], "  owner     bob");
  EXPECT_EQ(lines[6], "  due       " + due);
  EXPECT_EQ(lines[7], "  tracker   -");
  EXPECT_THAT(lines[8], MatchesRegex("  created   [0-9-]+ [0-9:]+ by alice"));
  EXPECT_EQ(lines[9], "  version   1");
  EXPECT_EQ(lines.back(), "  Page at 90%");

  nlohmann::json listed = List({"1"});
  ASSERT_EQ(listed["follow_ups"].size(), 1u) << listed;
  const nlohmann::json& stored = listed["follow_ups"][0];
  EXPECT_EQ(stored["title"], "Alert on pool saturation");
  EXPECT_EQ(stored["owner"], "bob");
  EXPECT_EQ(stored["due_date"], due);
  EXPECT_EQ(stored["status"], "FOLLOW_UP_STATUS_OPEN");
  EXPECT_EQ(stored["created_by"], "alice");
  EXPECT_EQ(stored["overdue"], false);
}

TEST_F(CliFollowUpTest, AddWithoutDueDateOrWithNoDue) {
  nlohmann::json none = Add({"1", "No date", "--no-due"});
  EXPECT_EQ(none["due_date"], "");
  EXPECT_EQ(none["incident_id"], "1");
  EXPECT_EQ(none["version"], "1");
  // A server without "followups.due_days" has no default either.
  nlohmann::json by_default = Add({"2", "Default date"});
  EXPECT_EQ(by_default["due_date"], "");
  EXPECT_EQ(by_default["id"], "2");
}

TEST_F(CliFollowUpTest, DoneCancelEditAndReopen) {
  ASSERT_EQ(Add({"1", "First"})["id"], "1");
  ASSERT_EQ(Add({"1", "Second"})["id"], "2");

  FfResult done = Ff({"followup", "done", "FU-1"});
  EXPECT_EQ(done.exit_code, 0) << done.err;
  EXPECT_EQ(done.out, "FU-1 is done.\n");
  FfResult cancel = Ff({"followup", "cancel", "2", "-o", "json"});
  ASSERT_EQ(cancel.exit_code, 0) << cancel.err;
  EXPECT_EQ(ParseJson(cancel.out)["status"], "FOLLOW_UP_STATUS_CANCELLED");

  const std::string due = DayFromToday(10);
  FfResult edit = Ff({"followup", "edit", "1", "--title", "First, renamed", "--owner", "carol",
                      "--due", due, "--reopen", "--expected-version", "2"});
  ASSERT_EQ(edit.exit_code, 0) << edit.err;
  std::vector<std::string> lines = Lines(edit.out);
  ASSERT_GE(lines.size(), 7u) << edit.out;
  EXPECT_EQ(lines[0], "Updated FU-1 (version 3).");
  EXPECT_EQ(lines[2], "FU-1 First, renamed");
  EXPECT_EQ(lines[4], "  status    open");
  EXPECT_EQ(lines[5], "  owner     carol");
  EXPECT_EQ(lines[6], "  due       " + due);

  nlohmann::json all = List({});
  ASSERT_EQ(all["follow_ups"].size(), 2u) << all;
  EXPECT_EQ(all["follow_ups"][0]["status"], "FOLLOW_UP_STATUS_OPEN");
  EXPECT_EQ(all["follow_ups"][0]["owner"], "carol");
  EXPECT_EQ(all["follow_ups"][1]["status"], "FOLLOW_UP_STATUS_CANCELLED");

  FfResult removed = Ff({"followup", "edit", "1", "--owner", "", "--no-due", "-o", "json"});
  ASSERT_EQ(removed.exit_code, 0) << removed.err;
  EXPECT_EQ(ParseJson(removed.out)["owner"], "");
  EXPECT_EQ(ParseJson(removed.out)["due_date"], "");
}

TEST_F(CliFollowUpTest, ListTableAndFilters) {
  Add({"1", "Alert on the pool", "--owner", "alice", "--no-due"});
  Add({"1", "Raise the pool size", "--owner", "bob", "--due", DayFromToday(5)});
  Add({"2", "Index the catalogue", "--owner", "alice", "--no-due"});
  ASSERT_EQ(Ff({"followup", "done", "3"}).exit_code, 0);

  FfResult table = Ff({"followup", "list"});
  ASSERT_EQ(table.exit_code, 0) << table.err;
  std::vector<std::string> lines = Lines(table.out);
  ASSERT_EQ(lines.size(), 4u) << table.out;
  EXPECT_THAT(lines[0], MatchesRegex("ID +INCIDENT +STATUS +DUE +OWNER +TITLE +TRACKER"));
  EXPECT_THAT(lines[1], MatchesRegex("FU-1 +#1 +open +- +alice +Alert on the pool +-"));
  EXPECT_THAT(lines[2], MatchesRegex("FU-2 +#1 +open +[0-9-]+ +bob +Raise the pool size +-"));
  EXPECT_THAT(lines[3], MatchesRegex("FU-3 +#2 +done +- +alice +Index the catalogue +-"));

  EXPECT_THAT(Ids(List({"#1"})), ElementsAre("1", "2"));
  EXPECT_THAT(Ids(List({"--owner", "bob"})), ElementsAre("2"));
  EXPECT_THAT(Ids(List({"--mine"})), ElementsAre("1", "3"));  // FF_USER=alice
  EXPECT_THAT(Ids(List({"--status", "done"})), ElementsAre("3"));
  EXPECT_THAT(Ids(List({"--status", "open", "--status", "cancelled"})), ElementsAre("1", "2"));
  EXPECT_THAT(Ids(List({"--mine", "--status", "open"})), ElementsAre("1"));
  EXPECT_THAT(Ids(List({"--overdue"})), ElementsAre());  // none is due before today

  FfResult none = Ff({"followup", "list", "--owner", "nobody"});
  EXPECT_EQ(none.exit_code, 0);
  EXPECT_EQ(none.out, "No follow-ups.\n");
}

TEST_F(CliFollowUpTest, ListPagesThroughEveryFollowUpOrStopsAtTheLimit) {
  // More than one page of ListFollowUps (ff asks 100 at a time), added
  // through the client to keep the test short.
  ConnectOptions options;
  options.target = server_->address();
  absl::StatusOr<IncidentClient> client = IncidentClient::Connect(options);
  ASSERT_TRUE(client.ok()) << client.status();
  std::vector<std::string> expected;
  for (int i = 1; i <= 130; ++i) {
    pb::AddFollowUpRequest request;
    request.set_incident_id(1 + i % 2);
    request.set_actor("alice");
    request.set_title(absl::StrCat("Follow-up ", i));
    request.set_due_date("");
    ASSERT_TRUE(client->AddFollowUp(request).ok());
    expected.push_back(absl::StrCat(i));
  }
  nlohmann::json all = List({});
  EXPECT_THAT(Ids(all), ElementsAreArray(expected));
  EXPECT_EQ(all["next_page_token"], "");

  nlohmann::json limited = List({"--limit", "110"});
  EXPECT_THAT(Ids(limited),
              ElementsAreArray(std::vector<std::string>(expected.begin(), expected.begin() + 110)));
  EXPECT_NE(limited["next_page_token"], "");

  FfResult table = Ff({"followup", "list", "--limit", "3"});
  ASSERT_EQ(table.exit_code, 0) << table.err;
  std::vector<std::string> lines = Lines(table.out);
  ASSERT_EQ(lines.size(), 5u) << table.out;
  EXPECT_EQ(lines[4], "(more follow-ups: use a larger --limit)");
}

TEST_F(CliFollowUpTest, RefusalsMapToExitCodes) {
  FfResult unknown_incident = Ff({"followup", "add", "99", "t"});
  EXPECT_EQ(unknown_incident.exit_code, 3);
  EXPECT_EQ(unknown_incident.out, "");
  EXPECT_THAT(unknown_incident.err, StartsWith("ff: cannot add a follow-up to incident #99: "));
  EXPECT_THAT(unknown_incident.err, HasSubstr("#99"));

  FfResult unknown = Ff({"followup", "done", "FU-42"});
  EXPECT_EQ(unknown.exit_code, 3);
  EXPECT_THAT(unknown.err, StartsWith("ff: cannot mark FU-42 done: "));

  FfResult past = Ff({"followup", "add", "1", "t", "--due", DayFromToday(-1)});
  EXPECT_EQ(past.exit_code, 2);
  EXPECT_EQ(past.out, "");
  EXPECT_THAT(past.err, StartsWith("ff: cannot add a follow-up to incident #1: due_date"));

  FfResult long_title = Ff({"followup", "add", "1", std::string(201, 'x')});
  EXPECT_EQ(long_title.exit_code, 2);
  EXPECT_THAT(long_title.err, StartsWith("ff: cannot add a follow-up to incident #1: title"));
  EXPECT_EQ(List({})["follow_ups"].size(), 0u);  // nothing stored

  ASSERT_EQ(Add({"1", "t"})["version"], "1");
  FfResult stale = Ff({"followup", "edit", "1", "--title", "u", "--expected-version", "7"});
  EXPECT_EQ(stale.exit_code, 5);
  EXPECT_EQ(stale.out, "");
  EXPECT_THAT(stale.err, StartsWith("ff: cannot edit FU-1: "));
  EXPECT_EQ(List({})["follow_ups"][0]["title"], "t");
}

TEST_F(CliFollowUpTest, AFollowUpMayBeAddedToAClosedIncident) {
  ASSERT_EQ(Ff({"close", "2", "--reason", "mistake"}).exit_code, 0);
  nlohmann::json added = Add({"2", "Document the false alarm", "--no-due"});
  EXPECT_EQ(added["incident_id"], "2");
  EXPECT_EQ(added["status"], "FOLLOW_UP_STATUS_OPEN");
}

}  // namespace
}  // namespace ff::testing
