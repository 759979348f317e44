#include "adapters/web/incident_json.h"

#include <algorithm>
#include <map>
#include <optional>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "adapters/web/query_params.h"
#include "adapters/web/triage.h"
#include "clients/incident/vocabulary.h"
#include "common/http/url_encoded.h"

namespace ff::web {
namespace {

// The status a "status" timeline entry moved to: the upper-case word after
// its arrow ("status FIXING → FIXED: rolled back" → FIXED).
bool MovedTo(absl::string_view text, pb::Status* status) {
  static constexpr absl::string_view kArrow = "\xE2\x86\x92 ";  // "→ "
  size_t at = text.find(kArrow);
  if (at == absl::string_view::npos) return false;
  absl::string_view rest = text.substr(at + kArrow.size());
  size_t end = 0;
  while (end < rest.size() && absl::ascii_isupper(static_cast<unsigned char>(rest[end]))) ++end;
  absl::StatusOr<pb::Status> moved_to = ParseStatus(rest.substr(0, end));
  if (!moved_to.ok()) return false;
  *status = *moved_to;
  return true;
}

nlohmann::json TermJson(const Term& term) {
  return {{"word", term.word}, {"label", term.label}, {"meaning", term.meaning}};
}

template <typename Value>
nlohmann::json TermsJson(absl::Span<const Value> values) {
  nlohmann::json out = nlohmann::json::array();
  for (Value value : values) out.push_back(TermJson(TermOf(value)));
  return out;
}

// The Slack notifier's notes name the channel after "Slack #" or "Slack
// channel #" ("Slack #inc-12-checkout: invited 3 people"). Slack channel
// names are at most 80 characters, without spaces, colons or semicolons.
constexpr size_t kMaxSlackChannelName = 80;
std::string SlackChannelNameIn(absl::string_view text) {
  for (absl::string_view prefix :
       {absl::string_view("Slack #"), absl::string_view("Slack channel #")}) {
    if (!absl::StartsWith(text, prefix)) continue;
    absl::string_view name = text.substr(prefix.size());
    name = name.substr(0, name.find_first_of(" :;"));
    if (name.empty() || name.size() > kMaxSlackChannelName) return "";
    return absl::StrCat("#", name);
  }
  return "";
}

nlohmann::json DurationJson(const pb::Incident& incident) {
  const google::protobuf::Timestamp& from =
      IsSet(incident.occurred_at()) ? incident.occurred_at() : incident.created_at();
  std::optional<DurationEnd> end = DurationEndOf(incident);
  return {{"from", TimeJson(from)},
          {"until", end ? TimeJson(end->at) : nlohmann::json(nullptr)},
          {"ended", end ? nlohmann::json(Word(end->reached)) : nlohmann::json(nullptr)}};
}

nlohmann::json RolesJson(const pb::Roles& roles) {
  nlohmann::json out = nlohmann::json::object();
  for (Role role : AllRoles()) out[std::string(RoleField(role))] = HolderOf(roles, role);
  return out;
}

// StatusWords: the words of a repeated Status field, in its order.
nlohmann::json StatusWords(const google::protobuf::RepeatedField<int>& statuses) {
  nlohmann::json words = nlohmann::json::array();
  for (int status : statuses) words.push_back(Word(static_cast<pb::Status>(status)));
  return words;
}

}  // namespace

bool IsSet(const google::protobuf::Timestamp& stamp) {
  return stamp.seconds() != 0 || stamp.nanos() != 0;
}

absl::Time FromTimestamp(const google::protobuf::Timestamp& stamp) {
  return absl::FromUnixSeconds(stamp.seconds()) + absl::Nanoseconds(stamp.nanos());
}

nlohmann::json TimeJson(absl::Time time) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", time, absl::UTCTimeZone());
}

nlohmann::json TimeJson(const google::protobuf::Timestamp& stamp) {
  if (!IsSet(stamp)) return nullptr;
  return TimeJson(FromTimestamp(stamp));
}

nlohmann::json ConfluencePageTitle(absl::string_view url) {
  // Confluence's page links end in the title: …/pages/<id>/<Title+In+Words>.
  size_t pages = url.find("/pages/");
  if (pages == absl::string_view::npos) return nullptr;
  absl::string_view rest = url.substr(pages + 7);
  size_t slash = rest.find('/');
  if (slash == 0 || slash == absl::string_view::npos ||
      !std::all_of(rest.begin(), rest.begin() + slash, absl::ascii_isdigit)) {
    return nullptr;
  }
  absl::string_view slug = rest.substr(slash + 1);
  slug = slug.substr(0, slug.find_first_of("?#/"));
  absl::StatusOr<std::string> title = http::PercentDecode(slug);
  if (!title.ok() || absl::StripAsciiWhitespace(*title).empty()) return nullptr;
  return std::string(absl::StripAsciiWhitespace(*title));
}

