#include "tests/testing/postgres_server.h"

#include <chrono>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/status_macros.h"
#include "firefighter/v1/incident_service.grpc.pb.h"
#include "grpcpp/grpcpp.h"

namespace ff::testing {

absl::StatusOr<std::unique_ptr<TableLock>> TableLock::Take(const std::string& uri,
                                                           const std::string& table) {
  FF_ASSIGN_OR_RETURN(std::unique_ptr<PgConnection> conn, PgConnection::Connect(uri));
  // The session's own lock_timeout does not apply to the lock it holds;
  // statement_timeout must not end the transaction early either.
  FF_RETURN_IF_ERROR(conn->Run(absl::StrCat("SET statement_timeout = 0; BEGIN; LOCK TABLE ", table,
                                            " IN ACCESS EXCLUSIVE MODE")));
  return std::unique_ptr<TableLock>(new TableLock(std::move(conn), table));
}

bool TableLock::WaitForWaiter(absl::Duration timeout) {
  absl::Time deadline = absl::Now() + timeout;
  PgParams table;
  table.Text(table_);
  do {
    absl::StatusOr<PgResult> waiting = conn_->Exec(
        "SELECT count(*) FROM pg_locks WHERE NOT granted AND relation = $1::regclass", table);
    if (waiting.ok() && waiting->Int(0, 0) > 0) return true;
    absl::SleepFor(absl::Milliseconds(5));  // polling, with a deadline
  } while (absl::Now() < deadline);
  return false;
}

absl::Status TableLock::Release() { return conn_->Run("COMMIT"); }

absl::StatusOr<std::unique_ptr<PostgresServer>> PostgresServer::Start(
    std::vector<std::string> extra_args) {
  std::unique_ptr<PostgresServer> started(new PostgresServer());
  FF_ASSIGN_OR_RETURN(started->cluster_, PostgresCluster::Create());
  FF_ASSIGN_OR_RETURN(started->uri_, started->cluster_->CreateDatabase("firefighter"));
  started->server_ =
      std::make_unique<ServerProcess>(ServerBinary(), started->uri_, std::move(extra_args));
  FF_RETURN_IF_ERROR(started->server_->Start());
  return started;
}

absl::Status PostgresServer::OpenIncident(const std::string& title) const {
  ::firefighter::v1::OpenIncidentRequest request;
  request.set_title(title);
  request.set_domain("payment");
  request.set_severity(::firefighter::v1::SEVERITY_SEV2);
  request.set_reporter("alice");
  ::firefighter::v1::Incident incident;
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  auto stub = ::firefighter::v1::IncidentService::NewStub(
      grpc::CreateChannel(address(), grpc::InsecureChannelCredentials()));
  grpc::Status status = stub->OpenIncident(&context, request, &incident);
  if (status.ok()) return absl::OkStatus();
  return absl::Status(static_cast<absl::StatusCode>(status.error_code()), status.error_message());
}

}  // namespace ff::testing
