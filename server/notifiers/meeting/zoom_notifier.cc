#include "server/notifiers/meeting/zoom_notifier.h"

#include <set>
#include <string>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "clients/http/encoding.h"
#include "clients/http/json_call.h"
#include "common/status_macros.h"
#include "server/core/names.h"
#include "server/core/workflow.h"
#include "server/notifiers/budgeted_notifier.h"
#include "server/notifiers/config_reader.h"
#include "server/notifiers/links.h"

namespace ff {
namespace {

using json = nlohmann::json;

constexpr char kName[] = "meeting";
constexpr char kCallLink[] = "call";
constexpr size_t kMaxTopicBytes = 200;    // Zoom's topic limit
constexpr size_t kMaxAgendaBytes = 2000;  // Zoom's agenda limit
constexpr int kMaxListPages = 10;         // 3000 meetings: far beyond a host's live set
constexpr char kListMeetings[] = "zoom: list meetings";

struct ZoomConfig {
  std::string base_url;
  std::string token;
  std::set<int> severities;
  absl::Duration timeout;
  std::string installation_id;
};

struct Meeting {
  std::string id;
  std::string join_url;
};

bool HasCallLink(const pb::Incident& incident) { return FindLink(incident, kCallLink) != nullptr; }

// TopicPrefix ends in ':' so "#4:" never matches "#42: …".
std::string TopicPrefix(const pb::Incident& incident) {
  return absl::StrCat("Incident #", incident.id(), ":");
}

class ZoomNotifier final : public Notifier {
 public:
  ZoomNotifier(ZoomConfig config, HttpClient* http, const Clock* clock)
      : config_(std::move(config)), http_(http), clock_(clock) {}

  absl::string_view name() const override { return kName; }

  bool Interested(const pb::IncidentEvent& event) const override {
    if (config_.severities.count(event.incident().severity()) == 0) return false;
    if (event.type() == kEventOpened) return true;
    return event.type() == kEventSeverityChanged && !HasCallLink(event.incident());
  }

  absl::StatusOr<DeliveryResult> Deliver(const Delivery& delivery) override {
    if (HasCallLink(delivery.current)) return DeliveryResult{};
    const pb::Incident& incident = delivery.event.incident();
    FF_ASSIGN_OR_RETURN(std::optional<Meeting> meeting, FindMeeting(incident));
    if (!meeting) {
      FF_ASSIGN_OR_RETURN(meeting, CreateMeeting(incident));
    }
    DeliveryResult result;
    pb::Link link;
    link.set_kind(kCallLink);
    link.set_url(meeting->join_url);
    link.set_external_id(meeting->id);
    result.links.push_back(std::move(link));
    result.note = absl::StrCat("Incident call: ", meeting->join_url);
    return result;
  }

 private:
  // Marker ends the agenda of our meetings: the topic stays for people.
  std::string Marker(const pb::Incident& incident) const {
    return absl::StrCat("[FireFighter ", config_.installation_id, " incident ", incident.id(), "]");
  }

  // FindMeeting pages through the host's scheduled meetings for ours of
  // `incident` (a create whose answer was lost): topic starting with
  // "Incident #<id>:" and, read one by one, an agenda ending in our marker.
  absl::StatusOr<std::optional<Meeting>> FindMeeting(const pb::Incident& incident) {
    const std::string prefix = TopicPrefix(incident);
    std::string page_token;
    for (int page = 0; page < kMaxListPages; ++page) {
      QueryParams query = {{"type", "scheduled"}, {"page_size", "300"}};
      if (!page_token.empty()) query.emplace_back("next_page_token", page_token);
      HttpRequest request = NewRequest("GET");
      request.url = WithQuery(absl::StrCat(config_.base_url, "/v2/users/me/meetings"), query);
      FF_ASSIGN_OR_RETURN(json body, Send(request, kListMeetings));
      if (!body.contains("meetings") || !body["meetings"].is_array()) {
        return MalformedAnswer(kListMeetings, "answer has no meetings array");
      }
      for (const json& m : body["meetings"]) {
        if (!m.is_object() || !absl::StartsWith(m.value("topic", ""), prefix)) continue;
        FF_ASSIGN_OR_RETURN(std::optional<Meeting> ours, IfOurs(m, incident));
        if (ours) return ours;
      }
      page_token = body.value("next_page_token", "");
      if (page_token.empty()) break;
    }
    return std::optional<Meeting>();
  }

  // IfOurs reads the listed meeting `m` (the list leaves out the agenda) and
  // returns it when its agenda ends in our marker.
  absl::StatusOr<std::optional<Meeting>> IfOurs(const json& m, const pb::Incident& incident) {
    if (!m.contains("id") || !m["id"].is_number_integer()) {
      return MalformedAnswer(kListMeetings, "a meeting has no id");
    }
    HttpRequest request = NewRequest("GET");
    request.url = absl::StrCat(config_.base_url, "/v2/meetings/", m["id"].get<int64_t>());
    FF_ASSIGN_OR_RETURN(json meeting, Send(request, "zoom: get meeting"));
    if (!absl::EndsWith(meeting.value("agenda", ""), Marker(incident))) {
      return std::optional<Meeting>();
    }
    return MeetingOf(meeting, "zoom: get meeting");
  }

