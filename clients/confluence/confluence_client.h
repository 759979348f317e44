// ConfluenceClient: the Confluence Cloud REST v2 calls FireFighter makes in
// one space (EXTERNAL_APIS.md §5): find a current page by title, create a
// page, read a page (title, version, stored body) and update it, and read and
// add a page's content properties. Authenticates with Basic base64(email:api_token). Codes as
// clients/http/json_call.h; an answer without its documented fields is
// UNAVAILABLE. Messages name the page (title or id), never the token.
// Thread-safe (stateless over a thread-safe HttpClient).
#ifndef FF_CLIENTS_CONFLUENCE_CONFLUENCE_CLIENT_H_
#define FF_CLIENTS_CONFLUENCE_CONFLUENCE_CLIENT_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "clients/http/http_client.h"
#include "nlohmann/json.hpp"

namespace ff {

// ConfluencePageRef names a page: its id and its web UI address.
struct ConfluencePageRef {
  std::string id;
  std::string url;  // base_url + the page's _links.webui
};

// ConfluencePageContent is a page as read before an update.
struct ConfluencePageContent {
  std::string id;
  std::string title;
  int64_t version = 0;  // version.number
  std::string body;     // storage-format XHTML ("" when the answer holds none)
};

class ConfluenceClient {
 public:
  // `base_url` ends in /wiki, without a trailing slash; `space_id` is the
  // numeric v2 space id. REQUIRES: `http` outlives the client.
  ConfluenceClient(HttpClient* http, std::string base_url, absl::string_view email,
                   absl::string_view api_token, std::string space_id, absl::Duration timeout);

  // FindPage returns the current page titled exactly `title` in the space,
  // or nullopt. UNAVAILABLE for an answer without its results array.
  absl::StatusOr<std::optional<ConfluencePageRef>> FindPage(const std::string& title);
  // CreatePage creates a current page titled `title` in the space, under
  // `parent_id` ("": the space home), with `storage_body` (storage-format
  // XHTML). A title the space already holds is refused with
  // INVALID_ARGUMENT, recognisable with IsTitleTaken.
  absl::StatusOr<ConfluencePageRef> CreatePage(const std::string& title,
                                               const std::string& parent_id,
                                               const std::string& storage_body);
  // GetPage reads page `page_id` with its storage-format body. NOT_FOUND for
  // an unknown page; UNAVAILABLE for an answer without id, title or
  // version.number.
  absl::StatusOr<ConfluencePageContent> GetPage(const std::string& page_id);
  // GetStorageBody returns the storage-format body of page `page_id` (""
  // when the answer holds none). Codes as GetPage.
  absl::StatusOr<std::string> GetStorageBody(const std::string& page_id);
  // UpdatePage replaces page `page`.id's title and body with `page`.title
  // and `storage_body`, as version `page`.version + 1 (the page stays
  // current). When the page moved past `page`.version since it was read,
  // Confluence answers 409: ALREADY_EXISTS, recognisable with
  // IsVersionConflict (read it again and retry).
  absl::Status UpdatePage(const ConfluencePageContent& page, const std::string& storage_body);
  // GetProperty returns the value of page `page_id`'s content property
  // `key`, or nullopt when the page has none. UNAVAILABLE for an answer
  // without its results array.
  absl::StatusOr<std::optional<nlohmann::json>> GetProperty(const std::string& page_id,
                                                            const std::string& key);
  // AddProperty adds content property `key` = `value` to page `page_id`;
  // INVALID_ARGUMENT when the page has that key already.
  absl::Status AddProperty(const std::string& page_id, const std::string& key,
                           const nlohmann::json& value);

  // IsTitleTaken is true for CreatePage's refusal because a page of that
  // title exists in the space (Confluence's 400 "… already exists …").
  static bool IsTitleTaken(const absl::Status& status);
  // IsVersionConflict is true for UpdatePage's refusal because the page's
  // version is no longer the one read (Confluence's 409).
  static bool IsVersionConflict(const absl::Status& status);

 private:
  absl::StatusOr<ConfluencePageRef> PageOf(const nlohmann::json& page,
                                           absl::string_view what) const;
  absl::StatusOr<nlohmann::json> Call(const std::string& method, const std::string& url,
                                      const nlohmann::json* body, absl::string_view what);

  HttpClient* http_;
  std::string base_url_;
  std::string authorization_;
  std::string space_id_;
  absl::Duration timeout_;
};

}  // namespace ff

#endif  // FF_CLIENTS_CONFLUENCE_CONFLUENCE_CLIENT_H_
