// Listing with cursors, and the live watch stream.
#include <algorithm>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "gmock/gmock.h"
#include "google/protobuf/util/message_differencer.h"
#include "tests/e2e/e2e_fixture.h"

namespace ff::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

using ListTest = E2eTest;

TEST_F(ListTest, PaginationVisitsEveryIncidentOnceWhileNewOnesArrive) {
  constexpr int kBefore = 23;
  for (int i = 1; i <= kBefore; ++i) MustOpen("incident " + std::to_string(i));
  std::multiset<int64_t> seen;
  pb::ListIncidentsRequest request;
  request.set_page_size(5);
  int pages = 0;
  do {
    auto page = ListIncidents(request);
    ASSERT_TRUE(page.ok()) << page.status.error_message();
    for (const auto& incident : page.response.incidents()) seen.insert(incident.id());
    request.set_page_token(page.response.next_page_token());
    MustOpen("arrived while paging");  // newer than every cursor
    ++pages;
  } while (!request.page_token().empty());
  EXPECT_EQ(pages, 5);
  std::multiset<int64_t> expected;
  for (int i = 1; i <= kBefore; ++i) expected.insert(i);
  EXPECT_EQ(seen, expected);
}

// Reads run on pooled connections that keep their prepared statements: a
// statement left open would pin its connection to an old snapshot. Several
// clients interleaving every read after each acknowledged write must see
// that write, every time, whichever connection serves them.
TEST_F(ListTest, EveryReadSeesEachAcknowledgedWriteAcrossPooledConnections) {
  constexpr int kClients = 4;
  constexpr int kRounds = 12;
  std::vector<std::thread> clients;
  for (int c = 0; c < kClients; ++c) {
    clients.emplace_back([this, c] {
      for (int round = 0; round < kRounds; ++round) {
        const pb::Incident opened =
            MustOpen("client " + std::to_string(c) + " round " + std::to_string(round));
        pb::ListIncidentsRequest open_ones;
        open_ones.add_statuses(pb::STATUS_OPEN);
        open_ones.set_page_size(500);
        auto listed = ListIncidents(open_ones);
        ASSERT_TRUE(listed.ok()) << listed.status.error_message();
        EXPECT_TRUE(std::any_of(listed.response.incidents().begin(),
                                listed.response.incidents().end(),
                                [&](const pb::Incident& i) { return i.id() == opened.id(); }))
            << "incident #" << opened.id() << " missing from the list";
        auto moved = MoveTo(opened.id(), pb::STATUS_INVESTIGATING, "looking");
        ASSERT_TRUE(moved.ok()) << moved.status.error_message();
        pb::GetIncidentRequest get;
        get.set_id(opened.id());
        auto got = GetIncident(get);
        ASSERT_TRUE(got.ok()) << got.status.error_message();
        EXPECT_EQ(got.response.status(), pb::STATUS_INVESTIGATING);
        EXPECT_EQ(got.response.version(), moved.response.version());
        EXPECT_EQ(Timeline(opened.id()).size(), 2u) << "the status change's entry is missing";
        listed = ListIncidents(open_ones);
        ASSERT_TRUE(listed.ok()) << listed.status.error_message();
        EXPECT_TRUE(std::none_of(listed.response.incidents().begin(),
                                 listed.response.incidents().end(),
                                 [&](const pb::Incident& i) { return i.id() == opened.id(); }))
            << "incident #" << opened.id() << " still listed as OPEN";
      }
    });
  }
  for (std::thread& client : clients) client.join();
  EXPECT_EQ(CountIncidents(), kClients * kRounds);
}

