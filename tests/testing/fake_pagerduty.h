// FakePagerDuty: the PagerDuty Events API v2 (POST /v2/enqueue) and the REST
// on-call lookup (GET /oncalls, GET /users/{id}/contact_methods) on one
// loopback server (EXTERNAL_APIS.md §2, §8, checklist §7.5).
//
// Validates like PagerDuty: events carry no auth header and a 32-character
// routing key, the event_action and severity enums, a dedup key for
// acknowledge/resolve, payload summary/source/severity for trigger; answers
// 202 {"status":"success",…} or 400 {"status":"invalid event",…}. The REST
// routes require "Authorization: Token token=<api token>" and the v2 Accept
// header. Keeps alerts by routing key and dedup key, as PagerDuty scopes them
// to the service the routing key leads to (one service per key here): a
// trigger on an open alert is deduplicated into it; a trigger after its
// resolve opens a new alert; an acknowledge or resolve reaches only the alert
// of its own routing key and is dropped when that is not open. Every alert
// ever opened is kept, in order. Also keeps the on-call schedule tests set.
// Thread-safe.
#ifndef FF_TESTS_TESTING_FAKE_PAGERDUTY_H_
#define FF_TESTS_TESTING_FAKE_PAGERDUTY_H_

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "nlohmann/json.hpp"
#include "tests/testing/fake_http_server.h"

namespace ff::testing {

class FakePagerDuty final : public FakeHttpServer {
 public:
  static constexpr char kAccept[] = "application/vnd.pagerduty+json;version=2";

  struct Alert {
    std::string routing_key;
    std::string dedup_key;
    std::string summary;
    std::string severity;
    nlohmann::json custom_details;
    bool open = true;
    int triggers = 0;  // trigger events received while this alert was open
  };

  struct OnCallUser {
    std::string id;  // e.g. "PXPGF42"
    std::string name;
    std::string email;
    std::string phone;  // national number; empty: no phone contact method
    int country_code = 1;
    int escalation_level = 1;
  };

  // `api_token` is the REST API token the fake accepts.
  explicit FakePagerDuty(std::string api_token = "pd-rest-token");
  ~FakePagerDuty() override;

  // SetOnCall puts `user` on call for `escalation_policy_id` at its level
  // (replacing whoever held that level).
  void SetOnCall(const std::string& escalation_policy_id, const OnCallUser& user);

  // The alert with `dedup_key` opened last (under any routing key), if any
  // trigger ever opened one.
  std::optional<Alert> alert(const std::string& dedup_key);
  // Every alert opened, oldest first; with `dedup_key`, only those opened
  // with it (under any routing key).
  std::vector<Alert> alerts();
  std::vector<Alert> alerts(const std::string& dedup_key);
  // Alerts opened so far (a re-trigger of an open alert does not count).
  int alerts_opened();
  int open_alerts();
  // Events that changed nothing: resolves/acks of alerts that are not open.
  int dropped_events();

  std::string html_url(const std::string& user_id) const;

 protected:
  void RegisterRoutes(httplib::Server& server) override;

 private:
  void HandleEnqueue(const httplib::Request& request, httplib::Response& response);
  void HandleOnCalls(const httplib::Request& request, httplib::Response& response);
  void HandleContactMethods(const httplib::Request& request, httplib::Response& response);
  // CheckRestAuth answers 401/406 and returns false when the REST headers are wrong.
  bool CheckRestAuth(const httplib::Request& request, httplib::Response& response);
  std::string Apply(const nlohmann::json& event);

  const std::string api_token_;
  absl::Mutex mu_;
  // Every alert opened, oldest first, and the latest per routing + dedup key.
  std::vector<Alert> history_ ABSL_GUARDED_BY(mu_);
  std::map<std::pair<std::string, std::string>, size_t> latest_ ABSL_GUARDED_BY(mu_);
  // policy id → escalation level → user
  std::map<std::string, std::map<int, OnCallUser>> oncall_ ABSL_GUARDED_BY(mu_);
  int dropped_ ABSL_GUARDED_BY(mu_) = 0;
  int generated_keys_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace ff::testing

#endif  // FF_TESTS_TESTING_FAKE_PAGERDUTY_H_
