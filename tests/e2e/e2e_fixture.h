// E2eTest: a fixture that runs the real firefighterd on 127.0.0.1:0 with a
// fresh temporary database and talks to it through the generated client.
// The database is a SQLite file, or a PostgreSQL database on a throwaway
// cluster when FF_TEST_BACKEND=postgresql (ctest registers the suite both
// ways).
#ifndef FF_TESTS_E2E_E2E_FIXTURE_H_
#define FF_TESTS_E2E_E2E_FIXTURE_H_

#include <future>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "firefighter/v1/incident_service.grpc.pb.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "httplib.h"
#include "tests/testing/postgres_cluster.h"
#include "tests/testing/server_process.h"

namespace ff::testing {

namespace pb = ::firefighter::v1;

// GrpcResult is a unary call's status and response.
template <typename T>
struct GrpcResult {
  grpc::Status status;
  T response;
  bool ok() const { return status.ok(); }
};

class E2eTest : public ::testing::Test {
 protected:
  void SetUp() override { StartServer(); }

  void StartServer(std::vector<std::string> extra_args = {}) {
    if (TestBackend() == "postgresql") {
      // Claims of a killed server are taken over this soon; longer than the
      // fakes' slowest answer that counts (the notifiers' 1 s timeouts).
      extra_args.insert(extra_args.end(), {"--outbox-lease", "3"});
    }
    server_ = std::make_unique<ServerProcess>(ServerBinary(), Database(), std::move(extra_args));
    ASSERT_TRUE(server_->Start().ok()) << "firefighterd did not start";
    channel_ = grpc::CreateChannel(server_->address(), grpc::InsecureChannelCredentials());
    stub_ = pb::IncidentService::NewStub(channel_);
  }

  std::string db_path() const { return dir_.File("firefighter.db"); }

  // Database is the --db of this test: the SQLite file, or a database on the
  // test's own PostgreSQL cluster (started on first use).
  std::string Database() {
    if (TestBackend() != "postgresql") return db_path();
    if (postgres_ == nullptr) {
      auto cluster = PostgresCluster::Create();
      if (!cluster.ok()) {
        ADD_FAILURE() << cluster.status();
        return "";
      }
      postgres_ = *std::move(cluster);
      auto uri = postgres_->CreateDatabase("firefighter");
      if (!uri.ok()) ADD_FAILURE() << uri.status();
      postgres_uri_ = uri.value_or("");
    }
    return postgres_uri_;
  }

 public:  // the calls are open to parameterised cases too
  static std::unique_ptr<grpc::ClientContext> Context() {
    auto context = std::make_unique<grpc::ClientContext>();
    context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    return context;
  }

#define FF_E2E_CALL(Method, Request, Response)                               \
  GrpcResult<pb::Response> Method(const pb::Request& request) {              \
    GrpcResult<pb::Response> result;                                         \
    auto context = Context();                                                \
    result.status = stub_->Method(context.get(), request, &result.response); \
    return result;                                                           \
  }
  FF_E2E_CALL(OpenIncident, OpenIncidentRequest, Incident)
  FF_E2E_CALL(GetIncident, GetIncidentRequest, Incident)
  FF_E2E_CALL(ListIncidents, ListIncidentsRequest, ListIncidentsResponse)
  FF_E2E_CALL(UpdateIncident, UpdateIncidentRequest, Incident)
  FF_E2E_CALL(CloseIncident, CloseIncidentRequest, Incident)
  FF_E2E_CALL(AddTimelineEntry, AddTimelineEntryRequest, TimelineEntry)
  FF_E2E_CALL(ListTimeline, ListTimelineRequest, ListTimelineResponse)
  FF_E2E_CALL(ListDomains, ListDomainsRequest, ListDomainsResponse)
  FF_E2E_CALL(RetryDelivery, RetryDeliveryRequest, Delivery)
  FF_E2E_CALL(ListDeliveries, ListDeliveriesRequest, ListDeliveriesResponse)
  FF_E2E_CALL(GetStats, GetStatsRequest, GetStatsResponse)
  FF_E2E_CALL(AddFollowUp, AddFollowUpRequest, FollowUp)
  FF_E2E_CALL(UpdateFollowUp, UpdateFollowUpRequest, FollowUp)
  FF_E2E_CALL(GetFollowUp, GetFollowUpRequest, FollowUp)
  FF_E2E_CALL(ListFollowUps, ListFollowUpsRequest, ListFollowUpsResponse)
#undef FF_E2E_CALL

