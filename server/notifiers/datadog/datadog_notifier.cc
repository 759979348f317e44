#include "server/notifiers/datadog/datadog_notifier.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "common/status_macros.h"
#include "server/core/names.h"
#include "server/core/time_util.h"
#include "server/core/workflow.h"
#include "server/notifiers/config_reader.h"

namespace ff {
namespace {

using json = nlohmann::json;

constexpr char kName[] = "datadog";
constexpr size_t kTextLimit = 4000;  // events v1 text
constexpr size_t kNotebookNameLimit = 80;
// Events are searched in a window around date_happened, which is exact.
constexpr int64_t kSearchSlackSeconds = 60;

struct DatadogConfig {
  std::string base_url;
  std::string app_url;
  std::string api_key;
  std::string app_key;
  std::vector<std::string> tags;
  absl::Duration timeout;
};

std::string UrlEncode(absl::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out += {'%', kHex[c >> 4], kHex[c & 15]};
    }
  }
  return out;
}

// Truncate cuts `text` to at most `limit` bytes on a UTF-8 character boundary.
std::string Truncate(std::string text, size_t limit) {
  if (text.size() <= limit) return text;
  size_t cut = limit;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  text.resize(cut);
  return text;
}

std::string NotebookPrefix(int64_t incident_id) {
  return absl::StrCat("Incident #", incident_id, ":");
}

const pb::Link* FindLink(const pb::Incident& incident, absl::string_view kind) {
  for (const pb::Link& link : incident.links()) {
    if (link.kind() == kind) return &link;
  }
  return nullptr;
}

std::string SeverityTag(pb::Severity severity) {
  return absl::AsciiStrToLower(SeverityName(severity));
}

std::string AlertType(const pb::IncidentEvent& event) {
  pb::Status status = event.incident().status();
  if (event.type() == kEventClosed || status == pb::STATUS_FIXED ||
      status == pb::STATUS_POSTMORTEM || status == pb::STATUS_CLOSED) {
    return "success";
  }
  switch (event.incident().severity()) {
    case pb::SEVERITY_SEV1:
    case pb::SEVERITY_SEV2:
      return "error";
    case pb::SEVERITY_SEV3:
      return "warning";
    default:
      return "info";
  }
}

std::string EventTitle(const pb::IncidentEvent& event) {
  const pb::Incident& incident = event.incident();
  std::string what;
  if (event.type() == kEventOpened) {
    what = "opened";
  } else if (event.type() == kEventStatusChanged) {
    what = absl::StrCat("is now ", StatusName(incident.status()));
  } else if (event.type() == kEventSeverityChanged) {
    what = absl::StrCat("is now ", SeverityName(incident.severity()));
  } else {
    what = "closed";
  }
  return absl::StrCat("Incident #", incident.id(), " ", what, ": ", incident.title());
}

std::string EventText(const pb::IncidentEvent& event, const pb::Incident& current) {
  const pb::Incident& incident = event.incident();
  std::vector<std::string> lines;
  if (!event.entry().text().empty()) lines.push_back(event.entry().text());
  lines.push_back(absl::StrCat("**Severity:** ", SeverityName(incident.severity()),
                               " | **Status:** ", StatusName(incident.status()), " | **Domain:** ",
                               incident.domain()));
  if (event.type() == kEventOpened && !incident.description().empty()) {
    lines.push_back(incident.description());
  }
  if (const pb::Link* channel = FindLink(current, "slack_channel")) {
    lines.push_back(absl::StrCat("Slack: ", channel->url()));
  }
  // "%%% \n … \n %%%" makes Datadog render the text as markdown.
  std::string body = Truncate(absl::StrJoin(lines, "\n\n"), kTextLimit - 12);
  return absl::StrCat("%%% \n", body, "\n %%%");
}

class DatadogNotifier final : public Notifier {
 public:
  DatadogNotifier(DatadogConfig config, HttpClient* http, const Clock* clock)
      : config_(std::move(config)), http_(http), clock_(clock) {}

  absl::string_view name() const override { return kName; }

  bool Interested(const pb::IncidentEvent& event) const override {
    return event.type() == kEventOpened || event.type() == kEventStatusChanged ||
           event.type() == kEventSeverityChanged || event.type() == kEventClosed;
  }

