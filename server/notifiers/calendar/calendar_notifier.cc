#include "server/notifiers/calendar/calendar_notifier.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "clients/google_calendar/google_calendar_client.h"
#include "clients/http/http_client.h"
#include "common/status_macros.h"
#include "server/core/names.h"
#include "server/core/time_util.h"
#include "server/core/workflow.h"
#include "server/notifiers/budgeted_notifier.h"
#include "server/notifiers/calendar/ics.h"
#include "server/notifiers/calendar/meeting_plan.h"
#include "server/notifiers/config_reader.h"
#include "server/notifiers/links.h"

namespace ff {
namespace {

using json = nlohmann::json;

constexpr char kName[] = "calendar";

struct MeetingPlan {
  int64_t incident_id = 0;
  absl::Time start;
  absl::Time end;
  std::string summary;
  std::string description;
  std::vector<std::string> attendees;
};

struct PlacedMeeting {
  std::string id;   // event id or UID
  std::string url;  // htmlLink or the .ics URL
};

// MeetingBackend puts a planned meeting in a calendar, idempotently.
class MeetingBackend {
 public:
  virtual ~MeetingBackend() = default;
  virtual absl::StatusOr<PlacedMeeting> Place(const MeetingPlan& plan) = 0;
};

std::string Rfc3339(absl::Time t) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", t, absl::UTCTimeZone());
}

// GoogleCalendarBackend: events.insert with a deterministic event id.
class GoogleCalendarBackend final : public MeetingBackend {
 public:
  GoogleCalendarBackend(GoogleCalendarClient client, std::string installation_id)
      : client_(std::move(client)), installation_id_(std::move(installation_id)) {}

  absl::StatusOr<PlacedMeeting> Place(const MeetingPlan& plan) override {
    // base32hex (0-9, a-v), 5–1024 characters: Google's rule for client ids;
    // the installation id is lower-case hex, which base32hex includes.
    std::string id = absl::StrCat("ff", installation_id_, "pm", plan.incident_id);
    json attendees = json::array();
    for (const std::string& email : plan.attendees) attendees.push_back({{"email", email}});
    json event = {{"id", id},
                  {"summary", plan.summary},
                  {"description", plan.description},
                  {"start", {{"dateTime", Rfc3339(plan.start)}, {"timeZone", "UTC"}}},
                  {"end", {{"dateTime", Rfc3339(plan.end)}, {"timeZone", "UTC"}}},
                  {"attendees", attendees},
                  {"extendedProperties", {{"private", Marker(plan.incident_id)}}}};
    absl::StatusOr<GoogleCalendarEvent> inserted = client_.InsertEvent(event);
    if (absl::IsAlreadyExists(inserted.status())) {
      // Inserted by an earlier attempt whose answer was lost: read it back,
      // and adopt it only if it carries our marker.
      FF_ASSIGN_OR_RETURN(GoogleCalendarEvent got, client_.GetEvent(id));
      if (!IsOurs(got, plan.incident_id)) {
        return absl::FailedPreconditionError(
            absl::StrCat("google calendar: get event ", id,
                         ": the event exists but is not incident #", plan.incident_id,
                         "'s of FireFighter installation ", installation_id_, "; not adopting it"));
      }
      return PlacedMeeting{got.id, got.html_link};
    }
    FF_RETURN_IF_ERROR(inserted.status());
    return PlacedMeeting{inserted->id, inserted->html_link};
  }

 private:
  json Marker(int64_t incident_id) const {
    return {{"firefighterInstallation", installation_id_},
            {"firefighterIncident", std::to_string(incident_id)}};
  }

  // IsOurs is true when `event`'s private properties name our installation
  // and `incident_id` (other properties may sit beside them).
  bool IsOurs(const GoogleCalendarEvent& event, int64_t incident_id) const {
    const json& marker = event.private_properties;
    return marker.is_object() &&
           marker.value("firefighterInstallation", json()) == installation_id_ &&
           marker.value("firefighterIncident", json()) == std::to_string(incident_id);
  }

  GoogleCalendarClient client_;
  const std::string installation_id_;
};

// IcsFileBackend writes one invitation file per incident.
class IcsFileBackend final : public MeetingBackend {
 public:
  IcsFileBackend(std::filesystem::path dir, std::string base_url, std::string organizer,
                 const Clock* clock, std::string installation_id)
      : dir_(std::move(dir)),
        base_url_(std::move(base_url)),
        organizer_(std::move(organizer)),
        clock_(clock),
        installation_id_(std::move(installation_id)) {}

