// Human-readable views of follow-ups, the actions that come out of an
// incident: a card for one (`ff followup add`, `edit`), a table for
// `ff followup list`, and one line for `done` and `cancel`.
// Thread-compatible: a FollowUpView is used by one thread at a time.
#ifndef FF_ADAPTERS_CLI_FOLLOWUP_VIEWS_H_
#define FF_ADAPTERS_CLI_FOLLOWUP_VIEWS_H_

#include <ostream>
#include <string>

#include "absl/time/time.h"
#include "firefighter/v1/follow_up.pb.h"

namespace ff::cli {
namespace pb = ::firefighter::v1;

class FollowUpView {
 public:
  // `out` must outlive the view. `colour` turns ANSI styles on; times are
  // shown in `zone`.
  FollowUpView(std::ostream& out, bool colour, absl::TimeZone zone)
      : out_(out), colour_(colour), zone_(zone) {}

  // FollowUp prints a card: "FU-7 <title>", then one "key  value" line per
  // field (incident, status, owner, due, tracker, created, version) and the
  // description.
  void FollowUp(const pb::FollowUp& follow_up) const;
  // FollowUpList prints a table: ID INCIDENT STATUS DUE OWNER TITLE TRACKER,
  // where DUE ends with "overdue" for an overdue one; or "No follow-ups."
  void FollowUpList(const pb::ListFollowUpsResponse& list) const;
  // StatusLine prints one line after a status change: "FU-7 is done."
  void StatusLine(const pb::FollowUp& follow_up) const;

 private:
  void Field(const char* key, const std::string& value) const;
  std::string Status(const pb::FollowUp& follow_up) const;

  std::ostream& out_;
  bool colour_;
  absl::TimeZone zone_;
};

}  // namespace ff::cli

#endif  // FF_ADAPTERS_CLI_FOLLOWUP_VIEWS_H_
