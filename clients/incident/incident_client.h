// IncidentClient: the typed C++ client of firefighter.v1.IncidentService.
//
// A value type: copies are cheap and share one gRPC channel. Every unary call
// carries a deadline of `timeout` from the moment it starts. gRPC failures come
// back as absl::Status with the same code and the server's message.
//
// Thread-safe: methods may be called concurrently from any thread, on one
// object or on copies.
#ifndef FF_CLIENTS_INCIDENT_INCIDENT_CLIENT_H_
#define FF_CLIENTS_INCIDENT_INCIDENT_CLIENT_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "firefighter/v1/delivery.pb.h"
#include "firefighter/v1/incident_service.grpc.pb.h"
#include "grpcpp/channel.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/support/status.h"

namespace ff {
namespace pb = ::firefighter::v1;

// FromGrpcStatus converts a gRPC status, keeping its code and message.
// DEADLINE_EXCEEDED gets a message that names `timeout`, since gRPC's own
// ("Deadline Exceeded") does not say how long the caller waited.
absl::Status FromGrpcStatus(const grpc::Status& status, absl::Duration timeout);

// ConnectOptions says how to reach firefighterd and who is calling.
struct ConnectOptions {
  std::string target;  // "host:port"
  absl::Duration timeout = absl::Seconds(10);
  // Sent as `authorization: Bearer <token>` on every call when not empty.
  std::string token;
  // TLS: on when `tls` is set or a CA file is given. The server is verified
  // against `tls_ca_file` (PEM), or the system's roots when it is empty. A
  // client certificate is presented when `tls_cert_file` and `tls_key_file`
  // are given.
  bool tls = false;
  std::string tls_ca_file;
  std::string tls_cert_file;
  std::string tls_key_file;
};

// ChannelCredentials returns the transport `options` ask for: plaintext, or
// TLS with the given CA (or the system's roots) and client certificate.
// NOT_FOUND when a file cannot be read; INVALID_ARGUMENT for a certificate
// without its key.
absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> ChannelCredentials(
    const ConnectOptions& options);

// ReadTokenFile returns the first line of `path`, trimmed: a token kept in a
// file never shows in `ps` or a shell's history. INVALID_ARGUMENT naming the
// file when it cannot be read or is empty.
absl::StatusOr<std::string> ReadTokenFile(const std::string& path);

class IncidentClient {
 public:
  // Called once per event; return false to stop watching.
  using EventCallback = std::function<bool(const pb::IncidentEvent&)>;

  // Connect makes a client for `target` ("host:port") over plaintext. The
  // connection is made on the first call, not here; never fails.
  static IncidentClient Connect(const std::string& target, absl::Duration timeout);
  // Connect with credentials. INVALID_ARGUMENT / NOT_FOUND when a TLS file
  // is missing or the cert is given without its key; the connection itself
  // is made on the first call.
  static absl::StatusOr<IncidentClient> Connect(const ConnectOptions& options);

  // A client over an existing channel. REQUIRES: channel != nullptr.
  IncidentClient(std::shared_ptr<grpc::Channel> channel, absl::Duration timeout);
  // A client over any stub, e.g. a test double. REQUIRES: stub != nullptr.
  IncidentClient(std::shared_ptr<pb::IncidentService::StubInterface> stub, absl::Duration timeout);