  absl::StatusOr<DeliveryResult> Deliver(const Delivery& delivery) override {
    DeliveryResult result;
    if (!Interested(delivery.event)) return result;
    FF_RETURN_IF_ERROR(PostEventOnce(delivery));
    if (delivery.event.type() == kEventOpened) {
      FF_RETURN_IF_ERROR(EnsureNotebook(delivery, &result));
    }
    return result;
  }

 private:
  absl::Status PostEventOnce(const Delivery& delivery);
  absl::Status EnsureNotebook(const Delivery& delivery, DeliveryResult* result);
  absl::StatusOr<std::string> FindNotebook(int64_t incident_id);
  absl::StatusOr<std::string> CreateNotebook(const Delivery& delivery);
  absl::StatusOr<json> Call(const std::string& method, const std::string& path_and_query,
                            const json* body, bool app_key, absl::string_view what);

  const DatadogConfig config_;
  HttpClient* const http_;
  const Clock* const clock_;
};

absl::Status DatadogNotifier::PostEventOnce(const Delivery& delivery) {
  const pb::IncidentEvent& event = delivery.event;
  const pb::Incident& incident = event.incident();
  int64_t when = event.entry().time().seconds() > 0 ? event.entry().time().seconds()
                                                    : absl::ToUnixSeconds(clock_->Now());
  std::string marker = absl::StrCat("firefighter_event:", event.sequence());
  FF_ASSIGN_OR_RETURN(
      json found, Call("GET",
                       absl::StrCat("/api/v1/events?start=", when - kSearchSlackSeconds, "&end=",
                                    when + kSearchSlackSeconds, "&tags=", UrlEncode(marker)),
                       nullptr, true, "datadog event lookup"));
  if (found.contains("events") && found["events"].is_array() && !found["events"].empty()) {
    return absl::OkStatus();  // posted by an earlier attempt of this delivery
  }
  std::vector<std::string> tags = {absl::StrCat("incident:", incident.id()),
                                   absl::StrCat("severity:", SeverityTag(incident.severity())),
                                   absl::StrCat("domain:", incident.domain()), marker};
  tags.insert(tags.end(), config_.tags.begin(), config_.tags.end());
  json body = {{"title", EventTitle(event)},
               {"text", EventText(event, delivery.current)},
               {"date_happened", when},
               {"aggregation_key", absl::StrCat("firefighter-incident-", incident.id())},
               {"alert_type", AlertType(event)},
               {"priority", "normal"},
               {"source_type_name", "firefighter"},
               {"tags", tags}};
  return Call("POST", "/api/v1/events", &body, false, "datadog event").status();
}

absl::Status DatadogNotifier::EnsureNotebook(const Delivery& delivery, DeliveryResult* result) {
  if (FindLink(delivery.current, "datadog_notebook") != nullptr) return absl::OkStatus();
  const pb::Incident& incident = delivery.event.incident();
  FF_ASSIGN_OR_RETURN(std::string id, FindNotebook(incident.id()));
  if (id.empty()) {
    FF_ASSIGN_OR_RETURN(id, CreateNotebook(delivery));
  }
  pb::Link link;
  link.set_kind("datadog_notebook");
  link.set_external_id(id);
  link.set_url(absl::StrCat(config_.app_url, "/notebook/", id));
  result->note = absl::StrCat("Datadog notebook: ", link.url());
  result->links.push_back(std::move(link));
  return absl::OkStatus();
}

// FindNotebook returns the id of the incident's notebook, or "" when none.
absl::StatusOr<std::string> DatadogNotifier::FindNotebook(int64_t incident_id) {
  std::string prefix = NotebookPrefix(incident_id);
  FF_ASSIGN_OR_RETURN(json found, Call("GET",
                                       absl::StrCat("/api/v1/notebooks?query=", UrlEncode(prefix),
                                                    "&include_cells=false"),
                                       nullptr, true, "datadog notebook lookup"));
  if (!found.contains("data") || !found["data"].is_array()) return std::string();
  for (const json& notebook : found["data"]) {
    if (!notebook.is_object() || !notebook.contains("attributes")) continue;
    std::string name = notebook["attributes"].value("name", "");
    // The query is a substring match: "Incident #4:" must not find "#42:".
    if (absl::StartsWith(name, prefix) && notebook.contains("id")) {
      return notebook["id"].is_string() ? notebook["id"].get<std::string>() : notebook["id"].dump();
    }
  }
  return std::string();
}

