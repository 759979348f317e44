// Confluence notifier: writes the postmortem page when an incident reaches
// POSTMORTEM, through Confluence Cloud REST v2 (EXTERNAL_APIS.md §5).
//
// Layout: <parent_page_id> / "YYYY-MM" (month the incident occurred, see
// PostmortemFolderTitle) / "Postmortem #<id>: <title>". The month folder is
// neutral: found by title and shared with any other FireFighter writing into
// the same space, never edited. The postmortem page must be ours: it carries
// the content property "firefighter" = {"installation": "<installation id>",
// "incident_id": "<id>"}, set right after the create, and its body ends in
// "FireFighter installation <inst>, incident #<id>." so that a page whose
// create answer was lost is recognised before the property is set (the
// property is then added). A page of that title that is not ours (another
// installation's, or one from before markers) is neither linked nor edited:
// ours is made beside it as "Postmortem #<id>: <title> [ff-<inst>]" (Confluence
// titles are unique per space). Both titles taken by others:
// FAILED_PRECONDITION naming them. Every attempt looks pages up by title
// before creating them, so a redelivered event creates nothing twice; a create
// that loses a race (400 "already exists") re-reads. An incident that already
// links a "postmortem" page (e.g. made before markers) keeps it: nothing is
// looked up or written.
// Stores the page as link kind "postmortem" (url = page web UI link,
// external_id = page id).
//
// Follow-ups (docs/adr/0014-postmortem-follow-ups.md): the page is made with
// a "Follow-ups" section listing the incident's follow-ups, held in a Page
// Properties macro whose "id" parameter is "firefighter-follow-ups". Every
// "followup.*" event on an incident that links a postmortem page carrying
// our marker property (in any status, CLOSED included) replaces that section
// only (PUT with the read version + 1, re-read and retried on a 409 version
// conflict), so what authors wrote elsewhere stays; a section that would not
// change writes nothing. Without a page, follow-up events do nothing: the
// page lists them when it is made.
//
// Config ("notifiers.confluence"):
//   base_url        required, e.g. "https://example.atlassian.net/wiki"
//   email           required, the Atlassian account of the API token
//   api_token_env   required, environment variable holding the API token
//   space_id        required, numeric v2 space id
//   parent_page_id  optional, numeric page id the month folders live under
//                   (default: the space home)
//   timeout_ms      optional, per request, default 10000
// The calls themselves are clients/confluence. Thread-safe.
#ifndef FF_SERVER_NOTIFIERS_CONFLUENCE_CONFLUENCE_NOTIFIER_H_
#define FF_SERVER_NOTIFIERS_CONFLUENCE_CONFLUENCE_NOTIFIER_H_

#include <memory>

#include "server/notifiers/notifier.h"

namespace ff {

// MakeConfluenceNotifierFactory returns the factory named "confluence".
// Create fails with INTERNAL "notifiers.confluence: no installation id" when
// the environment lacks one.
std::unique_ptr<NotifierFactory> MakeConfluenceNotifierFactory();

}  // namespace ff

#endif  // FF_SERVER_NOTIFIERS_CONFLUENCE_CONFLUENCE_NOTIFIER_H_
