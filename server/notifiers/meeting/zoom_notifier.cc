#include "server/notifiers/meeting/zoom_notifier.h"

#include <set>
#include <string>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "clients/http/encoding.h"
#include "clients/zoom/zoom_client.h"
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

struct ZoomConfig {
  std::string base_url;
  std::string token;
  std::set<int> severities;
  absl::Duration timeout;
  std::string installation_id;
};

bool HasCallLink(const pb::Incident& incident) { return FindLink(incident, kCallLink) != nullptr; }

// TopicPrefix ends in ':' so "#4:" never matches "#42: …".
std::string TopicPrefix(const pb::Incident& incident) {
  return absl::StrCat("Incident #", incident.id(), ":");
}

class ZoomNotifier final : public Notifier {
 public:
  ZoomNotifier(ZoomConfig config, HttpClient* http, const Clock* clock)
      : config_(std::move(config)),
        client_(http, config_.base_url, config_.token, config_.timeout),
        clock_(clock) {}

  absl::string_view name() const override { return kName; }

  bool Interested(const pb::IncidentEvent& event) const override {
    if (config_.severities.count(event.incident().severity()) == 0) return false;
    if (event.type() == kEventOpened) return true;
    return event.type() == kEventSeverityChanged && !HasCallLink(event.incident());
  }

  absl::StatusOr<DeliveryResult> Deliver(const Delivery& delivery) override {
    if (HasCallLink(delivery.current)) return DeliveryResult{};
    const pb::Incident& incident = delivery.event.incident();
    FF_ASSIGN_OR_RETURN(std::optional<ZoomMeeting> meeting, FindMeeting(incident));
    if (!meeting) {
      FF_ASSIGN_OR_RETURN(meeting, client_.CreateMeeting(MeetingBody(incident)));
    }
    DeliveryResult result;
    pb::Link link;
    link.set_kind(kCallLink);
    link.set_url(meeting->join_url);
    link.set_external_id(std::to_string(meeting->id));
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
  // "Incident #<id>:" and, read one by one (the list leaves out agendas), an
  // agenda ending in our marker.
  absl::StatusOr<std::optional<ZoomMeeting>> FindMeeting(const pb::Incident& incident) {
    const std::string prefix = TopicPrefix(incident);
    std::string page_token;
    for (int page = 0; page < kMaxListPages; ++page) {
      FF_ASSIGN_OR_RETURN(ZoomMeetingPage listed, client_.ListScheduledMeetings(page_token));
      for (const ZoomMeeting& m : listed.meetings) {
        if (!absl::StartsWith(m.topic, prefix)) continue;
        FF_ASSIGN_OR_RETURN(ZoomMeeting meeting, client_.GetMeeting(m.id));
        if (absl::EndsWith(meeting.agenda, Marker(incident))) return meeting;
      }
      page_token = listed.next_page_token;
      if (page_token.empty()) break;
    }
    return std::optional<ZoomMeeting>();
  }

  // MeetingBody is the create body of the incident call: a scheduled meeting
  // starting now, whose agenda ends in our marker.
  json MeetingBody(const pb::Incident& incident) const {
    std::string topic =
        TruncateUtf8(absl::StrCat(TopicPrefix(incident), " ", incident.title()), kMaxTopicBytes);
    std::string marker = Marker(incident);
    std::string agenda = absl::StrCat(
        TruncateUtf8(absl::StrCat(SeverityName(incident.severity()), " incident",
                                  incident.domain().empty() ? "" : " in " + incident.domain(), ". ",
                                  incident.description()),
                     kMaxAgendaBytes - marker.size() - 2),
        "\n\n", marker);
    return {
        {"topic", topic},
        {"type", 2},  // scheduled: unlike instant meetings it stays joinable for days
        {"start_time", absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", clock_->Now(), absl::UTCTimeZone())},
        {"duration", 60},
        {"timezone", "UTC"},
        {"agenda", agenda},
        {"settings", {{"join_before_host", true}, {"waiting_room", false}}}};
  }

  const ZoomConfig config_;
  ZoomClient client_;
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
