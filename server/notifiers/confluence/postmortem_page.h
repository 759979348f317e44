// Postmortem page rendering for Confluence: the deterministic titles the
// notifier looks pages up by, and the page body in Confluence storage format
// (XHTML). Pure functions; thread-safe.
#ifndef FF_SERVER_NOTIFIERS_CONFLUENCE_POSTMORTEM_PAGE_H_
#define FF_SERVER_NOTIFIERS_CONFLUENCE_POSTMORTEM_PAGE_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
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
// the full timeline (oldest first), and empty Impact / Root cause / Actions
// sections for the authors. Every value is HTML-escaped.
std::string RenderPostmortem(const pb::Incident& incident,
                             const std::vector<pb::TimelineEntry>& timeline);

}  // namespace ff

#endif  // FF_SERVER_NOTIFIERS_CONFLUENCE_POSTMORTEM_PAGE_H_
