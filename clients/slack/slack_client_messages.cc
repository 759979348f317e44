// SlackClient's calls on messages, pins, bookmarks and views.
#include <utility>

#include "absl/strings/str_cat.h"
#include "clients/http/json_call.h"
#include "clients/slack/slack_client.h"
#include "common/status_macros.h"

namespace ff {
namespace {

using json = nlohmann::json;

std::string StringField(const json& object, const char* key) {
  if (!object.is_object() || !object.contains(key) || !object[key].is_string()) return "";
  return object[key].get<std::string>();
}

SlackBookmark BookmarkOf(const json& bookmark) {
  return SlackBookmark{StringField(bookmark, "id"), StringField(bookmark, "title"),
                       StringField(bookmark, "link")};
}

}  // namespace

absl::StatusOr<std::string> SlackClient::PostMessage(const std::string& channel,
                                                     const std::string& text,
                                                     const SlackMarker& marker) {
  return PostMessage(channel, text, nullptr, marker);
}

absl::StatusOr<std::string> SlackClient::PostMessage(const std::string& channel,
                                                     const std::string& text, const json& blocks,
                                                     const SlackMarker& marker) {
  json args = {{"channel", channel},
               {"text", text},
               {"unfurl_links", false},
               {"metadata",
                {{"event_type", kMarkerEventType},
                 {"event_payload", {{"key", marker.key}, {"installation", marker.installation}}}}}};
  if (!blocks.is_null()) args["blocks"] = blocks;
  FF_ASSIGN_OR_RETURN(json body, Call("chat.postMessage", args));
  return body.value("ts", "");
}

absl::Status SlackClient::UpdateMessage(const std::string& channel, const std::string& ts,
                                        const std::string& text, const json& blocks) {
  json args = {{"channel", channel}, {"ts", ts}, {"text", text}};
  if (!blocks.is_null()) args["blocks"] = blocks;
  return Call("chat.update", args).status();
}

absl::Status SlackClient::Pin(const std::string& channel, const std::string& ts) {
  absl::Status status = Call("pins.add", {{"channel", channel}, {"timestamp", ts}}).status();
  if (status.code() == absl::StatusCode::kAlreadyExists) return absl::OkStatus();
  return status;
}

absl::StatusOr<std::vector<std::string>> SlackClient::PinnedMessages(const std::string& channel) {
  FF_ASSIGN_OR_RETURN(json body, Get("pins.list", {{"channel", channel}}));
  std::vector<std::string> pinned;
  for (const json& item : body.value("items", json::array())) {
    if (!item.is_object() || item.value("type", "") != "message") continue;
    std::string ts = StringField(item.value("message", json::object()), "ts");
    if (!ts.empty()) pinned.push_back(std::move(ts));
  }
  return pinned;
}

absl::StatusOr<SlackBookmark> SlackClient::AddBookmark(const std::string& channel,
                                                       const std::string& title,
                                                       const std::string& link) {
  FF_ASSIGN_OR_RETURN(
      json body,
      Call("bookmarks.add",
           {{"channel_id", channel}, {"title", title}, {"type", "link"}, {"link", link}}));
  SlackBookmark bookmark = BookmarkOf(body.value("bookmark", json::object()));
  if (bookmark.id.empty()) return MalformedAnswer("slack bookmarks.add", "answer has no bookmark");
  return bookmark;
}

absl::StatusOr<std::vector<SlackBookmark>> SlackClient::Bookmarks(const std::string& channel) {
  FF_ASSIGN_OR_RETURN(json body, Get("bookmarks.list", {{"channel_id", channel}}));
  std::vector<SlackBookmark> bookmarks;
  for (const json& bookmark : body.value("bookmarks", json::array())) {
    if (bookmark.is_object()) bookmarks.push_back(BookmarkOf(bookmark));
  }
  return bookmarks;
}

absl::Status SlackClient::PostEphemeral(const std::string& channel, const std::string& user,
                                        const std::string& text, const json& blocks) {
  json args = {{"channel", channel}, {"user", user}, {"text", text}};
  if (!blocks.is_null()) args["blocks"] = blocks;
  return Call("chat.postEphemeral", args).status();
}

absl::Status SlackClient::OpenView(const std::string& trigger_id, const json& view) {
  return Call("views.open", {{"trigger_id", trigger_id}, {"view", view}}).status();
}

absl::Status SlackClient::UpdateView(const std::string& view_id, const json& view,
                                     const std::string& hash) {
  json args = {{"view_id", view_id}, {"view", view}};
  if (!hash.empty()) args["hash"] = hash;
  return Call("views.update", args).status();
}

absl::Status SlackClient::PublishView(const std::string& user_id, const json& view) {
  return Call("views.publish", {{"user_id", user_id}, {"view", view}}).status();
}

absl::Status SlackClient::Respond(const std::string& response_url, const json& message) {
  HttpRequest request;
  request.method = "POST";
  request.url = response_url;
  request.headers = {{"Content-Type", "application/json; charset=utf-8"}};
  request.body = message.dump(-1, ' ', false, json::error_handler_t::replace);
  request.timeout = timeout_;
  // Slack answers a response URL with a plain "ok", not JSON.
  FF_ASSIGN_OR_RETURN(HttpResponse response, http_->Send(request));
  return HttpStatusError(response, "slack response_url");
}

}  // namespace ff
