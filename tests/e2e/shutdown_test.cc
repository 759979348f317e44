// firefighterd stopped by SIGTERM while a call is in flight (held behind a
// lock in its PostgreSQL database): health watchers see NOT_SERVING, the
// listener closes, the call finishes with its full answer and is stored,
// watch streams end with UNAVAILABLE, and the process exits 0 within 5 s.
// Always on PostgreSQL, whose locks say when the call is waiting.
#include <signal.h>
#include <sys/wait.h>

#include <chrono>
#include <future>
#include <memory>
#include <optional>
#include <string>

#include "absl/time/clock.h"
#include "common/host_port.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "gtest/gtest.h"
#include "tests/e2e/e2e_fixture.h"
#include "tests/testing/child_process.h"
#include "tests/testing/postgres_server.h"

namespace ff::testing {
namespace {

namespace health = ::grpc::health::v1;

constexpr char kService[] = "firefighter.v1.IncidentService";

class ShutdownTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto started = PostgresServer::Start();
    ASSERT_TRUE(started.ok()) << started.status();
    core_ = *std::move(started);
    auto channel = grpc::CreateChannel(core_->address(), grpc::InsecureChannelCredentials());
    stub_ = pb::IncidentService::NewStub(channel);
    health_ = health::Health::NewStub(channel);
  }

  // Serving: whether a health check of the IncidentService answers SERVING.
  bool Serving() {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
    health::HealthCheckRequest request;
    request.set_service(kService);
    health::HealthCheckResponse response;
    grpc::Status status = health_->Check(&context, request, &response);
    return status.ok() && response.status() == health::HealthCheckResponse::SERVING;
  }

  // WaitUntilNotServing polls the health check until it stops answering
  // SERVING (NOT_SERVING, or no answer once the server stops taking calls).
  bool WaitUntilNotServing(absl::Duration timeout) {
    absl::Time deadline = absl::Now() + timeout;
    while (Serving()) {
      if (absl::Now() >= deadline) return false;
    }
    return true;
  }

  int port() const {
    std::string host;
    int port = 0;
    EXPECT_TRUE(SplitHostPort(core_->address(), &host, &port));
    return port;
  }

  std::unique_ptr<PostgresServer> core_;
  std::unique_ptr<pb::IncidentService::Stub> stub_;
  std::unique_ptr<health::Health::Stub> health_;
};

TEST_F(ShutdownTest, SigtermFinishesTheCallInFlightAndExitsZero) {
  ASSERT_TRUE(Serving());
  grpc::ClientContext watch_context;
  auto watch = stub_->WatchIncidents(&watch_context, pb::WatchIncidentsRequest());
  watch->WaitForInitialMetadata();  // subscribed

  std::future<GrpcResult<pb::Incident>> call;  // declared first: waited for after the lock
  auto lock = core_->LockTable("incidents");
  ASSERT_TRUE(lock.ok()) << lock.status();
  call = std::async(std::launch::async, [this] {
    GrpcResult<pb::Incident> result;
    auto context = E2eTest::Context();
    result.status = stub_->OpenIncident(context.get(), E2eTest::OpenRequest("Held by a lock"),
                                        &result.response);
    return result;
  });
  ASSERT_TRUE((*lock)->WaitForWaiter(absl::Seconds(10))) << "the call never reached the database";

  core_->server().Signal(SIGTERM);
  absl::Time signalled = absl::Now();
  EXPECT_TRUE(WaitUntilNotServing(absl::Seconds(5))) << "health still says SERVING";
  EXPECT_TRUE(WaitUntilRefused(port(), absl::Seconds(5))) << "still accepting connections";
  ASSERT_TRUE((*lock)->Release().ok());
  GrpcResult<pb::Incident> held = call.get();

  ASSERT_TRUE(held.ok()) << held.status.error_message();
  EXPECT_EQ(held.response.id(), 1);
  EXPECT_EQ(held.response.title(), "Held by a lock");
  std::optional<int> exit = core_->server().WaitForExit(signalled + absl::Seconds(5) - absl::Now());
  ASSERT_TRUE(exit.has_value()) << "firefighterd still running 5 s after SIGTERM";
  EXPECT_TRUE(WIFEXITED(*exit));
  EXPECT_EQ(WEXITSTATUS(*exit), 0);
  pb::IncidentEvent event;
  EXPECT_FALSE(watch->Read(&event));  // the bus closed before the held call committed
  grpc::Status watch_end = watch->Finish();
  EXPECT_EQ(watch_end.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(watch_end.error_message(), "firefighterd is shutting down");
  auto stored = (*lock)->connection().Exec("SELECT title FROM incidents");
  ASSERT_TRUE(stored.ok()) << stored.status();
  ASSERT_EQ(stored->rows(), 1);
  EXPECT_EQ(stored->Text(0, 0), "Held by a lock");
}

}  // namespace
}  // namespace ff::testing
