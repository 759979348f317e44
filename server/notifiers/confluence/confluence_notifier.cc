#include "server/notifiers/confluence/confluence_notifier.h"

#include <algorithm>
#include <string>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "clients/confluence/confluence_client.h"
#include "common/status_macros.h"
#include "server/core/follow_ups.h"
#include "server/core/workflow.h"
#include "server/notifiers/budgeted_notifier.h"
#include "server/notifiers/config_reader.h"
#include "server/notifiers/confluence/postmortem_page.h"
#include "server/notifiers/links.h"

namespace ff {
namespace {

using json = nlohmann::json;

constexpr char kName[] = "confluence";

struct ConfluenceConfig {
  std::string base_url;  // ends in /wiki, no trailing slash
  std::string email;
  std::string api_token;
  std::string space_id;
  std::string parent_page_id;  // "" → space home
  absl::Duration timeout;
  std::string installation_id;
};

// The content property that marks a postmortem page as this installation's.
constexpr char kMarkerKey[] = "firefighter";

// Whose a page found by title is.
enum class Owner { kOursMarked, kOursUnmarked, kOther };

bool IsDigits(const std::string& s) {
  return !s.empty() &&
         std::all_of(s.begin(), s.end(), [](unsigned char c) { return absl::ascii_isdigit(c); });
}

class ConfluenceNotifier final : public Notifier {
 public:
  ConfluenceNotifier(ConfluenceConfig config, HttpClient* http)
      : config_(std::move(config)),
        client_(http, config_.base_url, config_.email, config_.api_token, config_.space_id,
                config_.timeout) {}

  absl::string_view name() const override { return kName; }
  bool NeedsTimeline() const override { return true; }
  bool NeedsFollowUps() const override { return true; }

  bool Interested(const pb::IncidentEvent& event) const override {
    return IsFollowUpEvent(event) || (event.type() == kEventStatusChanged &&
                                      event.incident().status() == pb::STATUS_POSTMORTEM);
  }

  absl::StatusOr<DeliveryResult> Deliver(const Delivery& delivery) override {
    const pb::Link* page = FindLink(delivery.current, "postmortem");
    if (IsFollowUpEvent(delivery.event)) {
      // No page yet: it will list the follow-ups when it is made.
      if (page == nullptr) return DeliveryResult();
      FF_RETURN_IF_ERROR(UpdateFollowUps(page->external_id(), delivery));
      return DeliveryResult();
    }
    // A page the incident already links (made before markers, or by an
    // earlier delivery) stays the postmortem page.
    if (page != nullptr) return DeliveryResult();
    return CreatePostmortem(delivery);
  }

 private:
  static constexpr int kUpdateAttempts = 3;

  static bool IsFollowUpEvent(const pb::IncidentEvent& event) {
    return event.type() == kEventFollowUpAdded || event.type() == kEventFollowUpUpdated ||
           event.type() == kEventFollowUpTrackerLinked;
  }

  // UpdateFollowUps replaces the follow-ups section of page `page_id` when
  // the page is ours and the section differs, re-reading the page when an
  // author saved it between our read and our write. A page not ours is left
  // alone.
  absl::Status UpdateFollowUps(const std::string& page_id, const Delivery& delivery) {
    FF_ASSIGN_OR_RETURN(Owner owner, OwnerOf(page_id, delivery.current.id()));
    if (owner != Owner::kOursMarked) return absl::OkStatus();
    const std::string section = RenderFollowUpsSection(delivery.follow_ups);
    absl::Status written;
    for (int attempt = 0; attempt < kUpdateAttempts; ++attempt) {
      FF_ASSIGN_OR_RETURN(ConfluencePageContent page, client_.GetPage(page_id));
      FF_ASSIGN_OR_RETURN(std::string body, ReplaceFollowUpsSection(page.body, section));
      if (body == page.body) return absl::OkStatus();
      written = client_.UpdatePage(page, body);
      if (!ConfluenceClient::IsVersionConflict(written)) return written;
    }
    // Authors kept saving: the delivery is retried later with backoff.
    return absl::UnavailableError(absl::StrCat("confluence: page ", page_id, " changed ",
                                               kUpdateAttempts, " times while its follow-ups ",
                                               "were being updated: ", written.message()));
  }

