#include "server/core/follow_ups.h"

#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "server/core/time_util.h"
#include "server/core/validation.h"

namespace ff {
namespace {

// Prefix quotes at most the first 20 bytes of `text` in an error message.
std::string Prefix(absl::string_view text) {
  constexpr size_t kMax = 20;
  if (text.size() <= kMax) return std::string(text);
  size_t end = kMax;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return absl::StrCat(text.substr(0, end), "…");
}

// ResolveDueDate turns a requested due date into the stored form: "" for
// none, or a date not before today.
absl::StatusOr<std::string> ResolveDueDate(absl::string_view text, absl::CivilDay today) {
  if (text.empty()) return std::string();
  absl::StatusOr<absl::CivilDay> day = ParseDueDate("due_date", text);
  if (!day.ok()) return day.status();
  if (*day < today) {
    return absl::InvalidArgumentError(absl::StrCat(
        "due_date ", FormatDueDate(*day), " is in the past (today is ", FormatDueDate(today), ")"));
  }
  return FormatDueDate(*day);
}

std::string FollowUpRef(const pb::FollowUp& follow_up) {
  return absl::StrCat("FU-", follow_up.id());
}

// Entry builds the timeline record of a follow-up change.
ChangeRecord RecordOf(absl::string_view event_type, const pb::FollowUp& follow_up,
                      absl::string_view actor, std::string text, absl::Time now) {
  ChangeRecord record;
  record.event_type = std::string(event_type);
  record.entry.set_incident_id(follow_up.incident_id());
  *record.entry.mutable_time() = ToTimestamp(now);
  record.entry.set_kind(std::string(kFollowUpEntryKind));
  record.entry.set_actor(std::string(actor));
  record.entry.set_text(std::move(text));
  return record;
}

// Describe lists what an update changed, for the timeline: "status done,
// owner ann@example.com".
std::vector<std::string> Changes(const pb::FollowUp& before, const pb::FollowUp& after) {
  std::vector<std::string> changes;
  if (before.status() != after.status()) {
    changes.push_back(absl::StrCat("status ", FollowUpStatusName(after.status())));
  }
  if (before.title() != after.title())
    changes.push_back(absl::StrCat("title \"", after.title(), "\""));
  if (before.description() != after.description()) changes.push_back("description");
  if (before.owner() != after.owner()) {
    changes.push_back(after.owner().empty() ? "no owner" : absl::StrCat("owner ", after.owner()));
  }
  if (before.due_date() != after.due_date()) {
    changes.push_back(after.due_date().empty() ? "no due date"
                                               : absl::StrCat("due ", after.due_date()));
  }
  return changes;
}

}  // namespace

std::string FormatDueDate(absl::CivilDay day) {
  return absl::StrFormat("%04d-%02d-%02d", day.year(), day.month(), day.day());
}

absl::StatusOr<absl::CivilDay> ParseDueDate(absl::string_view field, absl::string_view text) {
  absl::CivilDay day;
  // Exactly YYYY-MM-DD: ParseCivilTime alone would also take "2026-2-3".
  bool shaped = text.size() == 10 && text[4] == '-' && text[7] == '-';
  for (size_t i = 0; shaped && i < text.size(); ++i) {
    if (i != 4 && i != 7 && !absl::ascii_isdigit(static_cast<unsigned char>(text[i]))) {
      shaped = false;
    }
  }
  if (!shaped || !absl::ParseCivilTime(text, &day) || FormatDueDate(day) != text) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, " must be a calendar date YYYY-MM-DD, not \"", Prefix(text), "\""));
  }
  return day;
}

absl::CivilDay TodayIn(const FollowUpSettings& settings, absl::Time now) {
  return absl::ToCivilDay(now, settings.zone);
}

bool IsOverdue(const pb::FollowUp& follow_up, absl::CivilDay today) {
  if (follow_up.status() != pb::FOLLOW_UP_STATUS_OPEN || follow_up.due_date().empty()) {
    return false;
  }
  return follow_up.due_date() < FormatDueDate(today);  // the format sorts as dates do
}

absl::string_view FollowUpStatusName(pb::FollowUpStatus status) {
  switch (status) {
    case pb::FOLLOW_UP_STATUS_OPEN:
      return "open";
    case pb::FOLLOW_UP_STATUS_DONE:
      return "done";
    case pb::FOLLOW_UP_STATUS_CANCELLED:
      return "cancelled";
    default:
      return "unspecified";
  }
}