  // WatchStatus opens a watch stream with `request` and returns how it ended,
  // reading at most one event (for requests the server refuses at once).
  grpc::Status WatchStatus(const pb::WatchIncidentsRequest& request) {
    auto context = Context();
    auto reader = stub_->WatchIncidents(context.get(), request);
    pb::IncidentEvent event;
    if (reader->Read(&event)) context->TryCancel();  // it was accepted
    return reader->Finish();
  }

  // RawCall sends `request` bytes as they are to the unary `method`
  // ("/package.Service/Method"): for paths no client library would call and
  // bytes no generated message would write.
  grpc::Status RawCall(const std::string& method, const std::string& request) {
    grpc::GenericStub generic(channel_);
    auto context = Context();
    grpc::Slice slice(request);
    grpc::ByteBuffer sent(&slice, 1), received;
    std::promise<grpc::Status> done;
    generic.UnaryCall(context.get(), method, grpc::StubOptions(), &sent, &received,
                      [&done](grpc::Status status) { done.set_value(std::move(status)); });
    return done.get_future().get();
  }

  static pb::OpenIncidentRequest OpenRequest(const std::string& title,
                                             pb::Severity severity = pb::SEVERITY_SEV2) {
    pb::OpenIncidentRequest r;
    r.set_title(title);
    r.set_domain("payment");
    r.set_severity(severity);
    r.set_reporter("alice");
    return r;
  }

  // MustOpen opens an incident and fails the test if that fails.
  pb::Incident MustOpen(const std::string& title, pb::Severity severity = pb::SEVERITY_SEV2) {
    auto result = OpenIncident(OpenRequest(title, severity));
    EXPECT_TRUE(result.ok()) << result.status.error_message();
    return result.response;
  }

  static pb::UpdateIncidentRequest StatusUpdate(int64_t id, pb::Status status,
                                                const std::string& message = "") {
    pb::UpdateIncidentRequest r;
    r.set_id(id);
    r.set_actor("bob");
    r.set_status(status);
    r.set_message(message);
    return r;
  }

  GrpcResult<pb::Incident> MoveTo(int64_t id, pb::Status status, const std::string& message = "") {
    return UpdateIncident(StatusUpdate(id, status, message));
  }

  std::vector<pb::TimelineEntry> Timeline(int64_t id) {
    pb::ListTimelineRequest r;
    r.set_incident_id(id);
    auto result = ListTimeline(r);
    EXPECT_TRUE(result.ok()) << result.status.error_message();
    return {result.response.entries().begin(), result.response.entries().end()};
  }

  // ScrapeMetrics GETs /metrics of a server started with --metrics-listen
  // (at the address it printed).
  std::optional<httplib::Response> ScrapeMetrics() {
    const std::string marker = "firefighterd metrics on ";
    const std::string& out = server_->startup_output();
    size_t at = out.find(marker);
    EXPECT_NE(at, std::string::npos) << out;
    if (at == std::string::npos) return std::nullopt;
    std::string address = out.substr(at + marker.size(), out.find('\n', at) - at - marker.size());
    size_t colon = address.rfind(':');
    httplib::Client client(address.substr(0, colon), std::stoi(address.substr(colon + 1)));
    auto response = client.Get("/metrics");
    EXPECT_TRUE(response) << "no answer from " << address;
    if (!response) return std::nullopt;
    return *response;
  }

  // MetricsText is the scraped text; "" after a failed expectation.
  std::string MetricsText() {
    auto response = ScrapeMetrics();
    if (!response) return "";
    EXPECT_EQ(response->status, 200);
    return response->body;
  }

  int CountIncidents() {
    pb::ListIncidentsRequest r;
    r.set_page_size(500);
    auto result = ListIncidents(r);
    EXPECT_TRUE(result.ok()) << result.status.error_message();
    return result.response.incidents_size();
  }

  TempDir dir_;
  std::unique_ptr<PostgresCluster> postgres_;  // outlives the servers using it
  std::string postgres_uri_;
  std::unique_ptr<ServerProcess> server_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<pb::IncidentService::Stub> stub_;
};

}  // namespace ff::testing

#endif  // FF_TESTS_E2E_E2E_FIXTURE_H_
