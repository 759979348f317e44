// FakeSocketMode: a loopback Slack Socket Mode server (wss://), for tests of
// a client that receives Slack's events, slash commands and interactions over
// a WebSocket instead of HTTP.
//
// The protocol, as Slack documents it and its SDKs speak it:
//   - Slack's "Using Socket Mode" (docs.slack.dev/apis/events-api/
//     using-socket-mode, formerly api.slack.com/apis/connections/socket);
//   - the apps.connections.open method page (api.slack.com/methods/
//     apps.connections.open) and its error list in slack-ruby/slack-api-ref
//     (methods/apps/apps.connections.open.json);
//   - python-slack-sdk: slack_sdk/socket_mode/request.py, client.py and the
//     envelopes recorded in tests/slack_sdk/socket_mode/;
//   - node-slack-sdk: packages/socket-mode/src/SocketModeClient.ts,
//     HelloMessage.ts, UnrecoverableSocketModeStartError.ts.
//
// What the fake does, after those sources:
//   - The URL (IssueUrl, what FakeSlack's apps.connections.open answers) is
//     wss://127.0.0.1:<port>/link/?ticket=<t>&app_id=<id>, like Slack's
//     wss://wss-….slack.com/link/?ticket=…&app_id=…; the ticket works once.
//     A handshake with an unknown or used ticket, another app_id, another
//     path or no WebSocket upgrade is refused with HTTP 401 (or 400 for a
//     request that is no upgrade) and recorded as a violation. Slack's
//     `debug_reconnects=true` query parameter is accepted and ignored.
//   - On each connection the first message is hello:
//     {"type":"hello","num_connections":<open connections, this one
//     included>,"debug_info":{"host":"applink-fake-<n>","started":…,
//     "build_number":…,"approximate_connection_time":3600},
//     "connection_info":{"app_id":<app_id>}}.
//   - Envelopes: {"envelope_id","type","payload","accepts_response_payload"}
//     and, for events_api, "retry_attempt" (0 on the first delivery) and
//     "retry_reason" ("" on the first delivery). Redeliver sends the same
//     envelope with retry_attempt + 1 and retry_reason "timeout" (the value
//     in python-slack-sdk's recorded envelope), as Slack does when an
//     envelope is not acked within 3 seconds (Slack retries only events_api;
//     the fake lets a test redeliver any type).
//   - accepts_response_payload: slash_commands yes; interactive only for
//     view_submission and block_suggestion (whose HTTP responses also carry
//     response_action / options); events_api, block_actions, shortcuts and
//     the rest no. (Slack's page shows a block_actions sample with true; no
//     response to block_actions is ever used, and the SDKs' recorded
//     envelopes of non-view interactions carry false.)
//   - Acks: {"envelope_id":…} or {"envelope_id":…,"payload":{…}}, as text
//     frames. Violations: a frame that is binary, not JSON, not an object or
//     without a string envelope_id; an envelope_id never sent; more acks of
//     an envelope than deliveries of it; a payload that is not an object; a
//     "payload" key (even {}) on an envelope that accepts none. An ack more
//     than 3 s after the envelope's (last) delivery is recorded as late.
//   - Disconnect sends {"type":"disconnect","reason":…,"debug_info":
//     {"host":…}}; reasons Slack sends: "warning" (about 10 s before a
//     refresh), "refresh_requested", "link_disabled" (Socket Mode turned
//     off). Slack closes the connection itself a few seconds later.
//   - Pings from the client get pongs (RFC 6455), unless Mute()d. The fake
//     sends no pings of its own.
//
// Log entries, in order: "open N" (WebSocket accepted), "hello N",
// "refused <why>" (a refused handshake, TLS or WebSocket), "disconnect N
// <reason>", "close N by client" (the client's close frame), "drop N" (the
// client's TCP connection ended without a close frame, or ended while
// muted), "close N by server" (the fake's close frame after Disconnect),
// "kill N", "mute N".
//
// Thread-safe. One background thread serves every connection; the methods
// may be called from any other thread (not from the fake's own).
#ifndef FF_TESTS_TESTING_FAKE_SOCKET_MODE_H_
#define FF_TESTS_TESTING_FAKE_SOCKET_MODE_H_

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
#include "nlohmann/json.hpp"

namespace ff::testing {

class FakeSocketMode {
 public:
  // An ack the client sent.
  struct Ack {
    std::string envelope_id;
    nlohmann::json payload;  // null when the ack carried none
    int connection = 0;      // the connection it came on (1, 2, … in order of opening)
    bool late = false;       // more than 3 s after the envelope was (last) sent
  };

  // Serves wss://127.0.0.1:<port>/link/?ticket=…&app_id=… with
  // `cert_file`/`key_file` (PEM) once Start() succeeds.
  FakeSocketMode(std::string cert_file, std::string key_file, std::string app_id = "A0FFSOCKET");
  // Closes every connection without a close frame and joins the thread.
  ~FakeSocketMode();
  FakeSocketMode(const FakeSocketMode&) = delete;
  FakeSocketMode& operator=(const FakeSocketMode&) = delete;