absl::StatusOr<FollowUpChange> FollowUpRules::Add(const FollowUpSettings& settings,
                                                  const pb::Incident& incident,
                                                  const pb::AddFollowUpRequest& request,
                                                  absl::Time now) {
  const absl::CivilDay today = TodayIn(settings, now);
  FollowUpChange change;
  pb::FollowUp& f = change.follow_up;
  if (request.has_due_date()) {
    absl::StatusOr<std::string> due = ResolveDueDate(request.due_date(), today);
    if (!due.ok()) return due.status();
    f.set_due_date(*std::move(due));
  } else if (auto it = settings.due_days.find(incident.severity()); it != settings.due_days.end()) {
    f.set_due_date(FormatDueDate(today + it->second));
  }
  f.set_incident_id(incident.id());
  f.set_title(Clean(request.title()));
  f.set_description(request.description());
  f.set_owner(Clean(request.owner()));
  f.set_status(pb::FOLLOW_UP_STATUS_OPEN);
  f.set_created_by(Clean(request.actor()));
  *f.mutable_created_at() = ToTimestamp(now);
  *f.mutable_updated_at() = ToTimestamp(now);
  f.set_version(1);
  // The store prefixes "Follow-up FU-<id> " once the id is known.
  std::string text = absl::StrCat("added: ", f.title());
  if (!f.owner().empty()) absl::StrAppend(&text, " (owner ", f.owner(), ")");
  if (!f.due_date().empty()) absl::StrAppend(&text, ", due ", f.due_date());
  change.records.push_back(RecordOf(kEventFollowUpAdded, f, f.created_by(), std::move(text), now));
  return change;
}

absl::StatusOr<FollowUpChange> FollowUpRules::Update(const FollowUpSettings& settings,
                                                     const pb::FollowUp& current,
                                                     const pb::UpdateFollowUpRequest& request,
                                                     absl::Time now) {
  if (request.has_expected_version() && request.expected_version() != current.version()) {
    return absl::AbortedError(absl::StrCat(FollowUpRef(current), " is at version ",
                                           current.version(), ", not the expected ",
                                           request.expected_version(), ": reload and retry"));
  }
  FollowUpChange change;
  pb::FollowUp& f = change.follow_up;
  f = current;
  if (request.has_title()) f.set_title(Clean(request.title()));
  if (request.has_description()) f.set_description(request.description());
  if (request.has_owner()) f.set_owner(Clean(request.owner()));
  if (request.has_due_date() && request.due_date() != current.due_date()) {
    absl::StatusOr<std::string> due = ResolveDueDate(request.due_date(), TodayIn(settings, now));
    if (!due.ok()) return due.status();
    f.set_due_date(*std::move(due));
  }
  if (request.has_status() && request.status() != current.status()) {
    f.set_status(request.status());
    if (request.status() == pb::FOLLOW_UP_STATUS_OPEN) {
      f.clear_closed_at();
    } else {
      *f.mutable_closed_at() = ToTimestamp(now);
    }
  }
  std::vector<std::string> changes = Changes(current, f);
  if (changes.empty()) return FollowUpChange{current, {}};
  f.set_version(current.version() + 1);
  *f.mutable_updated_at() = ToTimestamp(now);
  std::string text = absl::StrCat("Follow-up ", FollowUpRef(f), " (", f.title(),
                                  "): ", absl::StrJoin(changes, ", "));
  change.records.push_back(
      RecordOf(kEventFollowUpUpdated, f, Clean(request.actor()), std::move(text), now));
  return change;
}

FollowUpChange FollowUpRules::LinkTracker(const pb::FollowUp& current, absl::string_view key,
                                          absl::string_view url, absl::Time now) {
  if (current.tracker_key() == key && current.tracker_url() == url) return {current, {}};
  FollowUpChange change;
  change.follow_up = current;
  change.follow_up.set_tracker_key(std::string(key));
  change.follow_up.set_tracker_url(std::string(url));
  // Same version: background work never invalidates a client's
  // expected_version.
  *change.follow_up.mutable_updated_at() = ToTimestamp(now);
  change.records.push_back(RecordOf(
      kEventFollowUpTrackerLinked, change.follow_up, "firefighter",
      absl::StrCat("Follow-up ", FollowUpRef(current), " is tracked as ", key, " ", url), now));
  return change;
}

}  // namespace ff
