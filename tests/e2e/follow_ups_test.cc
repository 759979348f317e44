// Follow-ups through the real firefighterd, on SQLite and (registered again
// by ctest) PostgreSQL: every RPC, the rules, the filters and pagination,
// their timeline entries and events, and the counts in GetStats and /metrics.
#include <fstream>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "nlohmann/json.hpp"
#include "tests/e2e/e2e_fixture.h"
#include "tests/testing/status_matchers.h"

namespace ff::testing {
namespace {

// Date is the calendar date `days` after today in `zone`.
std::string Date(int days, const char* zone = "UTC") {
  absl::TimeZone tz;
  EXPECT_TRUE(absl::LoadTimeZone(zone, &tz));
  absl::CivilDay day = absl::ToCivilDay(absl::Now(), tz) + days;
  return absl::FormatCivilTime(day);
}

class FollowUpsTest : public E2eTest {
 protected:
  void SetUp() override { StartWith(R"({"SEV1": 14, "SEV2": 30})", "UTC"); }

  // StartWith (re)starts the server on the same database with the given
  // followups.due_days and time zone.
  void StartWith(const std::string& due_days, const std::string& zone) {
    server_.reset();
    nlohmann::json config = {
        {"domains", {{{"name", "payment"}}, {{"name", "search"}}}},
        {"followups", {{"due_days", nlohmann::json::parse(due_days)}, {"time_zone", zone}}}};
    std::ofstream(dir_.File("ff.json")) << config.dump();
    StartServer({"--config", dir_.File("ff.json"), "--metrics-listen", "127.0.0.1:0"});
  }

  static pb::AddFollowUpRequest Add(int64_t incident, const std::string& title,
                                    const std::string& owner = "") {
    pb::AddFollowUpRequest r;
    r.set_incident_id(incident);
    r.set_actor("alice");
    r.set_title(title);
    r.set_owner(owner);
    return r;
  }

  pb::FollowUp MustAdd(const pb::AddFollowUpRequest& request) {
    auto added = AddFollowUp(request);
    EXPECT_TRUE(added.ok()) << added.status.error_message();
    return added.response;
  }

  std::vector<pb::FollowUp> ListAll(pb::ListFollowUpsRequest request) {
    std::vector<pb::FollowUp> all;
    do {
      auto page = ListFollowUps(request);
      EXPECT_TRUE(page.ok()) << page.status.error_message();
      if (!page.ok()) break;
      all.insert(all.end(), page.response.follow_ups().begin(), page.response.follow_ups().end());
      request.set_page_token(page.response.next_page_token());
    } while (!request.page_token().empty());
    return all;
  }

