// FakeDatadog: Datadog's Events v1 and Notebooks v1 APIs on a loopback server
// (EXTERNAL_APIS.md §3, checklist §7.6).
//
//   POST /api/v1/events        DD-API-KEY only; 202 {"status":"ok","event":{…}}
//   GET  /api/v1/events        both keys; start, end (required), tags filter
//   POST /api/v1/notebooks     both keys; 200 {"data":{"id":…,…}}
//   GET  /api/v1/notebooks     both keys; query matches the name
//   DELETE /api/v1/notebooks/{id}  both keys; 204
// Missing or wrong keys get 403 {"errors":["Forbidden"]}; bad bodies 400
// {"errors":[…]}. Event ids exceed 2^53 like the real ones. Thread-safe.
#ifndef FF_TESTS_TESTING_FAKE_DATADOG_H_
#define FF_TESTS_TESTING_FAKE_DATADOG_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "nlohmann/json.hpp"
#include "tests/testing/fake_http_server.h"

namespace ff::testing {

class FakeDatadog final : public FakeHttpServer {
 public:
  FakeDatadog(std::string api_key, std::string app_key);
  ~FakeDatadog() override;

  // Events and notebooks as stored (the response objects), oldest first.
  std::vector<nlohmann::json> events();
  std::vector<nlohmann::json> notebooks();

 protected:
  void RegisterRoutes(httplib::Server& server) override;

 private:
  void PostEvent(const httplib::Request& request, httplib::Response& response);
  void ListEvents(const httplib::Request& request, httplib::Response& response);
  void PostNotebook(const httplib::Request& request, httplib::Response& response);
  void ListNotebooks(const httplib::Request& request, httplib::Response& response);
  void DeleteNotebook(const httplib::Request& request, httplib::Response& response);
  // CheckKeys answers 403 and returns false unless the keys are right.
  bool CheckKeys(const httplib::Request& request, httplib::Response& response, bool needs_app_key);

  const std::string api_key_;
  const std::string app_key_;
  absl::Mutex mu_;
  std::vector<nlohmann::json> events_ ABSL_GUARDED_BY(mu_);
  std::vector<nlohmann::json> notebooks_ ABSL_GUARDED_BY(mu_);
  uint64_t next_event_id_ ABSL_GUARDED_BY(mu_) = 5934719801181587474ULL;
  int64_t next_notebook_id_ ABSL_GUARDED_BY(mu_) = 774483;
};

}  // namespace ff::testing

#endif  // FF_TESTS_TESTING_FAKE_DATADOG_H_
