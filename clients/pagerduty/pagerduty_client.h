// PagerDutyClient: the PagerDuty calls FireFighter makes (EXTERNAL_APIS.md
// §2, §8): Events API v2 enqueue (trigger, resolve; the routing key in the
// body is the credential) and the REST on-call lookup (who is first on call
// for an escalation policy, with a phone number when they have one). Codes
// as clients/http/json_call.h; messages never hold a key or token.
// Thread-safe (stateless over a thread-safe HttpClient).
#ifndef FF_CLIENTS_PAGERDUTY_PAGERDUTY_CLIENT_H_
#define FF_CLIENTS_PAGERDUTY_PAGERDUTY_CLIENT_H_

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "clients/http/http_client.h"
#include "nlohmann/json.hpp"

namespace ff {

struct OnCallPerson {
  std::string id;
  std::string name;
  std::string email;
  std::string phone;  // "+<country code> <number>", or empty
  std::string html_url;
};

class PagerDutyClient {
 public:
  // `events_url` and `api_url` have no trailing slash; `api_token` may be
  // empty when no REST call is made. REQUIRES: `http` outlives the client.
  PagerDutyClient(HttpClient* http, std::string events_url, std::string api_url,
                  std::string api_token, absl::Duration timeout);

  // Enqueue posts one Events API v2 event; `what` names it in errors.
  absl::Status Enqueue(const nlohmann::json& event, absl::string_view what);
  // FindOnCall returns the lowest-level person on call for escalation policy
  // `policy_id`, or nullopt when nobody is. UNAVAILABLE for an answer without
  // its oncalls array.
  absl::StatusOr<std::optional<OnCallPerson>> FindOnCall(const std::string& policy_id);

 private:
  absl::StatusOr<std::string> FindPhone(const std::string& user_id);
  absl::StatusOr<nlohmann::json> GetRest(const std::string& path_and_query,
                                         absl::string_view what);

  HttpClient* http_;
  std::string events_url_;
  std::string api_url_;
  std::string api_token_;
  absl::Duration timeout_;
};

}  // namespace ff

#endif  // FF_CLIENTS_PAGERDUTY_PAGERDUTY_CLIENT_H_