  static std::vector<int64_t> Ids(const std::vector<pb::FollowUp>& follow_ups) {
    std::vector<int64_t> ids;
    for (const auto& f : follow_ups) ids.push_back(f.id());
    return ids;
  }
};

TEST_F(FollowUpsTest, AddWithAndWithoutDueDatesAndSeverityDefaults) {
  pb::Incident sev1 = MustOpen("Checkout down", pb::SEVERITY_SEV1);
  pb::Incident sev3 = MustOpen("Slow search", pb::SEVERITY_SEV3);

  const std::string before = Date(14);
  pb::FollowUp defaulted = MustAdd(Add(sev1.id(), "  Add a retry budget  ", "ann@example.com"));
  EXPECT_GT(defaulted.id(), 0);
  EXPECT_EQ(defaulted.incident_id(), sev1.id());
  EXPECT_EQ(defaulted.title(), "Add a retry budget");
  EXPECT_EQ(defaulted.owner(), "ann@example.com");
  EXPECT_EQ(defaulted.status(), pb::FOLLOW_UP_STATUS_OPEN);
  EXPECT_EQ(defaulted.created_by(), "alice");
  EXPECT_EQ(defaulted.version(), 1);
  EXPECT_FALSE(defaulted.overdue());
  // SEV1's default is 14 days (either side of a midnight during the call).
  EXPECT_TRUE(defaulted.due_date() == before || defaulted.due_date() == Date(14))
      << defaulted.due_date();

  auto none = Add(sev1.id(), "No date wanted");
  none.set_due_date("");
  EXPECT_EQ(MustAdd(none).due_date(), "");

  EXPECT_EQ(MustAdd(Add(sev3.id(), "SEV3 has no default")).due_date(), "");

  auto dated = Add(sev3.id(), "Dated");
  dated.set_due_date(Date(3));
  EXPECT_EQ(MustAdd(dated).due_date(), Date(3));

  // Read back as stored.
  pb::GetFollowUpRequest get;
  get.set_id(defaulted.id());
  auto got = GetFollowUp(get);
  ASSERT_TRUE(got.ok()) << got.status.error_message();
  EXPECT_EQ(got.response.title(), "Add a retry budget");
  EXPECT_EQ(got.response.due_date(), defaulted.due_date());

  // A timeline entry each, and the incident itself did not move on.
  std::vector<pb::TimelineEntry> timeline = Timeline(sev1.id());
  ASSERT_EQ(timeline.size(), 3u);  // opened + two follow-ups
  EXPECT_EQ(timeline[1].kind(), "followup");
  EXPECT_EQ(timeline[1].actor(), "alice");
  EXPECT_EQ(timeline[1].text(),
            absl::StrCat("Follow-up FU-", defaulted.id(),
                         " added: Add a retry budget (owner ann@example.com), due ",
                         defaulted.due_date()));
  pb::GetIncidentRequest incident;
  incident.set_id(sev1.id());
  EXPECT_EQ(GetIncident(incident).response.version(), sev1.version());
}

TEST_F(FollowUpsTest, EveryChangeIsAnEventOnWatchIncidents) {
  pb::Incident incident = MustOpen("Watched");
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  auto reader = stub_->WatchIncidents(&context, pb::WatchIncidentsRequest());
  reader->WaitForInitialMetadata();

  pb::FollowUp added = MustAdd(Add(incident.id(), "Write the runbook"));
  pb::UpdateFollowUpRequest done;
  done.set_id(added.id());
  done.set_actor("bob");
  done.set_status(pb::FOLLOW_UP_STATUS_DONE);
  ASSERT_TRUE(UpdateFollowUp(done).ok());

  pb::IncidentEvent event;
  ASSERT_TRUE(reader->Read(&event));
  EXPECT_EQ(event.type(), "followup.added");
  EXPECT_EQ(event.follow_up().id(), added.id());
  EXPECT_EQ(event.follow_up().title(), "Write the runbook");
  EXPECT_EQ(event.entry().kind(), "followup");
  EXPECT_EQ(event.incident().id(), incident.id());
  ASSERT_TRUE(reader->Read(&event));
  EXPECT_EQ(event.type(), "followup.updated");
  EXPECT_EQ(event.follow_up().status(), pb::FOLLOW_UP_STATUS_DONE);
  EXPECT_EQ(event.follow_up().version(), 2);
  EXPECT_EQ(event.entry().actor(), "bob");
  EXPECT_TRUE(absl::StrContains(event.entry().text(), "status done")) << event.entry().text();
  context.TryCancel();
}

TEST_F(FollowUpsTest, UpdateEditsClosesAndReopensWithVersions) {
  pb::Incident incident = MustOpen("Edited");
  pb::FollowUp f = MustAdd(Add(incident.id(), "Draft"));

  pb::UpdateFollowUpRequest edit;
  edit.set_id(f.id());
  edit.set_actor("bob");
  edit.set_title("Final title");
  edit.set_owner("carol@example.com");
  edit.set_due_date(Date(5));
  edit.set_expected_version(1);
  auto edited = UpdateFollowUp(edit);
  ASSERT_TRUE(edited.ok()) << edited.status.error_message();
  EXPECT_EQ(edited.response.title(), "Final title");
  EXPECT_EQ(edited.response.owner(), "carol@example.com");
  EXPECT_EQ(edited.response.due_date(), Date(5));
  EXPECT_EQ(edited.response.version(), 2);

  // The same request again: its expected_version is stale now.
  auto stale = UpdateFollowUp(edit);
  EXPECT_EQ(stale.status.error_code(), grpc::StatusCode::ABORTED);
  EXPECT_TRUE(absl::StrContains(stale.status.error_message(), "version 2"))
      << stale.status.error_message();

  pb::UpdateFollowUpRequest cancel;
  cancel.set_id(f.id());
  cancel.set_actor("bob");
  cancel.set_status(pb::FOLLOW_UP_STATUS_CANCELLED);
  auto cancelled = UpdateFollowUp(cancel);
  ASSERT_TRUE(cancelled.ok());
  EXPECT_EQ(cancelled.response.status(), pb::FOLLOW_UP_STATUS_CANCELLED);
  EXPECT_TRUE(cancelled.response.has_closed_at());

  cancel.set_status(pb::FOLLOW_UP_STATUS_OPEN);
  cancel.set_due_date("");
  auto reopened = UpdateFollowUp(cancel);
  ASSERT_TRUE(reopened.ok());
  EXPECT_EQ(reopened.response.status(), pb::FOLLOW_UP_STATUS_OPEN);
  EXPECT_FALSE(reopened.response.has_closed_at());
  EXPECT_EQ(reopened.response.due_date(), "");
  EXPECT_EQ(reopened.response.version(), 4);

  // Nothing to change: nothing written.
  auto same = UpdateFollowUp(cancel);
  ASSERT_TRUE(same.ok());
  EXPECT_EQ(same.response.version(), 4);
  EXPECT_EQ(Timeline(incident.id()).size(), 5u);  // opened, added, edited, cancelled, reopened
}

TEST_F(FollowUpsTest, BadInputIsRefusedNamingTheFieldAndStoresNothing) {
  pb::Incident incident = MustOpen("Refusals");
  pb::FollowUp f = MustAdd(Add(incident.id(), "Kept"));
  auto expect_refused = [](const grpc::Status& status, grpc::StatusCode code,
                           const std::string& prefix) {
    EXPECT_EQ(status.error_code(), code) << status.error_message();
    EXPECT_TRUE(absl::StartsWith(status.error_message(), prefix)) << status.error_message();
  };

  auto past = Add(incident.id(), "Yesterday");
  past.set_due_date(Date(-1));
  expect_refused(AddFollowUp(past).status, grpc::StatusCode::INVALID_ARGUMENT,
                 "due_date " + Date(-1) + " is in the past");
  auto malformed = Add(incident.id(), "Soon");
  malformed.set_due_date("next tuesday, or maybe the one after");
  expect_refused(AddFollowUp(malformed).status, grpc::StatusCode::INVALID_ARGUMENT,
                 "due_date must be a calendar date YYYY-MM-DD, not \"next tuesday, or may…\"");
  auto impossible = Add(incident.id(), "Never");
  impossible.set_due_date("2030-02-30");
  expect_refused(AddFollowUp(impossible).status, grpc::StatusCode::INVALID_ARGUMENT, "due_date");
  expect_refused(AddFollowUp(Add(incident.id(), "   ")).status, grpc::StatusCode::INVALID_ARGUMENT,
                 "title is required");
  expect_refused(AddFollowUp(Add(incident.id(), std::string(201, 'x'))).status,
                 grpc::StatusCode::INVALID_ARGUMENT, "title is 201 characters long");
  expect_refused(AddFollowUp(Add(incident.id(), "Two\nlines")).status,
                 grpc::StatusCode::INVALID_ARGUMENT, "title must be a single line");
  auto no_actor = Add(incident.id(), "Anonymous");
  no_actor.clear_actor();
  expect_refused(AddFollowUp(no_actor).status, grpc::StatusCode::INVALID_ARGUMENT,
                 "actor is required");
  expect_refused(AddFollowUp(Add(0, "Nowhere")).status, grpc::StatusCode::INVALID_ARGUMENT,
                 "incident_id");
  expect_refused(AddFollowUp(Add(incident.id() + 100, "Unknown")).status,
                 grpc::StatusCode::NOT_FOUND, "incident #");

  pb::UpdateFollowUpRequest update;
  update.set_id(f.id());
  update.set_actor("bob");
  update.set_due_date(Date(-3));
  expect_refused(UpdateFollowUp(update).status, grpc::StatusCode::INVALID_ARGUMENT,
                 "due_date " + Date(-3) + " is in the past");
  update.clear_due_date();
  update.set_status(static_cast<pb::FollowUpStatus>(9));
  expect_refused(UpdateFollowUp(update).status, grpc::StatusCode::INVALID_ARGUMENT, "status 9");
  update.clear_status();
  update.set_title("");
  expect_refused(UpdateFollowUp(update).status, grpc::StatusCode::INVALID_ARGUMENT,
                 "title is required");
  update.set_id(f.id() + 100);
  update.set_title("Elsewhere");
  expect_refused(UpdateFollowUp(update).status, grpc::StatusCode::NOT_FOUND, "follow-up FU-");
  pb::GetFollowUpRequest get;
  get.set_id(-1);
  expect_refused(GetFollowUp(get).status, grpc::StatusCode::INVALID_ARGUMENT, "id");

  pb::ListFollowUpsRequest list;
  list.add_statuses(static_cast<pb::FollowUpStatus>(7));
  expect_refused(ListFollowUps(list).status, grpc::StatusCode::INVALID_ARGUMENT, "statuses");
  list.Clear();
  list.set_page_size(-1);
  expect_refused(ListFollowUps(list).status, grpc::StatusCode::INVALID_ARGUMENT, "page_size");
  list.Clear();
  list.set_page_token("not-a-token");
  expect_refused(ListFollowUps(list).status, grpc::StatusCode::INVALID_ARGUMENT, "page_token");

  // Nothing was stored or changed by any of them.
  std::vector<pb::FollowUp> all = ListAll(pb::ListFollowUpsRequest());
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].title(), "Kept");
  EXPECT_EQ(all[0].version(), 1);
  EXPECT_EQ(Timeline(incident.id()).size(), 2u);
}

