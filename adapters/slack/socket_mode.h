// SocketModeClient: the Slack app with no public endpoint. Slack's Socket
// Mode (api.slack.com/apis/socket-mode): the adapter asks
// apps.connections.open (with the app-level token, through a SlackClient and
// its rate budget) for a wss:// URL, connects to it and receives, as
// envelopes, the slash commands, interactions and events Slack would
// otherwise POST to it:
//
//   {"envelope_id":"…","type":"slash_commands"|"interactive"|"events_api",
//    "payload":{…},"accepts_response_payload":true|false,"retry_attempt":0}
//
// Each envelope goes to `handler` on a thread of its own, and its answer is
// sent back as the ack {"envelope_id":"…","payload":{…}} (payload only when
// the envelope accepts one and the handler returned one). Handlers answer
// within Slack's 3 s, as they do over HTTP.
//
// Connections. After `hello` a connection is live. A `disconnect`
// (refresh_requested, warning, link_disabled) retires it: a new connection
// is opened first and the old one closed only once the new one said hello,
// so nothing sent meanwhile is missed (both are read until then). A dropped
// or silent connection (no answer to pings within `idle_timeout`) is
// replaced after a backoff that doubles with each failure in a row, from
// `backoff_min` to `backoff_max`, and waits longer when apps.connections.open
// says so (429 or the rate budget). Each reconnect is logged.
//
// Once. An envelope delivered again (Slack retries one whose ack it did not
// get) is handled once: the first answer is acked again, or, while the first
// is still being handled, sent on both connections when ready.
//
// Thread-safe.
#ifndef FF_ADAPTERS_SLACK_SOCKET_MODE_H_
#define FF_ADAPTERS_SLACK_SOCKET_MODE_H_

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "adapters/slack/background.h"
#include "adapters/slack/socket_connection.h"
#include "boost/asio/executor_work_guard.hpp"
#include "boost/asio/io_context.hpp"
#include "boost/asio/ssl/context.hpp"
#include "clients/slack/slack_client.h"
#include "nlohmann/json.hpp"

namespace ff::slack {

// SocketEnvelope: what a handler gets.
struct SocketEnvelope {
  std::string type;  // slash_commands, interactive, events_api
  nlohmann::json payload;
  bool accepts_response_payload = false;
};

class SocketModeClient {
 public:
  struct Options {
    std::string ca_file;  // PEM CAs to trust for the WebSocket; "": the system's
    // Silence after which a connection pings Slack is half of this; with no
    // answer by then it is dropped and replaced.
    absl::Duration idle_timeout = absl::Seconds(30);
    absl::Duration backoff_min = absl::Seconds(1);
    absl::Duration backoff_max = absl::Seconds(60);
    // How long a new connection has to say hello.
    absl::Duration hello_timeout = absl::Seconds(10);
    size_t remembered_envelopes = 10000;
  };
  // The ack's payload, or nullopt for none.
  using Handler = std::function<std::optional<nlohmann::json>(const SocketEnvelope&)>;

  struct Health {
    bool connected = false;  // a connection is live
    int open = 0;            // connections open (2 during a refresh)
    int64_t reconnects = 0;  // connections opened after the first
  };

  // REQUIRES: `apps` (a SlackClient holding the app-level token) outlives
  // this object.
  SocketModeClient(SlackClient* apps, Handler handler, Options options);
  ~SocketModeClient();  // Stop()

  // Start opens the first connection and waits for its hello.
  // UNAUTHENTICATED or PERMISSION_DENIED when Slack refuses the token,
  // INVALID_ARGUMENT for a bad CA file: nothing keeps running then. Any
  // other failure (Slack unreachable) is retried in the background, and
  // Start returns OK.
  absl::Status Start();
  // Stop closes the connections, lets the envelopes being handled finish
  // (their acks are sent while a connection is still open) and returns.
  // Idempotent.
  void Stop();
  Health health();

 private:
  struct Link {
    std::shared_ptr<SocketConnection> connection;
    bool hello = false;
    bool retiring = false;  // Slack asked us to move on
    bool closing = false;   // we closed it: acks go elsewhere
  };
  struct Delivery {
    bool done = false;
    std::string ack;            // once done
    std::vector<int> connections;  // where to ack: one per delivery
  };

  // Supervise keeps one live connection until stopped.
  void Supervise();
  // Connect opens a connection and waits for its hello; OK when it is live.
  absl::Status Connect();
  // Pause waits `wait` or until stopping; false when stopping.
  bool Pause(absl::Duration wait);
  bool NeedsConnection() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void OnMessage(int id, const nlohmann::json& message);
  void OnClosed(int id, const std::string& why);
  void Dispatch(int id, const nlohmann::json& envelope);
  void Handle(const std::string& envelope_id, const nlohmann::json& envelope);
  // SendTo sends `text` on `id` when it is open and not being closed, else
  // on the newest live connection (frames queued before a close are still
  // sent before the close frame).
  void SendTo(int id, const std::string& text) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  SlackClient* apps_;
  Handler handler_;
  const Options options_;
  boost::asio::io_context io_;
  boost::asio::ssl::context tls_;
  std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work_;
  std::thread io_thread_;
  std::thread supervisor_;

  absl::Mutex mu_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  bool stopped_ ABSL_GUARDED_BY(mu_) = false;
  int next_id_ ABSL_GUARDED_BY(mu_) = 0;
  int failures_ ABSL_GUARDED_BY(mu_) = 0;          // in a row
  absl::Duration next_wait_ ABSL_GUARDED_BY(mu_);  // before the next connection
  std::string closed_why_ ABSL_GUARDED_BY(mu_);    // how the last connection ended
  int64_t reconnects_ ABSL_GUARDED_BY(mu_) = 0;
  std::map<int, Link> links_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, Delivery> deliveries_ ABSL_GUARDED_BY(mu_);
  std::deque<std::string> delivery_order_ ABSL_GUARDED_BY(mu_);
  std::unique_ptr<Background> background_;  // joined in Stop
};

// AckText is the ack of envelope `envelope_id`, carrying `payload` when given.
std::string AckText(const std::string& envelope_id, const std::optional<nlohmann::json>& payload);

}  // namespace ff::slack

#endif  // FF_ADAPTERS_SLACK_SOCKET_MODE_H_
