#include "server/notifiers/jira/jira_notifier.h"

#include <algorithm>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "clients/jira/jira_client.h"
#include "common/status_macros.h"
#include "server/core/follow_ups.h"
#include "server/notifiers/budgeted_notifier.h"
#include "server/notifiers/config_reader.h"
#include "server/notifiers/delivery_steps.h"
#include "server/notifiers/jira/jira_issue.h"

namespace ff {
namespace {

using json = nlohmann::json;

constexpr char kName[] = "jira";
constexpr int kMaxCreates = 3;
constexpr int kDefaultIndexDelaySeconds = 30;
constexpr int kSearchLimit = 10;

struct JiraConfig {
  std::string url;
  std::string email;
  std::string api_token;
  std::string project_key;
  std::string issue_type;
  std::string done_transition;
  std::string cancelled_transition;
  std::vector<std::string> labels;
  std::string dashboard_url;
  bool set_due_date = true;
  absl::Duration index_delay;
  absl::Duration timeout;
  std::string installation_id;
};

// ClosedWord names a DONE or CANCELLED follow-up's status in notes and steps.
const char* ClosedWord(pb::FollowUpStatus status) {
  return status == pb::FOLLOW_UP_STATUS_DONE ? "done" : "cancelled";
}

// IssueRef is the issue a delivery works on; `fresh` when the delivery made it.
struct IssueRef {
  std::string key;
  bool fresh = false;
};

class JiraNotifier final : public Notifier {
 public:
  JiraNotifier(JiraConfig config, HttpClient* http, const Clock* clock)
      : config_(std::move(config)),
        client_(http, config_.url, config_.email, config_.api_token, config_.timeout),
        clock_(clock) {}

  absl::string_view name() const override { return kName; }

  bool Interested(const pb::IncidentEvent& event) const override {
    return (event.type() == kEventFollowUpAdded || event.type() == kEventFollowUpUpdated) &&
           event.follow_up().id() != 0;
  }

  // The follow-up as stored now says which issue earlier deliveries made.
  bool NeedsFollowUps() const override { return true; }

  absl::StatusOr<DeliveryResult> Deliver(const Delivery& delivery) override;

 private:
  static pb::FollowUp CurrentFollowUp(const Delivery& delivery);
  absl::StatusOr<std::optional<IssueRef>> FindOrCreate(const Delivery& delivery,
                                                       const pb::FollowUp& follow_up,
                                                       DeliverySteps& steps);
  absl::StatusOr<std::optional<IssueRef>> CreateOnce(const json& fields,
                                                     const pb::FollowUp& follow_up,
                                                     DeliverySteps& steps);
  absl::StatusOr<json> FindByMarker(const pb::FollowUp& follow_up);
  absl::StatusOr<json> CheckDoubtfulCreate(const pb::FollowUp& follow_up, const json& made);
  absl::StatusOr<json> NewIssueFields(const Delivery& delivery, const pb::FollowUp& follow_up);
  // Assignee is {"accountId": …} for the owner's Jira account, or null.
  absl::StatusOr<json> Assignee(const pb::FollowUp& follow_up);
  absl::Status SyncFields(const JiraIssue& issue, const pb::FollowUp& follow_up);
  // SyncStatus performs the transition a DONE or CANCELLED follow-up asks
  // for; returns the note ("" when nothing moved).
  absl::StatusOr<std::string> SyncStatus(const JiraIssue& issue, const pb::FollowUp& follow_up,
                                         DeliverySteps& steps);
  absl::StatusOr<json> Transition(const JiraIssue& issue, const std::string& name);

