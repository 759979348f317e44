#include "server/notifiers/confluence/postmortem_page.h"

#include <string>

#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/core/time_util.h"
#include "tests/testing/fake_confluence.h"
#include "tests/testing/status_matchers.h"

namespace ff {
namespace {

using ::ff::testing::StatusIs;
using ::testing::HasSubstr;
using ::testing::Not;

google::protobuf::Timestamp Ts(const std::string& rfc3339) {
  absl::Time t;
  std::string error;
  EXPECT_TRUE(absl::ParseTime(absl::RFC3339_full, rfc3339, &t, &error)) << error;
  return ToTimestamp(t);
}

pb::Incident Incident() {
  pb::Incident incident;
  incident.set_id(42);
  incident.set_title("Checkout <errors> & \"timeouts\"");
  incident.set_description("Payments failed for 'some' users");
  incident.set_domain("payment");
  incident.set_severity(pb::SEVERITY_SEV2);
  incident.set_reporter("carol@example.com");
  incident.mutable_roles()->set_commander("alice@example.com");
  incident.add_participants("alice@example.com");
  incident.add_participants("<bob>");
  *incident.mutable_occurred_at() = Ts("2026-01-31T23:30:00Z");
  *incident.mutable_created_at() = Ts("2026-02-01T00:05:00Z");
  *incident.mutable_fixed_at() = Ts("2026-02-02T02:00:00Z");
  pb::Link* channel = incident.add_links();
  channel->set_kind("slack_channel");
  channel->set_url("https://acme.slack.com/archives/C1?a=1&b=2");
  return incident;
}

TEST(HtmlEscapeTest, EscapesMarkupCharacters) {
  EXPECT_EQ(HtmlEscape("a<b>&\"c'"), "a&lt;b&gt;&amp;&quot;c&#39;");
  EXPECT_EQ(HtmlEscape("plain é"), "plain é");
}

TEST(PostmortemTitlesTest, FolderIsTheMonthTheIncidentOccurred) {
  pb::Incident incident = Incident();
  EXPECT_EQ(PostmortemFolderTitle(incident), "2026-01");
  incident.clear_occurred_at();
  EXPECT_EQ(PostmortemFolderTitle(incident), "2026-02");  // falls back to created_at
}

TEST(PostmortemTitlesTest, PageTitleIsDeterministicAndCutOnCharacterBoundary) {
  pb::Incident incident = Incident();
  EXPECT_EQ(PostmortemPageTitle(incident), "Postmortem #42: Checkout <errors> & \"timeouts\"");
  std::string long_title;
  for (int i = 0; i < 200; ++i) long_title += "é";  // 2 bytes each
  incident.set_title(long_title);
  std::string title = PostmortemPageTitle(incident);
  EXPECT_LE(title.size(), 255u);
  EXPECT_EQ((title.size() - std::string("Postmortem #42: ").size()) % 2, 0u);
}

TEST(RenderPostmortemTest, RendersEverySectionEscaped) {
  pb::TimelineEntry entry;
  *entry.mutable_time() = Ts("2026-01-31T23:40:00Z");
  entry.set_kind("note");
  entry.set_actor("alice@example.com");
  entry.set_text("<script>alert(1)</script> rolled back");
  std::string page = RenderPostmortem(Incident(), {entry}, {});

  EXPECT_THAT(page, HasSubstr("<tr><th>Date</th><td>2026-01-31</td></tr>"));
  EXPECT_THAT(page, HasSubstr("<tr><th>Occurred</th><td>2026-01-31 23:30 UTC</td></tr>"));
  EXPECT_THAT(page, HasSubstr("<td>1d 2h 30m</td>"));  // occurred → fixed
  EXPECT_THAT(page, HasSubstr("<td>SEV2</td>"));
  EXPECT_THAT(page, HasSubstr("<td>payment</td>"));
  EXPECT_THAT(page, HasSubstr("Incident commander: alice@example.com"));
  EXPECT_THAT(page, HasSubstr("Operations lead: —"));
  EXPECT_THAT(page, HasSubstr("<li>&lt;bob&gt;</li>"));
  EXPECT_THAT(page, HasSubstr("Payments failed for &#39;some&#39; users"));
  EXPECT_THAT(page, HasSubstr("href=\"https://acme.slack.com/archives/C1?a=1&amp;b=2\""));
  EXPECT_THAT(page, HasSubstr("<td>2026-01-31 23:40 UTC</td><td>note</td>"
                              "<td>alice@example.com</td>"
                              "<td>&lt;script&gt;alert(1)&lt;/script&gt; rolled back</td>"));
  EXPECT_THAT(page, Not(HasSubstr("<script>")));
  EXPECT_THAT(page, HasSubstr("<h2>Impact</h2>"));
  EXPECT_THAT(page, HasSubstr("<h2>Root cause</h2>"));
  EXPECT_THAT(page, HasSubstr("<h2>Actions</h2>"));
}

TEST(RenderPostmortemTest, UnfixedIncidentHasNoDuration) {
  pb::Incident incident = Incident();
  incident.clear_fixed_at();
  EXPECT_THAT(RenderPostmortem(incident, {}, {}),
              HasSubstr("<tr><th>Duration (occurred → fixed)</th><td>—</td></tr>"));
}

std::vector<pb::FollowUp> FollowUps() {
  pb::FollowUp first;
  first.set_id(7);
  first.set_title("Alert on <pool> exhaustion & \"latency\"");
  first.set_owner("alice@example.com");
  first.set_due_date("2026-02-15");
  first.set_status(pb::FOLLOW_UP_STATUS_OPEN);
  first.set_tracker_key("OPS-12");
  first.set_tracker_url("https://acme.atlassian.net/browse/OPS-12?a=1&b=2");
  pb::FollowUp second;
  second.set_id(9);
  second.set_title("Load test");
  second.set_status(pb::FOLLOW_UP_STATUS_CANCELLED);
  return {first, second};
}

const char kSectionStart[] =
    "<ac:structured-macro ac:name=\"details\" ac:schema-version=\"1\">"
    "<ac:parameter ac:name=\"id\">firefighter-follow-ups</ac:parameter><ac:rich-text-body>";

TEST(FollowUpsSectionTest, ListsEachFollowUpEscapedInOrder) {
  std::string section = RenderFollowUpsSection(FollowUps());
  EXPECT_EQ(section,
            std::string(kSectionStart) +
                "<table><tbody><tr><th>Follow-up</th><th>Title</th><th>Owner</th><th>Due</th>"
                "<th>Status</th><th>Tracker</th></tr>"
                "<tr><td>FU-7</td><td>Alert on &lt;pool&gt; exhaustion &amp; &quot;latency&quot;"
                "</td><td>alice@example.com</td><td>2026-02-15</td><td>open</td>"
                "<td><a href=\"https://acme.atlassian.net/browse/OPS-12?a=1&amp;b=2\">OPS-12</a>"
                "</td></tr>"
                "<tr><td>FU-9</td><td>Load test</td><td>—</td><td>—</td><td>cancelled</td>"
                "<td>—</td></tr></tbody></table></ac:rich-text-body></ac:structured-macro>");
  EXPECT_EQ(testing::StorageFormatError(section), "");
}

TEST(FollowUpsSectionTest, NoFollowUpsIsNoneYet) {
  EXPECT_EQ(
      RenderFollowUpsSection({}),
      std::string(kSectionStart) + "<p>None yet.</p></ac:rich-text-body></ac:structured-macro>");
}

TEST(FollowUpsSectionTest, PageIsMadeWithTheSectionAndIsWellFormed) {
  std::string page = RenderPostmortem(Incident(), {}, FollowUps());
  EXPECT_THAT(page, HasSubstr("<h2>Follow-ups</h2>" + RenderFollowUpsSection(FollowUps())));
  EXPECT_EQ(testing::StorageFormatError(page), "");
}

TEST(FollowUpsSectionTest, ReplacingKeepsEverythingElseByteForByte) {
  // As an editor may leave it: extra attributes, a macro before it, and one
  // an author nested inside it.
  const std::string before =
      "<h2>Root cause</h2><p>The pool &amp; the <b>retry</b>.</p>"
      "<ac:structured-macro ac:name=\"toc\" ac:macro-id=\"a1\" />"
      "<h2>Follow-ups</h2>";
  const std::string old_section =
      "<ac:structured-macro ac:macro-id=\"b2\" ac:name=\"details\" ac:schema-version=\"1\">"
      "<ac:parameter ac:name=\"id\">firefighter-follow-ups</ac:parameter><ac:rich-text-body>"
      "<p>old</p><ac:structured-macro ac:name=\"info\"><ac:rich-text-body><p>x</p>"
      "</ac:rich-text-body></ac:structured-macro></ac:rich-text-body></ac:structured-macro>";
  const std::string after = "<h2>Lessons</h2><p>written by hand</p>";
  std::string section = RenderFollowUpsSection(FollowUps());
  absl::StatusOr<std::string> replaced =
      ReplaceFollowUpsSection(before + old_section + after, section);
  ASSERT_TRUE(replaced.ok()) << replaced.status();
  EXPECT_EQ(*replaced, before + section + after);
  EXPECT_EQ(*ReplaceFollowUpsSection(*replaced, section), *replaced);  // stable
}

TEST(FollowUpsSectionTest, ADeletedSectionIsAppendedUnderItsHeading) {
  std::string section = RenderFollowUpsSection({});
  EXPECT_EQ(*ReplaceFollowUpsSection("<p>mine</p>", section),
            "<p>mine</p><h2>Follow-ups</h2>" + section);
}

TEST(FollowUpsSectionTest, AnUnclosedSectionIsFailedPrecondition) {
  std::string broken = std::string("<p>a</p>") + kSectionStart + "<p>b</p>";
  EXPECT_THAT(ReplaceFollowUpsSection(broken, RenderFollowUpsSection({})),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("firefighter-follow-ups")));
}

}  // namespace
}  // namespace ff
