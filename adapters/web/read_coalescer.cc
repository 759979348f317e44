#include "adapters/web/read_coalescer.h"

#include <exception>
#include <utility>

namespace ff::web {

HttpReply ReadCoalescer::Read(const std::string& key, const Fetch& fetch) {
  absl::MutexLock lock(&mu_);
  Flight& flight = flights_[key];
  if (flight.next == nullptr) flight.next = std::make_shared<Batch>();
  std::shared_ptr<Batch> mine = flight.next;
  ++mine->reads;
  // `mine` is either still gathering (flight.next; the flight stays in the
  // map meanwhile) or started: then only its end matters, and the flight is
  // not looked at again.
  while (!mine->done) {
    if (!flights_[key].running) return Lead(key, mine, fetch);
    changed_.Wait(&mu_);
  }
  return mine->reply;
}

HttpReply ReadCoalescer::Lead(const std::string& key, const std::shared_ptr<Batch>& mine,
                              const Fetch& fetch) {
  Flight& flight = flights_[key];
  flight.running = true;
  flight.next = nullptr;  // reads from now on gather for the fetch after this one
  mu_.Unlock();
  // A fetch that throws still ends its batch: its reads get what the HTTP
  // layer answers a handler that throws, and the key is fetched afresh by
  // the next read rather than waited on for ever.
  HttpReply reply{500, "text/plain", "internal error"};
  std::exception_ptr thrown;
  try {
    reply = fetch();
  } catch (...) {
    thrown = std::current_exception();
  }
  mu_.Lock();
  mine->reply = reply;
  mine->done = true;
  // The reference stays valid: only this thread erases a running flight.
  flight.running = false;
  if (flight.next == nullptr) flights_.erase(key);
  changed_.SignalAll();
  // The leader's own request goes the way of any handler that throws (Read's
  // lock is released as the exception passes).
  if (thrown) std::rethrow_exception(thrown);
  return reply;
}

int ReadCoalescer::Gathering(const std::string& key) const {
  absl::MutexLock lock(&mu_);
  auto flight = flights_.find(key);
  if (flight == flights_.end() || flight->second.next == nullptr) return 0;
  return flight->second.next->reads;
}

}  // namespace ff::web