  absl::StatusOr<PlacedMeeting> Place(const MeetingPlan& plan) override {
    // The installation id keeps another FireFighter's invitation for the
    // same incident number (file and UID) apart from ours.
    std::string stem =
        absl::StrCat("incident-", plan.incident_id, "-postmortem-", installation_id_);
    IcsEvent event;
    event.uid = absl::StrCat(stem, "@", organizer_.substr(organizer_.find('@') + 1));
    event.stamp = clock_->Now();
    event.start = plan.start;
    event.end = plan.end;
    event.summary = plan.summary;
    event.description = plan.description;
    event.organizer_name = "FireFighter";
    event.organizer_email = organizer_;
    event.attendee_emails = plan.attendees;
    std::filesystem::path path = dir_ / (stem + ".ics");
    FF_RETURN_IF_ERROR(WriteAtomically(path, RenderIcs(event)));
    std::string url =
        base_url_.empty() ? "file://" + path.string() : absl::StrCat(base_url_, "/", stem, ".ics");
    return PlacedMeeting{event.uid, url};
  }

 private:
  // WriteAtomically replaces `path` through a rename, so a reader never sees
  // half an invitation. Disk errors are UNAVAILABLE: space may come back.
  static absl::Status WriteAtomically(const std::filesystem::path& path, const std::string& text) {
    std::filesystem::path tmp = path;
    tmp += ".tmp";
    {
      std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
      out << text;
      out.flush();
      if (!out) {
        return absl::UnavailableError(
            absl::StrCat("calendar: cannot write ", tmp.string(), ": ", std::strerror(errno)));
      }
    }
    std::error_code error;
    std::filesystem::rename(tmp, path, error);
    if (error) {
      return absl::UnavailableError(
          absl::StrCat("calendar: cannot rename to ", path.string(), ": ", error.message()));
    }
    return absl::OkStatus();
  }

  const std::filesystem::path dir_;
  const std::string base_url_;
  const std::string organizer_;
  const Clock* const clock_;
  const std::string installation_id_;
};

struct PlanOptions {
  absl::Duration delay;
  int hour_utc = 14;
  absl::Duration duration;
};

class CalendarNotifier final : public Notifier {
 public:
  CalendarNotifier(std::unique_ptr<MeetingBackend> backend, PlanOptions options, const Clock* clock)
      : backend_(std::move(backend)), options_(options), clock_(clock) {}

  absl::string_view name() const override { return kName; }

  bool Interested(const pb::IncidentEvent& event) const override {
    return event.type() == kEventStatusChanged &&
           event.incident().status() == pb::STATUS_POSTMORTEM;
  }

  absl::StatusOr<DeliveryResult> Deliver(const Delivery& delivery) override {
    // A meeting the incident already links (one placed before markers
    // included) stays its postmortem meeting.
    if (FindLink(delivery.current, "postmortem_meeting") != nullptr) return DeliveryResult{};
    MeetingPlan plan = Plan(delivery);
    FF_ASSIGN_OR_RETURN(PlacedMeeting meeting, backend_->Place(plan));
    DeliveryResult result;
    pb::Link link;
    link.set_kind("postmortem_meeting");
    link.set_url(meeting.url);
    link.set_external_id(meeting.id);
    result.links.push_back(std::move(link));
    result.note =
        absl::StrCat("Postmortem meeting: ", FormatMeetingTime(plan.start), " ", meeting.url);
    return result;
  }

 private:
  MeetingPlan Plan(const Delivery& delivery) const {
    const pb::Incident& snapshot = delivery.event.incident();
    const pb::Incident& latest = delivery.current.id() != 0 ? delivery.current : snapshot;
    // postmortem_at is stored with the event: every retry plans the same slot.
    absl::Time reached = snapshot.has_postmortem_at() && IsValidTimestamp(snapshot.postmortem_at())
                             ? FromTimestamp(snapshot.postmortem_at())
                             : clock_->Now();
    MeetingPlan plan;
    plan.incident_id = snapshot.id();
    plan.start = PlanMeetingStart(reached, options_.delay, options_.hour_utc);
    plan.end = plan.start + options_.duration;
    plan.summary = absl::StrCat("Postmortem: #", snapshot.id(), " ", snapshot.title());
    plan.description = absl::StrCat(
        "Postmortem meeting of incident #", snapshot.id(), " (", SeverityName(snapshot.severity()),
        snapshot.domain().empty() ? "" : ", " + snapshot.domain(), ").");
    for (const pb::Link& link : latest.links()) {
      if (link.kind() == "postmortem") absl::StrAppend(&plan.description, "\nDoc: ", link.url());
      if (link.kind() == "call") absl::StrAppend(&plan.description, "\nCall: ", link.url());
    }
    plan.attendees = AttendeeEmails(latest);
    return plan;
  }

  const std::unique_ptr<MeetingBackend> backend_;
  const PlanOptions options_;
  const Clock* const clock_;
};

class CalendarNotifierFactory final : public NotifierFactory {
 public:
  absl::string_view name() const override { return kName; }