absl::StatusOr<std::string> DatadogNotifier::CreateNotebook(const Delivery& delivery) {
  const pb::Incident& incident = delivery.event.incident();
  std::string name = Truncate(absl::StrCat(NotebookPrefix(incident.id()), " ", incident.title()),
                              kNotebookNameLimit);
  std::string text = absl::StrCat(
      "## ", name, "\n\n**Severity:** ", SeverityName(incident.severity()), " | **Domain:** ",
      incident.domain(), " | **Reporter:** ", incident.reporter(), "\n\n", incident.description());
  if (const pb::Link* channel = FindLink(delivery.current, "slack_channel")) {
    absl::StrAppend(&text, "\n\nSlack: ", channel->url());
  }
  json cell = {{"type", "notebook_cells"},
               {"attributes", {{"definition", {{"type", "markdown"}, {"text", text}}}}}};
  json body = {{"data",
                {{"type", "notebooks"},
                 {"attributes",
                  {{"name", name},
                   {"time", {{"live_span", "4h"}}},
                   {"status", "published"},
                   {"cells", json::array({cell})}}}}}};
  FF_ASSIGN_OR_RETURN(json created,
                      Call("POST", "/api/v1/notebooks", &body, true, "datadog notebook create"));
  if (!created.contains("data") || !created["data"].is_object() ||
      !created["data"].contains("id")) {
    return absl::UnavailableError("datadog notebook create: response has no data.id");
  }
  const json& id = created["data"]["id"];
  return id.is_string() ? id.get<std::string>() : id.dump();
}

absl::StatusOr<json> DatadogNotifier::Call(const std::string& method,
                                           const std::string& path_and_query, const json* body,
                                           bool app_key, absl::string_view what) {
  HttpRequest request;
  request.method = method;
  request.url = absl::StrCat(config_.base_url, path_and_query);
  request.headers = {{"DD-API-KEY", config_.api_key}, {"Accept", "application/json"}};
  // POST /api/v1/events takes the API key only; everything else needs both.
  if (app_key) request.headers.emplace_back("DD-APPLICATION-KEY", config_.app_key);
  if (body != nullptr) {
    request.headers.emplace_back("Content-Type", "application/json");
    request.body = body->dump();
  }
  request.timeout = config_.timeout;
  FF_ASSIGN_OR_RETURN(HttpResponse response, http_->Send(request));
  FF_RETURN_IF_ERROR(HttpStatusError(response, what));
  // Event ids exceed 2^53: nlohmann keeps integers as int64/uint64, never double.
  json parsed = json::parse(response.body, nullptr, false);
  if (parsed.is_discarded() || !parsed.is_object()) {
    return absl::UnavailableError(absl::StrCat(what, ": response is not a JSON object"));
  }
  return parsed;
}

class DatadogNotifierFactory final : public NotifierFactory {
 public:
  absl::string_view name() const override { return kName; }

  absl::StatusOr<std::unique_ptr<Notifier>> Create(const json& config,
                                                   const NotifierEnv& env) const override {
    if (env.http == nullptr || env.clock == nullptr) {
      return absl::FailedPreconditionError("datadog notifier needs an HTTP client and a clock");
    }
    ConfigReader reader("notifiers.datadog", config);
    DatadogConfig parsed;
    FF_ASSIGN_OR_RETURN(parsed.base_url, reader.Url("base_url", "https://api.datadoghq.com"));
    FF_ASSIGN_OR_RETURN(parsed.app_url, reader.Url("app_url", "https://app.datadoghq.com"));
    FF_ASSIGN_OR_RETURN(parsed.api_key, reader.Secret("api_key_env", env));
    FF_ASSIGN_OR_RETURN(parsed.app_key, reader.Secret("app_key_env", env));
    FF_ASSIGN_OR_RETURN(parsed.tags, reader.Strings("tags"));
    for (size_t i = 0; i < parsed.tags.size(); ++i) {
      if (parsed.tags[i].empty() || parsed.tags[i].find(',') != std::string::npos) {
        return reader.Error(absl::StrCat("tags[", i, "]"),
                            "must be a non-empty tag without commas, e.g. \"team:sre\"");
      }
    }
    FF_ASSIGN_OR_RETURN(parsed.timeout, reader.Timeout());
    FF_RETURN_IF_ERROR(reader.Finish());
    return std::unique_ptr<Notifier>(
        std::make_unique<DatadogNotifier>(std::move(parsed), env.http, env.clock));
  }
};

}  // namespace

std::unique_ptr<NotifierFactory> MakeDatadogNotifierFactory() {
  return std::make_unique<DatadogNotifierFactory>();
}

}  // namespace ff