TEST_F(FollowUpsTest, AFollowUpMayBeAddedToAClosedIncident) {
  pb::Incident incident = MustOpen("Already over");
  pb::CloseIncidentRequest close;
  close.set_id(incident.id());
  close.set_actor("bob");
  close.set_reason(pb::CLOSE_REASON_DUPLICATE);
  ASSERT_TRUE(CloseIncident(close).ok());
  auto added = AddFollowUp(Add(incident.id(), "Learn from it anyway"));
  ASSERT_TRUE(added.ok()) << added.status.error_message();
  EXPECT_EQ(added.response.status(), pb::FOLLOW_UP_STATUS_OPEN);
  EXPECT_EQ(Timeline(incident.id()).back().kind(), "followup");
}

TEST_F(FollowUpsTest, ListFiltersByIncidentOwnerAndStatus) {
  pb::Incident a = MustOpen("A");
  pb::Incident b = MustOpen("B");
  pb::FollowUp a1 = MustAdd(Add(a.id(), "a1", "ann@example.com"));
  pb::FollowUp a2 = MustAdd(Add(a.id(), "a2", "bob@example.com"));
  pb::FollowUp b1 = MustAdd(Add(b.id(), "b1", "ann@example.com"));
  pb::UpdateFollowUpRequest done;
  done.set_id(a2.id());
  done.set_actor("bob");
  done.set_status(pb::FOLLOW_UP_STATUS_DONE);
  ASSERT_TRUE(UpdateFollowUp(done).ok());

  pb::ListFollowUpsRequest by_incident;
  by_incident.set_incident_id(a.id());
  EXPECT_EQ(Ids(ListAll(by_incident)), (std::vector<int64_t>{a1.id(), a2.id()}));
  pb::ListFollowUpsRequest by_owner;
  by_owner.set_owner("ann@example.com");
  EXPECT_EQ(Ids(ListAll(by_owner)), (std::vector<int64_t>{a1.id(), b1.id()}));
  pb::ListFollowUpsRequest open;
  open.add_statuses(pb::FOLLOW_UP_STATUS_OPEN);
  EXPECT_EQ(Ids(ListAll(open)), (std::vector<int64_t>{a1.id(), b1.id()}));
  pb::ListFollowUpsRequest finished;
  finished.add_statuses(pb::FOLLOW_UP_STATUS_DONE);
  finished.add_statuses(pb::FOLLOW_UP_STATUS_CANCELLED);
  finished.set_incident_id(a.id());
  EXPECT_EQ(Ids(ListAll(finished)), (std::vector<int64_t>{a2.id()}));
  pb::ListFollowUpsRequest overdue;
  overdue.set_overdue(true);
  EXPECT_TRUE(ListAll(overdue).empty());
}

