// ReadCoalescer: answers identical reads that arrive together with one
// fetch. During a big incident everyone opens the dashboard at once, and
// each page load would otherwise list every active incident from
// firefighterd and build the same JSON again.
//
// The rule that keeps it fresh: a read never gets the answer of a fetch that
// had started before the read arrived. A read for a key while no fetch of it
// runs fetches at once. Reads that arrive while one runs join the next
// fetch, which the first of them starts as soon as the running one ends; that
// one fetch answers every read that joined before it started. So whatever
// was written before a read arrived (a change its reader just made
// included) is in its answer, and a key is fetched at most twice at a time
// (one running, one gathering), however many read it. A failed fetch's
// reply (an error) is the answer of every read that joined it; a fetch that
// throws is rethrown to the read that ran it, and the others get
// 500 "internal error", as the HTTP layer answers a handler that throws.
//
// Thread-safe. Each read blocks its thread until its fetch ends.
#ifndef FF_ADAPTERS_WEB_READ_COALESCER_H_
#define FF_ADAPTERS_WEB_READ_COALESCER_H_

#include <functional>
#include <map>
#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "adapters/web/http_reply.h"

namespace ff::web {

class ReadCoalescer {
 public:
  using Fetch = std::function<HttpReply()>;

  // Read returns the reply of a call of `fetch` (this read's own or another
  // read's of the same `key`) that started after Read was called. Reads of
  // the same key must mean the same fetch: `key` names the query whole.
  // Throws what this read's own `fetch` throws.
  HttpReply Read(const std::string& key, const Fetch& fetch);

  // Gathering: how many reads of `key` wait for a fetch that has not started
  // yet (for tests: a read has joined once it counts here).
  int Gathering(const std::string& key) const;

 private:
  // Batch: the reads one fetch answers.
  struct Batch {
    int reads = 0;
    bool done = false;
    HttpReply reply;
  };
  // Flight: a key's running fetch, if any, and the batch gathering for the
  // next one (null when none is).
  struct Flight {
    bool running = false;
    std::shared_ptr<Batch> next;
  };

  // Lead runs `fetch` for `mine`, the batch of `key` that was gathering,
  // and hands the reply to its reads. REQUIRES: mu_ held, no fetch of `key`
  // running.
  HttpReply Lead(const std::string& key, const std::shared_ptr<Batch>& mine, const Fetch& fetch)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  mutable absl::Mutex mu_;
  absl::CondVar changed_;  // a fetch ended
  std::map<std::string, Flight> flights_ ABSL_GUARDED_BY(mu_);
};

}  // namespace ff::web

#endif  // FF_ADAPTERS_WEB_READ_COALESCER_H_