nlohmann::json IncidentJson(const pb::Incident& incident) {
  nlohmann::json links = nlohmann::json::array();
  for (const pb::Link& link : incident.links()) {
    links.push_back({{"kind", link.kind()},
                     {"url", link.url()},
                     {"external_id", link.external_id()},
                     {"name", ConfluencePageTitle(link.url())}});
  }
  return {
      {"id", incident.id()},
      {"title", incident.title()},
      {"description", incident.description()},
      {"domain", incident.domain()},
      {"severity", Word(incident.severity())},
      {"status", Word(incident.status())},
      {"phase", PhaseWord(PhaseOf(incident.status()))},
      {"needs_commander", NeedsCommander(incident)},
      {"reporter", incident.reporter()},
      {"roles", RolesJson(incident.roles())},
      {"participants", incident.participants()},
      {"trigger_oncall", incident.trigger_oncall()},
      {"dedup_key", incident.dedup_key()},
      {"links", links},
      {"occurred_at", TimeJson(incident.occurred_at())},
      {"created_at", TimeJson(incident.created_at())},
      {"updated_at", TimeJson(incident.updated_at())},
      {"investigating_at", TimeJson(incident.investigating_at())},
      {"fixing_at", TimeJson(incident.fixing_at())},
      {"fixed_at", TimeJson(incident.fixed_at())},
      {"postmortem_at", TimeJson(incident.postmortem_at())},
      {"closed_at", TimeJson(incident.closed_at())},
      {"close_reason", incident.close_reason() == pb::CLOSE_REASON_UNSPECIFIED
                           ? nlohmann::json(nullptr)
                           : nlohmann::json(Word(incident.close_reason()))},
      {"version", incident.version()},
      {"duration", DurationJson(incident)},
      {"allowed_next_statuses", StatusWords(incident.allowed_next_statuses())},
      {"next_statuses_needing_message", StatusWords(incident.next_statuses_needing_message())},
  };
}

nlohmann::json TimelineEntryJson(const pb::TimelineEntry& entry) {
  return {{"id", entry.id()},
          {"incident_id", entry.incident_id()},
          {"time", TimeJson(entry.time())},
          {"kind", entry.kind()},
          {"actor", entry.actor()},
          {"via", entry.via()},
          {"text", entry.text()},
          {"notice", IsDeliveryNotice(entry)}};
}

nlohmann::json FollowUpJson(const pb::FollowUp& follow_up) {
  auto or_null = [](const std::string& text) {
    return text.empty() ? nlohmann::json(nullptr) : nlohmann::json(text);
  };
  return {{"id", follow_up.id()},
          {"ref", absl::StrCat("FU-", follow_up.id())},
          {"incident_id", follow_up.incident_id()},
          {"title", follow_up.title()},
          {"description", follow_up.description()},
          {"owner", follow_up.owner()},
          {"due_date", or_null(follow_up.due_date())},
          {"status", Word(follow_up.status())},
          {"overdue", follow_up.overdue()},
          {"tracker_key", or_null(follow_up.tracker_key())},
          {"tracker_url", or_null(follow_up.tracker_url())},
          {"created_by", follow_up.created_by()},
          {"created_at", TimeJson(follow_up.created_at())},
          {"updated_at", TimeJson(follow_up.updated_at())},
          {"closed_at", TimeJson(follow_up.closed_at())},
          {"version", follow_up.version()}};
}

bool IsDeliveryNotice(const pb::TimelineEntry& entry) { return entry.kind() == "notification"; }

void NameLinks(const std::vector<pb::TimelineEntry>& timeline, nlohmann::json& incident) {
  std::string channel;  // the newest name wins: a channel may be renamed
  for (const pb::TimelineEntry& entry : timeline) {
    if (!IsDeliveryNotice(entry) || entry.actor() != "slack") continue;
    if (std::string name = SlackChannelNameIn(entry.text()); !name.empty()) channel = name;
  }
  if (channel.empty()) return;
  for (nlohmann::json& link : incident["links"]) {
    if (link["kind"] == "slack_channel") link["name"] = channel;
  }
}

std::vector<StatusPeriod> StatusPeriods(const pb::Incident& incident,
                                        const std::vector<pb::TimelineEntry>& timeline) {
  std::vector<StatusPeriod> periods = {
      {pb::STATUS_OPEN, FromTimestamp(incident.created_at()), absl::InfiniteFuture()}};
  for (const pb::TimelineEntry& entry : timeline) {
    pb::Status next;
    if (entry.kind() == "closed") {
      next = pb::STATUS_CLOSED;
    } else if (entry.kind() != "status" || !MovedTo(entry.text(), &next)) {
      continue;
    }
    if (next == periods.back().status) continue;
    absl::Time at = FromTimestamp(entry.time());
    periods.back().end = at;
    periods.push_back({next, at, absl::InfiniteFuture()});
  }
  return periods;
}

nlohmann::json TimeInStatusJson(const std::vector<StatusPeriod>& periods) {
  struct Total {
    absl::Duration finished;
    absl::Time since = absl::InfinitePast();
  };
  std::map<pb::Status, Total> totals;  // ordered by the enum: workflow order
  for (const StatusPeriod& period : periods) {
    if (period.status == pb::STATUS_CLOSED) continue;  // terminal: nothing to measure
    Total& total = totals[period.status];
    if (period.end == absl::InfiniteFuture()) {
      total.since = period.start;
    } else {
      total.finished += period.end - period.start;
    }
  }
  nlohmann::json out = nlohmann::json::array();
  for (const auto& [status, total] : totals) {
    out.push_back({{"status", Word(status)},
                   {"seconds", absl::ToInt64Seconds(total.finished)},
                   {"since", total.since == absl::InfinitePast() ? nlohmann::json(nullptr)
                                                                 : TimeJson(total.since)}});
  }
  return out;
}

nlohmann::json VocabularyJson() {
  nlohmann::json statuses = TermsJson(AllStatuses());
  for (size_t i = 0; i < statuses.size(); ++i) {
    statuses[i]["phase"] = PhaseWord(PhaseOf(AllStatuses()[i]));
  }
  nlohmann::json roles = TermsJson(AllRoles());
  for (size_t i = 0; i < roles.size(); ++i) roles[i]["field"] = RoleField(AllRoles()[i]);
  return {{"statuses", statuses},
          {"severities", TermsJson(AllSeverities())},
          {"close_reasons", TermsJson(AllCloseReasons())},
          {"roles", roles},
          {"follow_up_statuses", TermsJson(AllFollowUpStatuses())}};
}

}  // namespace ff::web
