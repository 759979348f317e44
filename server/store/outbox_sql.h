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

// kDeliveryColumns are the columns ListDeliveries reads, from deliveries d
// joined with their events e, in the order of the backends' ReadDelivery.
inline constexpr char kDeliveryColumns[] =
    "d.id, d.incident_id, d.notifier, e.type, d.event_sequence, d.state, d.attempts, "
    "d.last_error, d.next_attempt_at, d.created_at, d.updated_at, d.delivered_at";
// kDeliveriesWithEvents is the FROM clause for kDeliveryColumns.
inline constexpr char kDeliveriesWithEvents[] =
    " FROM deliveries d JOIN events e ON e.sequence = d.event_sequence";

// kLoadDelivery + <placeholder> reads one delivery for LoadDelivery: its row,
// its event and the event's timeline entry (columns 8 to 14, NULL when the
// event has none), and the event's follow-up (column 16, NULL when none).
inline constexpr char kLoadDelivery[] =
    "SELECT d.id, d.notifier, d.attempts, e.sequence, e.type, e.incident, d.state, "
    "d.next_attempt_at, t.id, t.incident_id, t.time, t.kind, t.actor, t.text, t.via, "
    "d.progress, e.follow_up FROM deliveries d JOIN events e ON e.sequence = d.event_sequence "
    "LEFT JOIN timeline t ON t.id = e.entry_id WHERE d.id = ";

}  // namespace ff

#endif  // FF_SERVER_STORE_OUTBOX_SQL_H_
