#include "server/notifiers/slack/slack_messages.h"

#include <algorithm>
#include <cctype>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "clients/slack/room_actions.h"
#include "server/core/names.h"

namespace ff {
namespace {

constexpr size_t kMaxChannelName = 80;
constexpr size_t kMaxTopic = 250;
constexpr size_t kMaxDescription = 1500;
// Block Kit's limit on a section's text, less room for the label around it.
constexpr size_t kMaxSectionText = 2900;
// The links the summary shows, in order, with their labels.
constexpr std::pair<const char*, const char*> kSummaryLinks[] = {
    {"call", "Call"},
    {"pagerduty", "PagerDuty"},
    {"statuspage", "Status page"},
    {"datadog_notebook", "Datadog notebook"},
    {"postmortem", "Postmortem"},
    {"postmortem_meeting", "Postmortem meeting"},
    {"slack_channel", nullptr},  // the summary is in it
};

// Slug keeps ASCII letters and digits, lowercased; every other run becomes
// one '-'. Non-ASCII is dropped: Slack's rule is for ASCII only.
std::string Slug(const std::string& text) {
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) && c < 0x80) {
      out += static_cast<char>(std::tolower(c));
    } else if (!out.empty() && out.back() != '-') {
      out += '-';
    }
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out;
}

std::string Ref(const pb::Incident& incident) { return absl::StrCat("#", incident.id()); }

std::string Headline(const pb::Incident& incident) {
  std::string domain = incident.domain().empty() ? "" : absl::StrCat(" · ", incident.domain());
  return absl::StrCat("*", Ref(incident), " ", SeverityName(incident.severity()), domain, "* — ",
                      SlackEscape(incident.title()));
}

std::string By(const pb::TimelineEntry& entry, const Mentions& mentions) {
  return entry.actor().empty() ? "" : absl::StrCat(" (by ", NameOf(mentions, entry.actor()), ")");
}

// WithMentions escapes `text` and names in it, as mentions, the people
// `mentions` knows (longest first, so that no one's name hides inside
// another's).
std::string WithMentions(const std::string& text, const Mentions& mentions) {
  std::vector<std::pair<std::string, std::string>> replacements;
  for (const auto& [person, mention] : mentions) {
    if (!person.empty()) replacements.emplace_back(SlackEscape(person), mention);
  }
  std::sort(replacements.begin(), replacements.end(),
            [](const auto& a, const auto& b) { return a.first.size() > b.first.size(); });
  return absl::StrReplaceAll(SlackEscape(text), replacements);
}

// EmailsIn returns the email-like words of `text`, stripped of the
// punctuation around them.
std::vector<std::string> EmailsIn(const std::string& text) {
  std::vector<std::string> emails;
  for (absl::string_view word :
       absl::StrSplit(text, absl::ByAnyChar(" \t\n,;()<>\"'"), absl::SkipEmpty())) {
    word = absl::StripSuffix(absl::StripSuffix(word, "."), ":");
    SlackPerson person = ClassifyPerson(std::string(word));
    if (person.kind == SlackPerson::Kind::kEmail) emails.push_back(person.value);
  }
  return emails;
}

nlohmann::json Mrkdwn(const std::string& text) { return {{"type", "mrkdwn"}, {"text", text}}; }

nlohmann::json Button(const char* action_id, const std::string& label, int64_t id) {
  return {{"type", "button"},
          {"action_id", action_id},
          {"text", {{"type", "plain_text"}, {"text", label}}},
          {"value", absl::StrCat(id)}};
}

// Cut shortens `text` to `max` bytes without splitting a UTF-8 sequence.
std::string Cut(std::string text, size_t max) {
  if (text.size() <= max) return text;
  text.resize(max - 3);
  while (!text.empty() && (static_cast<unsigned char>(text.back()) & 0xC0) == 0x80) {
    text.pop_back();
  }
  if (!text.empty() && static_cast<unsigned char>(text.back()) >= 0xC0) text.pop_back();
  return text + "...";
}

std::string SlackDate(const google::protobuf::Timestamp& time, const char* format) {
  // Slack shows the time in the reader's own zone; the fallback is UTC.
  std::string utc = absl::FormatTime("%Y-%m-%d %H:%M UTC", absl::FromUnixSeconds(time.seconds()),
                                     absl::UTCTimeZone());
  return absl::StrCat("<!date^", time.seconds(), "^", format, "|", utc, ">");
}

// ParseSeverityChange reads "Severity SEV3 → SEV1"; false when it cannot.
bool ParseSeverityChange(const std::string& text, int* from, int* to) {
  return std::sscanf(text.c_str(), "Severity SEV%d \xE2\x86\x92 SEV%d", from, to) == 2;
}

}  // namespace

