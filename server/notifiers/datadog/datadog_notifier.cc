#include "server/notifiers/datadog/datadog_notifier.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "clients/datadog/datadog_client.h"
#include "clients/http/encoding.h"
#include "clients/http/http_client.h"
#include "common/status_macros.h"
#include "server/core/names.h"
#include "server/core/time_util.h"
#include "server/core/workflow.h"
#include "server/notifiers/budgeted_notifier.h"
#include "server/notifiers/config_reader.h"
#include "server/notifiers/delivery_steps.h"
#include "server/notifiers/links.h"

namespace ff {
namespace {

using json = nlohmann::json;

constexpr char kName[] = "datadog";
constexpr size_t kTextLimit = 4000;  // events v1 text
constexpr size_t kNotebookNameLimit = 80;
// Events are searched in a window around date_happened, which is exact.
constexpr int64_t kSearchSlackSeconds = 60;
// Datadog documents no bound on how soon a posted event can be searched; two
// minutes leaves a wide margin over what is seen in practice, and only a
// retry after a lost answer waits for it.
constexpr int64_t kDefaultIndexDelaySeconds = 120;
// A doubtful post that is then not found is posted again under a new step;
// a delivery that loses this many answers in a row gives up.
constexpr int kMaxEventPosts = 20;

struct DatadogConfig {
  std::string base_url;
  std::string app_url;
  std::string api_key;
  std::string app_key;
  std::vector<std::string> tags;
  absl::Duration timeout;
  absl::Duration index_delay;
  std::string installation_id;
};

std::string NotebookPrefix(int64_t incident_id) {
  return absl::StrCat("Incident #", incident_id, ":");
}

// NotebookMarker ends the name of this installation's notebook for an
// incident: the notebook list searches names only.
std::string NotebookMarker(absl::string_view installation_id, int64_t incident_id) {
  return absl::StrCat("[ff-", installation_id, "-", incident_id, "]");
}

std::string InstallationTag(absl::string_view installation_id) {
  return absl::StrCat("firefighter_installation:", installation_id);
}

// EventTag marks the event of one delivery: ids of events are only unique
// within one installation's database.
std::string EventTag(absl::string_view installation_id, int64_t sequence) {
  return absl::StrCat("firefighter_event:", installation_id, "-", sequence);
}

bool HasTag(const json& event, const std::string& wanted) {
  if (!event.is_object() || !event.contains("tags") || !event["tags"].is_array()) return false;
  for (const json& tag : event["tags"]) {
    if (tag.is_string() && tag.get<std::string>() == wanted) return true;
  }
  return false;
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
  std::string body = TruncateUtf8(absl::StrJoin(lines, "\n\n"), kTextLimit - 12);
  return absl::StrCat("%%% \n", body, "\n %%%");
}

class DatadogNotifier final : public Notifier {
 public:
  DatadogNotifier(DatadogConfig config, HttpClient* http, const Clock* clock)
      : config_(std::move(config)),
        client_(http, config_.base_url, config_.api_key, config_.app_key, config_.timeout),
        clock_(clock) {}

  absl::string_view name() const override { return kName; }

  bool Interested(const pb::IncidentEvent& event) const override {
    return event.type() == kEventOpened || event.type() == kEventStatusChanged ||
           event.type() == kEventSeverityChanged || event.type() == kEventClosed;
  }

  absl::StatusOr<DeliveryResult> Deliver(const Delivery& delivery) override {
    DeliveryResult result;
    if (!Interested(delivery.event)) return result;
    DeliverySteps steps(delivery);
    FF_RETURN_IF_ERROR(PostEventOnce(delivery, steps));
    if (delivery.event.type() == kEventOpened) {
      FF_RETURN_IF_ERROR(EnsureNotebook(delivery, &result));
    }
    return result;
  }

 private:
  absl::Status PostEventOnce(const Delivery& delivery, DeliverySteps& steps);
  absl::StatusOr<json> PostOrNoteDoubt(const Delivery& delivery, bool in_doubt);
  absl::StatusOr<json> CheckDoubtfulPost(const Delivery& delivery, const json& posted);
  absl::StatusOr<bool> EventPosted(const Delivery& delivery);
  absl::Status PostEvent(const Delivery& delivery);
  absl::Status EnsureNotebook(const Delivery& delivery, DeliveryResult* result);
  absl::StatusOr<std::string> FindNotebook(int64_t incident_id);
  absl::StatusOr<std::string> CreateNotebook(const Delivery& delivery);