  const JiraConfig config_;
  JiraClient client_;
  const Clock* const clock_;
};

absl::StatusOr<DeliveryResult> JiraNotifier::Deliver(const Delivery& delivery) {
  DeliveryResult result;
  if (!Interested(delivery.event)) return result;
  const pb::FollowUp follow_up = CurrentFollowUp(delivery);
  DeliverySteps steps(delivery);
  FF_ASSIGN_OR_RETURN(std::optional<IssueRef> ref, FindOrCreate(delivery, follow_up, steps));
  if (!ref) return result;
  if (follow_up.tracker_key() != ref->key) {
    result.trackers.push_back({follow_up.id(), ref->key, client_.BrowseUrl(ref->key)});
  }
  if (ref->fresh) {
    result.note =
        absl::StrCat("Jira issue ", ref->key, " created for follow-up FU-", follow_up.id());
    return result;  // made from the follow-up as it stands: nothing to bring in line
  }
  if (delivery.event.type() != kEventFollowUpUpdated) return result;
  FF_ASSIGN_OR_RETURN(JiraIssue issue, client_.GetIssue(ref->key));
  FF_RETURN_IF_ERROR(SyncFields(issue, follow_up));
  FF_ASSIGN_OR_RETURN(result.note, SyncStatus(issue, follow_up, steps));
  return result;
}

pb::FollowUp JiraNotifier::CurrentFollowUp(const Delivery& delivery) {
  pb::FollowUp follow_up = delivery.event.follow_up();
  for (const pb::FollowUp& current : delivery.follow_ups) {
    if (current.id() == follow_up.id() && !current.tracker_key().empty()) {
      follow_up.set_tracker_key(current.tracker_key());
      follow_up.set_tracker_url(current.tracker_url());
    }
  }
  return follow_up;
}

// FindOrCreate returns the follow-up's issue: the one it holds (nullopt when
// that was deleted in Jira: it stays deleted), else the one carrying its
// marker, else a new one when it is OPEN.
absl::StatusOr<std::optional<IssueRef>> JiraNotifier::FindOrCreate(const Delivery& delivery,
                                                                   const pb::FollowUp& follow_up,
                                                                   DeliverySteps& steps) {
  if (!follow_up.tracker_key().empty()) {
    absl::StatusOr<JiraIssue> issue = client_.GetIssue(follow_up.tracker_key());
    if (absl::IsNotFound(issue.status())) return std::nullopt;
    if (!issue.ok()) return issue.status();
    return IssueRef{issue->key, false};  // a moved issue answers with its new key
  }
  FF_ASSIGN_OR_RETURN(json found, steps.Run(
                                      "find", [&](bool) { return FindByMarker(follow_up); },
                                      /*guarded=*/false));
  if (found.contains("key")) return IssueRef{found["key"].get<std::string>(), false};
  if (follow_up.status() != pb::FOLLOW_UP_STATUS_OPEN) {
    return std::nullopt;  // closed before it ever had an issue: none now
  }
  FF_ASSIGN_OR_RETURN(json fields, NewIssueFields(delivery, follow_up));
  return CreateOnce(fields, follow_up, steps);
}

// CreateOnce creates the issue as step "create.<n>". A create whose answer
// was lost records when that was noticed ({"doubt_seen": seconds}); step
// "create.<n>.check" then looks for the marker once Jira has indexed it, and
// only an issue not found is created again, as "create.<n+1>".
absl::StatusOr<std::optional<IssueRef>> JiraNotifier::CreateOnce(const json& fields,
                                                                 const pb::FollowUp& follow_up,
                                                                 DeliverySteps& steps) {
  for (int n = 0; n < kMaxCreates; ++n) {
    std::string step = absl::StrCat("create.", n);
    FF_ASSIGN_OR_RETURN(json made, steps.Run(step, [&](bool in_doubt) -> absl::StatusOr<json> {
      if (in_doubt) return json{{"doubt_seen", absl::ToUnixSeconds(clock_->Now())}};
      FF_ASSIGN_OR_RETURN(JiraIssue created, client_.CreateIssue(fields));
      return json{{"key", created.key}};
    }));
    if (made.contains("key")) return IssueRef{made["key"].get<std::string>(), true};
    FF_ASSIGN_OR_RETURN(json checked,
                        steps.Run(
                            absl::StrCat(step, ".check"),
                            [&](bool) { return CheckDoubtfulCreate(follow_up, made); },
                            /*guarded=*/false));
    if (checked.contains("key")) return IssueRef{checked["key"].get<std::string>(), true};
  }
  return absl::UnavailableError(
      absl::StrCat("jira: ", kMaxCreates, " creates in a row got no answer; giving up"));
}

// FindByMarker is {"key": …} for the issue carrying the follow-up's marker
// label in the project, or {"none": true}.
absl::StatusOr<json> JiraNotifier::FindByMarker(const pb::FollowUp& follow_up) {
  const std::string label = FollowUpLabel(config_.installation_id, follow_up.id());
  std::string jql = absl::StrCat("project = ", JiraClient::JqlString(config_.project_key),
                                 " AND labels = ", JiraClient::JqlString(label));
  FF_ASSIGN_OR_RETURN(std::vector<JiraIssue> issues, client_.Search(jql, kSearchLimit));
  for (const JiraIssue& issue : issues) {
    for (const std::string& carried : issue.labels) {
      if (carried == label) return json{{"key", issue.key}};
    }
  }
  return json{{"none", true}};
}

// CheckDoubtfulCreate searches for the marker once the index delay has
// passed since the doubt was noticed; before that, UNAVAILABLE with the time
// left as Retry-After, so the search cannot miss an issue still being indexed.
absl::StatusOr<json> JiraNotifier::CheckDoubtfulCreate(const pb::FollowUp& follow_up,
                                                       const json& made) {
  absl::Time searchable =
      absl::FromUnixSeconds(made.value("doubt_seen", int64_t{0})) + config_.index_delay;
  absl::Duration remaining = searchable - clock_->Now();
  if (remaining > absl::ZeroDuration()) {
    return WithRetryAfter(absl::UnavailableError(absl::StrCat(
                              "jira: an earlier create of follow-up FU-", follow_up.id(),
                              " may have succeeded; searching once Jira has indexed it, in ",
                              absl::FormatDuration(remaining))),
                          remaining);
  }
  return FindByMarker(follow_up);
}

absl::StatusOr<json> JiraNotifier::NewIssueFields(const Delivery& delivery,
                                                  const pb::FollowUp& follow_up) {
  const pb::Incident& incident =
      delivery.current.id() != 0 ? delivery.current : delivery.event.incident();
  json fields = {{"project", {{"key", config_.project_key}}},
                 {"issuetype", {{"name", config_.issue_type}}},
                 {"summary", IssueSummary(follow_up)},
                 {"description", IssueDescription(incident, follow_up, config_.dashboard_url)},
                 {"labels", IssueLabels(config_.installation_id, follow_up, config_.labels)}};
  FF_ASSIGN_OR_RETURN(json assignee, Assignee(follow_up));
  if (!assignee.is_null()) fields["assignee"] = assignee;
  if (config_.set_due_date && !follow_up.due_date().empty()) {
    fields["duedate"] = follow_up.due_date();
  }
  return fields;
}

absl::StatusOr<json> JiraNotifier::Assignee(const pb::FollowUp& follow_up) {
  if (follow_up.owner().find('@') == std::string::npos) return json();
  FF_ASSIGN_OR_RETURN(std::optional<std::string> account,
                      client_.FindUserByEmail(follow_up.owner()));
  if (!account) return json();
  return json{{"accountId", *account}};
}

// SyncFields brings summary, due date and assignee in line with the
// follow-up. An owner without a Jira account leaves the assignee as it is.
absl::Status JiraNotifier::SyncFields(const JiraIssue& issue, const pb::FollowUp& follow_up) {
  json edits = json::object();
  if (std::string summary = IssueSummary(follow_up); issue.summary != summary) {
    edits["summary"] = summary;
  }
  if (config_.set_due_date && issue.due_date != follow_up.due_date()) {
    edits["duedate"] = follow_up.due_date().empty() ? json() : json(follow_up.due_date());
  }
  FF_ASSIGN_OR_RETURN(json assignee, Assignee(follow_up));
  if (follow_up.owner().empty() && !issue.assignee_account_id.empty()) {
    edits["assignee"] = json();
  } else if (!assignee.is_null() && assignee["accountId"] != issue.assignee_account_id) {
    edits["assignee"] = assignee;
  }
  if (edits.empty()) return absl::OkStatus();
  return client_.EditIssue(issue.key, edits);
}

absl::StatusOr<std::string> JiraNotifier::SyncStatus(const JiraIssue& issue,
                                                     const pb::FollowUp& follow_up,
                                                     DeliverySteps& steps) {
  if (follow_up.status() != pb::FOLLOW_UP_STATUS_DONE &&
      follow_up.status() != pb::FOLLOW_UP_STATUS_CANCELLED) {
    return std::string();
  }
  const std::string& name = follow_up.status() == pb::FOLLOW_UP_STATUS_DONE
                                ? config_.done_transition
                                : config_.cancelled_transition;
  FF_ASSIGN_OR_RETURN(json moved,
                      steps.Run(
                          absl::StrCat("transition.", ClosedWord(follow_up.status())),
                          [&](bool) { return Transition(issue, name); }, /*guarded=*/false));
  if (!moved.contains("moved")) return std::string();
  return absl::StrCat("Jira issue ", issue.key, " moved to ", moved["moved"].get<std::string>(),
                      " (follow-up FU-", follow_up.id(), " ", ClosedWord(follow_up.status()), ")");
}

// Transition performs transition `name` on `issue` unless the issue already
// stands where it leads, or in a done status it is not available from (an
// earlier attempt whose answer was lost, or a person, closed it): {"moved":
// status} or {"already": status}.
absl::StatusOr<json> JiraNotifier::Transition(const JiraIssue& issue, const std::string& name) {
  FF_ASSIGN_OR_RETURN(std::vector<JiraTransition> transitions, client_.Transitions(issue.key));
  std::vector<std::string> names;
  for (const JiraTransition& transition : transitions) {
    names.push_back(transition.name);
    if (!absl::EqualsIgnoreCase(transition.name, name)) continue;
    if (transition.to_status_id == issue.status_id) return json{{"already", issue.status_name}};
    FF_RETURN_IF_ERROR(client_.Transition(issue.key, transition.id));
    return json{{"moved", transition.to_status_name}};
  }
  if (issue.status_category == "done") return json{{"already", issue.status_name}};
  return absl::FailedPreconditionError(absl::StrCat(
      "jira: transition \"", name, "\" is not available for ", issue.key, " in status \"",
      issue.status_name, "\"; available: ", names.empty() ? "none" : absl::StrJoin(names, ", ")));
}

// ReadLabels reads "labels": each non-empty, without spaces, at most 255
// characters, as Jira requires.
absl::StatusOr<std::vector<std::string>> ReadLabels(ConfigReader& reader) {
  FF_ASSIGN_OR_RETURN(std::vector<std::string> labels, reader.Strings("labels"));
  for (size_t i = 0; i < labels.size(); ++i) {
    const std::string& label = labels[i];
    bool spaced = std::any_of(label.begin(), label.end(), [](char c) {
      return absl::ascii_isspace(static_cast<unsigned char>(c));
    });
    if (label.empty() || spaced || label.size() > 255) {
      return reader.Error(absl::StrCat("labels[", i, "]"),
                          "must be 1 to 255 characters without spaces");
    }
  }
  return labels;
}

bool IsProjectKey(const std::string& key) {
  if (key.empty() || key.size() > 255 || !absl::ascii_isupper(static_cast<unsigned char>(key[0]))) {
    return false;
  }
  return std::all_of(key.begin(), key.end(), [](char c) {
    return absl::ascii_isupper(static_cast<unsigned char>(c)) ||
           absl::ascii_isdigit(static_cast<unsigned char>(c)) || c == '_';
  });
}

// ReadJiraConfig validates every key of "notifiers.jira".
absl::StatusOr<JiraConfig> ReadJiraConfig(ConfigReader& reader, const json& config,
                                          const NotifierEnv& env) {
  JiraConfig out;
  if (!config.contains("url")) return reader.Error("url", "is required");
  FF_ASSIGN_OR_RETURN(out.url, reader.Url("url", ""));
  FF_ASSIGN_OR_RETURN(out.email, reader.String("email", true));
  if (out.email.find('@') == std::string::npos) {
    return reader.Error("email", "must be the e-mail address the API token belongs to");
  }
  FF_ASSIGN_OR_RETURN(out.api_token, reader.Secret("token_env", env, "JIRA_API_TOKEN"));
  FF_ASSIGN_OR_RETURN(out.project_key, reader.String("project_key", true));
  if (!IsProjectKey(out.project_key)) {
    return reader.Error("project_key",
                        "must be a Jira project key: an upper-case letter, then upper-case "
                        "letters, digits or underscores");
  }
  FF_ASSIGN_OR_RETURN(out.issue_type, reader.String("issue_type", true));
  FF_ASSIGN_OR_RETURN(out.done_transition, reader.String("done_transition", true));
  FF_ASSIGN_OR_RETURN(out.cancelled_transition, reader.String("cancelled_transition", true));
  FF_ASSIGN_OR_RETURN(out.labels, ReadLabels(reader));
  if (config.contains("dashboard_url")) {
    FF_ASSIGN_OR_RETURN(out.dashboard_url, reader.Url("dashboard_url", ""));
  }
  FF_ASSIGN_OR_RETURN(out.set_due_date, reader.Bool("set_due_date", true));
  FF_ASSIGN_OR_RETURN(int64_t index_delay_s,
                      reader.Int("index_delay_s", kDefaultIndexDelaySeconds, 0, 3600));
  out.index_delay = absl::Seconds(index_delay_s);
  FF_ASSIGN_OR_RETURN(out.timeout, reader.Timeout());
  return out;
}

class JiraNotifierFactory final : public NotifierFactory {
 public:
  absl::string_view name() const override { return kName; }

