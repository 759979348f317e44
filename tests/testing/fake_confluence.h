// FakeConfluence: a loopback Confluence Cloud (REST v2 pages) for tests.
//
// Speaks the subset of the wire contract in EXTERNAL_APIS.md §5 the
// postmortem notifier uses, validating like the real service:
//   GET  /wiki/api/v2/pages?space-id=&title=&status=&limit=  title lookup,
//        `{"results":[]}` when absent;
//   POST /wiki/api/v2/pages  create; 400 with the duplicate-title error when
//        the space already holds that title or for a body that is not
//        well-formed XHTML, 404 for an unknown space/parent;
//   GET  /wiki/api/v2/pages/{id}[?body-format=storage]  the page, with
//        body.storage when asked;
//   PUT  /wiki/api/v2/pages/{id}  update: {"id","status","title","body":
//        {"representation":"storage","value"},"version":{"number"}}; 400 for
//        a missing or bad field (id not the path's, empty title, a title
//        another page of the space holds, a body that is not well-formed
//        XHTML), 404 for an unknown page, 409 CONFLICT when version.number is
//        not exactly the current version + 1;
//   GET  /wiki/api/v2/pages/{id}/properties[?key=]  content properties,
//        {"results":[{"id","key","value","version"}]};
//   POST /wiki/api/v2/pages/{id}/properties  {"key","value"}; 400 for a bad
//        body or a key the page already has, 404 for an unknown page.
// Every route needs `Authorization: Basic base64(email:api_token)` (401
// otherwise). Errors use the v2 shape
//   {"errors":[{"status":400,"code":"BAD_REQUEST","title":"…","detail":null}]}.
// State (spaces, pages and the bodies of their earlier versions) is kept so
// idempotency can be checked. Thread-safe.
#ifndef FF_TESTS_TESTING_FAKE_CONFLUENCE_H_
#define FF_TESTS_TESTING_FAKE_CONFLUENCE_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "nlohmann/json.hpp"
#include "tests/testing/fake_http_server.h"

namespace ff::testing {

struct ConfluencePage {
  std::string id;
  std::string space_id;
  std::string parent_id;  // "" for a page under the space home
  std::string title;
  std::string status;                                // "current" or "draft"
  std::string body;                                  // storage-format XHTML
  std::map<std::string, nlohmann::json> properties;  // content properties by key
  int64_t version = 1;                               // version.number
  std::vector<std::string> history = {};             // bodies of versions 1 … version-1
};

// StorageFormatError is "" for a body Confluence's storage-format parser
// reads (well-formed XHTML: balanced elements, quoted attributes, entity
// references, comments and CDATA sections), else "Error parsing xhtml: …"
// saying what is wrong.
std::string StorageFormatError(absl::string_view body);

class FakeConfluence final : public FakeHttpServer {
 public:
  // The fake accepts only `email`:`api_token`, and starts with one space,
  // `space_id` (key `space_key`), holding one page `parent_id` ("Postmortems").
  FakeConfluence(std::string email, std::string api_token, std::string space_id = "12345",
                 std::string space_key = "OPS", std::string parent_id = "67890");
  ~FakeConfluence() override;

  // "http://127.0.0.1:PORT/wiki", the notifier's base_url.
  std::string wiki_url() const;

  // Pages in creation order (the seeded parent first).
  std::vector<ConfluencePage> pages();
  // FindPage returns the page titled `title` in `space_id`, if any.
  std::optional<ConfluencePage> FindPage(const std::string& space_id, const std::string& title);
  // AddPage seeds a page as if created earlier; returns its id.
  std::string AddPage(const std::string& space_id, const std::string& parent_id,
                      const std::string& title);
  // PlantPage stores a page another FireFighter installation made: `create`
  // is a POST /wiki/api/v2/pages body, validated like one (the duplicate
  // title included), and `properties` its content properties. Not recorded
  // as a request. Returns the page id, or INVALID_ARGUMENT/NOT_FOUND with the
  // error the API would answer.
  absl::StatusOr<std::string> PlantPage(const nlohmann::json& create,
                                        const std::map<std::string, nlohmann::json>& properties);
  // EditPage saves `body` on page `id` as an author would in the editor: a
  // new version. Not recorded as a request. NOT_FOUND for an unknown page.
  absl::Status EditPage(const std::string& id, const std::string& body);
  // EditBeforeNextUpdate makes the next PUT of page `id` find that an author
  // saved `body` just before it (EditPage), so that a PUT built on the
  // version read earlier meets a version conflict.
  void EditBeforeNextUpdate(const std::string& id, const std::string& body);

 protected:
  void RegisterRoutes(httplib::Server& server) override;

 private:
  bool Authorized(const httplib::Request& request, httplib::Response& response);
  void ListPages(const httplib::Request& request, httplib::Response& response);
  void CreatePage(const httplib::Request& request, httplib::Response& response);
  void GetPage(const httplib::Request& request, httplib::Response& response);
  void UpdatePage(const httplib::Request& request, httplib::Response& response);
  // UpdateError validates an update body for `page`; "" when valid. Sets
  // `status`.
  std::string UpdateError(const nlohmann::json& body, const ConfluencePage& page, int& status)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void EditLocked(ConfluencePage& page, const std::string& body) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void ListProperties(const httplib::Request& request, httplib::Response& response);
  void AddProperty(const httplib::Request& request, httplib::Response& response);
  ConfluencePage* PageById(const std::string& id) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // CreateError validates a create body; "" when valid. Sets `status`.
  std::string CreateError(const nlohmann::json& body, int& status)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  nlohmann::json PageJson(const ConfluencePage& page) const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  std::string AddPageLocked(const std::string& space_id, const std::string& parent_id,
                            const std::string& title, const std::string& body)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const std::string credentials_;  // "email:token"
  absl::Mutex mu_;
  std::map<std::string, std::string> spaces_ ABSL_GUARDED_BY(mu_);  // id -> key
  std::vector<ConfluencePage> pages_ ABSL_GUARDED_BY(mu_);
  int64_t next_id_ ABSL_GUARDED_BY(mu_) = 100001;
  std::map<std::string, std::string> edit_before_update_ ABSL_GUARDED_BY(mu_);  // id -> body
};

}  // namespace ff::testing

#endif  // FF_TESTS_TESTING_FAKE_CONFLUENCE_H_
