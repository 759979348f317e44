#include "clients/confluence/confluence_client.h"

#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "clients/http/encoding.h"
#include "clients/http/json_call.h"
#include "common/status_macros.h"

namespace ff {
namespace {

using json = nlohmann::json;

// Results returns the answer's results array, or UNAVAILABLE naming `what`.
absl::StatusOr<const json*> Results(const json& answer, absl::string_view what) {
  auto it = answer.find("results");
  if (it == answer.end() || !it->is_array()) {
    return MalformedAnswer(what, "answer has no results array");
  }
  return &*it;
}

}  // namespace

ConfluenceClient::ConfluenceClient(HttpClient* http, std::string base_url, absl::string_view email,
                                   absl::string_view api_token, std::string space_id,
                                   absl::Duration timeout)
    : http_(http),
      base_url_(std::move(base_url)),
      authorization_("Basic " + absl::Base64Escape(absl::StrCat(email, ":", api_token))),
      space_id_(std::move(space_id)),
      timeout_(timeout) {}

absl::StatusOr<std::optional<ConfluencePageRef>> ConfluenceClient::FindPage(
    const std::string& title) {
  std::string what = absl::StrCat("confluence: find page \"", title, "\"");
  std::string url =
      WithQuery(absl::StrCat(base_url_, "/api/v2/pages"),
                {{"space-id", space_id_}, {"title", title}, {"status", "current"}, {"limit", "1"}});
  FF_ASSIGN_OR_RETURN(json answer, Call("GET", url, nullptr, what));
  FF_ASSIGN_OR_RETURN(const json* results, Results(answer, what));
  for (const json& page : *results) {
    if (page.is_object() && page.value("title", "") == title) return PageOf(page, what);
  }
  return std::optional<ConfluencePageRef>();
}

absl::StatusOr<ConfluencePageRef> ConfluenceClient::CreatePage(const std::string& title,
                                                               const std::string& parent_id,
                                                               const std::string& storage_body) {
  json payload = {{"spaceId", space_id_},
                  {"status", "current"},
                  {"title", title},
                  {"body", {{"representation", "storage"}, {"value", storage_body}}}};
  if (!parent_id.empty()) payload["parentId"] = parent_id;
  std::string what = absl::StrCat("confluence: create page \"", title, "\"");
  FF_ASSIGN_OR_RETURN(json page,
                      Call("POST", absl::StrCat(base_url_, "/api/v2/pages"), &payload, what));
  return PageOf(page, what);
}

absl::StatusOr<ConfluencePageContent> ConfluenceClient::GetPage(const std::string& page_id) {
  std::string what = absl::StrCat("confluence: read page ", page_id);
  std::string url =
      WithQuery(absl::StrCat(base_url_, "/api/v2/pages/", page_id), {{"body-format", "storage"}});
  FF_ASSIGN_OR_RETURN(json page, Call("GET", url, nullptr, what));
  const json version = page.value("version", json());
  if (!page.value("id", json()).is_string() || !page.value("title", json()).is_string() ||
      !version.is_object() || !version.value("number", json()).is_number_integer()) {
    return MalformedAnswer(what, "answer has no id, title or version.number");
  }
  ConfluencePageContent out{page["id"].get<std::string>(), page["title"].get<std::string>(),
                            version["number"].get<int64_t>(), ""};
  const json body = page.value("body", json());
  const json storage = body.is_object() ? body.value("storage", json()) : json();
  if (storage.is_object() && storage.value("value", json()).is_string()) {
    out.body = storage["value"].get<std::string>();
  }
  return out;
}

absl::StatusOr<std::string> ConfluenceClient::GetStorageBody(const std::string& page_id) {
  FF_ASSIGN_OR_RETURN(ConfluencePageContent page, GetPage(page_id));
  return std::move(page.body);
}

absl::Status ConfluenceClient::UpdatePage(const ConfluencePageContent& page,
                                          const std::string& storage_body) {
  json payload = {
      {"id", page.id},
      {"status", "current"},
      {"title", page.title},
      {"body", {{"representation", "storage"}, {"value", storage_body}}},
      {"version", {{"number", page.version + 1}, {"message", "Updated by FireFighter"}}}};
  return Call("PUT", absl::StrCat(base_url_, "/api/v2/pages/", page.id), &payload,
              absl::StrCat("confluence: update page ", page.id))
      .status();
}

absl::StatusOr<std::optional<json>> ConfluenceClient::GetProperty(const std::string& page_id,
                                                                  const std::string& key) {
  std::string what = absl::StrCat("confluence: read properties of page ", page_id);
  std::string url =
      WithQuery(absl::StrCat(base_url_, "/api/v2/pages/", page_id, "/properties"), {{"key", key}});
  FF_ASSIGN_OR_RETURN(json answer, Call("GET", url, nullptr, what));
  FF_ASSIGN_OR_RETURN(const json* results, Results(answer, what));
  for (const json& property : *results) {
    if (property.is_object() && property.value("key", "") == key) {
      return std::optional<json>(property.value("value", json()));
    }
  }
  return std::optional<json>();
}

absl::Status ConfluenceClient::AddProperty(const std::string& page_id, const std::string& key,
                                           const json& value) {
  json payload = {{"key", key}, {"value", value}};
  return Call("POST", absl::StrCat(base_url_, "/api/v2/pages/", page_id, "/properties"), &payload,
              absl::StrCat("confluence: mark page ", page_id))
      .status();
}

bool ConfluenceClient::IsTitleTaken(const absl::Status& status) {
  return !status.ok() && absl::StrContains(status.message(), "already exists");
}

bool ConfluenceClient::IsVersionConflict(const absl::Status& status) {
  return status.code() == absl::StatusCode::kAlreadyExists;
}

absl::StatusOr<ConfluencePageRef> ConfluenceClient::PageOf(const json& page,
                                                           absl::string_view what) const {
  if (!page.contains("id") || !page["id"].is_string() || !page.contains("_links") ||
      !page["_links"].is_object() || !page["_links"].value("webui", json()).is_string()) {
    return MalformedAnswer(what, "answer has no page id or _links.webui");
  }
  return ConfluencePageRef{page["id"].get<std::string>(),
                           base_url_ + page["_links"]["webui"].get<std::string>()};
}

absl::StatusOr<json> ConfluenceClient::Call(const std::string& method, const std::string& url,
                                            const json* body, absl::string_view what) {
  return SendForObject(
      *http_, JsonRequest(method, url, {{"Authorization", authorization_}}, body, timeout_), what);
}

}  // namespace ff