std::string IncidentChannelName(const pb::Incident& incident) {
  std::string name = absl::StrCat("inc-", incident.id());
  std::string domain = Slug(incident.domain());
  if (!domain.empty()) absl::StrAppend(&name, "-", domain);
  std::string title = Slug(incident.title());
  if (!title.empty()) absl::StrAppend(&name, "-", title);
  if (name.size() > kMaxChannelName) name.resize(kMaxChannelName);
  while (name.back() == '-') name.pop_back();
  return name;
}

std::string ChannelTopic(const pb::Incident& incident, const std::string& commander) {
  // The topic shows no bold; mentions do render.
  return Cut(absl::StrCat(StatusName(incident.status()), " · ", SeverityName(incident.severity()),
                          " · ", commander.empty() ? "no commander" : commander, " — ",
                          Ref(incident), " ", incident.title()),
             kMaxTopic);
}

std::string NameOf(const Mentions& mentions, const std::string& person) {
  auto it = mentions.find(person);
  if (it != mentions.end()) return it->second;
  // A Slack user id names itself.
  if (ClassifyPerson(person).kind == SlackPerson::Kind::kUserId)
    return absl::StrCat("<@", person, ">");
  return SlackEscape(person);
}

std::vector<std::string> PeopleOf(const pb::IncidentEvent& event, const pb::Incident& current) {
  std::vector<std::string> people = {current.reporter(), current.roles().commander(),
                                     current.roles().communication_lead(),
                                     current.roles().operations_lead(), event.entry().actor()};
  for (const std::string& email : EmailsIn(event.entry().text())) people.push_back(email);
  std::set<std::string> seen;
  std::vector<std::string> unique;
  for (std::string& person : people) {
    if (!person.empty() && seen.insert(person).second) unique.push_back(std::move(person));
  }
  return unique;
}

SlackPerson ClassifyPerson(const std::string& raw) {
  std::string person(absl::StripAsciiWhitespace(raw));
  SlackPerson out;
  out.value = person;
  if (person.size() > 1 && person[0] == '@') {
    out.kind = SlackPerson::Kind::kUserGroup;
    out.value = person.substr(1);
    return out;
  }
  size_t at = person.find('@');
  if (at != std::string::npos && at > 0 && at + 1 < person.size()) {
    out.kind = SlackPerson::Kind::kEmail;
    return out;
  }
  bool id_like = person.size() >= 9 && (person[0] == 'U' || person[0] == 'W');
  for (char c : person) id_like = id_like && (absl::ascii_isupper(c) || absl::ascii_isdigit(c));
  out.kind = id_like ? SlackPerson::Kind::kUserId : SlackPerson::Kind::kUnknown;
  return out;
}

std::string OpenedGlobalMessage(const pb::Incident& incident, const std::string& channel_link,
                                const Mentions& mentions) {
  return absl::StrCat(":rotating_light: New incident ", Headline(incident), "\nReported by ",
                      NameOf(mentions, incident.reporter()), " · join ", channel_link);
}

std::string ChangeMessage(const pb::IncidentEvent& event, const Mentions& mentions) {
  return absl::StrCat(":memo: ", WithMentions(event.entry().text(), mentions),
                      By(event.entry(), mentions));
}

std::string RoleMessage(const pb::IncidentEvent& event, const Mentions& mentions) {
  // "Commander: alice@x (was bob@x)", as the workflow writes it.
  const std::string& text = event.entry().text();
  size_t colon = text.find(": ");
  if (colon == std::string::npos) return ChangeMessage(event, mentions);
  std::string role = absl::AsciiStrToLower(text.substr(0, colon));
  if (role == "commander") role = "incident commander";
  std::string rest = text.substr(colon + 2);
  std::string was;
  if (size_t at = rest.find(" (was "); at != std::string::npos && rest.back() == ')') {
    was = rest.substr(at + 6, rest.size() - at - 7);
    rest.resize(at);
  }
  std::string line =
      rest == "nobody"
          ? absl::StrCat(":bust_in_silhouette: Nobody is ", role, " now")
          : absl::StrCat(":bust_in_silhouette: ", NameOf(mentions, rest), " is now ", role);
  if (!was.empty()) absl::StrAppend(&line, " (was ", NameOf(mentions, was), ")");
  return absl::StrCat(line, By(event.entry(), mentions));
}

std::string FixedGlobalMessage(const pb::Incident& incident, const std::string& channel_link) {
  return absl::StrCat(":white_check_mark: ", Headline(incident), " is FIXED · ", channel_link);
}

std::string SeverityGlobalMessage(const pb::Incident& incident, const std::string& channel_link) {
  return absl::StrCat(":warning: ", Headline(incident), " was raised to ",
                      SeverityName(incident.severity()), " · join ", channel_link);
}

