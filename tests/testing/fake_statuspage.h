// FakeStatuspage: the Atlassian Statuspage Manage API's incident routes on a
// loopback server (EXTERNAL_APIS.md §4, checklist §7.7).
//
//   POST  /v1/pages/{page_id}/incidents                 201, the incident
//   GET   /v1/pages/{page_id}/incidents[?q=]            200, list (newest first)
//   GET   /v1/pages/{page_id}/incidents/unresolved      200, list
//   GET   /v1/pages/{page_id}/incidents/{incident_id}   200 / 404
//   PATCH|PUT /v1/pages/{page_id}/incidents/{incident_id}  200 / 404
// Requires "Authorization: OAuth <api key>" (401 otherwise), bodies wrapped in
// "incident" (400), and validates name, the status, impact_override and
// component status enums, known component ids and metadata shape (422). The
// error key ("error" or "message") is configurable because the contract could
// not pin it. Faults (429 + Retry-After, 420, 5xx) come from the base.
// Thread-safe.
#ifndef FF_TESTS_TESTING_FAKE_STATUSPAGE_H_
#define FF_TESTS_TESTING_FAKE_STATUSPAGE_H_

#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "nlohmann/json.hpp"
#include "tests/testing/fake_http_server.h"

namespace ff::testing {

class FakeStatuspage final : public FakeHttpServer {
 public:
  FakeStatuspage(std::string page_id, std::string api_key);
  ~FakeStatuspage() override;

  // AddComponent makes `component_id` known on the page.
  void AddComponent(const std::string& component_id);
  // set_error_key chooses {"error": …} (default) or {"message": …} bodies.
  void set_error_key(const std::string& key);

  // Incidents as the API would return them, oldest first.
  std::vector<nlohmann::json> incidents();

  // Plant stores an incident from a create body ({"incident": {…}}), as
  // another FireFighter installation would have made it, without recording a
  // request. Returns the incident, or INVALID_ARGUMENT "<status>: <message>"
  // with what POST would have answered.
  absl::StatusOr<nlohmann::json> Plant(const nlohmann::json& body);

 protected:
  void RegisterRoutes(httplib::Server& server) override;

 private:
  void Create(const httplib::Request& request, httplib::Response& response);
  void List(const httplib::Request& request, httplib::Response& response, bool unresolved);
  void Get(const httplib::Request& request, httplib::Response& response);
  void Update(const httplib::Request& request, httplib::Response& response);
  // Admit checks auth and the page id; answers 401/404 and returns false.
  bool Admit(const httplib::Request& request, httplib::Response& response);
  // Unwrap parses {"incident": {…}} into `incident`; answers 400/422 otherwise.
  bool Unwrap(const httplib::Request& request, httplib::Response& response, bool create,
              nlohmann::json* incident);
  // CheckBody validates a create or update body into `incident`: {0, ""} or
  // the status and message to answer.
  std::pair<int, std::string> CheckBody(const nlohmann::json& body, bool create,
                                        nlohmann::json* incident) ABSL_LOCKS_EXCLUDED(mu_);
  // Store adds an incident made from a validated create body; returns it.
  nlohmann::json Store(nlohmann::json in) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void Fail(httplib::Response& response, int status, const std::string& message);

  const std::string page_id_;
  const std::string api_key_;
  absl::Mutex mu_;
  std::string error_key_ ABSL_GUARDED_BY(mu_) = "error";
  std::set<std::string> components_ ABSL_GUARDED_BY(mu_);
  std::vector<nlohmann::json> incidents_ ABSL_GUARDED_BY(mu_);
  int next_id_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace ff::testing

#endif  // FF_TESTS_TESTING_FAKE_STATUSPAGE_H_