  int64_t EventTime(const pb::IncidentEvent& event) const {
    return event.entry().time().seconds() > 0 ? event.entry().time().seconds()
                                              : absl::ToUnixSeconds(clock_->Now());
  }

  const DatadogConfig config_;
  DatadogClient client_;
  const Clock* const clock_;
};

// PostEventOnce posts the delivery's event as step "event.<n>". A first try,
// or a retry after a definite refusal, posts straight away. A try whose
// answer was lost records when that was noticed ({"doubt_seen": seconds});
// step "event.<n>.check" then searches for the event once the index delay
// has passed, and a post that is not found is made again as "event.<n+1>".
absl::Status DatadogNotifier::PostEventOnce(const Delivery& delivery, DeliverySteps& steps) {
  for (int n = 0; n < kMaxEventPosts; ++n) {
    std::string step = absl::StrCat("event.", n);
    FF_ASSIGN_OR_RETURN(json posted, steps.Run(step, [&](bool in_doubt) {
      return PostOrNoteDoubt(delivery, in_doubt);
    }));
    if (!posted.contains("doubt_seen")) return absl::OkStatus();
    FF_ASSIGN_OR_RETURN(json checked, steps.Run(
                                          absl::StrCat(step, ".check"),
                                          [&](bool) { return CheckDoubtfulPost(delivery, posted); },
                                          /*guarded=*/false));
    if (checked.value("found", false)) return absl::OkStatus();
  }
  return absl::UnavailableError(
      absl::StrCat("datadog event: ", kMaxEventPosts, " posts in a row got no answer; giving up"));
}

// PostOrNoteDoubt posts the event, or — when an earlier post of this step
// may have landed — records when that doubt was noticed instead.
absl::StatusOr<json> DatadogNotifier::PostOrNoteDoubt(const Delivery& delivery, bool in_doubt) {
  if (in_doubt) return json{{"doubt_seen", absl::ToUnixSeconds(clock_->Now())}};
  FF_RETURN_IF_ERROR(PostEvent(delivery));
  return json{{"posted", true}};
}

// CheckDoubtfulPost returns {"found": bool} once the index delay has passed
// since the doubt was noticed (and so since the doubtful post); before that,
// UNAVAILABLE with the time left as Retry-After, so that a search cannot miss
// an event that is still being indexed.
absl::StatusOr<json> DatadogNotifier::CheckDoubtfulPost(const Delivery& delivery,
                                                        const json& posted) {
  absl::Time searchable =
      absl::FromUnixSeconds(posted.value("doubt_seen", int64_t{0})) + config_.index_delay;
  absl::Duration remaining = searchable - clock_->Now();
  if (remaining > absl::ZeroDuration()) {
    return WithRetryAfter(
        absl::UnavailableError(absl::StrCat(
            "datadog event: an earlier post may have succeeded; searching once it is indexed, in ",
            absl::FormatDuration(remaining))),
        remaining);
  }
  FF_ASSIGN_OR_RETURN(bool found, EventPosted(delivery));
  return json{{"found", found}};
}

// EventPosted searches for this installation's event of the delivery.
absl::StatusOr<bool> DatadogNotifier::EventPosted(const Delivery& delivery) {
  int64_t when = EventTime(delivery.event);
  std::string tag = EventTag(config_.installation_id, delivery.event.sequence());
  FF_ASSIGN_OR_RETURN(std::vector<json> found, client_.FindEvents(when - kSearchSlackSeconds,
                                                                  when + kSearchSlackSeconds, tag));
  for (const json& event : found) {
    if (HasTag(event, tag) && HasTag(event, InstallationTag(config_.installation_id))) {
      return true;
    }
  }
  return false;
}

absl::Status DatadogNotifier::PostEvent(const Delivery& delivery) {
  const pb::IncidentEvent& event = delivery.event;
  const pb::Incident& incident = event.incident();
  std::vector<std::string> tags = {absl::StrCat("incident:", incident.id()),
                                   absl::StrCat("severity:", SeverityTag(incident.severity())),
                                   absl::StrCat("domain:", incident.domain()),
                                   InstallationTag(config_.installation_id),
                                   EventTag(config_.installation_id, event.sequence())};
  tags.insert(tags.end(), config_.tags.begin(), config_.tags.end());
  json body = {{"title", EventTitle(event)},
               {"text", EventText(event, delivery.current)},
               {"date_happened", EventTime(event)},
               {"aggregation_key", absl::StrCat("firefighter-incident-", incident.id())},
               {"alert_type", AlertType(event)},
               {"priority", "normal"},
               {"source_type_name", "firefighter"},
               {"tags", tags}};
  return client_.PostEvent(body);
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

// FindNotebook returns the id of this installation's notebook for the
// incident, or "" when none: only a name ending in our marker counts, never
// an older notebook of the same incident number (another installation's, or
// one from before markers).
absl::StatusOr<std::string> DatadogNotifier::FindNotebook(int64_t incident_id) {
  std::string marker = NotebookMarker(config_.installation_id, incident_id);
  FF_ASSIGN_OR_RETURN(std::vector<DatadogNotebook> found, client_.FindNotebooks(marker));
  for (const DatadogNotebook& notebook : found) {
    // The query is a substring match: check the whole marker ends the name.
    if (absl::EndsWith(notebook.name, marker)) return notebook.id;
  }
  return std::string();
}

absl::StatusOr<std::string> DatadogNotifier::CreateNotebook(const Delivery& delivery) {
  const pb::Incident& incident = delivery.event.incident();
  std::string marker = NotebookMarker(config_.installation_id, incident.id());
  std::string title =
      TruncateUtf8(absl::StrCat(NotebookPrefix(incident.id()), " ", incident.title()),
                   kNotebookNameLimit - marker.size() - 1);
  std::string name = absl::StrCat(title, " ", marker);
  std::string text = absl::StrCat(
      "## ", title, "\n\n**Severity:** ", SeverityName(incident.severity()), " | **Domain:** ",
      incident.domain(), " | **Reporter:** ", incident.reporter(), "\n\n", incident.description());
  if (const pb::Link* channel = FindLink(delivery.current, "slack_channel")) {
    absl::StrAppend(&text, "\n\nSlack: ", channel->url());
  }
  absl::StrAppend(&text, "\n\n_Kept by FireFighter installation ", config_.installation_id, "._");
  json cell = {{"type", "notebook_cells"},
               {"attributes", {{"definition", {{"type", "markdown"}, {"text", text}}}}}};
  json body = {{"data",
                {{"type", "notebooks"},
                 {"attributes",
                  {{"name", name},
                   {"time", {{"live_span", "4h"}}},
                   {"status", "published"},
                   {"cells", json::array({cell})}}}}}};
  return client_.CreateNotebook(body);
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
    FF_ASSIGN_OR_RETURN(int64_t index_delay_s,
                        reader.Int("index_delay_s", kDefaultIndexDelaySeconds, 0, 3600));
    parsed.index_delay = absl::Seconds(index_delay_s);
    // Datadog publishes no per-minute limit that one installation could
    // reach (250,000 events a minute per org): unpaced, but a 429 pauses it.
    FF_ASSIGN_OR_RETURN(auto limits, reader.RateLimits({{"api", {0, absl::Minutes(1)}}}));
    FF_RETURN_IF_ERROR(reader.Finish());
    if (env.installation_id.empty()) {
      return absl::InternalError("notifiers.datadog: no installation id");
    }
    parsed.installation_id = env.installation_id;
    return MakeBudgetedNotifier(
        env, std::move(limits), [](const HttpRequest&) { return "api"; },
        [&parsed](const NotifierEnv& budgeted) -> absl::StatusOr<std::unique_ptr<Notifier>> {
          return std::unique_ptr<Notifier>(
              std::make_unique<DatadogNotifier>(std::move(parsed), budgeted.http, budgeted.clock));
        });
  }
};

}  // namespace

std::unique_ptr<NotifierFactory> MakeDatadogNotifierFactory() {
  return std::make_unique<DatadogNotifierFactory>();
}

}  // namespace ff
