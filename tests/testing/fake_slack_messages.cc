// FakeSlack's methods on messages already posted, and on what hangs off a
// channel: chat.update, chat.getPermalink, chat.postEphemeral, pins.*,
// bookmarks.*.
#include <algorithm>
#include <cstdio>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "tests/testing/block_kit.h"
#include "tests/testing/fake_slack.h"
#include "tests/testing/fake_slack_args.h"

namespace ff::testing {
namespace {

using json = nlohmann::json;
using fake_slack::Fail;
using fake_slack::Str;
using fake_slack::UnixNow;

constexpr size_t kMaxBookmarks = 100;  // per channel, as Slack documents

}  // namespace

FakeSlack::Message* FakeSlack::FindMessage(Channel& channel, const std::string& ts) {
  for (Message& message : channel.messages) {
    if (message.ts == ts) return &message;
  }
  return nullptr;
}

json FakeSlack::MessageJson(const Message& m) const {
  json out = {{"type", "message"}, {"user", m.user}, {"text", m.text}, {"ts", m.ts}};
  if (m.user == kBotUserId) {
    out["subtype"] = "bot_message";
    out["bot_id"] = "B0FF01";
  }
  if (!m.blocks.is_null()) out["blocks"] = m.blocks;
  if (m.edits > 0) out["edited"] = {{"user", m.user}, {"ts", m.ts}};
  return out;
}

json FakeSlack::UpdateMessage(const Args& args) {
  absl::MutexLock lock(&state_mu_);
  Channel* channel = nullptr;
  if (std::string error = UsableChannel(args, &channel, false); !error.empty()) return Fail(error);
  Message* message = FindMessage(*channel, Str(args, "ts"));
  if (message == nullptr) return Fail("message_not_found");
  if (message->user != kBotUserId) return Fail("cant_update_message");
  json blocks;
  if (std::optional<json> failure = fake_slack::BlocksArg(args, &blocks)) return *failure;
  std::string text = Str(args, "text");
  if (text.empty() && blocks.is_null() && args.count("attachments") == 0) return Fail("no_text");
  if (Utf8Characters(text) > 40000) return Fail("msg_too_long");
  if (args.count("text")) message->text = text;
  if (!blocks.is_null()) message->blocks = blocks.empty() ? json() : blocks;
  ++message->edits;
  json out = MessageJson(*message);
  return {{"ok", true},
          {"channel", channel->id},
          {"ts", message->ts},
          {"text", message->text},
          {"message", out}};
}

json FakeSlack::Permalink(const Args& args) {
  absl::MutexLock lock(&state_mu_);
  Channel* channel = FindChannel(Str(args, "channel"));
  if (channel == nullptr) return Fail("channel_not_found");
  const std::string ts = Str(args, "message_ts");
  if (FindMessage(*channel, ts) == nullptr) return Fail("message_not_found");
  return {{"ok", true}, {"channel", channel->id}, {"permalink", PermalinkOf(channel->id, ts)}};
}

json FakeSlack::PostEphemeral(const Args& args) {
  std::string user = Str(args, "user");
  if (user.empty()) return Fail("user_not_in_channel");
  absl::MutexLock lock(&state_mu_);
  Channel* channel = nullptr;
  if (std::string error = UsableChannel(args, &channel, false); !error.empty()) return Fail(error);
  Ephemeral ephemeral{channel->id, user, Str(args, "text"), nullptr};
  if (std::optional<json> failure = fake_slack::BlocksArg(args, &ephemeral.blocks)) {
    return *failure;
  }
  if (ephemeral.text.empty() && ephemeral.blocks.is_null()) return Fail("no_text");
  if (!user_ids_.count(user)) return Fail("user_not_found");
  const auto& members = channel->members;
  if (std::find(members.begin(), members.end(), user) == members.end()) {
    return Fail("user_not_in_channel");
  }
  ephemerals_.push_back(std::move(ephemeral));
  return {{"ok", true}, {"message_ts", absl::StrCat("1767225600.", 900000 + next_ts_++)}};
}

json FakeSlack::AddPin(const Args& args) {
  absl::MutexLock lock(&state_mu_);
  Channel* channel = nullptr;
  if (std::string error = UsableChannel(args, &channel, false); !error.empty()) return Fail(error);
  std::string ts = Str(args, "timestamp");
  if (ts.empty()) return Fail("no_item_specified");
  if (FindMessage(*channel, ts) == nullptr) return Fail("message_not_found");
  for (const Pin& pin : channel->pins) {
    if (pin.ts == ts) return Fail("already_pinned");
  }
  channel->pins.insert(channel->pins.begin(), Pin{ts, kBotUserId, UnixNow()});
  return {{"ok", true}};
}

json FakeSlack::ListPins(const Args& args) {
  absl::MutexLock lock(&state_mu_);
  Channel* channel = nullptr;
  if (std::string error = UsableChannel(args, &channel, true); !error.empty()) return Fail(error);
  json items = json::array();
  for (const Pin& pin : channel->pins) {
    json message = MessageJson(*FindMessage(*channel, pin.ts));
    message["pinned_to"] = json::array({channel->id});
    items.push_back({{"type", "message"},
                     {"channel", channel->id},
                     {"created", pin.created},
                     {"created_by", pin.created_by},
                     {"message", message}});
  }
  return {{"ok", true}, {"items", items}};
}

namespace {

json BookmarkJson(const FakeSlack::Bookmark& b, const std::string& channel_id) {
  return {{"id", b.id},
          {"channel_id", channel_id},
          {"title", b.title},
          {"link", b.link},
          {"emoji", nullptr},
          {"icon_url", nullptr},
          {"type", b.type},
          {"entity_id", nullptr},
          {"date_created", b.created},
          {"date_updated", 0},
          {"rank", "g"},
          {"last_updated_by_user_id", FakeSlack::kBotUserId},
          {"last_updated_by_team_id", "T0FF01"},
          {"shortcut_id", nullptr},
          {"app_id", "A0FF01"}};
}

// BookmarkError checks bookmarks.add's own arguments: "" when acceptable.
std::string BookmarkError(const std::string& title, const std::string& type,
                          const std::string& link) {
  if (type.empty() || title.empty()) return "invalid_arguments";
  if (type != "link") return "invalid_bookmark_type";
  if (!absl::StartsWith(link, "http://") && !absl::StartsWith(link, "https://")) {
    return "invalid_link";
  }
  return "";
}

}  // namespace

json FakeSlack::AddBookmark(const Args& args) {
  std::string title = Str(args, "title");
  std::string type = Str(args, "type");
  std::string link = Str(args, "link");
  absl::MutexLock lock(&state_mu_);
  Channel* channel = FindChannel(Str(args, "channel_id"));
  if (channel == nullptr) return Fail("channel_not_found");
  if (std::string error = BookmarkError(title, type, link); !error.empty()) return Fail(error);
  if (channel->bookmarks.size() >= kMaxBookmarks) return Fail("too_many_bookmarks");
  char id[16];
  std::snprintf(id, sizeof(id), "Bk%09d", next_bookmark_++);
  channel->bookmarks.push_back(Bookmark{id, title, type, link, UnixNow()});
  return {{"ok", true}, {"bookmark", BookmarkJson(channel->bookmarks.back(), channel->id)}};
}

json FakeSlack::ListBookmarks(const Args& args) {
  absl::MutexLock lock(&state_mu_);
  Channel* channel = FindChannel(Str(args, "channel_id"));
  if (channel == nullptr) return Fail("channel_not_found");
  json bookmarks = json::array();
  for (const Bookmark& b : channel->bookmarks) bookmarks.push_back(BookmarkJson(b, channel->id));
  return {{"ok", true}, {"bookmarks", bookmarks}};
}

std::string FakeSlack::PermalinkOf(const std::string& channel_id, const std::string& ts) {
  return absl::StrCat("https://ff.slack.com/archives/", channel_id, "/p",
                      absl::StrReplaceAll(ts, {{".", ""}}));
}

}  // namespace ff::testing
