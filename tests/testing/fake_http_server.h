// FakeHttpServer: the base of every fake outside API (Slack, PagerDuty, …).
//
// Listens on 127.0.0.1, port 0, on its own thread (cpp-httplib). Subclasses
// register routes that validate requests like the real API and answer in its
// error shapes; the base records every request that reached a route and can
// inject faults: answer N requests with a status (+ Retry-After), hang, or
// refuse connections until healed. Thread-safe.
#ifndef FF_TESTS_TESTING_FAKE_HTTP_SERVER_H_
#define FF_TESTS_TESTING_FAKE_HTTP_SERVER_H_

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "httplib.h"

namespace ff::testing {

struct RecordedRequest {
  std::string method;
  std::string path;                                 // without the query
  std::multimap<std::string, std::string> params;   // query and form parameters
  std::multimap<std::string, std::string> headers;  // as httplib keeps them
  std::string body;
  std::string Header(const std::string& name) const;  // "" when absent
  std::string Param(const std::string& name) const;   // "" when absent
};

class FakeHttpServer {
 public:
  FakeHttpServer();
  virtual ~FakeHttpServer();
  FakeHttpServer(const FakeHttpServer&) = delete;
  FakeHttpServer& operator=(const FakeHttpServer&) = delete;

  // "http://127.0.0.1:PORT"; subclasses may append an API prefix.
  std::string base_url() const;
  int port() const { return port_; }

  // The next `count` requests get `status` (and Retry-After: seconds when
  // given) without reaching a route or being recorded.
  void FailNext(int count, int status, std::optional<int> retry_after_seconds = std::nullopt);
  // The next `count` requests wait `delay` before being handled normally.
  void HangNext(int count, absl::Duration delay);
  // Refuse stops listening (connections are refused); Heal listens again on
  // the same port.
  void Refuse();
  void Heal();
  // Stop ends serving for good. Subclasses call it first thing in their
  // destructor, so no handler runs once their members are gone.
  void Stop() { Refuse(); }

  // Requests that reached a route, in arrival order.
  std::vector<RecordedRequest> requests();
  // WaitForRequests waits until at least `n` requests were recorded.
  bool WaitForRequests(size_t n, absl::Duration timeout);
  // Faulted counts requests answered by an injected fault.
  int faulted();
  // Hanging counts requests inside an injected hang right now.
  int hanging();
  // WaitForHanging waits until at least `n` requests are inside a hang.
  bool WaitForHanging(int n, absl::Duration timeout);

 protected:
  // RegisterRoutes adds the fake's routes to a fresh server (again after Heal).
  virtual void RegisterRoutes(httplib::Server& server) = 0;
  // Start listens; subclasses call it at the end of their constructor.
  // REQUIRES: called once.
  void Start();
  // Record is called by routes for requests they accept as well-formed or not;
  // every request that reaches a route should be recorded once.
  void Record(const httplib::Request& request);

 private:
  void Listen();  // binds port_ (0 the first time) and serves on thread_
  httplib::Server::HandlerResponse ApplyFault(httplib::Response& response);

  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  int port_ = 0;
  absl::Mutex mu_;
  std::vector<RecordedRequest> requests_ ABSL_GUARDED_BY(mu_);
  int fail_count_ ABSL_GUARDED_BY(mu_) = 0;
  int fail_status_ ABSL_GUARDED_BY(mu_) = 500;
  std::optional<int> retry_after_ ABSL_GUARDED_BY(mu_);
  int hang_count_ ABSL_GUARDED_BY(mu_) = 0;
  absl::Duration hang_for_ ABSL_GUARDED_BY(mu_);
  int faulted_ ABSL_GUARDED_BY(mu_) = 0;
  int hanging_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace ff::testing

#endif  // FF_TESTS_TESTING_FAKE_HTTP_SERVER_H_
