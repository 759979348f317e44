// Follow-ups mirrored in Jira through the real firefighterd and its outbox:
// one issue per follow-up, its key stored back on the follow-up, one
// transition when it is done, under a lost answer and a 429 + Retry-After
// from the validating fake Jira. Runs on SQLite and (registered again by
// ctest) PostgreSQL.
#include <stdlib.h>

#include <algorithm>
#include <fstream>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "nlohmann/json.hpp"
#include "tests/e2e/e2e_fixture.h"
#include "tests/testing/fake_jira.h"

namespace ff::testing {
namespace {

class JiraE2eTest : public E2eTest {
 protected:
  void SetUp() override {
    jira_.AddUser("acc-ann", "ann@example.com", "Ann Lee");
    setenv("JIRA_API_TOKEN", "jira-token", 1);
    nlohmann::json config = {{"domains", {{{"name", "payment"}}}},
                             {"outbox", {{"initial_backoff_ms", 100}, {"max_backoff_ms", 2000}}},
                             {"notifiers",
                              {{"jira",
                                {{"url", jira_.base_url()},
                                 {"email", "bot@example.com"},
                                 {"token_env", "JIRA_API_TOKEN"},
                                 {"project_key", "OPS"},
                                 {"issue_type", "Task"},
                                 {"done_transition", "Done"},
                                 {"cancelled_transition", "Won't Do"},
                                 {"index_delay_s", 1},
                                 {"timeout_ms", 2000}}}}}};
    std::ofstream(dir_.File("ff.json")) << config.dump();
    StartServer({"--config", dir_.File("ff.json")});
  }

  // WaitFor polls `done` against the server until it holds; false on timeout.
  template <typename Predicate>
  bool WaitFor(Predicate done, absl::Duration timeout = absl::Seconds(30)) {
    const absl::Time deadline = absl::Now() + timeout;
    while (absl::Now() < deadline) {
      if (done()) return true;
      absl::SleepFor(absl::Milliseconds(20));  // polling, bounded
    }
    return done();
  }

  bool OutboxIdle() {
    pb::ListDeliveriesRequest pending;
    pending.add_states(pb::DELIVERY_STATE_PENDING);
    auto result = ListDeliveries(pending);
    return result.ok() && result.response.deliveries().empty();
  }

  pb::FollowUp Get(int64_t id) {
    pb::GetFollowUpRequest request;
    request.set_id(id);
    return GetFollowUp(request).response;
  }

  FakeJira jira_{"bot@example.com", "jira-token"};
};

TEST_F(JiraE2eTest, OneIssuePerFollowUpItsKeyStoredAndOneTransitionWhenDone) {
  pb::Incident incident = MustOpen("Checkout down", pb::SEVERITY_SEV1);
  // The first create is applied by Jira but its answer never arrives: the
  // retry must find that issue by its marker instead of making a second.
  jira_.LoseNextAnswers(1, "POST /rest/api/3/issue");
  pb::AddFollowUpRequest add;
  add.set_incident_id(incident.id());
  add.set_actor("alice");
  add.set_title("Add a retry budget to the payment client");
  add.set_owner("ann@example.com");
  auto added = AddFollowUp(add);
  ASSERT_TRUE(added.ok()) << added.status.error_message();
  const int64_t id = added.response.id();

  ASSERT_TRUE(WaitFor([&] { return !Get(id).tracker_key().empty(); }))
      << "the issue's key never came back";
  ASSERT_EQ(jira_.issues().size(), 1u);
  const JiraIssueRecord issue = jira_.issues()[0];
  pb::FollowUp linked = Get(id);
  EXPECT_EQ(linked.tracker_key(), issue.key);
  EXPECT_EQ(linked.tracker_url(), absl::StrCat(jira_.base_url(), "/browse/", issue.key));
  EXPECT_EQ(linked.version(), 1) << "the write-back is no update";
  EXPECT_EQ(issue.summary, "Add a retry budget to the payment client");
  EXPECT_EQ(issue.assignee, "acc-ann");
  EXPECT_EQ(issue.status, "To Do");
  EXPECT_NE(std::find(issue.labels.begin(), issue.labels.end(),
                      absl::StrCat("firefighter-incident-", incident.id())),
            issue.labels.end());
  int tracked = 0;
  for (const pb::TimelineEntry& entry : Timeline(incident.id())) {
    tracked += entry.kind() == "followup" &&
               absl::StrContains(entry.text(), absl::StrCat("is tracked as ", issue.key));
  }
  EXPECT_EQ(tracked, 1) << "the key is recorded once, on the incident's timeline";

  // Jira pushes back once on the transition: honoured, then done once.
  jira_.FailNextOn(1, absl::StrCat("POST /rest/api/3/issue/", issue.key, "/transitions"), 429, 1);
  pb::UpdateFollowUpRequest done;
  done.set_id(id);
  done.set_actor("ann@example.com");
  done.set_status(pb::FOLLOW_UP_STATUS_DONE);
  ASSERT_TRUE(UpdateFollowUp(done).ok());
  ASSERT_TRUE(WaitFor([&] { return jira_.transitions().size() == 1 && OutboxIdle(); }));
  EXPECT_EQ(jira_.transitions()[0].name, "Done");
  EXPECT_EQ(jira_.issue(issue.key)->status, "Done");
  EXPECT_EQ(jira_.issues().size(), 1u);
  pb::ListDeliveriesRequest dead;
  dead.add_states(pb::DELIVERY_STATE_DEAD);
  EXPECT_EQ(ListDeliveries(dead).response.deliveries_size(), 0);
}

}  // namespace
}  // namespace ff::testing
