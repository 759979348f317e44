#include "server/reminders/reminder_scheduler.h"

#include <string>

#include "common/status_macros.h"
#include "server/core/time_util.h"
#include "spdlog/spdlog.h"

namespace ff {
namespace {

constexpr int32_t kPage = 500;

// Reminders apply only to incidents still being worked on.
IncidentFilter Unclosed() {
  IncidentFilter filter;
  filter.statuses = {pb::STATUS_OPEN, pb::STATUS_INVESTIGATING, pb::STATUS_FIXING, pb::STATUS_FIXED,
                     pb::STATUS_POSTMORTEM};
  return filter;
}

}  // namespace

ReminderScheduler::~ReminderScheduler() { Stop(); }

absl::StatusOr<int> ReminderScheduler::Tick() {
  const absl::Time now = clock_->Now();
  // Decided again inside the write transaction, on the incident as it stands
  // then: an update that lands between the listing and the write moves the
  // baseline and so cancels the reminder.
  std::string key;  // of the reminder last decided, for the log
  auto decide = [this, now, &key](const pb::Incident& current) -> std::optional<OnceRecord> {
    std::optional<DueReminder> due = DueReminderFor(current, settings_, now);
    if (!due) return std::nullopt;
    OnceRecord once;
    once.key = key = due->key;
    once.record.event_type = std::string(kEventReminder);
    *once.record.entry.mutable_time() = ToTimestamp(now);
    once.record.entry.set_kind(std::string(kReminderEntryKind));
    once.record.entry.set_actor(std::string(kReminderActor));
    once.record.entry.set_text(due->text);
    return once;
  };
  int recorded = 0;
  int64_t before_id = 0;
  do {
    FF_ASSIGN_OR_RETURN(IncidentPage page, store_->List(Unclosed(), kPage, before_id));
    for (const pb::Incident& incident : page.incidents) {
      if (!DueReminderFor(incident, settings_, now)) continue;
      absl::StatusOr<bool> stored = outbox_->RecordOnce(incident.id(), decide, now);
      if (!stored.ok()) {
        spdlog::warn("reminders: incident #{}: {}", incident.id(),
                     std::string(stored.status().message()));
      } else if (*stored) {
        ++recorded;
        spdlog::info("reminders: incident #{} reminded ({})", incident.id(), key);
      }
    }
    before_id = page.next_before_id;
  } while (before_id > 0);
  FF_ASSIGN_OR_RETURN(int followed_up, TickFollowUps(now));
  return recorded + followed_up;
}

absl::StatusOr<int> ReminderScheduler::TickFollowUps(absl::Time now) {
  if (settings_.followup.after.empty()) return 0;
  FollowUpFilter overdue;
  overdue.overdue_before = FormatDueDate(TodayIn(followups_, now));
  int recorded = 0;
  int64_t after_id = 0;
  do {
    FF_ASSIGN_OR_RETURN(FollowUpPage page, store_->ListFollowUps(overdue, kPage, after_id));
    for (const pb::FollowUp& follow_up : page.follow_ups) {
      absl::StatusOr<bool> stored = RemindOfFollowUp(follow_up, now);
      if (!stored.ok()) {
        spdlog::warn("reminders: follow-up FU-{}: {}", follow_up.id(),
                     std::string(stored.status().message()));
      } else if (*stored) {
        ++recorded;
        spdlog::info("reminders: follow-up FU-{} of incident #{} reminded", follow_up.id(),
                     follow_up.incident_id());
      }
    }
    after_id = page.next_after_id;
  } while (after_id > 0);
  return recorded;
}

absl::StatusOr<bool> ReminderScheduler::RemindOfFollowUp(const pb::FollowUp& follow_up,
                                                         absl::Time now) {
  // The severity is the incident's as it stands inside the write; the store
  // checks that the follow-up is still OPEN with the same due date.
  auto decide = [this, now, &follow_up](const pb::Incident& incident) -> std::optional<OnceRecord> {
    std::optional<DueReminder> due =
        DueFollowUpReminder(follow_up, incident.severity(), settings_, followups_, now);
    if (!due) return std::nullopt;
    OnceRecord once;
    once.key = due->key;
    once.record.event_type = std::string(kEventReminder);
    *once.record.entry.mutable_time() = ToTimestamp(now);
    once.record.entry.set_kind(std::string(kReminderEntryKind));
    once.record.entry.set_actor(std::string(kReminderActor));
    once.record.entry.set_text(due->text);
    once.follow_up = follow_up;
    return once;
  };
  return outbox_->RecordOnce(follow_up.incident_id(), decide, now);
}

void ReminderScheduler::Start() {
  thread_ = std::thread([this] { Loop(); });
}

void ReminderScheduler::Stop() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  if (thread_.joinable()) thread_.join();
}

void ReminderScheduler::Loop() {
  while (true) {
    if (absl::StatusOr<int> ticked = Tick(); !ticked.ok()) {
      spdlog::warn("reminders: cannot list incidents: {}", std::string(ticked.status().message()));
    }
    absl::MutexLock lock(&mu_);
    auto stopping = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return stopping_; };
    if (mu_.AwaitWithTimeout(absl::Condition(&stopping), settings_.check_every)) return;
  }
}

}  // namespace ff
