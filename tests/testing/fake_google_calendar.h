// FakeGoogleCalendar: a loopback Google Calendar API v3 (events) for tests.
//
// Speaks the subset of EXTERNAL_APIS.md §6 the calendar notifier uses:
//   POST /calendar/v3/calendars/{calendarId}/events[?sendUpdates=] events.insert:
//        start/end required (RFC 3339 dateTime or date), end after start,
//        client ids must be base32hex (0-9a-v) of 5–1024 characters and unique
//        per calendar (409 "duplicate" otherwise), attendee emails valid,
//        extendedProperties {"private"|"shared": {key: string}};
//   GET  /calendar/v3/calendars/{calendarId}/events/{eventId} events.get.
// Every route needs `Authorization: Bearer <token>` (401). Errors use
// Google's shape {"error":{"code","message","errors":[{"domain","reason",
// "message"}],"status"}}. Unknown calendars are 404. Thread-safe.
#ifndef FF_TESTS_TESTING_FAKE_GOOGLE_CALENDAR_H_
#define FF_TESTS_TESTING_FAKE_GOOGLE_CALENDAR_H_

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "nlohmann/json.hpp"
#include "tests/testing/fake_http_server.h"

namespace ff::testing {

class FakeGoogleCalendar final : public FakeHttpServer {
 public:
  // Accepts only `token`; knows the calendars in `calendar_ids`.
  explicit FakeGoogleCalendar(std::string token,
                              std::vector<std::string> calendar_ids = {"primary"});
  ~FakeGoogleCalendar() override;

  // The events of `calendar_id` (the stored resources), in insertion order.
  std::vector<nlohmann::json> events(const std::string& calendar_id);

  // Plant inserts an event another FireFighter installation made, from an
  // events.insert body validated like one, without recording a request.
  // Returns the stored event, or INVALID_ARGUMENT (bad body), NOT_FOUND
  // (unknown calendar), ALREADY_EXISTS (duplicate id).
  absl::StatusOr<nlohmann::json> Plant(const std::string& calendar_id, const nlohmann::json& body);

 protected:
  void RegisterRoutes(httplib::Server& server) override;

 private:
  bool Authorized(const httplib::Request& request, httplib::Response& response);
  void Insert(const httplib::Request& request, httplib::Response& response);
  void Get(const httplib::Request& request, httplib::Response& response);
  // Store inserts a validated body; `code` is 200, 404 or 409.
  nlohmann::json Store(const std::string& calendar_id, const nlohmann::json& body, int& code)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const std::string token_;
  absl::Mutex mu_;
  std::map<std::string, std::vector<nlohmann::json>> calendars_ ABSL_GUARDED_BY(mu_);
  int next_id_ ABSL_GUARDED_BY(mu_) = 1;
};

}  // namespace ff::testing

#endif  // FF_TESTS_TESTING_FAKE_GOOGLE_CALENDAR_H_
