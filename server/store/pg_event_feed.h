// PgEventFeed: hands every committed event of a shared PostgreSQL database
// to this process's commit observer, whichever replica committed it, each
// once and in sequence order.
//
// Event sequences are gapless and in commit order (PgStore assigns them under
// its write lock), so the feed only keeps a watermark: the last sequence it
// published. A replica's own commits are published right after they commit
// (after any other replica's events still below them); every other commit
// arrives by LISTEN/NOTIFY, which only says "something new": the feed then
// reads the events above its watermark from the events table. After a lost
// connection it reconnects and reads what it missed the same way, so a
// database restart loses no watcher event. Thread-safe.
#ifndef FF_SERVER_STORE_PG_EVENT_FEED_H_
#define FF_SERVER_STORE_PG_EVENT_FEED_H_

#include <cstdint>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "server/store/pg_connection.h"
#include "server/store/store.h"

namespace ff {

// The channel every write transaction notifies on commit.
inline constexpr char kPgEventChannel[] = "ff_events";

class PgEventFeed {
 public:
  // `conninfo`: the database, for the feed's own listening connection;
  // `watermark`: the last sequence already committed when the store opened.
  PgEventFeed(std::string conninfo, int64_t watermark)
      : conninfo_(std::move(conninfo)), watermark_(watermark) {}
  ~PgEventFeed();  // Stop()s

  // Start installs `observer`, which sees every commit from now on (the
  // watermark moves to the last sequence read on `conn`, when it can be),
  // and starts listening. REQUIRES: once.
  void Start(CommitObserver observer, PgConnection* conn);
  // Stop ends listening and joins the listener.
  void Stop();

  // PublishLocal publishes what this process just committed on `conn`
  // (after the events of other replicas that precede it, read on `conn`).
  // When those cannot be read, publishing waits for the listener instead.
  void PublishLocal(PgConnection& conn, const std::vector<const Committed*>& commits);

 private:
  void ListenLoop();
  // Listen opens the listening connection; false (after a pause) on failure.
  bool Listen();
  // CatchUp publishes the committed events above the watermark and below
  // `below` (0: all), read on `conn`.
  absl::Status CatchUp(PgConnection& conn, int64_t below) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void Publish(const Committed& committed) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const std::string conninfo_;
  absl::Mutex mu_;  // held while publishing: one publisher at a time, in order
  int64_t watermark_ ABSL_GUARDED_BY(mu_);
  CommitObserver observer_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  // Used by the listener thread only:
  std::unique_ptr<PgConnection> listener_;
  bool failing_ = false;  // reconnecting: the failure was logged
  std::thread thread_;
};

}  // namespace ff

#endif  // FF_SERVER_STORE_PG_EVENT_FEED_H_