  absl::StatusOr<DeliveryResult> CreatePostmortem(const Delivery& delivery) {
    DeliveryResult result;
    // Titles come from the stored event so every retry looks for the same
    // pages; the body from the incident as it is now (more participants,
    // links) when the dispatcher provided it.
    const pb::Incident& snapshot = delivery.event.incident();
    const pb::Incident& latest = delivery.current.id() != 0 ? delivery.current : snapshot;
    FF_ASSIGN_OR_RETURN(
        ConfluencePageRef folder,
        EnsureFolder(PostmortemFolderTitle(snapshot), config_.parent_page_id,
                     absl::StrCat("<p>Postmortems of the incidents that occurred in ",
                                  HtmlEscape(PostmortemFolderTitle(snapshot)), ".</p>")));
    FF_ASSIGN_OR_RETURN(
        ConfluencePageRef page,
        EnsureOurPage(snapshot, folder.id,
                      absl::StrCat(RenderPostmortem(latest, delivery.timeline, delivery.follow_ups),
                                   "<p><sub>", MarkerText(snapshot.id()), "</sub></p>")));
    pb::Link link;
    link.set_kind("postmortem");
    link.set_url(page.url);
    link.set_external_id(page.id);
    result.links.push_back(std::move(link));
    result.note = absl::StrCat("Postmortem page: ", page.url);
    return result;
  }

  // MarkerText ends the body of the pages we create, so a page whose create
  // answer was lost is still recognised before its content property is set.
  std::string MarkerText(int64_t incident_id) const {
    return absl::StrCat("FireFighter installation ", config_.installation_id, ", incident #",
                        incident_id, ".");
  }

  json Marker(int64_t incident_id) const {
    return {{"installation", config_.installation_id},
            {"incident_id", std::to_string(incident_id)}};
  }

  // EnsureFolder finds the month folder titled `title` in the space, or
  // creates it under `parent_id` with `body`. A folder is neutral: another
  // installation's folder of the same month is shared, never edited.
  absl::StatusOr<ConfluencePageRef> EnsureFolder(const std::string& title,
                                                 const std::string& parent_id,
                                                 const std::string& body) {
    FF_ASSIGN_OR_RETURN(std::optional<ConfluencePageRef> found, client_.FindPage(title));
    if (found) return *found;
    absl::StatusOr<ConfluencePageRef> created = client_.CreatePage(title, parent_id, body);
    if (!ConfluenceClient::IsTitleTaken(created.status())) return created;
    // Another delivery created it between our lookup and our create.
    FF_ASSIGN_OR_RETURN(found, client_.FindPage(title));
    if (found) return *found;
    return NotCurrent(title);
  }

  absl::Status NotCurrent(const std::string& title) const {
    return absl::FailedPreconditionError(absl::StrCat("confluence: a page titled \"", title,
                                                      "\" exists in space ", config_.space_id,
                                                      " but is not current (archived or draft?)"));
  }

  // EnsureOurPage returns this installation's postmortem page of `incident`:
  // the one titled "Postmortem #<id>: <title>" when it is ours or free, else
  // the same title followed by " [ff-<installation id>]". A page is ours when
  // its content property "firefighter" names our installation and incident
  // (or, before that property was set, its body ends in our marker text).
  // FAILED_PRECONDITION when both titles are taken by pages not ours.
  absl::StatusOr<ConfluencePageRef> EnsureOurPage(const pb::Incident& incident,
                                                  const std::string& parent_id,
                                                  const std::string& body) {
    const std::string titles[] = {
        PostmortemPageTitle(incident),
        PostmortemPageTitle(incident, absl::StrCat(" [ff-", config_.installation_id, "]"))};
    for (const std::string& title : titles) {
      FF_ASSIGN_OR_RETURN(std::optional<ConfluencePageRef> found, client_.FindPage(title));
      if (!found) {
        absl::StatusOr<ConfluencePageRef> created = client_.CreatePage(title, parent_id, body);
        if (created.ok()) {
          FF_RETURN_IF_ERROR(SetMarker(created->id, incident.id()));
          return created;
        }
        if (!ConfluenceClient::IsTitleTaken(created.status())) return created.status();
        FF_ASSIGN_OR_RETURN(found, client_.FindPage(title));  // lost a race: whose is it?
        if (!found) return NotCurrent(title);
      }
      FF_ASSIGN_OR_RETURN(Owner owner, OwnerOf(found->id, incident.id()));
      if (owner == Owner::kOther) continue;
      if (owner == Owner::kOursUnmarked) FF_RETURN_IF_ERROR(SetMarker(found->id, incident.id()));
      return *found;
    }
    return absl::FailedPreconditionError(absl::StrCat(
        "confluence: pages titled \"", titles[0], "\" and \"", titles[1], "\" in space ",
        config_.space_id, " belong to another FireFighter installation; rename one of them"));
  }

