// SlackApp's Events API half: url_verification, chat capture from incident
// channels into the timeline, 📌 reactions, the Home tab, de-duplication of
// retries.
#include <cmath>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "adapters/slack/slack_app.h"
#include "spdlog/spdlog.h"

namespace ff::slack {

using json = nlohmann::json;

namespace {

constexpr size_t kRememberedMessages = 5000;

// TimestampOf turns a Slack ts ("1595926230.009600") into a Timestamp.
bool TimestampOf(const std::string& ts, google::protobuf::Timestamp* out) {
  double seconds = 0;
  if (!absl::SimpleAtod(ts, &seconds) || !(seconds > 0) || seconds > 253402300799.0) return false;
  out->set_seconds(static_cast<int64_t>(seconds));
  out->set_nanos(static_cast<int32_t>((seconds - std::floor(seconds)) * 1e9) / 1000 * 1000);
  return true;
}

}  // namespace

HttpReply SlackApp::HandleEvent(const json& envelope) {
  std::string type = StringAt(envelope, "/type");
  if (type == "url_verification") {
    return HttpReply{200, "application/json",
                     json{{"challenge", StringAt(envelope, "/challenge")}}.dump(
                         -1, ' ', false, nlohmann::json::error_handler_t::replace)};
  }
  if (type != "event_callback" || !envelope.contains("event") || !envelope["event"].is_object()) {
    return HttpReply{};
  }
  if (auto refused = Refusal(StringAt(envelope, "/team_id"), "event")) return *refused;
  std::string event_id = StringAt(envelope, "/event_id");
  if (!event_id.empty() && !FirstDelivery(event_id)) return HttpReply{};
  background_.Start([this, event = envelope["event"]] { ProcessEvent(event); });
  return HttpReply{};
}

bool SlackApp::FirstDelivery(const std::string& event_id) {
  absl::MutexLock lock(&mu_);
  if (!seen_events_.insert(event_id).second) return false;
  seen_order_.push_back(event_id);
  if (seen_order_.size() > options_.remembered_events) {
    seen_events_.erase(seen_order_.front());
    seen_order_.pop_front();
  }
  return true;
}

void SlackApp::ProcessEvent(const json& event) {
  std::string type = StringAt(event, "/type");
  if (type == "message") CaptureMessage(event);
  if (type == "reaction_added" && StringAt(event, "/reaction") == "pushpin") MarkKey(event);
  if (type == "app_home_opened" && StringAt(event, "/tab") != "messages") {
    PublishHome(StringAt(event, "/user"));
  }
}

int64_t SlackApp::IncidentForChannel(const std::string& channel_id) {
  absl::StatusOr<std::string> name = names_.ChannelName(channel_id);
  if (!name.ok()) {
    spdlog::warn("conversations.info {} failed: {}", channel_id, name.status().ToString());
    return 0;
  }
  return IncidentIdFromChannelName(*name);
}

// The text is kept as people read it: Slack's markup becomes plain text, a
// mention the person's email (Plain). Bot messages (ours included) are dropped to avoid loops; an
// edit is captured again as "(edited) <new text>", since the timeline is append-only; joins,
// deletions and other subtypes are not conversation and are skipped.
void SlackApp::CaptureMessage(const json& event) {
  std::string subtype = StringAt(event, "/subtype");
  const json* message = &event;
  std::string prefix;
  if (subtype == "message_changed" && event.contains("message")) {
    message = &event["message"];
    prefix = "(edited) ";
  } else if (!subtype.empty() && subtype != "thread_broadcast" && subtype != "file_share") {
    return;
  }
  std::string user = StringAt(*message, "/user");
  std::string text = StringAt(*message, "/text");
  if (user.empty() || text.empty() || !StringAt(*message, "/bot_id").empty()) return;
  if (!prefix.empty() && StringAt(event, "/previous_message/text") == text) return;
  std::string channel = StringAt(event, "/channel");
  int64_t incident_id = IncidentForChannel(channel);
  if (incident_id == 0) return;
  pb::AddTimelineEntryRequest request;
  request.set_incident_id(incident_id);
  request.set_kind("chat");
  request.set_actor(Actor(user));
  std::string plain = Plain(text);  // mentions as emails, links as URLs
  request.set_text(prefix + plain);
  std::string ts = StringAt(event, prefix.empty() ? "/ts" : "/event_ts");
  if (!TimestampOf(ts, request.mutable_time())) request.clear_time();
  {
    absl::MutexLock lock(&mu_);
    std::string key = absl::StrCat(channel, "/", StringAt(*message, "/ts"));
    if (messages_.emplace(key, std::make_pair(request.actor(), plain)).second) {
      message_order_.push_back(key);
    }
    if (message_order_.size() > kRememberedMessages) {
      messages_.erase(message_order_.front());
      message_order_.pop_front();
    }
  }
  absl::StatusOr<pb::TimelineEntry> entry = core_.AddTimelineEntry(request);
  if (!entry.ok()) spdlog::warn("chat capture failed: {}", entry.status().ToString());
}

// A 📌 on a message adds a `key_chat` entry quoting it, by the person who
// pinned it: the postmortem picks those out of the chatter.
void SlackApp::MarkKey(const json& event) {
  if (StringAt(event, "/item/type") != "message") return;
  std::string channel = StringAt(event, "/item/channel");
  std::string ts = StringAt(event, "/item/ts");
  int64_t incident_id = IncidentForChannel(channel);
  if (incident_id == 0) return;
  std::string quoted = absl::StrCat("message ", ts);
  {
    absl::MutexLock lock(&mu_);
    auto it = messages_.find(absl::StrCat(channel, "/", ts));
    if (it != messages_.end()) quoted = absl::StrCat(it->second.first, ": ", it->second.second);
  }
  pb::AddTimelineEntryRequest request;
  request.set_incident_id(incident_id);
  request.set_kind("key_chat");
  request.set_actor(Actor(StringAt(event, "/user")));
  request.set_text(quoted);
  if (!TimestampOf(StringAt(event, "/event_ts"), request.mutable_time())) request.clear_time();
  absl::StatusOr<pb::TimelineEntry> entry = core_.AddTimelineEntry(request);
  if (!entry.ok()) spdlog::warn("key entry failed: {}", entry.status().ToString());
}

}  // namespace ff::slack
