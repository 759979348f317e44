// Quick verbs: one-line changes to an incident from the slash command, with
// no modal (docs/slack.md, "Quick verbs"):
//   /incident status [N] <status> [message…]
//   /incident severity [N] <severity> [message…]
//   /incident commander [N] me|@user [message…]
//   /incident note [N] <text…>
//   /incident followup [N] [<title…>]   (no title: list the follow-ups)
// Statuses and severities are read with the vocabulary (every alias);
// @user is a mention as Slack sends it ("<@U123|alice>"). The optional
// incident number N ("12" or "#12") names the incident; without it the verb
// acts on the incident of the channel it is run in. "#12" is always N; a
// bare number is N outside an incident channel, and inside one only when
// the verb's value follows ("status 12 fixed"; never for a note or a
// follow-up, whose text may start with a number), so that
// "severity 2" and "note 5 pods restarted" in an incident channel mean what
// they say. "sev" is short for "severity".
//
// Thread-safe: pure functions.
#ifndef FF_ADAPTERS_SLACK_QUICK_VERBS_H_
#define FF_ADAPTERS_SLACK_QUICK_VERBS_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "firefighter/v1/enums.pb.h"

namespace ff::slack {

namespace pb = ::firefighter::v1;

struct QuickVerb {
  enum class Kind { kStatus, kSeverity, kCommander, kNote, kFollowUp };
  Kind kind = Kind::kNote;
  int64_t incident_id = 0;
  pb::Status status = pb::STATUS_UNSPECIFIED;        // kStatus
  pb::Severity severity = pb::SEVERITY_UNSPECIFIED;  // kSeverity
  std::string commander;                             // kCommander: a Slack user id; "" for "me"
  // The message ("" when none), the note, or the follow-up's title ("" to
  // list them).
  std::string text;
};

// QuickVerbKind returns the kind of `verb` ("status", "severity",
// "commander", "note"; any case), or nullopt when it is not one of these
// (kFollowUp is read by ParseQuickVerb, but carried out apart: SlackApp).
std::optional<QuickVerb::Kind> QuickVerbKind(absl::string_view verb);

// ParseQuickVerb reads `arguments`, the text after the verb.
// `channel_incident` is the incident of the channel the command came from
// (0 outside an incident channel). INVALID_ARGUMENT, with a message for the
// person that says what was expected and shows an example (plain text: the
// caller escapes it), when the value is missing or unknown, the mention is
// not one, a note has no text, or no incident is named outside an incident
// channel. A follow-up without a title is not an error: it asks for the list.
absl::StatusOr<QuickVerb> ParseQuickVerb(QuickVerb::Kind kind, absl::string_view arguments,
                                         int64_t channel_incident);

}  // namespace ff::slack

#endif  // FF_ADAPTERS_SLACK_QUICK_VERBS_H_
