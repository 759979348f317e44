#include "clients/incident/incident_client.h"

#include <chrono>
#include <fstream>
#include <sstream>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/open_result.h"
#include "common/status_macros.h"
#include "grpcpp/client_context.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"

namespace ff {
namespace {

std::chrono::system_clock::time_point DeadlineAfter(absl::Duration timeout) {
  return std::chrono::system_clock::now() +
         std::chrono::duration_cast<std::chrono::system_clock::duration>(
             absl::ToChronoNanoseconds(timeout));
}

// WaitUntilConnected returns OK once `channel` is READY, UNAVAILABLE as soon
// as a connection attempt fails, or when none succeeded within `timeout`.
absl::Status WaitUntilConnected(grpc::Channel& channel, absl::Duration timeout) {
  const auto deadline = DeadlineAfter(timeout);
  grpc_connectivity_state state = channel.GetState(/*try_to_connect=*/true);
  while (state != GRPC_CHANNEL_READY) {
    if (state == GRPC_CHANNEL_TRANSIENT_FAILURE || state == GRPC_CHANNEL_SHUTDOWN) {
      return absl::UnavailableError("failed to connect");
    }
    if (!channel.WaitForStateChange(state, deadline)) {
      return absl::UnavailableError(
          absl::StrCat("cannot connect within ", absl::FormatDuration(timeout)));
    }
    state = channel.GetState(/*try_to_connect=*/true);
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status FromGrpcStatus(const grpc::Status& status, absl::Duration timeout) {
  if (status.ok()) return absl::OkStatus();
  if (status.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED) {
    return absl::DeadlineExceededError(
        absl::StrCat("no answer within ", absl::FormatDuration(timeout)));
  }
  // grpc::StatusCode and absl::StatusCode share the canonical numbering.
  return absl::Status(static_cast<absl::StatusCode>(status.error_code()), status.error_message());
}

IncidentClient IncidentClient::Connect(const std::string& target, absl::Duration timeout) {
  return IncidentClient(grpc::CreateChannel(target, grpc::InsecureChannelCredentials()), timeout);
}

namespace {

absl::StatusOr<std::string> ReadPem(const std::string& what, const std::string& path) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read the ", what, " file ", path));
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> ChannelCredentials(
    const ConnectOptions& options) {
  if (options.tls_cert_file.empty() != options.tls_key_file.empty()) {
    return absl::InvalidArgumentError(
        "a TLS client certificate needs its key: give both the certificate and the key");
  }
  if (!options.tls && options.tls_ca_file.empty() && options.tls_cert_file.empty()) {
    return grpc::InsecureChannelCredentials();
  }
  grpc::SslCredentialsOptions ssl;
  if (!options.tls_ca_file.empty()) {
    FF_ASSIGN_OR_RETURN(ssl.pem_root_certs, ReadPem("TLS CA", options.tls_ca_file));
  }
  if (!options.tls_cert_file.empty()) {
    FF_ASSIGN_OR_RETURN(ssl.pem_cert_chain,
                        ReadPem("TLS client certificate", options.tls_cert_file));
    FF_ASSIGN_OR_RETURN(ssl.pem_private_key, ReadPem("TLS client key", options.tls_key_file));
  }
  return grpc::SslCredentials(ssl);
}

absl::StatusOr<std::string> ReadTokenFile(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  if (!in || !std::getline(in, line)) {
    return absl::InvalidArgumentError(absl::StrCat("--token-file: cannot read ", path));
  }
  std::string token(absl::StripAsciiWhitespace(line));
  if (token.empty()) {
    return absl::InvalidArgumentError(absl::StrCat("--token-file: ", path, " is empty"));
  }
  return token;
}

absl::StatusOr<IncidentClient> IncidentClient::Connect(const ConnectOptions& options) {
  FF_ASSIGN_OR_RETURN(std::shared_ptr<grpc::ChannelCredentials> credentials,
                      ChannelCredentials(options));
  IncidentClient client(grpc::CreateChannel(options.target, credentials), options.timeout);
  client.token_ = options.token;
  return client;
}

void IncidentClient::Prepare(grpc::ClientContext& context, bool with_deadline) const {
  if (with_deadline) context.set_deadline(DeadlineAfter(timeout_));
  if (!token_.empty()) context.AddMetadata("authorization", absl::StrCat("Bearer ", token_));
}

IncidentClient::IncidentClient(std::shared_ptr<grpc::Channel> channel, absl::Duration timeout)
    : channel_(std::move(channel)),
      stub_(pb::IncidentService::NewStub(channel_)),
      timeout_(timeout) {}

IncidentClient::IncidentClient(std::shared_ptr<pb::IncidentService::StubInterface> stub,
                               absl::Duration timeout)
    : stub_(std::move(stub)), timeout_(timeout) {}

template <typename Request, typename Response>
absl::StatusOr<Response> IncidentClient::CallUnary(UnaryMethod<Request, Response> method,
                                                   const Request& request) const {
  grpc::ClientContext context;
  Prepare(context, /*with_deadline=*/true);
  Response response;
  grpc::Status status = ((*stub_).*method)(&context, request, &response);
  if (!status.ok()) return FromGrpcStatus(status, timeout_);
  return response;
}

absl::StatusOr<pb::Incident> IncidentClient::OpenIncident(
    const pb::OpenIncidentRequest& request) const {
  return CallUnary(&pb::IncidentService::StubInterface::OpenIncident, request);
}

absl::StatusOr<IncidentClient::Opened> IncidentClient::Open(
    const pb::OpenIncidentRequest& request) const {
  grpc::ClientContext context;
  Prepare(context, /*with_deadline=*/true);
  Opened opened;
  grpc::Status status = stub_->OpenIncident(&context, request, &opened.incident);
  if (!status.ok()) return FromGrpcStatus(status, timeout_);
  const auto& metadata = context.GetServerInitialMetadata();
  auto result = metadata.find(kOpenResultKey);
  opened.deduplicated = result != metadata.end() && result->second == kOpenResultDeduplicated;
  return opened;
}

absl::StatusOr<pb::Incident> IncidentClient::GetIncident(int64_t id) const {
  pb::GetIncidentRequest request;
  request.set_id(id);
  return CallUnary(&pb::IncidentService::StubInterface::GetIncident, request);
}

absl::StatusOr<pb::ListIncidentsResponse> IncidentClient::ListIncidents(
    const pb::ListIncidentsRequest& request) const {
  return CallUnary(&pb::IncidentService::StubInterface::ListIncidents, request);
}

absl::StatusOr<pb::Incident> IncidentClient::UpdateIncident(
    const pb::UpdateIncidentRequest& request) const {
  return CallUnary(&pb::IncidentService::StubInterface::UpdateIncident, request);
}

absl::StatusOr<pb::Incident> IncidentClient::CloseIncident(
    const pb::CloseIncidentRequest& request) const {
  return CallUnary(&pb::IncidentService::StubInterface::CloseIncident, request);
}

absl::StatusOr<pb::TimelineEntry> IncidentClient::AddTimelineEntry(
    const pb::AddTimelineEntryRequest& request) const {
  return CallUnary(&pb::IncidentService::StubInterface::AddTimelineEntry, request);
}

absl::StatusOr<pb::ListTimelineResponse> IncidentClient::ListTimeline(int64_t incident_id) const {
  pb::ListTimelineRequest request;
  request.set_incident_id(incident_id);
  return CallUnary(&pb::IncidentService::StubInterface::ListTimeline, request);
}

absl::StatusOr<pb::ListDomainsResponse> IncidentClient::ListDomains() const {
  return CallUnary(&pb::IncidentService::StubInterface::ListDomains, pb::ListDomainsRequest());
}

absl::StatusOr<pb::ListDeliveriesResponse> IncidentClient::ListDeliveries(
    const pb::ListDeliveriesRequest& request) const {
  return CallUnary(&pb::IncidentService::StubInterface::ListDeliveries, request);
}

absl::StatusOr<pb::FollowUp> IncidentClient::AddFollowUp(
    const pb::AddFollowUpRequest& request) const {
  return CallUnary(&pb::IncidentService::StubInterface::AddFollowUp, request);
}

absl::StatusOr<pb::FollowUp> IncidentClient::UpdateFollowUp(
    const pb::UpdateFollowUpRequest& request) const {
  return CallUnary(&pb::IncidentService::StubInterface::UpdateFollowUp, request);
}

absl::StatusOr<pb::FollowUp> IncidentClient::GetFollowUp(int64_t id) const {
  pb::GetFollowUpRequest request;
  request.set_id(id);
  return CallUnary(&pb::IncidentService::StubInterface::GetFollowUp, request);
}

absl::StatusOr<pb::ListFollowUpsResponse> IncidentClient::ListFollowUps(
    const pb::ListFollowUpsRequest& request) const {
  return CallUnary(&pb::IncidentService::StubInterface::ListFollowUps, request);
}

absl::StatusOr<pb::Delivery> IncidentClient::RetryDelivery(int64_t id,
                                                           const std::string& actor) const {
  pb::RetryDeliveryRequest request;
  request.set_id(id);
  request.set_actor(actor);
  return CallUnary(&pb::IncidentService::StubInterface::RetryDelivery, request);
}

absl::StatusOr<pb::GetStatsResponse> IncidentClient::GetStats(
    const pb::GetStatsRequest& request) const {
  return CallUnary(&pb::IncidentService::StubInterface::GetStats, request);
}

absl::Status IncidentClient::WatchIncidents(const pb::WatchIncidentsRequest& request,
                                            const EventCallback& on_event,
                                            const std::function<void()>& on_started) const {
  // The stream itself has no deadline, so bound the connection attempt
  // explicitly; otherwise an unreachable server would hang the watcher.
  if (channel_ != nullptr) FF_RETURN_IF_ERROR(WaitUntilConnected(*channel_, timeout_));
  grpc::ClientContext context;
  Prepare(context, /*with_deadline=*/false);
  std::unique_ptr<grpc::ClientReaderInterface<pb::IncidentEvent>> reader =
      stub_->WatchIncidents(&context, request);
  reader->WaitForInitialMetadata();
  if (on_started) on_started();
  pb::IncidentEvent event;
  bool cancelled = false;
  while (reader->Read(&event)) {
    if (!on_event(event)) {
      cancelled = true;
      context.TryCancel();
      break;
    }
  }
  grpc::Status status = reader->Finish();
  if (cancelled) return absl::OkStatus();
  return FromGrpcStatus(status, timeout_);
}

}  // namespace ff
