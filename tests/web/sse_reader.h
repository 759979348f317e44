// SseReader: follows firefighter-web's GET /api/events on a thread of its
// own and keeps all it received, until the server ends the stream or the
// reader goes. Thread-safe.
#ifndef FF_TESTS_WEB_SSE_READER_H_
#define FF_TESTS_WEB_SSE_READER_H_

#include <string>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/strings/match.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "httplib.h"

namespace ff::web::testing {

class SseReader {
 public:
  SseReader(const std::string& host, int port) : client_(host, port) {
    client_.set_read_timeout(60, 0);
    thread_ = std::thread([this] {
      httplib::Result result = client_.Get("/api/events", [this](const char* data, size_t n) {
        absl::MutexLock lock(&mu_);
        received_.append(data, n);
        return !stop_;
      });
      absl::MutexLock lock(&mu_);
      ended_ = true;
      ended_cleanly_ = result && result->status == 200;
    });
  }
  ~SseReader() {
    {
      absl::MutexLock lock(&mu_);
      stop_ = true;
    }
    client_.stop();
    thread_.join();
  }
  SseReader(const SseReader&) = delete;
  SseReader& operator=(const SseReader&) = delete;

  // WaitFor: whether `text` arrived within `timeout`.
  bool WaitFor(const std::string& text, absl::Duration timeout = absl::Seconds(15)) {
    absl::MutexLock lock(&mu_);
    auto arrived = [&]() ABSL_SHARED_LOCKS_REQUIRED(mu_) {
      return absl::StrContains(received_, text);
    };
    return mu_.AwaitWithTimeout(absl::Condition(&arrived), timeout);
  }
  std::string received() {
    absl::MutexLock lock(&mu_);
    return received_;
  }
  // EndedCleanly waits up to `timeout` for the server to end the stream and
  // is whether it finished the response (its last chunk came) rather than
  // cutting the connection; false when the stream is still open.
  bool EndedCleanly(absl::Duration timeout) {
    absl::MutexLock lock(&mu_);
    mu_.AwaitWithTimeout(absl::Condition(&ended_), timeout);
    return ended_ && ended_cleanly_;
  }

 private:
  httplib::Client client_;
  std::thread thread_;
  absl::Mutex mu_;
  std::string received_ ABSL_GUARDED_BY(mu_);
  bool stop_ ABSL_GUARDED_BY(mu_) = false;
  bool ended_ ABSL_GUARDED_BY(mu_) = false;
  bool ended_cleanly_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace ff::web::testing

#endif  // FF_TESTS_WEB_SSE_READER_H_
