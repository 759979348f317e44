// DashboardApi: the JSON endpoints the dashboard's pages read (documented
// in docs/web.md). Each call answers a whole HTTP reply, so the HTTP layer
// only routes:
//   400 {"error", "parameter"} for a bad parameter,
//   404 {"error"} for an unknown incident,
//   503 {"error"} while firefighterd is unreachable or slow,
//   502 {"error"} for any other failure of firefighterd.
//
// Thread-safe: the IncidentClient and the ReadCoalescer are.
#ifndef FF_ADAPTERS_WEB_DASHBOARD_API_H_
#define FF_ADAPTERS_WEB_DASHBOARD_API_H_

#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "adapters/web/http_reply.h"
#include "adapters/web/query_params.h"
#include "adapters/web/read_coalescer.h"
#include "clients/incident/incident_client.h"
#include "nlohmann/json.hpp"

namespace ff::web {

// JsonReply serialises `body`; invalid UTF-8 from stored text is replaced
// rather than thrown on.
HttpReply JsonReply(int status, const nlohmann::json& body);

// ErrorReply maps a failure to its HTTP reply (codes above).
HttpReply ErrorReply(const absl::Status& status);

class DashboardApi {
 public:
  explicit DashboardApi(IncidentClient client) : client_(std::move(client)) {}

  // GET /api/incidents: active incidents in triage order (triage.h's
  // TriageBefore), then the newest closed ones (by number), most recently
  // closed first. Identical lists asked for together share one fetch
  // (read_coalescer.h), never one that started before they were asked for:
  // a viewer sees every change made before the request, its own included.
  HttpReply ListIncidents(const QueryParams& params) const;
  // GET /api/incidents/{id}: the incident, its timeline, time per status
  // and its follow-ups (oldest first).
  HttpReply GetIncident(const std::string& id_text, const QueryParams& params) const;
  // GET /api/domains: the configured domains.
  HttpReply ListDomains(const QueryParams& params) const;
  // GET /api/insights: weekly counts and time to fix over a range of days.
  HttpReply Insights(const QueryParams& params) const;

  // GET /api/followups: one page of follow-ups, oldest first, filtered by
  // incident, owner, status and overdue (query_params.h's
  // ParseFollowUpListQuery), with the token of the next page ("" on the last).
  HttpReply ListFollowUps(const QueryParams& params) const;

  // IncidentExists: OK, NOT_FOUND, or the failure that kept us from knowing.
  absl::Status IncidentExists(int64_t id) const;

 private:
  // FetchIncidentList: ListIncidents' answer to `query`, read afresh.
  HttpReply FetchIncidentList(const IncidentListQuery& query) const;

  IncidentClient client_;
  mutable ReadCoalescer incident_lists_;
};

}  // namespace ff::web

#endif  // FF_ADAPTERS_WEB_DASHBOARD_API_H_