// ListIncidents answers from each incident's stored bytes (ListedPage), not
// from messages: every listed incident must still be, field for field, what
// GetIncident answers — roles, links, participants, times, and the next
// statuses the workflow allows from each status and severity.
TEST_F(ListTest, ListedIncidentsAreExactlyWhatGetIncidentAnswers) {
  std::vector<int64_t> ids;
  const pb::Severity severities[] = {pb::SEVERITY_SEV1, pb::SEVERITY_SEV3, pb::SEVERITY_SEV4,
                                     pb::SEVERITY_SEV5};
  for (pb::Severity severity : severities) {
    pb::OpenIncidentRequest open =
        OpenRequest("listed at SEV" + std::to_string(severity), severity);
    open.set_description("line one\nline two");
    open.set_trigger_oncall(severity == pb::SEVERITY_SEV1);
    auto opened = OpenIncident(open);
    ASSERT_TRUE(opened.ok()) << opened.status.error_message();
    ids.push_back(opened.response.id());
  }
  // Spread them over the workflow: each status has its own next statuses.
  ASSERT_TRUE(MoveTo(ids[0], pb::STATUS_INVESTIGATING).ok());
  ASSERT_TRUE(MoveTo(ids[1], pb::STATUS_FIXING).ok());
  ASSERT_TRUE(MoveTo(ids[2], pb::STATUS_FIXED).ok());
  pb::UpdateIncidentRequest roles;
  roles.set_id(ids[3]);
  roles.set_actor("bob");
  roles.set_commander("carol");
  roles.set_communication_lead("erin");
  roles.set_title("renamed while listed");
  ASSERT_TRUE(UpdateIncident(roles).ok());
  pb::CloseIncidentRequest close;
  close.set_id(MustOpen("closed one").id());
  close.set_actor("bob");
  close.set_reason(pb::CLOSE_REASON_MISTAKE);
  ASSERT_TRUE(CloseIncident(close).ok());
  ids.push_back(close.id());

  for (int page_size : {500, 2}) {  // one page, and pages with tokens
    pb::ListIncidentsRequest request;
    request.set_page_size(page_size);
    std::vector<int64_t> listed_ids;
    do {
      auto listed = ListIncidents(request);
      ASSERT_TRUE(listed.ok()) << listed.status.error_message();
      for (const pb::Incident& listed_one : listed.response.incidents()) {
        listed_ids.push_back(listed_one.id());
        pb::GetIncidentRequest get;
        get.set_id(listed_one.id());
        auto got = GetIncident(get);
        ASSERT_TRUE(got.ok()) << got.status.error_message();
        std::string diff;
        google::protobuf::util::MessageDifferencer differ;
        differ.ReportDifferencesToString(&diff);
        EXPECT_TRUE(differ.Compare(got.response, listed_one))
            << "incident #" << listed_one.id() << ": " << diff;
        EXPECT_FALSE(listed_one.allowed_next_statuses().empty() &&
                     listed_one.status() != pb::STATUS_CLOSED)
            << "incident #" << listed_one.id() << " lists no next status";
      }
      request.set_page_token(listed.response.next_page_token());
    } while (!request.page_token().empty());
    std::vector<int64_t> newest_first(ids.rbegin(), ids.rend());
    EXPECT_EQ(listed_ids, newest_first) << "page size " << page_size;
  }
}

TEST_F(ListTest, NewestFirstAndFiltered) {
  MustOpen("a", pb::SEVERITY_SEV1);
  pb::OpenIncidentRequest search = OpenRequest("b", pb::SEVERITY_SEV3);
  search.set_domain("search");
  ASSERT_TRUE(OpenIncident(search).ok());
  MustOpen("c", pb::SEVERITY_SEV3);
  ASSERT_TRUE(MoveTo(3, pb::STATUS_FIXED).ok());

  auto ids = [&](const pb::ListIncidentsRequest& r) {
    std::vector<int64_t> out;
    auto page = ListIncidents(r);
    EXPECT_TRUE(page.ok()) << page.status.error_message();
    for (const auto& i : page.response.incidents()) out.push_back(i.id());
    return out;
  };
  EXPECT_THAT(ids(pb::ListIncidentsRequest()), ElementsAre(3, 2, 1));
  pb::ListIncidentsRequest open_sev3;
  open_sev3.add_statuses(pb::STATUS_OPEN);
  open_sev3.add_severities(pb::SEVERITY_SEV3);
  EXPECT_THAT(ids(open_sev3), ElementsAre(2));
  pb::ListIncidentsRequest payment;
  payment.set_domain("payment");
  EXPECT_THAT(ids(payment), ElementsAre(3, 1));
  pb::ListIncidentsRequest huge;
  huge.set_page_size(100000);  // clamped to 500, not refused
  EXPECT_THAT(ids(huge), ElementsAre(3, 2, 1));
}