  // Start binds 127.0.0.1:0 and starts serving. INVALID_ARGUMENT naming the
  // file when the certificate or key cannot be loaded; FAILED_PRECONDITION
  // when already started; INTERNAL when the socket cannot be bound.
  absl::Status Start();
  // The bound port; 0 before Start().
  int port() const;
  const std::string& app_id() const { return app_id_; }

  // IssueUrl returns a wss URL with a fresh one-time ticket (apps.connections
  // .open's answer). A WebSocket handshake with an unknown or used ticket is
  // refused (HTTP 401), and recorded as a violation.
  std::string IssueUrl();

  // Connections are numbered from 1 in the order they open. On each, hello
  // is sent first. WaitForConnections waits until `hellos` hellos were sent
  // in total; false on timeout.
  bool WaitForConnections(int hellos, absl::Duration timeout);
  // Live counts the connections open now; Newest is the newest of them, 0
  // when none.
  int Live();
  int Newest();
  // Log: what happened, in order (see the file comment).
  std::vector<std::string> Log();
  // WaitForLog waits until `entry` is in the log; false on timeout.
  bool WaitForLog(const std::string& entry, absl::Duration timeout);

  // Send sends an envelope of `type` with `payload` on `connection` (0: the
  // newest open one); returns its envelope_id (fresh, unique), or "" when
  // that connection is not open (nothing is sent). accepts_response_payload
  // is set as Slack sets it for the type/payload.
  std::string Send(const std::string& type, const nlohmann::json& payload, int connection = 0);
  // Redeliver sends envelope `envelope_id` again (same id and payload,
  // retry_attempt + 1, retry_reason "timeout") on `connection` (0: newest).
  // Does nothing for an id Send never returned or a connection not open.
  void Redeliver(const std::string& envelope_id, int connection = 0);
  // WaitForAck waits for the first ack of `envelope_id`; nullopt on timeout.
  std::optional<Ack> WaitForAck(const std::string& envelope_id, absl::Duration timeout);
  // AcksOf lists every ack of `envelope_id` (one never sent too), in order
  // of arrival.
  std::vector<Ack> AcksOf(const std::string& envelope_id);
  // Violations: every breach of the protocol seen (see the file comment),
  // in order. Tests expect none.
  std::vector<std::string> Violations();

  // Disconnect sends {"type":"disconnect","reason":reason,…} on `connection`;
  // the fake closes that connection itself (close frame) `close_after`
  // later unless the client closed it first. Envelopes may still be Sent on
  // it meanwhile.
  void Disconnect(const std::string& reason, int connection = 0,
                  absl::Duration close_after = absl::Seconds(5));
  // Kill drops the TCP connection with no close frame (nor TLS close_notify).
  void Kill(int connection = 0);
  // Mute: from now on the fake answers no ping and sends nothing on the
  // connection; it still notices when the client goes away ("drop N").
  void Mute(int connection = 0);

 private:
  class Io;  // the Boost.Asio side: sockets, TLS, WebSocket streams
  friend class Io;

  // An envelope as last sent.
  struct Envelope {
    std::string type;
    nlohmann::json payload;
    bool accepts_response_payload = false;
    int retry_attempt = 0;
    std::string retry_reason;
    int deliveries = 0;
    absl::Time last_sent;
  };

  // Called by Io, on the fake's thread.
  // CheckTicket consumes `ticket` for `app_id`: "" when good, else why not.
  std::string CheckTicket(const std::string& ticket, const std::string& app_id);
  int Opened();  // numbers and records a new connection
  nlohmann::json Hello(int connection);
  void Sent(int connection, const std::string& envelope_id, bool hello);
  void Closed(int connection, const std::string& entry);
  void Received(int connection, bool binary, const std::string& text);
  void Note(const std::string& entry);
  void Violation(const std::string& what);
  // Resolve maps 0 to the newest open connection; 0 when not open.
  int Resolve(int connection) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  nlohmann::json EnvelopeJson(const std::string& id, const Envelope& envelope) const;

  const std::string cert_file_, key_file_, app_id_;
  std::unique_ptr<Io> io_;
  std::thread thread_;

  mutable absl::Mutex mu_;
  int port_ ABSL_GUARDED_BY(mu_) = 0;
  int next_ticket_ ABSL_GUARDED_BY(mu_) = 1;
  std::set<std::string> tickets_ ABSL_GUARDED_BY(mu_);       // issued, unused
  std::set<std::string> used_tickets_ ABSL_GUARDED_BY(mu_);  // issued, used
  int connections_ ABSL_GUARDED_BY(mu_) = 0;                 // opened so far
  std::set<int> open_ ABSL_GUARDED_BY(mu_);
  int hellos_ ABSL_GUARDED_BY(mu_) = 0;
  std::vector<std::string> log_ ABSL_GUARDED_BY(mu_);
  int next_envelope_ ABSL_GUARDED_BY(mu_) = 1;
  std::map<std::string, Envelope> envelopes_ ABSL_GUARDED_BY(mu_);
  std::vector<Ack> acks_ ABSL_GUARDED_BY(mu_);
  std::vector<std::string> violations_ ABSL_GUARDED_BY(mu_);
};

}  // namespace ff::testing

#endif  // FF_TESTS_TESTING_FAKE_SOCKET_MODE_H_
