// The postmortem page's follow-ups through the real firefighterd and
// FakeConfluence: listed when the page is made, and that section alone
// replaced as follow-ups change, in POSTMORTEM and after the close, keeping
// what the authors wrote.
#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "tests/e2e/notifications_fixture.h"

namespace ff::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

class PostmortemFollowUpsTest : public NotificationsTest {
 protected:
  pb::FollowUp MustAdd(int64_t incident_id, const std::string& title) {
    pb::AddFollowUpRequest request;
    request.set_incident_id(incident_id);
    request.set_actor("carol@example.com");
    request.set_title(title);
    request.set_owner("dave@example.com");
    request.set_due_date("");
    auto added = AddFollowUp(request);
    EXPECT_TRUE(added.ok()) << added.status.error_message();
    return added.response;
  }

  // PostmortemPage is the page the incident links as its postmortem.
  std::optional<ConfluencePage> PostmortemPage(int64_t incident_id) {
    pb::GetIncidentRequest get;
    get.set_id(incident_id);
    auto incident = GetIncident(get);
    EXPECT_TRUE(incident.ok()) << incident.status.error_message();
    for (const pb::Link& link : incident.response.links()) {
      if (link.kind() != "postmortem") continue;
      for (const ConfluencePage& page : confluence_.pages()) {
        if (page.id == link.external_id()) return page;
      }
    }
    return std::nullopt;
  }

  static std::string Row(const pb::FollowUp& follow_up, const std::string& status) {
    return absl::StrCat("<tr><td>FU-", follow_up.id(), "</td><td>", follow_up.title(),
                        "</td><td>dave@example.com</td><td>—</td><td>", status,
                        "</td><td>—</td></tr>");
  }
};

TEST_F(PostmortemFollowUpsTest, AddFollowUpInPostmortemUpdatesThePageList) {
  pb::Incident incident = MustOpen("Checkout fails");
  for (pb::Status next : {pb::STATUS_INVESTIGATING, pb::STATUS_FIXING, pb::STATUS_FIXED}) {
    ASSERT_TRUE(MoveTo(incident.id(), next).ok());
  }
  pb::FollowUp before_page = MustAdd(incident.id(), "Alert on pool size");  // no page yet
  ASSERT_TRUE(MoveTo(incident.id(), pb::STATUS_POSTMORTEM).ok());
  ASSERT_TRUE(WaitForOutbox());
  std::optional<ConfluencePage> made = PostmortemPage(incident.id());
  ASSERT_TRUE(made.has_value());
  EXPECT_THAT(made->body, HasSubstr(Row(before_page, "open")));
  EXPECT_EQ(made->version, 1);

  // An author writes the root cause, then a follow-up is added.
  const std::string root_cause = "<h2>Root cause</h2><p></p>";
  std::string edited = made->body;
  ASSERT_NE(edited.find(root_cause), std::string::npos);
  edited.replace(edited.find(root_cause), root_cause.size(),
                 "<h2>Root cause</h2><p>The pool was too small.</p>");
  ASSERT_TRUE(confluence_.EditPage(made->id, edited).ok());
  pb::FollowUp added = MustAdd(incident.id(), "Grow the pool");
  ASSERT_TRUE(WaitForOutbox());
  std::optional<ConfluencePage> updated = PostmortemPage(incident.id());
  ASSERT_TRUE(updated.has_value());
  EXPECT_EQ(updated->id, made->id);
  EXPECT_EQ(updated->version, 3);
  EXPECT_THAT(updated->body, HasSubstr("<p>The pool was too small.</p>"));
  EXPECT_THAT(updated->body, HasSubstr(Row(before_page, "open") + Row(added, "open")));
  EXPECT_EQ(StorageFormatError(updated->body), "");

  // Closed, the page still follows: the first follow-up is done.
  pb::CloseIncidentRequest close;
  close.set_id(incident.id());
  close.set_actor("carol@example.com");
  ASSERT_TRUE(CloseIncident(close).ok());
  pb::UpdateFollowUpRequest done;
  done.set_id(before_page.id());
  done.set_actor("dave@example.com");
  done.set_status(pb::FOLLOW_UP_STATUS_DONE);
  ASSERT_TRUE(UpdateFollowUp(done).ok());
  ASSERT_TRUE(WaitForOutbox());
  std::optional<ConfluencePage> closed = PostmortemPage(incident.id());
  ASSERT_TRUE(closed.has_value());
  EXPECT_EQ(closed->version, 4);
  EXPECT_THAT(closed->body, HasSubstr(Row(before_page, "done") + Row(added, "open")));
  EXPECT_THAT(closed->body, Not(HasSubstr(Row(before_page, "open"))));
  EXPECT_THAT(closed->body, HasSubstr("<p>The pool was too small.</p>"));
  EXPECT_EQ(DeadDeliveries(), 0);
}

}  // namespace
}  // namespace ff::testing
