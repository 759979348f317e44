// FakeZoom: a loopback Zoom REST API (meetings) for tests.
//
// Speaks the subset of EXTERNAL_APIS.md §6 the incident-call notifier uses:
//   POST /v2/users/{userId}/meetings  → 201 with the meeting (int64 id,
//        join_url, …); 400 {"code":300,"message":"Validation Failed.",
//        "errors":[{"field","message"}]} for bad fields;
//   GET  /v2/users/{userId}/meetings?type=&page_size=&next_page_token= → the
//        user's meetings, paged, in the list item shape (no agenda);
//   GET  /v2/meetings/{meetingId} → the meeting, agenda included; 404
//        {"code":3001,…} when unknown.
// userId is "me" or the host's email (404 {"code":1001,...} otherwise). Every
// route needs `Authorization: Bearer <token>` (401 {"code":124,...}).
// Keeps the meetings so idempotency can be checked. Thread-safe.
#ifndef FF_TESTS_TESTING_FAKE_ZOOM_H_
#define FF_TESTS_TESTING_FAKE_ZOOM_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "nlohmann/json.hpp"
#include "tests/testing/fake_http_server.h"

namespace ff::testing {

class FakeZoom final : public FakeHttpServer {
 public:
  // Accepts only `token`; the host user is `host_email` ("me").
  explicit FakeZoom(std::string token, std::string host_email = "host@example.com");
  ~FakeZoom() override;

  // The meetings created so far (the 201 bodies), in creation order.
  std::vector<nlohmann::json> meetings();

  // Plant stores a meeting another FireFighter installation made from a
  // create body, validated like POST, without recording a request. Returns
  // the meeting, or INVALID_ARGUMENT "<field>: <message>".
  absl::StatusOr<nlohmann::json> Plant(const nlohmann::json& body);

 protected:
  void RegisterRoutes(httplib::Server& server) override;

 private:
  bool Authorized(const httplib::Request& request, httplib::Response& response);
  bool KnownUser(const httplib::Request& request, httplib::Response& response);
  void CreateMeeting(const httplib::Request& request, httplib::Response& response);
  void ListMeetings(const httplib::Request& request, httplib::Response& response);
  void GetMeeting(const httplib::Request& request, httplib::Response& response);
  nlohmann::json Store(const nlohmann::json& body) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const std::string token_;
  const std::string host_email_;
  absl::Mutex mu_;
  std::vector<nlohmann::json> meetings_ ABSL_GUARDED_BY(mu_);
  int64_t next_id_ ABSL_GUARDED_BY(mu_) = 92674392836;
};

}  // namespace ff::testing

#endif  // FF_TESTS_TESTING_FAKE_ZOOM_H_
