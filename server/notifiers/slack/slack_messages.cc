#include "server/notifiers/slack/slack_messages.h"

#include <cctype>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "server/core/names.h"

namespace ff {
namespace {

constexpr size_t kMaxChannelName = 80;
constexpr size_t kMaxTopic = 250;
constexpr size_t kMaxDescription = 1500;

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

std::string Roles(const pb::Incident& incident) {
  std::string out;
  auto add = [&out](const char* role, const std::string& holder) {
    if (!holder.empty()) absl::StrAppend(&out, " · ", role, ": ", SlackEscape(holder));
  };
  add("Commander", incident.roles().commander());
  add("Communication", incident.roles().communication_lead());
  add("Operations", incident.roles().operations_lead());
  return out;
}

std::string By(const pb::TimelineEntry& entry) {
  return entry.actor().empty() ? "" : absl::StrCat(" (by ", SlackEscape(entry.actor()), ")");
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

std::string ChannelTopic(const pb::Incident& incident) {
  // The topic shows no formatting, so no escaping or bold here.
  std::string topic = absl::StrCat(Ref(incident), " ", SeverityName(incident.severity()), " ",
                                   StatusName(incident.status()), " — ", incident.title());
  if (topic.size() > kMaxTopic) {
    topic.resize(kMaxTopic - 3);
    // Do not cut a UTF-8 sequence in half.
    while (!topic.empty() && (static_cast<unsigned char>(topic.back()) & 0xC0) == 0x80) {
      topic.pop_back();
    }
    if (!topic.empty() && static_cast<unsigned char>(topic.back()) >= 0xC0) topic.pop_back();
    topic += "...";
  }
  return topic;
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

std::string OpenedChannelMessage(const pb::Incident& incident) {
  std::string text = absl::StrCat(
      ":rotating_light: ", Headline(incident), "\nStatus: ", StatusName(incident.status()),
      " · Reporter: ", SlackEscape(incident.reporter()), Roles(incident));
  if (!incident.description().empty()) {
    std::string description = incident.description().substr(0, kMaxDescription);
    absl::StrAppend(&text, "\n>", absl::StrReplaceAll(SlackEscape(description), {{"\n", "\n>"}}));
  }
  return text;
}

std::string OpenedGlobalMessage(const pb::Incident& incident, const std::string& channel_link) {
  return absl::StrCat(":rotating_light: New incident ", Headline(incident), "\nReported by ",
                      SlackEscape(incident.reporter()), " · join ", channel_link);
}

std::string ChangeMessage(const pb::IncidentEvent& event) {
  return absl::StrCat(":memo: *", Ref(event.incident()), "* ", SlackEscape(event.entry().text()),
                      By(event.entry()));
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

std::string ClosedMessage(const pb::IncidentEvent& event, const pb::Link* postmortem) {
  std::string text =
      absl::StrCat(":lock: *", Ref(event.incident()), "* ", SlackEscape(event.entry().text()),
                   By(event.entry()), ". This channel is archived now.");
  if (postmortem != nullptr) absl::StrAppend(&text, "\nPostmortem: ", postmortem->url());
  return text;
}

std::string ReminderMessage(const pb::IncidentEvent& event, const std::string& commander) {
  // Without a commander the reminder is for whoever is in the channel.
  std::string to = commander.empty() ? "<!here>" : commander;
  return absl::StrCat(":alarm_clock: ", to, " *", Ref(event.incident()), "* ",
                      SlackEscape(event.entry().text()));
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
