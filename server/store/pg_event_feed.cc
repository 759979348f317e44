#include "server/store/pg_event_feed.h"

#include <libpq-fe.h>
#include <poll.h>

#include <utility>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "server/store/pg_codec.h"
#include "spdlog/spdlog.h"

namespace ff {
namespace {

constexpr int kCatchUpBatch = 500;
constexpr int kPollMs = 200;  // how soon the listener notices Stop
constexpr absl::Duration kReconnectPause = absl::Milliseconds(500);

}  // namespace

PgEventFeed::~PgEventFeed() { Stop(); }

void PgEventFeed::Start(CommitObserver observer, PgConnection* conn) {
  {
    absl::MutexLock lock(&mu_);
    observer_ = std::move(observer);
    if (conn != nullptr) {
      absl::StatusOr<PgResult> last = conn->Exec("SELECT COALESCE(MAX(sequence), 0) FROM events");
      if (last.ok()) watermark_ = last->Int(0, 0);
    }
  }
  thread_ = std::thread([this] { ListenLoop(); });
}

void PgEventFeed::Stop() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  if (thread_.joinable()) thread_.join();
}

void PgEventFeed::PublishLocal(PgConnection& conn, const std::vector<const Committed*>& commits) {
  absl::MutexLock lock(&mu_);
  if (!observer_) return;
  int64_t first = 0;
  for (const Committed* c : commits) {
    if (!c->events.empty()) {
      first = c->events.front().sequence();
      break;
    }
  }
  if (first == 0) return;
  if (first > watermark_ + 1 && !CatchUp(conn, first).ok()) {
    return;  // publishing ours now would skip the others: the listener will
  }
  for (const Committed* c : commits) {
    // The listener may have published them already, on their notification.
    if (c->events.empty() || c->events.back().sequence() <= watermark_) continue;
    Publish(*c);
  }
}

void PgEventFeed::Publish(const Committed& committed) {
  observer_(committed);
  watermark_ = committed.events.back().sequence();
}

absl::Status PgEventFeed::CatchUp(PgConnection& conn, int64_t below) {
  while (true) {
    FF_ASSIGN_OR_RETURN(
        PgResult r,
        conn.Exec(absl::StrCat(
                      "SELECT e.sequence, e.type, e.incident, t.id, t.incident_id, "
                      "t.time, t.kind, t.actor, t.text, t.via, e.follow_up FROM events e LEFT JOIN "
                      "timeline t ON t.id = e.entry_id WHERE e.sequence > $1::bigint "
                      "AND ($2::bigint = 0 OR e.sequence < $2::bigint) "
                      "ORDER BY e.sequence LIMIT ",
                      kCatchUpBatch),
                  PgParams().Int(watermark_).Int(below)));
    // Consecutive events with the same incident snapshot came from one
    // change: they are published together, as their writer would have.
    Committed committed;
    std::string snapshot;
    for (int row = 0; row < r.rows(); ++row) {
      std::string bytes = r.Bytes(row, 2);
      if (!committed.events.empty() && bytes != snapshot) {
        Publish(committed);
        committed = Committed();
      }
      snapshot = std::move(bytes);
      pb::IncidentEvent event;
      event.set_sequence(r.Int(row, 0));
      event.set_type(r.Text(row, 1));
      event.mutable_incident()->ParseFromString(snapshot);
      if (!r.IsNull(row, 3)) *event.mutable_entry() = ReadPgEntry(r, row, 3);
      if (!r.IsNull(row, 10)) event.mutable_follow_up()->ParseFromString(r.Bytes(row, 10));
      committed.incident = event.incident();
      committed.events.push_back(std::move(event));
    }
    if (!committed.events.empty()) Publish(committed);
    if (r.rows() < kCatchUpBatch) return absl::OkStatus();
  }
}

bool PgEventFeed::Listen() {
  absl::StatusOr<std::unique_ptr<PgConnection>> conn = PgConnection::Connect(conninfo_);
  absl::Status listening =
      conn.ok() ? (*conn)->Run(absl::StrCat("LISTEN ", kPgEventChannel)) : conn.status();
  if (listening.ok()) {
    listener_ = *std::move(conn);
    spdlog::info("events: listening for other replicas' changes");
    failing_ = false;
    return true;
  }
  if (!failing_) {  // once per outage, not on every retry
    spdlog::warn("events: cannot listen for other replicas' changes (retrying): {}",
                 std::string(listening.message()));
    failing_ = true;
  }
  absl::MutexLock lock(&mu_);
  mu_.AwaitWithTimeout(absl::Condition(&stopping_), kReconnectPause);
  return false;
}

void PgEventFeed::ListenLoop() {
  while (true) {
    {
      absl::MutexLock lock(&mu_);
      if (stopping_) return;
    }
    bool fresh = false;
    if (listener_ == nullptr) {
      if (!Listen()) continue;
      fresh = true;  // whatever came while nobody listened is read now
    }
    pollfd pfd{PQsocket(listener_->raw()), POLLIN, 0};
    bool notified = fresh;
    if (poll(&pfd, 1, kPollMs) > 0) {
      if (PQconsumeInput(listener_->raw()) == 0) {
        spdlog::warn("events: lost the listening connection; reconnecting");
        listener_.reset();
        continue;
      }
      while (PGnotify* n = PQnotifies(listener_->raw())) {
        notified = true;
        PQfreemem(n);
      }
    }
    if (!notified) continue;
    absl::MutexLock lock(&mu_);
    if (absl::Status s = CatchUp(*listener_, 0); !s.ok()) {
      spdlog::warn("events: cannot read new events: {}", std::string(s.message()));
      if (listener_->Broken()) listener_.reset();
    }
  }
}

}  // namespace ff
