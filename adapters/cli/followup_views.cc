#include "adapters/cli/followup_views.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "adapters/cli/text_format.h"
#include "adapters/cli/value_parsing.h"
#include "clients/incident/vocabulary.h"

namespace ff::cli {
namespace {

constexpr size_t kTitleColumns = 48;
constexpr size_t kKeyColumns = 10;

std::string StatusWord(const pb::FollowUp& follow_up) {
  absl::string_view word = Word(follow_up.status());
  return word.empty() ? "?" : std::string(word);
}

Style StatusStyle(const pb::FollowUp& follow_up) {
  switch (follow_up.status()) {
    case pb::FOLLOW_UP_STATUS_OPEN:
      return follow_up.overdue() ? Style::kRed : Style::kYellow;
    case pb::FOLLOW_UP_STATUS_DONE:
      return Style::kGreen;
    default:
      return Style::kDim;
  }
}

// The due date, marked when the server judged it overdue.
std::string Due(const pb::FollowUp& follow_up) {
  if (follow_up.due_date().empty()) return "-";
  return follow_up.overdue() ? absl::StrCat(follow_up.due_date(), " overdue")
                             : follow_up.due_date();
}

std::string Tracker(const pb::FollowUp& follow_up) {
  if (follow_up.tracker_key().empty()) return "-";
  if (follow_up.tracker_url().empty()) return follow_up.tracker_key();
  return absl::StrCat(follow_up.tracker_key(), " ", follow_up.tracker_url());
}

}  // namespace

void FollowUpView::Field(const char* key, const std::string& value) const {
  std::string padded(key);
  padded.resize(kKeyColumns, ' ');
  out_ << "  " << padded << value << '\n';
}

std::string FollowUpView::Status(const pb::FollowUp& follow_up) const {
  return Styled(StatusWord(follow_up), StatusStyle(follow_up), colour_);
}

void FollowUpView::FollowUp(const pb::FollowUp& follow_up) const {
  out_ << Styled(absl::StrCat(FollowUpRef(follow_up.id()), " ", follow_up.title()), Style::kBold,
                 colour_)
       << '\n';
  Field("incident", absl::StrCat("#", follow_up.incident_id()));
  Field("status", Status(follow_up));
  Field("owner", OrDash(follow_up.owner()));
  Field("due", Styled(Due(follow_up), follow_up.overdue() ? Style::kRed : Style::kPlain, colour_));
  Field("tracker", Tracker(follow_up));
  Field("created", absl::StrCat(FormatDateTime(ToTime(follow_up.created_at()), zone_), " by ",
                                OrDash(follow_up.created_by())));
  Field("version", absl::StrCat(follow_up.version()));
  if (!follow_up.description().empty()) {
    out_ << '\n';
    for (absl::string_view line : absl::StrSplit(follow_up.description(), '\n')) {
      out_ << "  " << line << '\n';
    }
  }
}

void FollowUpView::FollowUpList(const pb::ListFollowUpsResponse& list) const {
  if (list.follow_ups().empty()) {
    out_ << "No follow-ups.\n";
    return;
  }
  TextTable table({"ID", "INCIDENT", "STATUS", "DUE", "OWNER", "TITLE", "TRACKER"});
  for (const pb::FollowUp& follow_up : list.follow_ups()) {
    table.AddRow({FollowUpRef(follow_up.id()),
                  absl::StrCat("#", follow_up.incident_id()),
                  {StatusWord(follow_up), StatusStyle(follow_up)},
                  {Due(follow_up), follow_up.overdue() ? Style::kRed : Style::kPlain},
                  OrDash(follow_up.owner()),
                  Truncate(follow_up.title(), kTitleColumns),
                  follow_up.tracker_key().empty() ? "-" : follow_up.tracker_key()});
  }
  table.Print(out_, colour_);
}

void FollowUpView::StatusLine(const pb::FollowUp& follow_up) const {
  out_ << FollowUpRef(follow_up.id()) << " is " << Status(follow_up) << ".\n";
}

}  // namespace ff::cli
