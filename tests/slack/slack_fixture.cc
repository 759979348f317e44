#include "tests/slack/slack_fixture.h"

#include <fstream>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "tests/testing/block_kit.h"

namespace ff::slack {

using json = nlohmann::json;

std::string UrlEncode(const std::string& text) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out += {'%', kHex[c >> 4], kHex[c & 15]};
    }
  }
  return out;
}

void SlackAppFixture::Start(const std::string& core_address) {
  std::string address = core_address;
  if (address.empty()) {
    std::ofstream(dir_.File("ff.json"))
        << R"({"domains": [{"name": "payment", "description": "Payments"},
                           {"name": "search", "description": "Search"}]})";
    std::vector<std::string> args = {"--config", dir_.File("ff.json")};
    args.insert(args.end(), server_args_.begin(), server_args_.end());
    server_ = std::make_unique<ff::testing::ServerProcess>(ff::testing::ServerBinary(),
                                                           dir_.File("ff.db"), args);
    ASSERT_TRUE(server_->Start().ok());
    address = server_->address();
  }
  slack_ = std::make_unique<ff::testing::FakeSlack>();
  slack_->AddUser("U100", "alice@example.com");
  slack_->AddUser("U200", "bob@example.com");
  http_ = CurlHttpClient::Create();
  api_ = std::make_unique<SlackClient>(http_.get(), slack_->api_url(), slack_->token(),
                                       absl::Milliseconds(2500));
  ConnectOptions core;
  core.target = address;
  core.timeout = absl::Milliseconds(1800);
  core.token = adapter_token_;
  app_ = std::make_unique<SlackApp>(*IncidentClient::Connect(core), api_.get(), options_);
  verifier_ = std::make_unique<SignatureVerifier>(kSigningSecret, &clock_);
  adapter_ = std::make_unique<SlackHttpServer>(app_.get(), verifier_.get());
  ASSERT_TRUE(adapter_->Start("127.0.0.1", 0).ok());
}

void SlackAppFixture::TearDown() {
  if (adapter_) adapter_->Stop();
  adapter_.reset();
  app_.reset();
}

IncidentClient SlackAppFixture::Core() const { return CoreAs(core_token_); }

IncidentClient SlackAppFixture::CoreAs(const std::string& token) const {
  ConnectOptions options;
  options.target = server_->address();
  options.timeout = absl::Seconds(5);
  options.token = token;
  return *IncidentClient::Connect(options);
}

SlackPost SignedPost(int port, const std::string& path, const std::string& body,
                     const std::string& type, const httplib::Headers& headers) {
  httplib::Client client("127.0.0.1", port);
  client.set_connection_timeout(3, 0);
  client.set_read_timeout(3, 0);  // Slack's deadline
  client.set_write_timeout(3, 0);
  std::string timestamp = std::to_string(absl::ToUnixSeconds(absl::Now()));
  httplib::Headers all = headers;
  all.emplace("X-Slack-Request-Timestamp", timestamp);
  all.emplace("X-Slack-Signature", SignatureVerifier::Sign(kSigningSecret, timestamp, body));
  auto result = client.Post(path.c_str(), all, body, type.c_str());
  if (!result) return SlackPost{};
  return SlackPost{result->status, result->body};
}

json SlashCommandPayload(const SlashCommandForm& form) {
  return {{"token", "verification_token"},
          {"team_id", form.team},
          {"team_domain", "ff"},
          {"channel_id", form.channel_id},
          {"channel_name", form.channel_name},
          {"user_id", form.user},
          {"user_name", "someone"},
          {"command", "/incident"},
          {"text", form.text},
          {"api_app_id", "A0FF01"},
          {"response_url", form.response_url},
          {"trigger_id", form.trigger_id}};
}

std::string SlashCommandBody(const SlashCommandForm& form) {
  std::string body;
  const json payload = SlashCommandPayload(form);
  for (const auto& [key, value] : payload.items()) {
    absl::StrAppend(&body, body.empty() ? "" : "&", key, "=", UrlEncode(value.get<std::string>()));
  }
  return body;
}

namespace {

// Unsendable says which of `values` Slack's client would never send for
// `view`: a value of another element type than its block's, text longer
// than its input's max_length.
std::vector<std::string> Unsendable(const json& view, const json& values) {
  std::vector<std::string> problems;
  for (const json& block : view.value("blocks", json::array())) {
    const std::string id = block.value("block_id", "");
    if (!values.contains(id) || !block.contains("element")) continue;
    const json& typed = values[id];
    const json& element = block["element"];
    const std::string type = element.value("type", "");
    if (typed.contains("type") && typed["type"] != type) {
      const std::string sent = typed["type"].is_string() ? typed["type"].get<std::string>() : "?";
      problems.push_back(absl::StrCat(id, ": a ", sent, " value for a ", type));
    }
    const int64_t max = element.value("max_length", int64_t{0});
    if (max > 0 && typed.contains("value") && typed["value"].is_string() &&
        static_cast<int64_t>(testing::Utf8Characters(typed["value"].get<std::string>())) > max) {
      problems.push_back(absl::StrCat(id, ": text over the input's max_length"));
    }
  }
  return problems;
}

}  // namespace

