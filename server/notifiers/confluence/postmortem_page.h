// Postmortem page rendering for Confluence: the deterministic titles the
// notifier looks pages up by, and the page body in Confluence storage format
// (XHTML). Pure functions; thread-safe.
#ifndef FF_SERVER_NOTIFIERS_CONFLUENCE_POSTMORTEM_PAGE_H_
#define FF_SERVER_NOTIFIERS_CONFLUENCE_POSTMORTEM_PAGE_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "firefighter/v1/follow_up.pb.h"
#include "firefighter/v1/incident.pb.h"

namespace ff {
namespace pb = ::firefighter::v1;

// HtmlEscape escapes &, <, >, " and ' so any text is safe inside XHTML
// elements and attribute values.
std::string HtmlEscape(absl::string_view text);

// PostmortemFolderTitle is "YYYY-MM" (UTC) of the month the incident
// occurred in: occurred_at, or created_at when occurred_at is unset. Grouping
// by the occurrence month keeps an incident that was postmortemed in the next
// month next to its siblings of the month it actually hurt.
std::string PostmortemFolderTitle(const pb::Incident& incident);

// PostmortemPageTitle is "Postmortem #<id>: <title>" followed by `suffix`,
// the title cut so that the whole fits Confluence's 255-byte title limit
// without splitting a UTF-8 sequence.
std::string PostmortemPageTitle(const pb::Incident& incident, absl::string_view suffix = "");

// RenderPostmortem returns the page body: summary table (date, occurred,
// detected, fixed, duration occurred → fixed, severity, domain, reporter),
// roles, attendees, description, links to the incident's other footprints,
// the full timeline (oldest first), empty Impact / Root cause / Actions
// sections for the authors, and the Follow-ups section
// (RenderFollowUpsSection under a "Follow-ups" heading). Every value is
// HTML-escaped.
std::string RenderPostmortem(const pb::Incident& incident,
                             const std::vector<pb::TimelineEntry>& timeline,
                             const std::vector<pb::FollowUp>& follow_ups);

// kFollowUpsSectionId names the follow-ups section: the value of the "id"
// parameter of the Page Properties ("details") macro that holds it.
inline constexpr absl::string_view kFollowUpsSectionId = "firefighter-follow-ups";

// RenderFollowUpsSection returns the follow-ups section: one
// <ac:structured-macro ac:name="details"> whose "id" parameter is
// kFollowUpsSectionId and whose body is a table of the follow-ups in the
// given order (FU-id, title, owner, due date, status, tracker link), or
// "None yet." when there are none. The same list always renders the same
// text, so an unchanged list can be recognised by comparison.
std::string RenderFollowUpsSection(const std::vector<pb::FollowUp>& follow_ups);

// ReplaceFollowUpsSection returns `body` with its follow-ups section (the
// macro carrying kFollowUpsSectionId, found whatever attributes an editor
// added to it) replaced by `section`; everything else is kept byte for byte.
// A body without the section (an author deleted it) gets `section` appended
// under a "Follow-ups" heading. FAILED_PRECONDITION when the macro carrying
// the id is not closed (appending would add a section on every update).
absl::StatusOr<std::string> ReplaceFollowUpsSection(absl::string_view body,
                                                    absl::string_view section);

}  // namespace ff

#endif  // FF_SERVER_NOTIFIERS_CONFLUENCE_POSTMORTEM_PAGE_H_