  absl::StatusOr<std::unique_ptr<Notifier>> Create(const json& config,
                                                   const NotifierEnv& env) const override {
    if (env.http == nullptr) {
      return absl::FailedPreconditionError("jira notifier needs an HTTP client");
    }
    ConfigReader reader("notifiers.jira", config);
    FF_ASSIGN_OR_RETURN(JiraConfig parsed, ReadJiraConfig(reader, config, env));
    // Jira publishes no fixed limit for API-token traffic (its points quota
    // is for apps; tokens get per-tenant burst limits): unpaced, and a 429
    // pauses every delivery until its Retry-After.
    FF_ASSIGN_OR_RETURN(auto limits, reader.RateLimits({{"api", {0, absl::Minutes(1)}}}));
    FF_RETURN_IF_ERROR(reader.Finish());
    if (env.installation_id.empty()) {
      return absl::InternalError("notifiers.jira: no installation id");
    }
    parsed.installation_id = env.installation_id;
    static const SystemClock kSystemClock;
    const Clock* clock = env.clock != nullptr ? env.clock : &kSystemClock;
    return MakeBudgetedNotifier(
        env, std::move(limits), [](const HttpRequest&) { return "api"; },
        [&parsed, clock](const NotifierEnv& budgeted) -> absl::StatusOr<std::unique_ptr<Notifier>> {
          return std::unique_ptr<Notifier>(
              std::make_unique<JiraNotifier>(std::move(parsed), budgeted.http, clock));
        });
  }
};

}  // namespace

std::unique_ptr<NotifierFactory> MakeJiraNotifierFactory() {
  return std::make_unique<JiraNotifierFactory>();
}

}  // namespace ff
