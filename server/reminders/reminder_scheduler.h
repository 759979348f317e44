// ReminderScheduler: turns due reminders (server/core/reminder_policy.h) into
// outbox work.
//
// Each tick reads the incidents that are not closed, and the overdue
// follow-ups (of any incident, closed ones included), and, for each one due a
// reminder, records it through OutboxStore::RecordOnce: a "reminder" timeline
// entry and an incident.reminder event whose deliveries the dispatcher sends
// like any other (Slack mentions the commander in the incident channel).
// Nothing is held in memory between ticks: the once-key stored with the event
// is what keeps a reminder to one per interval, across ticks and restarts, so
// a tick may run any number of times. The clock is injected: tests call
// Tick() after advancing a fake clock instead of waiting. Thread-safe.
#ifndef FF_SERVER_REMINDERS_REMINDER_SCHEDULER_H_
#define FF_SERVER_REMINDERS_REMINDER_SCHEDULER_H_

#include <thread>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "common/clock.h"
#include "server/core/reminder_policy.h"
#include "server/store/outbox_store.h"
#include "server/store/store.h"

namespace ff {

class ReminderScheduler {
 public:
  // REQUIRES: `store`, `outbox` and `clock` outlive the scheduler.
  // `followups` say which day it is for follow-ups (their time zone).
  ReminderScheduler(Store* store, OutboxStore* outbox, const Clock* clock,
                    ReminderSettings settings, FollowUpSettings followups = {})
      : store_(store),
        outbox_(outbox),
        clock_(clock),
        settings_(std::move(settings)),
        followups_(std::move(followups)) {}
  ~ReminderScheduler();  // Stop()s

  // Tick records every reminder due at clock->Now() and returns how many it
  // recorded. An incident that fails is logged and skipped (the next tick
  // tries again); a failure to list incidents is returned.
  absl::StatusOr<int> Tick();

  // Start runs Tick every settings.check_every on a thread; Stop ends it.
  void Start();
  void Stop();

 private:
  void Loop();
  // TickFollowUps records the reminders overdue follow-ups are due.
  absl::StatusOr<int> TickFollowUps(absl::Time now);
  // RemindOfFollowUp records `follow_up`'s reminder if it is due; true when
  // one was recorded.
  absl::StatusOr<bool> RemindOfFollowUp(const pb::FollowUp& follow_up, absl::Time now);

  Store* store_;
  OutboxStore* outbox_;
  const Clock* clock_;
  const ReminderSettings settings_;
  const FollowUpSettings followups_;

  absl::Mutex mu_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace ff

#endif  // FF_SERVER_REMINDERS_REMINDER_SCHEDULER_H_
