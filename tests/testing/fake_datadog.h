// FakeDatadog: Datadog's Events v1 and Notebooks v1 APIs on a loopback server
// (EXTERNAL_APIS.md §3, checklist §7.6).
//
//   POST /api/v1/events        DD-API-KEY only; 202 {"status":"ok","event":{…}}
//   GET  /api/v1/events        both keys; start, end (required), tags filter
//                              (all listed tags must be present); only events
//                              indexed already (see set_index_delay)
//   POST /api/v1/notebooks     both keys; 200 {"data":{"id":…,…}}
//   GET  /api/v1/notebooks     both keys; query matches the name
//   DELETE /api/v1/notebooks/{id}  both keys; 204
// Missing or wrong keys get 403 {"errors":["Forbidden"]}; bad bodies 400
// {"errors":[…]}. Event ids exceed 2^53 like the real ones.
//
// Like the real event stream, a posted event becomes searchable only after an
// indexing delay (set_index_delay; 0 by default), measured in real time. Tests
// plant another FireFighter installation's objects with PlantEvent and
// PlantNotebook, validated as the API validates a POST. Thread-safe.
#ifndef FF_TESTS_TESTING_FAKE_DATADOG_H_
#define FF_TESTS_TESTING_FAKE_DATADOG_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "nlohmann/json.hpp"
#include "tests/testing/fake_http_server.h"

namespace ff::testing {

class FakeDatadog final : public FakeHttpServer {
 public:
  FakeDatadog(std::string api_key, std::string app_key);
  ~FakeDatadog() override;

  // Events and notebooks as stored (the response objects), oldest first,
  // indexed or not.
  std::vector<nlohmann::json> events();
  std::vector<nlohmann::json> notebooks();

  // set_index_delay makes events posted from now on invisible to
  // GET /api/v1/events until `delay` of real time has passed.
  void set_index_delay(absl::Duration delay);
  // WaitUntilIndexed waits (real time, at most `timeout`) until every stored
  // event is searchable; false on timeout.
  bool WaitUntilIndexed(absl::Duration timeout);

  // PlantEvent stores an event as if posted long ago (already indexed) with
  // `body` in the POST /api/v1/events shape; PlantNotebook stores a notebook
  // from a POST /api/v1/notebooks body. Neither is recorded as a request.
  // Return the stored object, or INVALID_ARGUMENT with the message the API
  // would answer.
  absl::StatusOr<nlohmann::json> PlantEvent(const nlohmann::json& body);
  absl::StatusOr<nlohmann::json> PlantNotebook(const nlohmann::json& body);

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
  // StoreEvent and StoreNotebook keep a validated body; return the stored
  // object.
  nlohmann::json StoreEvent(const nlohmann::json& event, absl::Time indexed_at)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  nlohmann::json StoreNotebook(const nlohmann::json& body) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  struct StoredEvent {
    nlohmann::json event;
    absl::Time indexed_at;  // searchable from then on
  };

  const std::string api_key_;
  const std::string app_key_;
  absl::Mutex mu_;
  std::vector<StoredEvent> events_ ABSL_GUARDED_BY(mu_);
  absl::Duration index_delay_ ABSL_GUARDED_BY(mu_) = absl::ZeroDuration();
  std::vector<nlohmann::json> notebooks_ ABSL_GUARDED_BY(mu_);
  uint64_t next_event_id_ ABSL_GUARDED_BY(mu_) = 5934719801181587474ULL;
  int64_t next_notebook_id_ ABSL_GUARDED_BY(mu_) = 774483;
};

}  // namespace ff::testing

#endif  // FF_TESTS_TESTING_FAKE_DATADOG_H_
