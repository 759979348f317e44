// Confluence notifier: writes the postmortem page when an incident reaches
// POSTMORTEM, through Confluence Cloud REST v2 (EXTERNAL_APIS.md §5).
//
// Layout: <parent_page_id> / "YYYY-MM" (month the incident occurred, see
// PostmortemFolderTitle) / "Postmortem #<id>: <title>". Both pages are found by
// title in the space before being created, so a redelivered event creates
// nothing twice; a create that loses a race (400 "already exists") re-reads.
// Stores the page as link kind "postmortem" (url = page web UI link,
// external_id = page id).
//
// Config ("notifiers.confluence"):
//   base_url        required, e.g. "https://example.atlassian.net/wiki"
//   email           required, the Atlassian account of the API token
//   api_token_env   required, environment variable holding the API token
//   space_id        required, numeric v2 space id
//   parent_page_id  optional, numeric page id the month folders live under
//                   (default: the space home)
//   timeout_ms      optional, per request, default 10000
// Thread-safe.
#ifndef FF_SERVER_NOTIFIERS_CONFLUENCE_CONFLUENCE_NOTIFIER_H_
#define FF_SERVER_NOTIFIERS_CONFLUENCE_CONFLUENCE_NOTIFIER_H_

#include <memory>

#include "server/notifiers/notifier.h"

namespace ff {

// MakeConfluenceNotifierFactory returns the factory named "confluence".
std::unique_ptr<NotifierFactory> MakeConfluenceNotifierFactory();

}  // namespace ff

#endif  // FF_SERVER_NOTIFIERS_CONFLUENCE_CONFLUENCE_NOTIFIER_H_
