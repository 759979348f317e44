#include "adapters/web/dashboard_api.h"

#include <algorithm>
#include <functional>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "adapters/web/incident_json.h"
#include "adapters/web/insights.h"
#include "adapters/web/triage.h"

namespace ff::web {
namespace {

// Listing scans at most this many pages of 500 incidents: a bound on the
// work one page load can cause on the core.
constexpr int kMaxPages = 20;
constexpr int kPageSize = 500;

// A visitor may take the incident it is handed (move from it).
using Visitor = std::function<bool(pb::Incident&)>;

// ForEachIncident pages through ListIncidents (newest first) calling `visit`
// until it returns false or the pages run out.
absl::Status ForEachIncident(const IncidentClient& client, pb::ListIncidentsRequest request,
                             const Visitor& visit) {
  request.set_page_size(kPageSize);
  for (int page = 0; page < kMaxPages; ++page) {
    absl::StatusOr<pb::ListIncidentsResponse> response = client.ListIncidents(request);
    if (!response.ok()) return response.status();
    for (pb::Incident& incident : *response->mutable_incidents()) {
      if (!visit(incident)) return absl::OkStatus();
    }
    if (response->next_page_token().empty()) break;
    request.set_page_token(response->next_page_token());
  }
  return absl::OkStatus();
}

// `lowered_text` must be lower case already. ASCII case folding only: titles
// are mostly English, and it never splits a UTF-8 sequence.
bool TitleMatches(const pb::Incident& incident, const std::string& lowered_text) {
  return lowered_text.empty() ||
         absl::StrContains(absl::AsciiStrToLower(incident.title()), lowered_text);
}

pb::ListIncidentsRequest BaseRequest(const IncidentListQuery& query) {
  pb::ListIncidentsRequest request;
  for (pb::Severity s : query.severities) request.add_severities(s);
  request.set_domain(query.domain);
  return request;
}

nlohmann::json Now() { return TimeJson(absl::Now()); }

bool Wants(const IncidentListQuery& query, pb::Status status) {
  return query.statuses.empty() ||
         std::find(query.statuses.begin(), query.statuses.end(), status) != query.statuses.end();
}

// ListKey names `query` whole, for the coalescer. The domain carries its
// length so that no text can read as another field.
std::string ListKey(const IncidentListQuery& query) {
  std::string key;
  for (pb::Status s : query.statuses) absl::StrAppend(&key, static_cast<int>(s), ",");
  absl::StrAppend(&key, "|");
  for (pb::Severity s : query.severities) absl::StrAppend(&key, static_cast<int>(s), ",");
  absl::StrAppend(&key, "|", query.closed_limit, "|", query.domain.size(), ":", query.domain, "|",
                  query.text);
  return key;
}

// ListActive: the active incidents `query` asks for, in triage order.
absl::StatusOr<std::vector<pb::Incident>> ListActive(const IncidentClient& client,
                                                     const IncidentListQuery& query) {
  std::vector<pb::Incident> active;
  pb::ListIncidentsRequest request = BaseRequest(query);
  for (pb::Status s : {pb::STATUS_OPEN, pb::STATUS_INVESTIGATING, pb::STATUS_FIXING,
                       pb::STATUS_FIXED, pb::STATUS_POSTMORTEM}) {
    if (Wants(query, s)) request.add_statuses(s);
  }
  if (request.statuses_size() == 0) return active;
  absl::Status listed = ForEachIncident(client, request, [&](pb::Incident& incident) {
    if (TitleMatches(incident, query.text)) active.push_back(std::move(incident));
    return true;
  });
  if (!listed.ok()) return listed;
  // Ranked here rather than in the page so that every reader of this API
  // (the pages, scripts, a wall display) shows the same triage order.
  SortForTriage(active);
  return active;
}

// ListClosed: the newest closed incidents `query` asks for (by number, at
// most its closed_limit), most recently closed first.
absl::StatusOr<std::vector<pb::Incident>> ListClosed(const IncidentClient& client,
                                                     const IncidentListQuery& query) {
  std::vector<pb::Incident> closed;
  if (!Wants(query, pb::STATUS_CLOSED) || query.closed_limit <= 0) return closed;
  pb::ListIncidentsRequest request = BaseRequest(query);
  request.add_statuses(pb::STATUS_CLOSED);
  absl::Status listed = ForEachIncident(client, request, [&](pb::Incident& incident) {
    if (TitleMatches(incident, query.text)) closed.push_back(std::move(incident));
    return static_cast<int>(closed.size()) < query.closed_limit;
  });
  if (!listed.ok()) return listed;
  std::stable_sort(closed.begin(), closed.end(), [](const pb::Incident& a, const pb::Incident& b) {
    return FromTimestamp(a.closed_at()) > FromTimestamp(b.closed_at());
  });
  return closed;
}

// IncidentFollowUps: every follow-up of incident `id`, oldest first, in
// pages of the largest size; at most kMaxPages of them.
absl::StatusOr<nlohmann::json> IncidentFollowUps(const IncidentClient& client, int64_t id) {
  pb::ListFollowUpsRequest request;
  request.set_incident_id(id);
  request.set_page_size(kPageSize);
  nlohmann::json out = nlohmann::json::array();
  for (int page = 0; page < kMaxPages; ++page) {
    absl::StatusOr<pb::ListFollowUpsResponse> response = client.ListFollowUps(request);
    if (!response.ok()) return response.status();
    for (const pb::FollowUp& follow_up : response->follow_ups()) {
      out.push_back(FollowUpJson(follow_up));
    }
    if (response->next_page_token().empty()) break;
    request.set_page_token(response->next_page_token());
  }
  return out;
}

}  // namespace

HttpReply JsonReply(int status, const nlohmann::json& body) {
  return {status, "application/json",
          body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)};
}