  absl::StatusOr<std::unique_ptr<Notifier>> Create(const json& config,
                                                   const NotifierEnv& env) const override {
    ConfigReader reader(absl::StrCat("notifiers.", kName), config);
    // Google Calendar's quotas are per project and user, not per minute:
    // unpaced, but a 429 pauses it.
    FF_ASSIGN_OR_RETURN(auto limits, reader.RateLimits({{"api", {0, absl::Minutes(1)}}}));
    return MakeBudgetedNotifier(
        env, std::move(limits), [](const HttpRequest&) { return "api"; },
        [&](const NotifierEnv& budgeted) -> absl::StatusOr<std::unique_ptr<Notifier>> {
          FF_ASSIGN_OR_RETURN(std::unique_ptr<MeetingBackend> backend,
                              Backend(config, reader, budgeted));
          PlanOptions options;
          FF_ASSIGN_OR_RETURN(int64_t delay_hours, reader.Int("meeting_delay_hours", 48, 0, 720));
          FF_ASSIGN_OR_RETURN(int64_t hour, reader.Int("meeting_hour_utc", 14, 0, 23));
          FF_ASSIGN_OR_RETURN(int64_t minutes, reader.Int("duration_minutes", 60, 5, 480));
          options.delay = absl::Hours(delay_hours);
          options.hour_utc = static_cast<int>(hour);
          options.duration = absl::Minutes(minutes);
          FF_RETURN_IF_ERROR(reader.Finish());
          return std::unique_ptr<Notifier>(
              new CalendarNotifier(std::move(backend), options, budgeted.clock));
        });
  }

 private:
  // Backend builds the one configured back end, naming the key at fault.
  static absl::StatusOr<std::unique_ptr<MeetingBackend>> Backend(const json& config,
                                                                 ConfigReader& reader,
                                                                 const NotifierEnv& env) {
    if (env.http == nullptr || env.clock == nullptr) {
      return absl::InvalidArgumentError("calendar: no HTTP client or clock");
    }
    if (env.installation_id.empty()) {
      return absl::InternalError("notifiers.calendar: no installation id");
    }
    if (env.installation_id.find_first_not_of("0123456789abcdef") != std::string::npos) {
      return absl::InternalError(absl::StrCat("notifiers.calendar: installation id \"",
                                              env.installation_id,
                                              "\" is not lower-case hex (event ids need it)"));
    }
    bool google = config.contains("calendar_id") || config.contains("token_env");
    bool ics = config.contains("ics_dir");
    if (google && ics) {
      return reader.Error("ics_dir",
                          "cannot be combined with calendar_id/token_env: configure "
                          "Google Calendar or the .ics fallback, not both");
    }
    if (!google && !ics) {
      return reader.Error("calendar_id", "is required (or set ics_dir for the .ics fallback)");
    }
    FF_ASSIGN_OR_RETURN(std::string base_url, reader.Url("base_url", "https://www.googleapis.com"));
    FF_ASSIGN_OR_RETURN(absl::Duration timeout, reader.Timeout());
    FF_ASSIGN_OR_RETURN(std::string organizer,
                        reader.String("organizer_email", false, "firefighter@localhost"));
    if (config.contains("organizer_email") && !LooksLikeEmail(organizer)) {
      return reader.Error("organizer_email",
                          absl::StrCat("must be an email address, got \"", organizer, "\""));
    }
    if (google) {
      if (config.contains("ics_base_url")) {
        return reader.Error("ics_base_url", "applies only with ics_dir");
      }
      FF_ASSIGN_OR_RETURN(std::string calendar_id, reader.String("calendar_id", true));
      FF_ASSIGN_OR_RETURN(std::string token, reader.Secret("token_env", env));
      return std::unique_ptr<MeetingBackend>(new GoogleCalendarBackend(
          GoogleCalendarClient(env.http, base_url, calendar_id, token, timeout),
          env.installation_id));
    }
    FF_ASSIGN_OR_RETURN(std::string dir, reader.String("ics_dir", true));
    std::error_code error;
    std::filesystem::path path = std::filesystem::absolute(dir, error);
    if (error || !std::filesystem::is_directory(path, error)) {
      return reader.Error("ics_dir",
                          absl::StrCat("must be an existing directory, got \"", dir, "\""));
    }
    std::string ics_base_url;
    if (config.contains("ics_base_url")) {
      FF_ASSIGN_OR_RETURN(ics_base_url, reader.Url("ics_base_url", ""));
    }
    return std::unique_ptr<MeetingBackend>(new IcsFileBackend(
        path.lexically_normal(), ics_base_url, organizer, env.clock, env.installation_id));
  }
};

}  // namespace

std::unique_ptr<NotifierFactory> MakeCalendarNotifierFactory() {
  return std::make_unique<CalendarNotifierFactory>();
}

}  // namespace ff
