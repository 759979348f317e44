#include "tests/testing/fake_confluence.h"

#include <optional>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace ff::testing {
namespace {

using json = nlohmann::json;

constexpr char kDuplicateTitle[] =
    "A page with this title already exists: A page already exists with the same TITLE in "
    "this space";

// SendError answers in the v2 error shape.
void SendError(httplib::Response& response, int status, const std::string& code,
               const std::string& title) {
  json error = {{"status", status}, {"code", code}, {"title", title}, {"detail", nullptr}};
  response.status = status;
  response.set_content(json{{"errors", json::array({error})}}.dump(), "application/json");
}

bool IsDigits(const std::string& s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

// StorageValue reads the body in the v2 form {"representation","value"} or
// the form atlassian-python-api sends, {"storage":{"value"}}.
std::optional<std::string> StorageValue(const json& body) {
  if (!body.is_object()) return std::nullopt;
  if (body.contains("storage")) {
    const json& storage = body["storage"];
    if (storage.is_object() && storage.contains("value") && storage["value"].is_string()) {
      return storage["value"].get<std::string>();
    }
    return std::nullopt;
  }
  if (body.value("representation", "") != "storage") return std::nullopt;
  if (!body.contains("value") || !body["value"].is_string()) return std::nullopt;
  return body["value"].get<std::string>();
}

json PropertyJson(const std::string& page_id, const std::string& key, const json& value) {
  return {{"id", absl::StrCat(page_id, "-", key)},
          {"key", key},
          {"value", value},
          {"version", {{"number", 1}, {"message", ""}}}};
}

}  // namespace

FakeConfluence::FakeConfluence(std::string email, std::string api_token, std::string space_id,
                               std::string space_key, std::string parent_id)
    : credentials_(absl::StrCat(email, ":", api_token)) {
  {
    absl::MutexLock lock(&mu_);
    spaces_[space_id] = space_key;
    pages_.push_back({parent_id, space_id, "", "Postmortems", "current", "<p>Postmortems</p>", {}});
  }
  Start();
}

// Stop serving before the state the routes use is destroyed.
FakeConfluence::~FakeConfluence() { Refuse(); }

std::string FakeConfluence::wiki_url() const { return base_url() + "/wiki"; }

void FakeConfluence::RegisterRoutes(httplib::Server& server) {
  server.Get("/wiki/api/v2/pages", [this](const httplib::Request& req, httplib::Response& res) {
    Record(req);
    if (Authorized(req, res)) ListPages(req, res);
  });
  server.Post("/wiki/api/v2/pages", [this](const httplib::Request& req, httplib::Response& res) {
    Record(req);
    if (Authorized(req, res)) CreatePage(req, res);
  });
  server.Get(R"(/wiki/api/v2/pages/([^/]+))",
             [this](const httplib::Request& req, httplib::Response& res) {
               Record(req);
               if (Authorized(req, res)) GetPage(req, res);
             });
  server.Put(R"(/wiki/api/v2/pages/([^/]+))",
             [this](const httplib::Request& req, httplib::Response& res) {
               Record(req);
               if (Authorized(req, res)) UpdatePage(req, res);
             });
  server.Get(R"(/wiki/api/v2/pages/([^/]+)/properties)",
             [this](const httplib::Request& req, httplib::Response& res) {
               Record(req);
               if (Authorized(req, res)) ListProperties(req, res);
             });
  server.Post(R"(/wiki/api/v2/pages/([^/]+)/properties)",
              [this](const httplib::Request& req, httplib::Response& res) {
                Record(req);
                if (Authorized(req, res)) AddProperty(req, res);
              });
}

bool FakeConfluence::Authorized(const httplib::Request& request, httplib::Response& response) {
  std::string header = request.get_header_value("Authorization");
  std::string decoded;
  if (absl::StartsWith(header, "Basic ") && absl::Base64Unescape(header.substr(6), &decoded) &&
      decoded == credentials_) {
    return true;
  }
  SendError(response, 401, "UNAUTHORIZED", "Unauthorized; scope does not match");
  return false;
}

void FakeConfluence::ListPages(const httplib::Request& request, httplib::Response& response) {
  std::string space_id = request.get_param_value("space-id");
  std::string status = request.get_param_value("status");
  if (request.has_param("space-id") && !IsDigits(space_id)) {
    SendError(response, 400, "INVALID_REQUEST_PARAMETER", "Invalid value for space-id");
    return;
  }
  if (!status.empty() && status != "current" && status != "draft" && status != "archived" &&
      status != "trashed" && status != "deleted") {
    SendError(response, 400, "INVALID_REQUEST_PARAMETER", "Invalid value for status");
    return;
  }
  int limit = 25;
  if (request.has_param("limit")) {
    std::string value = request.get_param_value("limit");
    if (!IsDigits(value) || std::stoi(value) < 1 || std::stoi(value) > 250) {
      SendError(response, 400, "INVALID_REQUEST_PARAMETER", "limit must be from 1 to 250");
      return;
    }
    limit = std::stoi(value);
  }
  absl::MutexLock lock(&mu_);
  json results = json::array();
  for (const ConfluencePage& page : pages_) {
    if (static_cast<int>(results.size()) >= limit) break;
    if (!space_id.empty() && page.space_id != space_id) continue;
    if (request.has_param("title") && page.title != request.get_param_value("title")) continue;
    if (!status.empty() && page.status != status) continue;
    results.push_back(PageJson(page));
  }
  json links = {{"base", wiki_url()}};
  response.set_content(json{{"results", results}, {"_links", links}}.dump(), "application/json");
}

std::string FakeConfluence::CreateError(const json& body, int& status) {
  status = 400;
  if (!body.is_object()) return "Request body must be a JSON object";
  if (!body.contains("spaceId") || !body["spaceId"].is_string() ||
      !IsDigits(body["spaceId"].get<std::string>())) {
    return "spaceId is required";
  }
  if (!body.contains("title") || !body["title"].is_string() ||
      body["title"].get<std::string>().empty()) {
    return "Title cannot be empty";
  }
  if (body["title"].get<std::string>().size() > 255) return "Title must be at most 255 chars";
  std::string page_status = body.value("status", "current");
  if (page_status != "current" && page_status != "draft") return "Invalid value for status";
  if (body.contains("body") && !StorageValue(body["body"])) {
    return "body must have representation \"storage\" and a string value";
  }
  if (body.contains("body")) {
    std::string error = StorageFormatError(*StorageValue(body["body"]));
    if (!error.empty()) return error;
  }
  if (body.contains("parentId") && !body["parentId"].is_string()) {
    return "parentId must be a string";
  }
  const std::string space_id = body["spaceId"].get<std::string>();
  const std::string title = body["title"].get<std::string>();
  const std::string parent_id = body.value("parentId", "");
  status = 404;
  if (spaces_.count(space_id) == 0) return "Space not found";
  if (body.contains("parentId")) {
    bool found = false;
    for (const ConfluencePage& page : pages_) {
      found = found || (page.id == parent_id && page.space_id == space_id);
    }
    if (!found) return "Parent page not found";
  }
  status = 400;
  for (const ConfluencePage& page : pages_) {
    if (page.space_id == space_id && page.title == title) return kDuplicateTitle;
  }
  return "";
}

void FakeConfluence::CreatePage(const httplib::Request& request, httplib::Response& response) {
  if (!absl::StartsWith(request.get_header_value("Content-Type"), "application/json")) {
    SendError(response, 415, "UNSUPPORTED_MEDIA_TYPE", "Content-Type must be application/json");
    return;
  }
  json body = json::parse(request.body, nullptr, false);
  absl::MutexLock lock(&mu_);
  int status = 400;
  std::string error = body.is_discarded() ? "Malformed JSON" : CreateError(body, status);
  if (!error.empty()) {
    SendError(response, status, status == 404 ? "NOT_FOUND" : "BAD_REQUEST", error);
    return;
  }
  std::string value = body.contains("body") ? *StorageValue(body["body"]) : "";
  AddPageLocked(body["spaceId"].get<std::string>(), body.value("parentId", ""),
                body["title"].get<std::string>(), value);
  pages_.back().status = body.value("status", "current");
  response.set_content(PageJson(pages_.back()).dump(), "application/json");
}

void FakeConfluence::GetPage(const httplib::Request& request, httplib::Response& response) {
  std::string format = request.get_param_value("body-format");
  if (!format.empty() && format != "storage" && format != "atlas_doc_format") {
    SendError(response, 400, "INVALID_REQUEST_PARAMETER", "Invalid value for body-format");
    return;
  }
  absl::MutexLock lock(&mu_);
  const ConfluencePage* page = PageById(request.matches[1]);
  if (page == nullptr) {
    SendError(response, 404, "NOT_FOUND", "Page not found");
    return;
  }
  json out = PageJson(*page);
  if (format == "storage") {
    out["body"] = {{"storage", {{"representation", "storage"}, {"value", page->body}}}};
  }
  response.set_content(out.dump(), "application/json");
}

std::string FakeConfluence::UpdateError(const json& body, const ConfluencePage& page, int& status) {
  status = 400;
  if (!body.is_object()) return "Request body must be a JSON object";
  if (body.value("id", json()) != json(page.id)) return "id must be the page id of the path";
  json page_status = body.value("status", json());
  if (page_status != "current" && page_status != "draft") return "Invalid value for status";
  json title = body.value("title", json());
  if (!title.is_string() || title.get<std::string>().empty()) return "Title cannot be empty";
  if (title.get<std::string>().size() > 255) return "Title must be at most 255 chars";
  for (const ConfluencePage& other : pages_) {
    if (other.id != page.id && other.space_id == page.space_id &&
        other.title == title.get<std::string>()) {
      return kDuplicateTitle;
    }
  }
  std::optional<std::string> value = StorageValue(body.value("body", json()));
  if (!value) return "body must have representation \"storage\" and a string value";
  std::string error = StorageFormatError(*value);
  if (!error.empty()) return error;
  json version = body.value("version", json());
  if (!version.is_object() || !version.value("number", json()).is_number_integer()) {
    return "version.number is required";
  }
  if (version["number"].get<int64_t>() != page.version + 1) {
    status = 409;
    return absl::StrCat("Version must be incremented when updating a page. Current Version: [",
                        page.version, "]. Provided version: [", version["number"].get<int64_t>(),
                        "]");
  }
  return "";
}

void FakeConfluence::UpdatePage(const httplib::Request& request, httplib::Response& response) {
  if (!absl::StartsWith(request.get_header_value("Content-Type"), "application/json")) {
    SendError(response, 415, "UNSUPPORTED_MEDIA_TYPE", "Content-Type must be application/json");
    return;
  }
  json body = json::parse(request.body, nullptr, false);
  absl::MutexLock lock(&mu_);
  ConfluencePage* page = PageById(request.matches[1]);
  if (page == nullptr) {
    SendError(response, 404, "NOT_FOUND", "Page not found");
    return;
  }
  auto edit = edit_before_update_.find(page->id);
  if (edit != edit_before_update_.end()) {
    EditLocked(*page, edit->second);
    edit_before_update_.erase(edit);
  }
  int status = 400;
  std::string error = body.is_discarded() ? "Malformed JSON" : UpdateError(body, *page, status);
  if (!error.empty()) {
    SendError(response, status, status == 409 ? "CONFLICT" : "BAD_REQUEST", error);
    return;
  }
  EditLocked(*page, *StorageValue(body["body"]));
  page->title = body["title"].get<std::string>();
  page->status = body["status"].get<std::string>();
  response.set_content(PageJson(*page).dump(), "application/json");
}

void FakeConfluence::EditLocked(ConfluencePage& page, const std::string& body) {
  page.history.push_back(page.body);
  page.body = body;
  ++page.version;
}

absl::Status FakeConfluence::EditPage(const std::string& id, const std::string& body) {
  absl::MutexLock lock(&mu_);
  ConfluencePage* page = PageById(id);
  if (page == nullptr) return absl::NotFoundError(absl::StrCat("no page ", id));
  EditLocked(*page, body);
  return absl::OkStatus();
}

void FakeConfluence::EditBeforeNextUpdate(const std::string& id, const std::string& body) {
  absl::MutexLock lock(&mu_);
  edit_before_update_[id] = body;
}

ConfluencePage* FakeConfluence::PageById(const std::string& id) {
  for (ConfluencePage& page : pages_) {
    if (page.id == id) return &page;
  }
  return nullptr;
}

void FakeConfluence::ListProperties(const httplib::Request& request, httplib::Response& response) {
  absl::MutexLock lock(&mu_);
  const ConfluencePage* page = PageById(request.matches[1]);
  if (page == nullptr) {
    SendError(response, 404, "NOT_FOUND", "Page not found");
    return;
  }
  json results = json::array();
  for (const auto& [key, value] : page->properties) {
    if (request.has_param("key") && key != request.get_param_value("key")) continue;
    results.push_back(PropertyJson(page->id, key, value));
  }
  response.set_content(json{{"results", results}, {"_links", json::object()}}.dump(),
                       "application/json");
}

void FakeConfluence::AddProperty(const httplib::Request& request, httplib::Response& response) {
  json body = json::parse(request.body, nullptr, false);
  if (body.is_discarded() || !body.is_object() || !body.contains("key") ||
      !body["key"].is_string() || body["key"].get<std::string>().empty() ||
      body["key"].get<std::string>().size() > 255 || !body.contains("value")) {
    SendError(response, 400, "INVALID_REQUEST_PARAMETER",
              "A property needs a key of 1 to 255 characters and a value");
    return;
  }
  absl::MutexLock lock(&mu_);
  ConfluencePage* page = PageById(request.matches[1]);
  if (page == nullptr) {
    SendError(response, 404, "NOT_FOUND", "Page not found");
    return;
  }
  std::string key = body["key"];
  if (page->properties.count(key) > 0) {
    SendError(response, 400, "BAD_REQUEST", "Cannot add a property with a key that exists");
    return;
  }
  page->properties[key] = body["value"];
  response.set_content(PropertyJson(page->id, key, body["value"]).dump(), "application/json");
}

json FakeConfluence::PageJson(const ConfluencePage& page) const {
  json out = {{"id", page.id},
              {"status", page.status},
              {"title", page.title},
              {"spaceId", page.space_id},
              {"parentId", page.parent_id.empty() ? json(nullptr) : json(page.parent_id)},
              {"version", {{"number", page.version}, {"message", ""}}},
              {"body", json::object()}};
  std::string slug;
  for (char c : page.title) {  // like Confluence: runs of other characters become one '+'
    if (absl::ascii_isalnum(static_cast<unsigned char>(c))) {
      slug += c;
    } else if (!slug.empty() && slug.back() != '+') {
      slug += '+';
    }
  }
  auto key = spaces_.find(page.space_id);
  std::string space_key = key == spaces_.end() ? "" : key->second;
  out["_links"] = {{"webui", absl::StrCat("/spaces/", space_key, "/pages/", page.id, "/", slug)},
                   {"editui", absl::StrCat("/pages/resumedraft.action?draftId=", page.id)},
                   {"tinyui", absl::StrCat("/x/", page.id)},
                   {"base", wiki_url()}};
  return out;
}

std::string FakeConfluence::AddPageLocked(const std::string& space_id, const std::string& parent_id,
                                          const std::string& title, const std::string& body) {
  std::string id = std::to_string(next_id_++);
  pages_.push_back({id, space_id, parent_id, title, "current", body, {}});
  return id;
}

std::string FakeConfluence::AddPage(const std::string& space_id, const std::string& parent_id,
                                    const std::string& title) {
  absl::MutexLock lock(&mu_);
  return AddPageLocked(space_id, parent_id, title, "<p>seeded</p>");
}

absl::StatusOr<std::string> FakeConfluence::PlantPage(
    const json& create, const std::map<std::string, json>& properties) {
  absl::MutexLock lock(&mu_);
  int status = 400;
  std::string error = CreateError(create, status);
  if (!error.empty()) {
    return status == 404 ? absl::NotFoundError(error) : absl::InvalidArgumentError(error);
  }
  std::string value = create.contains("body") ? *StorageValue(create["body"]) : "";
  std::string id = AddPageLocked(create["spaceId"].get<std::string>(), create.value("parentId", ""),
                                 create["title"].get<std::string>(), value);
  pages_.back().status = create.value("status", "current");
  pages_.back().properties = properties;
  return id;
}

std::vector<ConfluencePage> FakeConfluence::pages() {
  absl::MutexLock lock(&mu_);
  return pages_;
}

std::optional<ConfluencePage> FakeConfluence::FindPage(const std::string& space_id,
                                                       const std::string& title) {
  absl::MutexLock lock(&mu_);
  for (const ConfluencePage& page : pages_) {
    if (page.space_id == space_id && page.title == title) return page;
  }
  return std::nullopt;
}

}  // namespace ff::testing