TEST_F(ListTest, PageTokenIsBoundToItsFilters) {
  for (int i = 0; i < 3; ++i) MustOpen("x");
  pb::ListIncidentsRequest request;
  request.set_page_size(1);
  request.add_statuses(pb::STATUS_OPEN);
  auto first = ListIncidents(request);
  ASSERT_TRUE(first.ok());
  ASSERT_FALSE(first.response.next_page_token().empty());
  request.set_page_token(first.response.next_page_token());
  request.add_statuses(pb::STATUS_FIXED);
  auto misused = ListIncidents(request);
  EXPECT_EQ(misused.status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(misused.status.error_message(),
              HasSubstr("page_token was issued for different filters"));
}

using WatchTest = E2eTest;

// Watch opens a stream and returns once the server has subscribed it.
struct Watch {
  grpc::ClientContext context;
  std::unique_ptr<grpc::ClientReader<pb::IncidentEvent>> reader;

  Watch(pb::IncidentService::Stub* stub, const pb::WatchIncidentsRequest& request) {
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
    reader = stub->WatchIncidents(&context, request);
    reader->WaitForInitialMetadata();
  }

  std::vector<pb::IncidentEvent> Take(size_t n) {
    std::vector<pb::IncidentEvent> events;
    pb::IncidentEvent event;
    while (events.size() < n && reader->Read(&event)) events.push_back(event);
    return events;
  }
};

TEST_F(WatchTest, WatcherReceivesAnEventForEachChange) {
  Watch watch(stub_.get(), pb::WatchIncidentsRequest());
  pb::Incident incident = MustOpen("Checkout down", pb::SEVERITY_SEV3);
  pb::UpdateIncidentRequest update = StatusUpdate(incident.id(), pb::STATUS_INVESTIGATING);
  update.set_severity(pb::SEVERITY_SEV1);
  update.set_commander("carol");
  ASSERT_TRUE(UpdateIncident(update).ok());
  pb::AddTimelineEntryRequest note;
  note.set_incident_id(incident.id());
  note.set_actor("carol");
  note.set_text("rolled back");
  ASSERT_TRUE(AddTimelineEntry(note).ok());
  pb::CloseIncidentRequest close;
  close.set_id(incident.id());
  close.set_actor("carol");
  close.set_reason(pb::CLOSE_REASON_DUPLICATE);
  ASSERT_TRUE(CloseIncident(close).ok());

  std::vector<pb::IncidentEvent> events = watch.Take(6);
  std::vector<std::string> types;
  for (const auto& e : events) types.push_back(e.type());
  EXPECT_THAT(types, ElementsAre("incident.opened", "incident.severity_changed",
                                 "incident.status_changed", "incident.roles_changed",
                                 "incident.timeline_entry_added", "incident.closed"));
  for (size_t i = 1; i < events.size(); ++i) {
    EXPECT_GT(events[i].sequence(), events[i - 1].sequence());
    EXPECT_GE(events[i].incident().version(), events[i - 1].incident().version());
  }
  ASSERT_EQ(events.size(), 6u);
  EXPECT_EQ(events[0].incident().id(), incident.id());
  EXPECT_EQ(events[4].entry().text(), "rolled back");
  EXPECT_EQ(events[5].incident().status(), pb::STATUS_CLOSED);
  // Events carry the workflow's next moves like every other answer.
  EXPECT_THAT(events[0].incident().allowed_next_statuses(),
              ElementsAre(pb::STATUS_INVESTIGATING, pb::STATUS_FIXING, pb::STATUS_FIXED));
  EXPECT_THAT(events[5].incident().allowed_next_statuses(), ::testing::IsEmpty());
}

TEST_F(WatchTest, EveryWatcherGetsItsFilteredStream) {
  pb::WatchIncidentsRequest search_only;
  search_only.set_domain("search");
  Watch all(stub_.get(), pb::WatchIncidentsRequest());
  Watch search(stub_.get(), search_only);
  MustOpen("payment thing");
  pb::OpenIncidentRequest request = OpenRequest("search thing");
  request.set_domain("search");
  ASSERT_TRUE(OpenIncident(request).ok());

  auto everything = all.Take(2);
  ASSERT_EQ(everything.size(), 2u);
  EXPECT_EQ(everything[0].incident().title(), "payment thing");
  EXPECT_EQ(everything[1].incident().title(), "search thing");
  auto filtered = search.Take(1);
  ASSERT_EQ(filtered.size(), 1u);
  EXPECT_EQ(filtered[0].incident().title(), "search thing");
}

TEST_F(WatchTest, BadFilterIsInvalidArgument) {
  pb::WatchIncidentsRequest bad;
  bad.add_severities(static_cast<pb::Severity>(9));
  grpc::ClientContext context;
  auto reader = stub_->WatchIncidents(&context, bad);
  pb::IncidentEvent event;
  EXPECT_FALSE(reader->Read(&event));
  grpc::Status status = reader->Finish();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("severities contains SEVERITY(9)"));
}

