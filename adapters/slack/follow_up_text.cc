#include "adapters/slack/follow_up_text.h"

#include <algorithm>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "clients/incident/vocabulary.h"
#include "clients/slack/mrkdwn.h"

namespace ff::slack {
namespace {

// StatusWord is the vocabulary's word for `status` ("open", "done", …).
std::string StatusWord(pb::FollowUpStatus status) {
  absl::string_view word = Word(status);
  return word.empty() ? "unknown" : std::string(word);
}

std::string DueText(const pb::FollowUp& follow_up) {
  if (follow_up.due_date().empty()) return "no due date";
  return absl::StrCat("due ", SlackEscape(follow_up.due_date()),
                      follow_up.overdue() ? " (overdue)" : "");
}

// TrackerText is the tracker issue as a link, "" until one is linked.
std::string TrackerText(const pb::FollowUp& follow_up) {
  if (follow_up.tracker_key().empty() && follow_up.tracker_url().empty()) return "";
  std::string key =
      SlackEscape(follow_up.tracker_key().empty() ? "issue" : follow_up.tracker_key());
  if (follow_up.tracker_url().rfind("https://", 0) != 0 &&
      follow_up.tracker_url().rfind("http://", 0) != 0) {
    return key;
  }
  // A URL cannot hold '|' or '>' unescaped in Slack's link markup.
  std::string url = absl::StrReplaceAll(SlackEscape(follow_up.tracker_url()), {{"|", "%7C"}});
  return absl::StrCat("<", url, "|", absl::StrReplaceAll(key, {{"|", "/"}}), ">");
}

}  // namespace

std::string FollowUpRef(int64_t id) { return absl::StrCat("FU-", id); }

std::string FollowUpLine(const pb::FollowUp& follow_up) {
  std::vector<std::string> parts = {
      follow_up.owner().empty() ? "no owner" : SlackEscape(follow_up.owner()), DueText(follow_up),
      StatusWord(follow_up.status())};
  if (std::string tracker = TrackerText(follow_up); !tracker.empty()) parts.push_back(tracker);
  return absl::StrCat("*", FollowUpRef(follow_up.id()), "* ", SlackEscape(follow_up.title()), " — ",
                      absl::StrJoin(parts, " · "));
}

std::string AddedFollowUpText(const pb::FollowUp& follow_up) {
  return absl::StrCat(":white_check_mark: Added ", FollowUpRef(follow_up.id()), " to #",
                      follow_up.incident_id(), ": ", SlackEscape(follow_up.title()), ", ",
                      DueText(follow_up), ".");
}

std::string FollowUpListText(int64_t incident_id, const pb::ListFollowUpsResponse& page) {
  if (page.follow_ups().empty()) {
    return absl::StrCat("#", incident_id,
                        " has no follow-ups yet. Add one with `/incident followup &lt;title&gt;`, "
                        "or from a message: *More actions → Make a follow-up*.");
  }
  int open = 0;
  int overdue = 0;
  for (const pb::FollowUp& follow_up : page.follow_ups()) {
    open += follow_up.status() == pb::FOLLOW_UP_STATUS_OPEN ? 1 : 0;
    overdue += follow_up.overdue() ? 1 : 0;
  }
  std::string text = absl::StrCat("*Follow-ups of #", incident_id, "*: ", open, " open");
  if (overdue > 0) absl::StrAppend(&text, " (", overdue, " overdue)");
  absl::StrAppend(&text, " of ", page.follow_ups_size(), page.next_page_token().empty() ? "" : "+");
  const int shown = std::min(page.follow_ups_size(), kFollowUpsShown);
  for (int i = 0; i < shown; ++i) absl::StrAppend(&text, "\n• ", FollowUpLine(page.follow_ups(i)));
  const bool last_page = page.next_page_token().empty();
  if (shown < page.follow_ups_size() || !last_page) {
    absl::StrAppend(&text, "\n…and ", page.follow_ups_size() - shown, last_page ? "" : "+",
                    " more");
  }
  return text;
}

}  // namespace ff::slack
