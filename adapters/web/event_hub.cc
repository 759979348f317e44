#include "adapters/web/event_hub.h"

#include <chrono>
#include <utility>

#include "adapters/web/incident_json.h"
#include "nlohmann/json.hpp"
#include "spdlog/spdlog.h"

namespace ff::web {
namespace {

// How far one browser may fall behind before it is cut off and reconnects.
constexpr size_t kMaxQueued = 1000;
// How long one wait for a connection lasts before Stop is looked at again;
// also how soon "unreachable" is reported after start-up.
constexpr auto kConnectWait = std::chrono::milliseconds(1000);

std::string Framed(const std::string& event, const nlohmann::json& data) {
  return "event: " + event +
         "\ndata: " + data.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n\n";
}

}  // namespace

std::string CoreStateMessage(bool connected) { return Framed("core", {{"connected", connected}}); }

std::string IncidentEventMessage(const pb::IncidentEvent& event) {
  return Framed("incident", {{"type", event.type()},
                             {"incident", IncidentJson(event.incident())},
                             {"entry", event.has_entry() ? TimelineEntryJson(event.entry())
                                                         : nlohmann::json(nullptr)},
                             {"follow_up", event.has_follow_up() ? FollowUpJson(event.follow_up())
                                                                 : nlohmann::json(nullptr)}});
}

std::deque<std::string> Subscriber::Take(bool* open) {
  absl::MutexLock lock(&mu_);
  *open = !closed_;
  std::deque<std::string> out;
  out.swap(queue_);
  return out;
}

void Subscriber::OnReady(std::function<void()> ready) {
  absl::MutexLock lock(&mu_);
  ready_ = std::move(ready);
}

void Subscriber::Push(std::string message) {
  absl::MutexLock lock(&mu_);
  if (closed_) return;
  if (queue_.size() >= max_queued_) {
    closed_ = true;  // the browser reconnects and reloads
  } else {
    queue_.push_back(std::move(message));
  }
  if (ready_) ready_();
}

void Subscriber::Close() {
  absl::MutexLock lock(&mu_);
  closed_ = true;
  if (ready_) ready_();
}

EventHub::EventHub(std::shared_ptr<grpc::Channel> channel)
    : channel_(std::move(channel)), stub_(pb::IncidentService::NewStub(channel_)) {}

EventHub::~EventHub() { Stop(); }

void EventHub::Start() {
  thread_ = std::thread([this] { Run(); });
}

void EventHub::Stop() {
  std::list<std::weak_ptr<Subscriber>> subscribers;
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
    if (stream_ != nullptr) stream_->TryCancel();
    subscribers.swap(subscribers_);
  }
  for (const auto& weak : subscribers) {
    if (auto subscriber = weak.lock()) subscriber->Close();
  }
  if (thread_.joinable()) thread_.join();
}

std::shared_ptr<Subscriber> EventHub::Subscribe() {
  auto subscriber = std::make_shared<Subscriber>(kMaxQueued);
  absl::MutexLock lock(&mu_);
  if (stopping_) {
    subscriber->Close();
    return subscriber;
  }
  // Until the first attempt has an outcome the state is unknown; saying
  // nothing avoids flashing "unreachable" at every start.
  if (reported_) subscriber->Push(CoreStateMessage(connected_));
  subscribers_.push_back(subscriber);
  return subscriber;
}

bool EventHub::core_connected() const {
  absl::MutexLock lock(&mu_);
  return connected_;
}

void EventHub::Run() {
  while (true) {
    {
      absl::MutexLock lock(&mu_);
      if (stopping_) return;
    }
    if (WaitUntilReady()) {
      WatchOnce();
    } else {
      SetConnected(false);
    }
  }
}

bool EventHub::WaitUntilReady() {
  const auto deadline = std::chrono::system_clock::now() + kConnectWait;
  grpc_connectivity_state state = channel_->GetState(/*try_to_connect=*/true);
  while (state != GRPC_CHANNEL_READY) {
    // Through IDLE, CONNECTING and TRANSIENT_FAILURE alike: the channel
    // retries by itself; only the deadline ends the wait.
    if (!channel_->WaitForStateChange(state, deadline)) return false;
    state = channel_->GetState(/*try_to_connect=*/true);
  }
  return true;
}

void EventHub::WatchOnce() {
  grpc::ClientContext context;
  // The channel was ready a moment ago; ride out a brief flap instead of
  // failing at once.
  context.set_wait_for_ready(true);
  {
    absl::MutexLock lock(&mu_);
    if (stopping_) return;
    stream_ = &context;
  }
  std::unique_ptr<grpc::ClientReader<pb::IncidentEvent>> reader =
      stub_->WatchIncidents(&context, pb::WatchIncidentsRequest());
  reader->WaitForInitialMetadata();
  SetConnected(true);
  pb::IncidentEvent event;
  while (reader->Read(&event)) Publish(IncidentEventMessage(event));
  grpc::Status status = reader->Finish();
  {
    absl::MutexLock lock(&mu_);
    stream_ = nullptr;
    if (stopping_) return;
  }
  spdlog::warn("watch stream to firefighterd ended: {} {}", static_cast<int>(status.error_code()),
               status.error_message());
  SetConnected(false);
}

void EventHub::SetConnected(bool connected) {
  {
    absl::MutexLock lock(&mu_);
    if (reported_ && connected_ == connected) return;
    reported_ = true;
    connected_ = connected;
  }
  if (connected) {
    spdlog::info("watching firefighterd");
  } else {
    spdlog::warn("firefighterd is unreachable; retrying");
  }
  Publish(CoreStateMessage(connected));
}

void EventHub::Publish(const std::string& message) {
  absl::MutexLock lock(&mu_);
  for (auto it = subscribers_.begin(); it != subscribers_.end();) {
    if (auto subscriber = it->lock()) {
      subscriber->Push(message);
      ++it;
    } else {
      it = subscribers_.erase(it);
    }
  }
}

}  // namespace ff::web