// A caller may hold only so many watch streams (each holds a thread and a
// queue): one more is RESOURCE_EXHAUSTED naming the setting, the open ones
// keep streaming, and closing one makes room.
class WatchLimitsTest : public E2eTest {
 protected:
  void SetUp() override {
    std::ofstream(dir_.File("limits.json"))
        << R"({"domains": [{"name": "payment", "description": "Payments"}],
               "watch_max_streams_per_principal": 2})";
    StartServer({"--config", dir_.File("limits.json")});
  }

  // TryWatch opens a stream and returns the status it ended with, or OK
  // when it stayed open (until its short deadline).
  grpc::Status TryWatch() {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::milliseconds(500));
    auto reader = stub_->WatchIncidents(&context, pb::WatchIncidentsRequest());
    pb::IncidentEvent event;
    while (reader->Read(&event)) {
    }
    grpc::Status status = reader->Finish();
    return status.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED ? grpc::Status::OK : status;
  }
};

TEST_F(WatchLimitsTest, OneStreamOverTheCallersLimitIsRefusedUntilOneCloses) {
  auto first = std::make_unique<Watch>(stub_.get(), pb::WatchIncidentsRequest());
  Watch second(stub_.get(), pb::WatchIncidentsRequest());

  grpc::Status third = TryWatch();
  EXPECT_EQ(third.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_THAT(third.error_message(), HasSubstr("watch_max_streams_per_principal"));

  pb::Incident incident = MustOpen("Checkout down");
  ASSERT_EQ(first->Take(1).size(), 1u);
  auto seen = second.Take(1);
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].incident().id(), incident.id());

  first->context.TryCancel();
  pb::IncidentEvent rest;
  while (first->reader->Read(&rest)) {
  }
  EXPECT_EQ(first->reader->Finish().error_code(), grpc::StatusCode::CANCELLED);
  first.reset();
  // The server lets go of a cancelled stream on its next tick.
  absl::Time deadline = absl::Now() + absl::Seconds(5);
  grpc::Status again = TryWatch();
  while (!again.ok() && absl::Now() < deadline) again = TryWatch();
  EXPECT_TRUE(again.ok()) << again.error_message();
}

}  // namespace
}  // namespace ff::testing
