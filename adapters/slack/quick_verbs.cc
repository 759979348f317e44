#include "adapters/slack/quick_verbs.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "adapters/slack/slack_markup.h"
#include "clients/incident/vocabulary.h"

namespace ff::slack {
namespace {

using Kind = QuickVerb::Kind;

// Usage is the verb's synopsis and an example, for error messages.
struct Usage {
  const char* verb;
  const char* value;  // what the verb wants first
  const char* example;
};

Usage UsageOf(Kind kind) {
  switch (kind) {
    case Kind::kStatus:
      return {"status", "a status", "fixed rolled back to 2024.11.2"};
    case Kind::kSeverity:
      return {"severity", "a severity", "sev1 checkout is down for everyone"};
    case Kind::kCommander:
      return {"commander", "`me` or a mention (@someone)", "me"};
    case Kind::kNote:
      return {"note", "the note's text", "restarted the payment pods"};
    case Kind::kFollowUp:
      return {"followup", "the follow-up's title", "rotate the database credentials"};
  }
  return {"", "", ""};
}

// NextWord removes the first whitespace-separated word from *rest and
// returns it ("" when none is left).
absl::string_view NextWord(absl::string_view* rest) {
  *rest = absl::StripLeadingAsciiWhitespace(*rest);
  size_t end = 0;
  while (end < rest->size() && !absl::ascii_isspace(static_cast<unsigned char>((*rest)[end]))) {
    ++end;
  }
  absl::string_view word = rest->substr(0, end);
  rest->remove_prefix(end);
  return word;
}

// IncidentNumber reads "12" or "#12"; 0 when `word` is neither.
int64_t IncidentNumber(absl::string_view word, bool* with_hash) {
  *with_hash = absl::ConsumePrefix(&word, "#");
  int64_t id = 0;
  return absl::SimpleAtoi(word, &id) && id > 0 ? id : 0;
}

// ReadCommander reads "me" (the caller: an empty id) or a mention.
absl::Status ReadCommander(absl::string_view word, QuickVerb* verb) {
  if (absl::EqualsIgnoreCase(word, "me")) {
    verb->commander.clear();
    return absl::OkStatus();
  }
  std::optional<std::string> user = ParseUserMention(word);
  if (user.has_value()) {
    verb->commander = *user;
    return absl::OkStatus();
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "commander: \"", word.substr(0, 24),
      "\" is not a person Slack resolved; write `me`, or type @ and pick the person from "
      "Slack's list"));
}

// ReadValue fills the verb's value from `word`; INVALID_ARGUMENT when it is
// not one.
absl::Status ReadValue(absl::string_view word, QuickVerb* verb) {
  switch (verb->kind) {
    case Kind::kStatus: {
      absl::StatusOr<pb::Status> status = ParseStatus(word);
      if (!status.ok()) return status.status();
      verb->status = *status;
      return absl::OkStatus();
    }
    case Kind::kSeverity: {
      absl::StatusOr<pb::Severity> severity = ParseSeverity(word);
      if (!severity.ok()) return severity.status();
      verb->severity = *severity;
      return absl::OkStatus();
    }
    case Kind::kCommander:
      return ReadCommander(word, verb);
    case Kind::kNote:
    case Kind::kFollowUp:
      return absl::OkStatus();
  }
  return absl::OkStatus();
}

}  // namespace

std::optional<QuickVerb::Kind> QuickVerbKind(absl::string_view verb) {
  std::string word = absl::AsciiStrToLower(verb);
  if (word == "status") return Kind::kStatus;
  if (word == "severity" || word == "sev") return Kind::kSeverity;
  if (word == "commander") return Kind::kCommander;
  if (word == "note") return Kind::kNote;
  return std::nullopt;
}

absl::StatusOr<QuickVerb> ParseQuickVerb(QuickVerb::Kind kind, absl::string_view arguments,
                                         int64_t channel_incident) {
  Usage usage = UsageOf(kind);
  const bool free_text = kind == Kind::kNote || kind == Kind::kFollowUp;
  QuickVerb verb;
  verb.kind = kind;
  absl::string_view rest = arguments;
  absl::string_view word = NextWord(&rest);
  bool with_hash = false;
  if (int64_t number = IncidentNumber(word, &with_hash); number > 0) {
    absl::string_view after = rest;
    absl::string_view next = NextWord(&after);
    QuickVerb probe = verb;
    bool names_incident =
        with_hash || channel_incident == 0 || (!free_text && ReadValue(next, &probe).ok());
    if (names_incident) {
      verb.incident_id = number;
      word = NextWord(&rest);
    }
  }
  if (verb.incident_id == 0) verb.incident_id = channel_incident;
  if (verb.incident_id == 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("`/incident ", usage.verb,
                     "` acts on an incident: run it in an incident channel, or give "
                     "the number: `/incident ",
                     usage.verb, " 12 ", usage.example, "`"));
  }
  if (word.empty() && kind == Kind::kFollowUp) return verb;  // the list
  if (word.empty()) {
    return absl::InvalidArgumentError(absl::StrCat("`/incident ", usage.verb, "` needs ",
                                                   usage.value, ": `/incident ", usage.verb, " ",
                                                   usage.example, "`"));
  }
  if (free_text) {
    rest = absl::string_view(word.data(), rest.data() + rest.size() - word.data());
  } else if (absl::Status read = ReadValue(word, &verb); !read.ok()) {
    return read;
  }
  verb.text = std::string(absl::StripAsciiWhitespace(rest));
  return verb;
}

}  // namespace ff::slack
