// EventHub: one WatchIncidents stream to firefighterd, fanned out to every
// open browser as server-sent events (SSE).
//
// A background thread keeps the stream open: when firefighterd goes away it
// tells subscribers the core is unreachable, keeps trying, and tells them
// when it is back (browsers then reload what they show, since changes made
// meanwhile were not streamed). Each subscriber has its own bounded queue; a
// subscriber that falls too far behind is closed, and its browser reconnects.
//
// Thread-safe.
#ifndef FF_ADAPTERS_WEB_EVENT_HUB_H_
#define FF_ADAPTERS_WEB_EVENT_HUB_H_

#include <deque>
#include <functional>
#include <list>
#include <memory>
#include <string>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "firefighter/v1/incident_service.grpc.pb.h"
#include "grpcpp/channel.h"
#include "grpcpp/client_context.h"

namespace ff::web {
namespace pb = ::firefighter::v1;

// Subscriber: one browser's queue of SSE messages, already framed
// ("event: …\ndata: …\n\n").
class Subscriber {
 public:
  explicit Subscriber(size_t max_queued) : max_queued_(max_queued) {}

  // Take returns the messages queued (perhaps none) without waiting. Sets
  // *open to false once the subscriber is closed (hub stopped or queue
  // overflowed); what was queued before is still returned.
  std::deque<std::string> Take(bool* open);

  // OnReady sets what is called after each Push and at Close, so the reader
  // calls Take without a thread waiting; nullptr stops the calls. `ready`
  // runs under the subscriber's lock: it must only hand work elsewhere
  // (post it), never call back into the subscriber.
  void OnReady(std::function<void()> ready);

  void Push(std::string message);
  void Close();

 private:
  const size_t max_queued_;
  absl::Mutex mu_;
  std::deque<std::string> queue_ ABSL_GUARDED_BY(mu_);
  std::function<void()> ready_ ABSL_GUARDED_BY(mu_);
  bool closed_ ABSL_GUARDED_BY(mu_) = false;
};

class EventHub {
 public:
  // REQUIRES: channel != nullptr.
  explicit EventHub(std::shared_ptr<grpc::Channel> channel);
  ~EventHub();  // Stop()
  EventHub(const EventHub&) = delete;
  EventHub& operator=(const EventHub&) = delete;

  // Start begins watching on a background thread. Call once.
  void Start();
  // Stop ends the stream, closes every subscriber and joins the thread
  // (within about a second). Idempotent.
  void Stop();

  // Subscribe returns a new subscriber whose first message is the current
  // core state; it receives everything published after this call.
  std::shared_ptr<Subscriber> Subscribe();

  // Whether the WatchIncidents stream is established right now.
  bool core_connected() const;

 private:
  void Run();
  // WaitUntilReady: whether the channel became ready within kConnectWait.
  bool WaitUntilReady();
  // WatchOnce runs one stream until it breaks or Stop cancels it.
  void WatchOnce();
  void SetConnected(bool connected);
  void Publish(const std::string& message);

  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<pb::IncidentService::Stub> stub_;
  std::thread thread_;

  mutable absl::Mutex mu_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  bool connected_ ABSL_GUARDED_BY(mu_) = false;
  bool reported_ ABSL_GUARDED_BY(mu_) = false;  // a core state has been published
  grpc::ClientContext* stream_ ABSL_GUARDED_BY(mu_) = nullptr;
  std::list<std::weak_ptr<Subscriber>> subscribers_ ABSL_GUARDED_BY(mu_);
};

// CoreStateMessage: the SSE message telling browsers whether firefighterd
// is reachable ("event: core", data {"connected": bool}).
std::string CoreStateMessage(bool connected);

// IncidentEventMessage: the SSE message of one change ("event: incident",
// data {"type", "incident", "entry" (or null), "follow_up" (FollowUpJson of
// the follow-up a "followup.*" change is about, or null)}).
std::string IncidentEventMessage(const pb::IncidentEvent& event);

}  // namespace ff::web

#endif  // FF_ADAPTERS_WEB_EVENT_HUB_H_