std::string LinkMessage(const pb::Incident& incident, const pb::Link& link) {
  std::string what = link.kind() == "postmortem" ? ":page_facing_up: Postmortem page"
                     : link.kind() == "call"     ? ":telephone_receiver: Incident call"
                                                 : ":calendar: Postmortem meeting";
  return absl::StrCat(what, " for *", Ref(incident), "*: ", link.url());
}

std::string ClosedMessage(const pb::IncidentEvent& event, const pb::Link* postmortem,
                          const Mentions& mentions) {
  std::string text = absl::StrCat(":lock: *", Ref(event.incident()), "* ",
                                  WithMentions(event.entry().text(), mentions),
                                  By(event.entry(), mentions), ". This channel is archived now.");
  if (postmortem != nullptr) absl::StrAppend(&text, "\nPostmortem: ", postmortem->url());
  return text;
}

std::string ReminderMessage(const pb::IncidentEvent& event, const std::string& commander) {
  // Without a commander the reminder is for whoever is in the channel.
  std::string to = commander.empty() ? "<!here>" : commander;
  return absl::StrCat(":alarm_clock: ", to, " *", Ref(event.incident()), "* ",
                      SlackEscape(event.entry().text()));
}

std::string SeverityMeaning(int severity) {
  switch (severity) {
    case pb::SEVERITY_SEV1:
      return "critical, with liaison to the executive committee";
    case pb::SEVERITY_SEV2:
      return "major, impacting customers";
    case pb::SEVERITY_SEV3:
      return "minor, affecting customers";
    case pb::SEVERITY_SEV4:
      return "minor, not affecting customers";
    case pb::SEVERITY_SEV5:
      return "cosmetic, not affecting customers";
    default:
      return "not set";
  }
}

std::string DurationText(absl::Duration duration) {
  int64_t minutes = std::max<int64_t>(0, absl::ToInt64Minutes(duration));
  int64_t days = minutes / (24 * 60);
  int64_t hours = minutes / 60 % 24;
  if (days > 0) return absl::StrCat(days, "d ", hours, "h");
  if (hours > 0) return absl::StrCat(hours, "h ", minutes % 60, "m");
  return absl::StrCat(minutes, "m");
}

std::string DashboardPage(const std::string& dashboard_url, int64_t id) {
  return dashboard_url.empty() ? "" : absl::StrCat(dashboard_url, "/incidents/", id);
}

std::string FollowUpCounts(const std::vector<pb::FollowUp>& follow_ups) {
  int open = 0;
  int overdue = 0;
  int done = 0;
  for (const pb::FollowUp& follow_up : follow_ups) {
    open += follow_up.status() == pb::FOLLOW_UP_STATUS_OPEN ? 1 : 0;
    overdue += follow_up.status() == pb::FOLLOW_UP_STATUS_OPEN && follow_up.overdue() ? 1 : 0;
    done += follow_up.status() == pb::FOLLOW_UP_STATUS_DONE ? 1 : 0;
  }
  if (open == 0 && done == 0) return "";
  std::string text = absl::StrCat(open, " open");
  if (overdue > 0) absl::StrAppend(&text, " (", overdue, " overdue)");
  if (done > 0) absl::StrAppend(&text, " · ", done, " done");
  return text;
}

std::string SummaryText(const pb::Incident& incident) {
  return absl::StrCat(Ref(incident), " ", SeverityName(incident.severity()), " ",
                      StatusName(incident.status()), " — ", SlackEscape(incident.title()));
}