HttpReply ErrorReply(const absl::Status& status) {
  std::string message(status.message());
  switch (status.code()) {
    case absl::StatusCode::kInvalidArgument:
      return JsonReply(400, {{"error", message}, {"parameter", ParameterOf(message)}});
    case absl::StatusCode::kNotFound:
      return JsonReply(404, {{"error", message}});
    case absl::StatusCode::kUnavailable:
    case absl::StatusCode::kDeadlineExceeded:
      return JsonReply(503, {{"error", "firefighterd is unreachable: " + message}});
    case absl::StatusCode::kUnauthenticated:
    case absl::StatusCode::kPermissionDenied:
      return JsonReply(502, {{"error",
                              "firefighterd refused the dashboard's credentials (check "
                              "its --token-file or FF_TOKEN): " +
                                  message}});
    default:
      return JsonReply(502, {{"error", "firefighterd failed: " + message}});
  }
}

HttpReply DashboardApi::ListIncidents(const QueryParams& params) const {
  absl::StatusOr<IncidentListQuery> query = ParseIncidentListQuery(params);
  if (!query.ok()) return ErrorReply(query.status());
  query->text = absl::AsciiStrToLower(query->text);
  return incident_lists_.Read(ListKey(*query), [&] { return FetchIncidentList(*query); });
}

HttpReply DashboardApi::FetchIncidentList(const IncidentListQuery& query) const {
  absl::StatusOr<std::vector<pb::Incident>> active = ListActive(client_, query);
  if (!active.ok()) return ErrorReply(active.status());
  absl::StatusOr<std::vector<pb::Incident>> closed = ListClosed(client_, query);
  if (!closed.ok()) return ErrorReply(closed.status());
  nlohmann::json incidents = nlohmann::json::array();
  for (const pb::Incident& incident : *active) incidents.push_back(IncidentJson(incident));
  for (const pb::Incident& incident : *closed) incidents.push_back(IncidentJson(incident));
  return JsonReply(200, {{"server_time", Now()},
                         {"active_count", active->size()},
                         {"closed_count", closed->size()},
                         {"incidents", std::move(incidents)}});
}

HttpReply DashboardApi::GetIncident(const std::string& id_text, const QueryParams& params) const {
  if (absl::Status none = CheckNoParams(params); !none.ok()) return ErrorReply(none);
  absl::StatusOr<int64_t> id = ParseIncidentId(id_text);
  if (!id.ok()) return ErrorReply(id.status());
  absl::StatusOr<pb::Incident> incident = client_.GetIncident(*id);
  if (!incident.ok()) return ErrorReply(incident.status());
  absl::StatusOr<pb::ListTimelineResponse> timeline = client_.ListTimeline(*id);
  if (!timeline.ok()) return ErrorReply(timeline.status());
  absl::StatusOr<nlohmann::json> follow_ups = IncidentFollowUps(client_, *id);
  if (!follow_ups.ok()) return ErrorReply(follow_ups.status());

  std::vector<pb::TimelineEntry> entries(timeline->entries().begin(), timeline->entries().end());
  nlohmann::json entries_json = nlohmann::json::array();
  for (const pb::TimelineEntry& entry : entries) entries_json.push_back(TimelineEntryJson(entry));
  nlohmann::json incident_json = IncidentJson(*incident);
  NameLinks(entries, incident_json);
  return JsonReply(200, {{"server_time", Now()},
                         {"incident", incident_json},
                         {"timeline", entries_json},
                         {"time_in_status", TimeInStatusJson(StatusPeriods(*incident, entries))},
                         {"follow_ups", *std::move(follow_ups)}});
}

HttpReply DashboardApi::ListFollowUps(const QueryParams& params) const {
  absl::StatusOr<pb::ListFollowUpsRequest> request = ParseFollowUpListQuery(params);
  if (!request.ok()) return ErrorReply(request.status());
  absl::StatusOr<pb::ListFollowUpsResponse> page = client_.ListFollowUps(*request);
  if (!page.ok()) return ErrorReply(page.status());
  nlohmann::json follow_ups = nlohmann::json::array();
  for (const pb::FollowUp& follow_up : page->follow_ups()) {
    follow_ups.push_back(FollowUpJson(follow_up));
  }
  return JsonReply(200, {{"server_time", Now()},
                         {"follow_ups", follow_ups},
                         {"next_page_token", page->next_page_token()}});
}

HttpReply DashboardApi::ListDomains(const QueryParams& params) const {
  if (absl::Status none = CheckNoParams(params); !none.ok()) return ErrorReply(none);
  absl::StatusOr<pb::ListDomainsResponse> domains = client_.ListDomains();
  if (!domains.ok()) return ErrorReply(domains.status());
  nlohmann::json out = nlohmann::json::array();
  for (const pb::Domain& d : domains->domains()) {
    out.push_back({{"name", d.name()}, {"description", d.description()}});
  }
  return JsonReply(200, {{"domains", out}});
}

HttpReply DashboardApi::Insights(const QueryParams& params) const {
  absl::StatusOr<InsightsQuery> query =
      ParseInsightsQuery(params, absl::ToCivilDay(absl::Now(), absl::UTCTimeZone()));
  if (!query.ok()) return ErrorReply(query.status());
  absl::StatusOr<pb::GetStatsResponse> stats = client_.GetStats(StatsRequestFor(*query));
  if (!stats.ok()) return ErrorReply(stats.status());
  nlohmann::json body = InsightsJson(*stats, *query);
  body["server_time"] = Now();
  return JsonReply(200, body);
}

absl::Status DashboardApi::IncidentExists(int64_t id) const {
  return client_.GetIncident(id).status();
}

}  // namespace ff::web