TEST_F(FollowUpsTest, PagesVisitEveryFollowUpOnceWhileNewOnesArrive) {
  pb::Incident incident = MustOpen("Many");
  std::vector<int64_t> expected;
  for (int i = 0; i < 7; ++i) expected.push_back(MustAdd(Add(incident.id(), "f")).id());
  pb::ListFollowUpsRequest request;
  request.set_page_size(3);
  std::vector<int64_t> seen;
  int pages = 0;
  do {
    auto page = ListFollowUps(request);
    ASSERT_TRUE(page.ok()) << page.status.error_message();
    for (const auto& f : page.response.follow_ups()) seen.push_back(f.id());
    ++pages;
    if (pages == 1) expected.push_back(MustAdd(Add(incident.id(), "late")).id());
    request.set_page_token(page.response.next_page_token());
  } while (!request.page_token().empty());
  EXPECT_EQ(seen, expected);
  EXPECT_EQ(pages, 3);

  // A token is bound to the filters it was issued for.
  pb::ListFollowUpsRequest first;
  first.set_page_size(3);
  auto page = ListFollowUps(first);
  ASSERT_FALSE(page.response.next_page_token().empty());
  pb::ListFollowUpsRequest other;
  other.set_owner("ann@example.com");
  other.set_page_token(page.response.next_page_token());
  auto refused = ListFollowUps(other);
  EXPECT_EQ(refused.status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(absl::StartsWith(refused.status.error_message(), "page_token"));
}

// The day is judged in followups.time_zone: a follow-up due "today" on the
// far west of the date line is overdue once the server judges days on the
// far east of it (always at least a day later), after a restart on the same
// database. So overdue lists and counts are shown without a fake clock.
TEST_F(FollowUpsTest, OverdueIsJudgedInTheConfiguredZoneAndCounted) {
  StartWith("{}", "Etc/GMT+12");
  pb::Incident incident = MustOpen("Late work");
  auto due_today = Add(incident.id(), "Due today out west", "ann@example.com");
  due_today.set_due_date(Date(0, "Etc/GMT+12"));
  pb::FollowUp late = MustAdd(due_today);
  EXPECT_FALSE(late.overdue());
  pb::FollowUp undated = MustAdd(Add(incident.id(), "No date", "ann@example.com"));
  auto done_late = due_today;
  done_late.set_title("Done in time");
  pb::FollowUp finished = MustAdd(done_late);
  pb::UpdateFollowUpRequest done;
  done.set_id(finished.id());
  done.set_actor("ann@example.com");
  done.set_status(pb::FOLLOW_UP_STATUS_DONE);
  ASSERT_TRUE(UpdateFollowUp(done).ok());

  StartWith("{}", "Etc/GMT-14");
  pb::ListFollowUpsRequest overdue;
  overdue.set_overdue(true);
  std::vector<pb::FollowUp> found = ListAll(overdue);
  ASSERT_EQ(Ids(found), (std::vector<int64_t>{late.id()}));
  EXPECT_TRUE(found[0].overdue());
  pb::GetFollowUpRequest get;
  get.set_id(undated.id());
  EXPECT_FALSE(GetFollowUp(get).response.overdue());

  auto stats = GetStats(pb::GetStatsRequest());
  ASSERT_TRUE(stats.ok()) << stats.status.error_message();
  EXPECT_EQ(stats.response.follow_ups().open(), 2);
  EXPECT_EQ(stats.response.follow_ups().overdue(), 1);

  const std::string metrics = MetricsText();
  EXPECT_TRUE(absl::StrContains(metrics, "firefighter_follow_ups{state=\"open\"} 2\n")) << metrics;
  EXPECT_TRUE(absl::StrContains(metrics, "firefighter_follow_ups{state=\"overdue\"} 1\n"))
      << metrics;
}

}  // namespace
}  // namespace ff::testing