  absl::StatusOr<Owner> OwnerOf(const std::string& page_id, int64_t incident_id) {
    FF_ASSIGN_OR_RETURN(std::optional<json> marker, client_.GetProperty(page_id, kMarkerKey));
    if (marker) return *marker == Marker(incident_id) ? Owner::kOursMarked : Owner::kOther;
    FF_ASSIGN_OR_RETURN(std::string stored, client_.GetStorageBody(page_id));
    return absl::StrContains(stored, MarkerText(incident_id)) ? Owner::kOursUnmarked
                                                              : Owner::kOther;
  }

  absl::Status SetMarker(const std::string& page_id, int64_t incident_id) {
    return client_.AddProperty(page_id, kMarkerKey, Marker(incident_id));
  }

  const ConfluenceConfig config_;
  ConfluenceClient client_;
};

class ConfluenceNotifierFactory final : public NotifierFactory {
 public:
  absl::string_view name() const override { return kName; }

  absl::StatusOr<std::unique_ptr<Notifier>> Create(const json& config,
                                                   const NotifierEnv& env) const override {
    ConfigReader reader(absl::StrCat("notifiers.", kName), config);
    ConfluenceConfig out;
    if (!config.contains("base_url")) return reader.Error("base_url", "is required");
    FF_ASSIGN_OR_RETURN(out.base_url, reader.Url("base_url", ""));
    FF_ASSIGN_OR_RETURN(out.email, reader.String("email", true));
    FF_ASSIGN_OR_RETURN(out.api_token, reader.Secret("api_token_env", env));
    FF_ASSIGN_OR_RETURN(out.space_id, reader.String("space_id", true));
    if (!IsDigits(out.space_id)) return reader.Error("space_id", "must be a numeric space id");
    FF_ASSIGN_OR_RETURN(out.parent_page_id, reader.String("parent_page_id", false));
    if (!out.parent_page_id.empty() && !IsDigits(out.parent_page_id)) {
      return reader.Error("parent_page_id", "must be a numeric page id");
    }
    FF_ASSIGN_OR_RETURN(out.timeout, reader.Timeout());
    // Confluence Cloud publishes no fixed rate: unpaced, but a 429 pauses it.
    FF_ASSIGN_OR_RETURN(auto limits, reader.RateLimits({{"api", {0, absl::Minutes(1)}}}));
    FF_RETURN_IF_ERROR(reader.Finish());
    if (env.http == nullptr) return absl::InvalidArgumentError("confluence: no HTTP client");
    if (env.installation_id.empty()) {
      return absl::InternalError("notifiers.confluence: no installation id");
    }
    out.installation_id = env.installation_id;
    return MakeBudgetedNotifier(
        env, std::move(limits), [](const HttpRequest&) { return "api"; },
        [&out](const NotifierEnv& budgeted) -> absl::StatusOr<std::unique_ptr<Notifier>> {
          return std::unique_ptr<Notifier>(new ConfluenceNotifier(std::move(out), budgeted.http));
        });
  }
};

}  // namespace

std::unique_ptr<NotifierFactory> MakeConfluenceNotifierFactory() {
  return std::make_unique<ConfluenceNotifierFactory>();
}

}  // namespace ff
