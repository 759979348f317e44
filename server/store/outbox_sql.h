// SQL shared by the SQLite and PostgreSQL outboxes: the same text in both
// dialects. Header-only constants.
#ifndef FF_SERVER_STORE_OUTBOX_SQL_H_
#define FF_SERVER_STORE_OUTBOX_SQL_H_

namespace ff {

// kIsHeadDelivery holds for pending delivery `d` when it is the oldest
// pending one of its (incident, notifier): only it may go, so per-incident
// order is kept per notifier.
inline constexpr char kIsHeadDelivery[] =
    "NOT EXISTS (SELECT 1 FROM deliveries p WHERE p.state = 1 AND "
    "p.incident_id = d.incident_id AND p.notifier = d.notifier AND p.id < d.id)";

// kWakeSuccessors + <now> + " WHERE " + kSuccessorsOf + <incident, notifier
// and "next_attempt_at > now" conditions> makes the pending deliveries that
// waited for a delivered one (deferred until its work was done) due now.
inline constexpr char kWakeSuccessors[] = "UPDATE deliveries AS d SET next_attempt_at = ";
inline constexpr char kSuccessorsOf[] = "d.state = 1 AND ";

}  // namespace ff

#endif  // FF_SERVER_STORE_OUTBOX_SQL_H_