  // Each method returns the server's answer, or its error status:
  // INVALID_ARGUMENT (message starts with the field), NOT_FOUND,
  // FAILED_PRECONDITION (workflow refusal), ABORTED (stale expected_version),
  // UNAVAILABLE (server unreachable or busy), DEADLINE_EXCEEDED (no answer
  // within the timeout).
  absl::StatusOr<pb::Incident> OpenIncident(const pb::OpenIncidentRequest& request) const;
  // Opened is OpenIncident's answer with whether it was found rather than
  // made: an open incident already had the request's dedup_key.
  struct Opened {
    pb::Incident incident;
    bool deduplicated = false;
  };
  absl::StatusOr<Opened> Open(const pb::OpenIncidentRequest& request) const;
  absl::StatusOr<pb::Incident> GetIncident(int64_t id) const;
  absl::StatusOr<pb::ListIncidentsResponse> ListIncidents(
      const pb::ListIncidentsRequest& request) const;
  absl::StatusOr<pb::Incident> UpdateIncident(const pb::UpdateIncidentRequest& request) const;
  absl::StatusOr<pb::Incident> CloseIncident(const pb::CloseIncidentRequest& request) const;
  absl::StatusOr<pb::TimelineEntry> AddTimelineEntry(
      const pb::AddTimelineEntryRequest& request) const;
  absl::StatusOr<pb::ListTimelineResponse> ListTimeline(int64_t incident_id) const;
  absl::StatusOr<pb::ListDomainsResponse> ListDomains() const;

  // ListDeliveries returns one page of notification deliveries, newest first.
  // INVALID_ARGUMENT for a negative incident_id, an unknown state in
  // `states`, or a page token from another filter.
  absl::StatusOr<pb::ListDeliveriesResponse> ListDeliveries(
      const pb::ListDeliveriesRequest& request) const;
  // RetryDelivery puts dead delivery `id` back in line and returns it, now
  // pending. INVALID_ARGUMENT for id <= 0, NOT_FOUND when there is no such
  // delivery, FAILED_PRECONDITION when it is not dead.
  // `actor` is recorded on the incident's timeline (a person's token stands
  // for itself on a server with authentication).
  absl::StatusOr<pb::Delivery> RetryDelivery(int64_t id, const std::string& actor = "") const;
  // GetStats returns the response metrics of the incidents opened in the
  // request's range. INVALID_ARGUMENT for an invalid or inverted range or an
  // unknown severity.
  absl::StatusOr<pb::GetStatsResponse> GetStats(const pb::GetStatsRequest& request) const;

  // Follow-ups. INVALID_ARGUMENT naming the field (title, due_date, …),
  // NOT_FOUND for an unknown incident or follow-up, ABORTED for a stale
  // expected_version.
  absl::StatusOr<pb::FollowUp> AddFollowUp(const pb::AddFollowUpRequest& request) const;
  absl::StatusOr<pb::FollowUp> UpdateFollowUp(const pb::UpdateFollowUpRequest& request) const;
  absl::StatusOr<pb::FollowUp> GetFollowUp(int64_t id) const;
  absl::StatusOr<pb::ListFollowUpsResponse> ListFollowUps(
      const pb::ListFollowUpsRequest& request) const;

  // WatchIncidents streams the changes matching `request`, calling `on_event`
  // for each, on the calling thread, until the callback returns false
  // (returns OK), the server ends the stream (returns its status) or the
  // connection breaks (UNAVAILABLE). `on_started`, when set, runs once the
  // server has accepted the stream (it sends its initial metadata); changes
  // committed after that are all delivered. Connecting is bounded by the
  // timeout (UNAVAILABLE when it cannot connect in time); the stream is not.
  absl::Status WatchIncidents(const pb::WatchIncidentsRequest& request,
                              const EventCallback& on_event,
                              const std::function<void()>& on_started = nullptr) const;

  absl::Duration timeout() const { return timeout_; }

 private:
  template <typename Request, typename Response>
  using UnaryMethod = grpc::Status (pb::IncidentService::StubInterface::*)(grpc::ClientContext*,
                                                                           const Request&,
                                                                           Response*);

  template <typename Request, typename Response>
  absl::StatusOr<Response> CallUnary(UnaryMethod<Request, Response> method,
                                     const Request& request) const;

  // Prepare sets what every call carries: the deadline and the token.
  void Prepare(grpc::ClientContext& context, bool with_deadline) const;

  std::shared_ptr<grpc::Channel> channel_;  // null when made from a stub
  std::shared_ptr<pb::IncidentService::StubInterface> stub_;
  absl::Duration timeout_;
  std::string token_;
};

}  // namespace ff

#endif  // FF_CLIENTS_INCIDENT_INCIDENT_CLIENT_H_