json ViewSubmissionPayload(const std::string& team, const std::string& user,
                           const std::string& trigger_id, const json& view, const json& values) {
  EXPECT_THAT(Unsendable(view, values), ::testing::IsEmpty()) << "Slack would not submit these";
  json state = json::object();
  for (const auto& [block, element] : values.items()) state[block] = {{"value", element}};
  json submitted = view;
  submitted["state"] = {{"values", state}};
  return {{"type", "view_submission"},
          {"team", {{"id", team}, {"domain", "ff"}}},
          {"user", {{"id", user}, {"username", "someone"}, {"team_id", team}}},
          {"api_app_id", "A0FF01"},
          {"token", "verification_token"},
          {"trigger_id", trigger_id},
          {"view", submitted},
          {"response_urls", json::array()}};
}

json MessageShortcutPayload(const MessageShortcut& shortcut) {
  json message = shortcut.message;
  message["team"] = shortcut.team;
  return {{"type", "message_action"},
          {"token", "verification_token"},
          {"action_ts", absl::StrCat(absl::ToUnixSeconds(absl::Now()), ".000100")},
          {"team", {{"id", shortcut.team}, {"domain", "ff"}}},
          {"user", {{"id", shortcut.user}, {"username", "someone"}, {"team_id", shortcut.team}}},
          {"channel", {{"id", shortcut.channel_id}, {"name", shortcut.channel_name}}},
          {"is_enterprise_install", false},
          {"enterprise", nullptr},
          {"callback_id", shortcut.callback_id},
          {"trigger_id", shortcut.trigger_id},
          {"response_url", shortcut.response_url},
          {"message_ts", message.value("ts", "")},
          {"message", std::move(message)}};
}

json EventCallback(const std::string& team, const json& event, const std::string& event_id) {
  return {{"token", "verification_token"},
          {"team_id", team},
          {"api_app_id", "A0FF01"},
          {"event", event},
          {"type", "event_callback"},
          {"event_id", event_id},
          {"event_time", absl::ToUnixSeconds(absl::Now())}};
}

bool WaitFor(const std::function<bool()>& done, absl::Duration timeout) {
  absl::Time deadline = absl::Now() + timeout;
  while (!done()) {
    if (absl::Now() > deadline) return false;
    absl::SleepFor(absl::Milliseconds(20));
  }
  return true;
}

SlackPost SlackAppFixture::Post(const std::string& path, const std::string& body,
                                const std::string& type, const httplib::Headers& headers) {
  return SignedPost(adapter_->port(), path, body, type, headers);
}

SlackPost SlackAppFixture::Command(const std::string& text, const std::string& user,
                                   const std::string& channel_id, const std::string& channel_name) {
  std::string body = SlashCommandBody({team_, text, user, channel_id, channel_name,
                                       slack_->ResponseUrl(absl::StrCat("r", next_trigger_++)),
                                       slack_->IssueTrigger()});
  return Post("/slack/commands", body, "application/x-www-form-urlencoded");
}

json SlackAppFixture::RichTyped(const std::string& text) {
  json sections = json::array();
  if (!text.empty()) {
    json run = json::array();
    run.push_back({{"type", "text"}, {"text", text}});
    sections.push_back({{"type", "rich_text_section"}, {"elements", std::move(run)}});
  }
  return Rich({{"type", "rich_text"}, {"elements", std::move(sections)}});
}

SlackPost SlackAppFixture::Submit(const json& view, const json& values, const std::string& user) {
  json payload = ViewSubmissionPayload(team_, user, slack_->IssueTrigger(), view, values);
  return Post("/slack/interactivity", "payload=" + UrlEncode(payload.dump()),
              "application/x-www-form-urlencoded");
}

SlackPost SlackAppFixture::Act(const json& action, const std::string& user, const json& extra) {
  json payload = {{"type", "block_actions"},
                  {"team", {{"id", team_}, {"domain", "ff"}}},
                  {"user", {{"id", user}, {"username", "someone"}, {"team_id", team_}}},
                  {"api_app_id", "A0FF01"},
                  {"token", "verification_token"},
                  {"trigger_id", slack_->IssueTrigger()},
                  {"actions", json::array({action})}};
  payload.update(extra);
  return Post("/slack/interactivity", "payload=" + UrlEncode(payload.dump()),
              "application/x-www-form-urlencoded");
}

SlackPost SlackAppFixture::Shortcut(const std::string& callback_id, const std::string& channel_id,
                                    const std::string& channel_name, const std::string& ts,
                                    const std::string& text, const std::string& author,
                                    const std::string& user) {
  json message = {{"type", "message"}, {"text", text}, {"user", author}, {"ts", ts}};
  json payload = MessageShortcutPayload(
      {team_, user, callback_id, channel_id, channel_name, slack_->IssueTrigger(),
       slack_->ResponseUrl(absl::StrCat("s", next_trigger_++)), std::move(message)});
  return Post("/slack/interactivity", "payload=" + UrlEncode(payload.dump()),
              "application/x-www-form-urlencoded");
}

SlackPost SlackAppFixture::Event(const json& event, const std::string& event_id,
                                 const httplib::Headers& headers) {
  return Post("/slack/events", EventCallback(team_, event, event_id).dump(), "application/json",
              headers);
}

}  // namespace ff::slack