  absl::StatusOr<Meeting> CreateMeeting(const pb::Incident& incident) {
    std::string topic =
        TruncateUtf8(absl::StrCat(TopicPrefix(incident), " ", incident.title()), kMaxTopicBytes);
    std::string marker = Marker(incident);
    std::string agenda = absl::StrCat(
        TruncateUtf8(absl::StrCat(SeverityName(incident.severity()), " incident",
                                  incident.domain().empty() ? "" : " in " + incident.domain(), ". ",
                                  incident.description()),
                     kMaxAgendaBytes - marker.size() - 2),
        "\n\n", marker);
    json payload = {
        {"topic", topic},
        {"type", 2},  // scheduled: unlike instant meetings it stays joinable for days
        {"start_time", absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", clock_->Now(), absl::UTCTimeZone())},
        {"duration", 60},
        {"timezone", "UTC"},
        {"agenda", agenda},
        {"settings", {{"join_before_host", true}, {"waiting_room", false}}}};
    HttpRequest request = NewRequest("POST");
    request.url = absl::StrCat(config_.base_url, "/v2/users/me/meetings");
    request.headers.emplace_back("Content-Type", "application/json");
    request.body = payload.dump();
    FF_ASSIGN_OR_RETURN(json body, Send(request, "zoom: create meeting"));
    FF_ASSIGN_OR_RETURN(std::optional<Meeting> meeting, MeetingOf(body, "zoom: create meeting"));
    return *meeting;
  }

  static absl::StatusOr<std::optional<Meeting>> MeetingOf(const json& m, const std::string& what) {
    if (!m.contains("id") || !m["id"].is_number_integer() ||
        !m.value("join_url", json()).is_string()) {
      return MalformedAnswer(what, "answer has no meeting id or join_url");
    }
    return Meeting{std::to_string(m["id"].get<int64_t>()), m["join_url"].get<std::string>()};
  }

  HttpRequest NewRequest(const std::string& method) const {
    HttpRequest request;
    request.method = method;
    request.timeout = config_.timeout;
    request.headers.emplace_back("Authorization", "Bearer " + config_.token);
    request.headers.emplace_back("Accept", "application/json");
    return request;
  }

  absl::StatusOr<json> Send(const HttpRequest& request, const std::string& what) {
    FF_ASSIGN_OR_RETURN(JsonResponse answer, SendJson(*http_, request, what));
    if (!answer.body.is_object()) return MalformedAnswer(what, "answer is not a JSON object");
    return std::move(answer.body);
  }

  const ZoomConfig config_;
  HttpClient* const http_;
  const Clock* const clock_;
};

class ZoomNotifierFactory final : public NotifierFactory {
 public:
  absl::string_view name() const override { return kName; }

  absl::StatusOr<std::unique_ptr<Notifier>> Create(const json& config,
                                                   const NotifierEnv& env) const override {
    ConfigReader reader(absl::StrCat("notifiers.", kName), config);
    ZoomConfig out;
    FF_ASSIGN_OR_RETURN(out.base_url, reader.Url("base_url", "https://api.zoom.us"));
    FF_ASSIGN_OR_RETURN(out.token, reader.Secret("token_env", env));
    FF_ASSIGN_OR_RETURN(out.severities,
                        reader.Severities("severities", {pb::SEVERITY_SEV1, pb::SEVERITY_SEV2}));
    if (out.severities.empty()) {
      return reader.Error("severities", "must list at least one severity");
    }
    FF_ASSIGN_OR_RETURN(out.timeout, reader.Timeout());
    // Zoom allows 100 meeting creations a day per host; other calls are
    // paced only by their 429s.
    FF_ASSIGN_OR_RETURN(auto limits, reader.RateLimits({{"meetings.create", {100, absl::Hours(24)}},
                                                        {"api", {0, absl::Minutes(1)}}}));
    FF_RETURN_IF_ERROR(reader.Finish());
    if (env.http == nullptr || env.clock == nullptr) {
      return absl::InvalidArgumentError("meeting: no HTTP client or clock");
    }
    if (env.installation_id.empty()) {
      return absl::InternalError("notifiers.meeting: no installation id");
    }
    out.installation_id = env.installation_id;
    return MakeBudgetedNotifier(
        env, std::move(limits),
        [](const HttpRequest& request) {
          const bool create = request.method == "POST" && absl::EndsWith(request.url, "/meetings");
          return create ? "meetings.create" : "api";
        },
        [&out](const NotifierEnv& budgeted) -> absl::StatusOr<std::unique_ptr<Notifier>> {
          return std::unique_ptr<Notifier>(
              new ZoomNotifier(std::move(out), budgeted.http, budgeted.clock));
        });
  }
};

}  // namespace

std::unique_ptr<NotifierFactory> MakeZoomNotifierFactory() {
  return std::make_unique<ZoomNotifierFactory>();
}

}  // namespace ff
