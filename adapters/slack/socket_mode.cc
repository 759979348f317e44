#include "adapters/slack/socket_mode.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "boost/asio/ssl/verify_mode.hpp"
#include "clients/http/http_client.h"
#include "clients/http/rate_budget.h"
#include "spdlog/spdlog.h"

namespace ff::slack {
namespace {

using nlohmann::json;

// Backoff is the wait before attempt `failures` + 1: backoff_min doubled
// for each failure after the first, at most backoff_max.
absl::Duration Backoff(int failures, absl::Duration min, absl::Duration max) {
  absl::Duration wait = min;
  for (int i = 1; i < failures && wait < max; ++i) wait *= 2;
  return std::min(wait, max);
}

std::string Seconds(absl::Duration d) { return absl::StrCat(absl::ToDoubleSeconds(d), " s"); }

}  // namespace

std::string AckText(const std::string& envelope_id, const std::optional<json>& payload) {
  json ack = {{"envelope_id", envelope_id}};
  if (payload.has_value() && !payload->is_null()) ack["payload"] = *payload;
  return ack.dump();
}

SocketModeClient::SocketModeClient(SlackClient* apps, Handler handler, Options options)
    : apps_(apps),
      handler_(std::move(handler)),
      options_(std::move(options)),
      tls_(boost::asio::ssl::context::tls_client),
      background_(std::make_unique<Background>()) {}

SocketModeClient::~SocketModeClient() { Stop(); }

absl::Status SocketModeClient::Start() {
  boost::system::error_code ec;
  if (options_.ca_file.empty()) {
    tls_.set_default_verify_paths(ec);
  } else {
    tls_.load_verify_file(options_.ca_file, ec);
  }
  if (ec) {
    return absl::InvalidArgumentError(
        absl::StrCat("cannot load the CAs to trust for Slack: ", ec.message()));
  }
  tls_.set_verify_mode(boost::asio::ssl::verify_peer);
  work_.emplace(io_.get_executor());
  io_thread_ = std::thread([this] { io_.run(); });
  absl::Status first = Connect();
  if (first.code() == absl::StatusCode::kUnauthenticated ||
      first.code() == absl::StatusCode::kPermissionDenied) {
    Stop();
    return first;
  }
  if (!first.ok()) {
    absl::MutexLock lock(&mu_);
    failures_ = 1;
    next_wait_ = options_.backoff_min;
    spdlog::warn("socket mode: could not connect ({}); trying again in {}",
                 std::string(first.message()), Seconds(next_wait_));
  }
  supervisor_ = std::thread([this] { Supervise(); });
  return absl::OkStatus();
}

void SocketModeClient::Stop() {
  {
    absl::MutexLock lock(&mu_);
    if (stopped_) return;
    stopping_ = true;
    stopped_ = true;
  }
  if (supervisor_.joinable()) supervisor_.join();
  background_.reset();  // the envelopes being handled finish and queue their acks
  {
    absl::MutexLock lock(&mu_);
    for (auto& [id, link] : links_) {
      link.closing = true;
      link.connection->Close();
    }
    auto closed = [this]() ABSL_SHARED_LOCKS_REQUIRED(mu_) { return links_.empty(); };
    mu_.AwaitWithTimeout(absl::Condition(&closed), absl::Seconds(2));
  }
  work_.reset();
  io_.stop();
  if (io_thread_.joinable()) io_thread_.join();
}

SocketModeClient::Health SocketModeClient::health() {
  absl::MutexLock lock(&mu_);
  Health health;
  health.open = static_cast<int>(links_.size());
  health.reconnects = reconnects_;
  for (const auto& [id, link] : links_) health.connected = health.connected || link.hello;
  return health;
}

bool SocketModeClient::NeedsConnection() const {
  return std::all_of(links_.begin(), links_.end(),
                     [](const auto& entry) { return entry.second.retiring; });
}

bool SocketModeClient::Pause(absl::Duration wait) {
  absl::MutexLock lock(&mu_);
  auto stopping = [this]() ABSL_SHARED_LOCKS_REQUIRED(mu_) { return stopping_; };
  mu_.AwaitWithTimeout(absl::Condition(&stopping), wait);
  return !stopping_;
}

void SocketModeClient::Supervise() {
  while (true) {
    absl::Duration wait;
    {
      absl::MutexLock lock(&mu_);
      auto wanted = [this]()
                        ABSL_SHARED_LOCKS_REQUIRED(mu_) { return stopping_ || NeedsConnection(); };
      mu_.Await(absl::Condition(&wanted));
      if (stopping_) return;
      wait = next_wait_;
    }
    if (wait > absl::ZeroDuration() && !Pause(wait)) return;
    absl::Status connected = Connect();
    absl::MutexLock lock(&mu_);
    if (connected.ok() || stopping_) continue;
    if (IsBudgetWait(connected)) {  // nothing was sent: not a failure
      next_wait_ = RetryAfterOf(connected).value_or(options_.backoff_min);
      continue;
    }
    ++failures_;
    next_wait_ = std::max(Backoff(failures_, options_.backoff_min, options_.backoff_max),
                          RetryAfterOf(connected).value_or(absl::ZeroDuration()));
    spdlog::warn("socket mode: could not connect ({}); trying again in {}",
                 std::string(connected.message()), Seconds(next_wait_));
  }
}

absl::Status SocketModeClient::Connect() {
  absl::StatusOr<json> answer = apps_->Call("apps.connections.open", json::object());
  if (!answer.ok()) return answer.status();
  const json* url = answer->contains("url") ? &(*answer)["url"] : nullptr;
  absl::StatusOr<WssUrl> wss =
      ParseWssUrl(url != nullptr && url->is_string() ? url->get<std::string>() : "");
  if (!wss.ok()) return absl::UnavailableError(wss.status().message());
  std::shared_ptr<SocketConnection> connection;
  int id = 0;
  {
    absl::MutexLock lock(&mu_);
    if (stopping_) return absl::CancelledError("stopping");
    id = ++next_id_;
    SocketConnection::Callbacks callbacks{
        [this](int from, const json& message) { OnMessage(from, message); },
        [this](int from, const std::string& why) { OnClosed(from, why); }};
    connection = std::make_shared<SocketConnection>(io_, tls_, id, std::move(callbacks),
                                                    options_.idle_timeout);
    links_[id] = Link{connection, false, false, false};
  }
  connection->Open(*wss);
  absl::MutexLock lock(&mu_);
  auto settled = [this, id]() ABSL_SHARED_LOCKS_REQUIRED(mu_) {
    auto link = links_.find(id);
    return stopping_ || link == links_.end() || link->second.hello;
  };
  mu_.AwaitWithTimeout(absl::Condition(&settled), options_.hello_timeout);
  auto link = links_.find(id);
  if (link == links_.end() || !link->second.hello) {
    connection->Close();
    return absl::UnavailableError(link == links_.end() ? closed_why_
                                                       : "Slack sent no hello in time");
  }
  if (id > 1) ++reconnects_;
  failures_ = 0;
  next_wait_ = absl::ZeroDuration();
  for (auto& [other, old] : links_) {
    if (other != id && old.retiring) {
      old.closing = true;
      old.connection->Close();
    }
  }
  spdlog::info("socket mode: connected (connection {}, {} open)", id, links_.size());
  return absl::OkStatus();
}

void SocketModeClient::OnMessage(int id, const json& message) {
  if (!message.is_object()) {
    spdlog::warn("socket mode: connection {} sent a frame that is not a JSON object", id);
    return;
  }
  if (message.contains("envelope_id")) return Dispatch(id, message);
  std::string type = message.value("type", "");
  absl::MutexLock lock(&mu_);
  auto link = links_.find(id);
  if (link == links_.end()) return;
  if (type == "hello") {
    link->second.hello = true;
  } else if (type == "disconnect") {
    std::string reason = message.value("reason", "");
    link->second.retiring = true;
    if (reason == "link_disabled") {
      spdlog::error(
          "socket mode: Slack disabled Socket Mode for this app (link_disabled); enable it in the "
          "app's settings. Trying again with backoff");
      next_wait_ = Backoff(++failures_, options_.backoff_min, options_.backoff_max);
    } else {
      spdlog::info("socket mode: Slack asks connection {} to move on ({}); reconnecting", id,
                   reason);
    }
  } else {
    spdlog::warn("socket mode: connection {} sent a message of unknown type \"{}\"", id, type);
  }
}

void SocketModeClient::OnClosed(int id, const std::string& why) {
  absl::MutexLock lock(&mu_);
  auto link = links_.find(id);
  if (link == links_.end()) return;
  bool dropped = link->second.hello && !link->second.retiring && !stopping_;
  links_.erase(link);
  closed_why_ = why;
  if (!dropped) {
    spdlog::info("socket mode: connection {} closed ({})", id, why);
    return;
  }
  next_wait_ = Backoff(++failures_, options_.backoff_min, options_.backoff_max);
  spdlog::warn("socket mode: connection {} lost ({}); reconnecting in {}", id, why,
               Seconds(next_wait_));
}

void SocketModeClient::Dispatch(int id, const json& envelope) {
  const json& eid = envelope["envelope_id"];
  if (!eid.is_string() || eid.get<std::string>().empty()) {
    spdlog::warn("socket mode: connection {} sent an envelope without an envelope_id", id);
    return;
  }
  std::string envelope_id = eid.get<std::string>();
  absl::MutexLock lock(&mu_);
  if (stopping_) return;  // not acked: Slack delivers it again elsewhere
  auto seen = deliveries_.find(envelope_id);
  if (seen != deliveries_.end()) {
    spdlog::info("socket mode: envelope {} delivered again (retry {}); handled once", envelope_id,
                 envelope.value("retry_attempt", 0));
    if (seen->second.done) return SendTo(id, seen->second.ack);
    seen->second.connections.push_back(id);
    return;
  }
  deliveries_[envelope_id] = Delivery{false, "", {id}};
  delivery_order_.push_back(envelope_id);
  while (delivery_order_.size() > options_.remembered_envelopes &&
         deliveries_[delivery_order_.front()].done) {
    deliveries_.erase(delivery_order_.front());
    delivery_order_.pop_front();
  }
  background_->Start([this, envelope_id, envelope] { Handle(envelope_id, envelope); });
}

void SocketModeClient::Handle(const std::string& envelope_id, const json& envelope) {
  SocketEnvelope handled;
  handled.type = envelope.value("type", "");
  handled.payload = envelope.contains("payload") ? envelope["payload"] : json::object();
  const json& accepts = envelope.contains("accepts_response_payload")
                            ? envelope["accepts_response_payload"]
                            : json(false);
  handled.accepts_response_payload = accepts.is_boolean() && accepts.get<bool>();
  std::optional<json> answer = handler_(handled);
  if (!handled.accepts_response_payload) answer.reset();
  std::string ack = AckText(envelope_id, answer);
  absl::MutexLock lock(&mu_);
  Delivery& delivery = deliveries_[envelope_id];
  delivery.done = true;
  delivery.ack = ack;
  for (int id : delivery.connections) SendTo(id, ack);
}

void SocketModeClient::SendTo(int id, const std::string& text) {
  auto link = links_.find(id);
  if (link != links_.end() && !link->second.closing) return link->second.connection->Send(text);
  for (auto newest = links_.rbegin(); newest != links_.rend(); ++newest) {
    if (newest->second.hello && !newest->second.closing) {
      return newest->second.connection->Send(text);
    }
  }
  // No connection: not acked, so Slack delivers it again.
}

}  // namespace ff::slack