namespace {

// Lasted is the duration field: from the incident's creation to its fix (or
// close), or to `now` while it is still being worked on.
nlohmann::json Lasted(const pb::Incident& incident, absl::Time now) {
  absl::Time start = absl::FromUnixSeconds(incident.created_at().seconds());
  bool over = incident.status() >= pb::STATUS_FIXED && incident.has_fixed_at();
  absl::Time end = over ? absl::FromUnixSeconds(incident.fixed_at().seconds()) : now;
  if (incident.has_closed_at() && !over) {
    end = absl::FromUnixSeconds(incident.closed_at().seconds());
    over = true;
  }
  return Mrkdwn(absl::StrCat(over ? "*Lasted*\n" : "*Open for*\n", DurationText(end - start),
                             " (since ", SlackDate(incident.created_at(), "{date_short} {time}"),
                             ")"));
}

nlohmann::json Facts(const pb::Incident& incident, const SummaryContext& context) {
  auto role = [&](const char* label, const std::string& holder) {
    return Mrkdwn(absl::StrCat("*", label, "*\n",
                               holder.empty() ? "_nobody_" : NameOf(context.mentions, holder)));
  };
  return nlohmann::json::array(
      {Mrkdwn(absl::StrCat("*Severity*\n", SeverityName(incident.severity()), " — ",
                           SeverityMeaning(incident.severity()))),
       Mrkdwn(absl::StrCat("*Status*\n", StatusName(incident.status()))),
       Mrkdwn(absl::StrCat("*Domain*\n",
                           incident.domain().empty() ? "_none_" : SlackEscape(incident.domain()))),
       Lasted(incident, context.now), role("Commander", incident.roles().commander()),
       role("Communication lead", incident.roles().communication_lead()),
       role("Operations lead", incident.roles().operations_lead())});
}

// WithFollowUps adds the follow-ups' counts to the facts, when there are any.
nlohmann::json WithFollowUps(nlohmann::json facts, const SummaryContext& context) {
  if (context.follow_ups == nullptr) return facts;
  std::string counts = FollowUpCounts(*context.follow_ups);
  if (!counts.empty()) facts.push_back(Mrkdwn(absl::StrCat("*Follow-ups*\n", counts)));
  return facts;
}

// LinksLine is "<url|Call> · <url|PagerDuty> · …" for the links the incident
// has, "" when none.
std::string LinksLine(const pb::Incident& incident, const SummaryContext& context) {
  std::vector<std::string> parts;
  std::string dashboard = DashboardPage(context.dashboard_url, incident.id());
  if (!dashboard.empty()) parts.push_back(absl::StrCat("<", dashboard, "|Dashboard>"));
  for (const auto& [kind, label] : kSummaryLinks) {
    if (label == nullptr) continue;
    for (const pb::Link& link : incident.links()) {
      if (link.kind() != kind || link.url().empty()) continue;
      // A URL cannot hold '|' or '>' unescaped in Slack's link markup.
      std::string url = absl::StrReplaceAll(link.url(), {{"|", "%7C"}, {">", "%3E"}});
      parts.push_back(absl::StrCat("<", url, "|", label, ">"));
      break;
    }
  }
  return absl::StrJoin(parts, " · ");
}

nlohmann::json Latest(const pb::TimelineEntry& entry, const Mentions& mentions) {
  std::string by = entry.actor().empty() ? "" : NameOf(mentions, entry.actor());
  return {{"type", "context"},
          {"elements",
           {Mrkdwn(Cut(absl::StrCat("*Latest:* ", WithMentions(entry.text(), mentions), " — ",
                                    by.empty() ? "" : absl::StrCat(by, ", "),
                                    SlackDate(entry.time(), "{date_short} {time}")),
                       kMaxSectionText))}}};
}

nlohmann::json Buttons(const pb::Incident& incident, const SummaryContext& context) {
  nlohmann::json elements = {Button(slack_room::kUpdate, "Update", incident.id()),
                             Button(slack_room::kCommanderMe, "I'm commander", incident.id()),
                             Button(slack_room::kAddNote, "Add note", incident.id())};
  std::string dashboard = DashboardPage(context.dashboard_url, incident.id());
  if (!dashboard.empty()) {
    nlohmann::json open = Button(slack_room::kOpenDashboard, "Open in dashboard", incident.id());
    open["url"] = dashboard;
    elements.push_back(std::move(open));
  }
  elements[0]["style"] = "primary";
  return {{"type", "actions"}, {"block_id", slack_room::kActionsBlock}, {"elements", elements}};
}

}  // namespace

nlohmann::json SummaryBlocks(const pb::Incident& incident, const SummaryContext& context) {
  nlohmann::json blocks = nlohmann::json::array();
  blocks.push_back({{"type", "header"},
                    {"text",
                     {{"type", "plain_text"},
                      {"text", Cut(absl::StrCat(Ref(incident), " ", incident.title()), 150)}}}});
  blocks.push_back(
      {{"type", "section"}, {"fields", WithFollowUps(Facts(incident, context), context)}});
  if (!incident.description().empty()) {
    std::string description = SlackEscape(Cut(incident.description(), kMaxDescription));
    std::string quoted = absl::StrCat(">", absl::StrReplaceAll(description, {{"\n", "\n>"}}));
    blocks.push_back({{"type", "section"}, {"text", Mrkdwn(Cut(quoted, kMaxSectionText))}});
  }
  if (std::string links = LinksLine(incident, context); !links.empty()) {
    blocks.push_back({{"type", "section"}, {"text", Mrkdwn(absl::StrCat("*Links:* ", links))}});
  }
  if (context.latest != nullptr && !context.latest->text().empty()) {
    blocks.push_back(Latest(*context.latest, context.mentions));
  }
  blocks.push_back(Buttons(incident, context));
  return blocks;
}

bool SeverityRaisedToMajor(const pb::IncidentEvent& event) {
  int to_now = event.incident().severity();
  if (to_now != pb::SEVERITY_SEV1 && to_now != pb::SEVERITY_SEV2) return false;
  int from = 0;
  int to = 0;
  if (!ParseSeverityChange(event.entry().text(), &from, &to)) return true;
  return to < from;
}

}  // namespace ff
