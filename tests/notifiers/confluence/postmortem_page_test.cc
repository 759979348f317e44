#include "server/notifiers/confluence/postmortem_page.h"

#include <string>

#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/core/time_util.h"

namespace ff {
namespace {

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
  std::string page = RenderPostmortem(Incident(), {entry});

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
  EXPECT_THAT(RenderPostmortem(incident, {}),
              HasSubstr("<tr><th>Duration (occurred → fixed)</th><td>—</td></tr>"));
}

}  // namespace
}  // namespace ff
