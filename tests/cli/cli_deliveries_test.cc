// ff deliveries / ff retry-delivery: against the real firefighterd (which,
// with no notifiers configured, has no deliveries), against a scripted
// IncidentService that has some (rows, pages, a refused retry), and the
// usage errors that need no server.
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "firefighter/v1/incident_service.grpc.pb.h"
#include "gmock/gmock.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server.h"
#include "grpcpp/server_builder.h"
#include "gtest/gtest.h"
#include "tests/cli/cli_fixture.h"

namespace ff::testing {
namespace {

namespace pb = ::firefighter::v1;
using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::MatchesRegex;
using ::testing::Not;
using ::testing::StartsWith;

// --- The real server: no notifiers, so no deliveries. ---

using CliDeliveriesTest = CliTest;

TEST_F(CliDeliveriesTest, DeliveriesOfAServerWithoutNotifiersIsEmpty) {
  ASSERT_EQ(Open("Checkout fails"), 1);  // events, but nobody to tell
  FfResult table = Ff({"deliveries"});
  EXPECT_EQ(table.exit_code, 0) << table.err;
  EXPECT_EQ(table.out, "No deliveries.\n");
  EXPECT_EQ(table.err, "");

  FfResult json = Ff({"deliveries", "-o", "json"});
  EXPECT_EQ(json.exit_code, 0) << json.err;
  EXPECT_EQ(ParseJson(json.out),
            nlohmann::json::parse(R"({"deliveries":[],"next_page_token":""})"));

  FfResult filtered = Ff({"deliveries", "--incident", "#1", "--state", "dead", "--state", "PENDING",
                          "--notifier", "slack", "--limit", "5", "--all", "-o", "json"});
  EXPECT_EQ(filtered.exit_code, 0) << filtered.err;
  EXPECT_EQ(ParseJson(filtered.out)["deliveries"], nlohmann::json::array());
}

TEST_F(CliDeliveriesTest, RetryingAnUnknownDeliveryIsNotFound) {
  for (const char* output : {"table", "json"}) {
    FfResult r = Ff({"retry-delivery", "42", "-o", output});
    EXPECT_EQ(r.exit_code, 3) << output;
    EXPECT_EQ(r.out, "") << output;
    EXPECT_EQ(r.err, "ff: cannot retry delivery 42: delivery 42 does not exist\n") << output;
  }
}

// --- Usage errors: caught before any call, so no server runs. ---

FfResult Usage(std::vector<std::string> args) { return RunFf(std::move(args), {"FF_USER=alice"}); }

void ExpectUsageError(const FfResult& r, const std::string& message, const std::string& hint) {
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, absl::StrCat("ff: ", message, "\nRun '", hint, "' for usage.\n"));
}

TEST(CliDeliveriesUsageTest, BadFilters) {
  ExpectUsageError(Usage({"deliveries", "--state", "bogus"}),
                   "--state: invalid delivery state 'bogus' (expected pending, delivered or dead)",
                   "ff deliveries --help");
  ExpectUsageError(Usage({"deliveries", "--incident", "x"}),
                   "--incident: invalid incident id 'x' (expected a number such as 42 or #42)",
                   "ff deliveries --help");
  ExpectUsageError(Usage({"deliveries", "--limit", "501"}),
                   "--limit: Value 501 not in range 1 to 500", "ff deliveries --help");
}

TEST(CliDeliveriesUsageTest, BadDeliveryId) {
  for (const char* id : {"abc", "0", "-1", "#7"}) {
    ExpectUsageError(
        Usage({"retry-delivery", id}),
        absl::StrCat("ID: invalid delivery id '", id, "' (expected a number such as 7)"),
        "ff retry-delivery --help");
  }
  ExpectUsageError(Usage({"retry-delivery"}), "ID is required", "ff retry-delivery --help");
}

TEST(CliDeliveriesUsageTest, UnreachableServer) {
  std::string addr = absl::StrCat("127.0.0.1:", ClosedPort());
  FfResult list = Usage({"deliveries", "--addr", addr, "--timeout", "2s"});
  EXPECT_EQ(list.exit_code, 6);
  EXPECT_THAT(list.err, StartsWith(absl::StrCat("ff: cannot list deliveries: server at ", addr,
                                                " is unavailable: ")));
  FfResult retry = Usage({"retry-delivery", "3", "--addr", addr, "--timeout", "2s"});
  EXPECT_EQ(retry.exit_code, 6);
  EXPECT_THAT(retry.err, StartsWith("ff: cannot retry delivery 3: server at "));
}

TEST(CliDeliveriesUsageTest, HelpDescribesTheCommands) {
  FfResult help = RunFf({"help"}, {});
  EXPECT_THAT(help.out, AllOf(HasSubstr("\n  deliveries "), HasSubstr("\n  retry-delivery ")));
  FfResult deliveries = RunFf({"deliveries", "--help"}, {});
  EXPECT_EQ(deliveries.exit_code, 0);
  EXPECT_THAT(deliveries.out,
              AllOf(HasSubstr("Usage: ff deliveries [OPTIONS]"), HasSubstr("--incident"),
                    HasSubstr("--state"), HasSubstr("--notifier"), HasSubstr("--all")));
  FfResult retry = RunFf({"help", "retry-delivery"}, {});
  EXPECT_EQ(retry.exit_code, 0);
  EXPECT_THAT(retry.out, HasSubstr("Usage: ff retry-delivery [OPTIONS] ID"));
}

// --- A scripted server with deliveries in every state. ---

google::protobuf::Timestamp At(absl::Time t) {
  google::protobuf::Timestamp ts;
  ts.set_seconds(absl::ToUnixSeconds(t));
  return ts;
}

// ScriptedOutboxService: an IncidentService whose ListDeliveries pages
// through a fixed list (token = index of the next one) and whose
// RetryDelivery behaves like firefighterd's. Other RPCs are UNIMPLEMENTED.
// Thread-safe.
class ScriptedOutboxService final : public pb::IncidentService::Service {
 public:
  explicit ScriptedOutboxService(std::vector<pb::Delivery> deliveries)
      : deliveries_(std::move(deliveries)) {}

  grpc::Status ListDeliveries(grpc::ServerContext*, const pb::ListDeliveriesRequest* request,
                              pb::ListDeliveriesResponse* response) override {
    absl::MutexLock lock(&mu_);
    size_t start = 0;
    if (!request->page_token().empty() && !absl::SimpleAtoi(request->page_token(), &start)) {
      return {grpc::StatusCode::INVALID_ARGUMENT, "page_token is not one of ours"};
    }
    size_t size = request->page_size() > 0 ? static_cast<size_t>(request->page_size()) : 50;
    for (size_t i = start; i < deliveries_.size(); ++i) {
      if (static_cast<size_t>(response->deliveries_size()) == size) {
        response->set_next_page_token(absl::StrCat(i));
        break;
      }
      *response->add_deliveries() = deliveries_[i];
    }
    return grpc::Status::OK;
  }

  grpc::Status RetryDelivery(grpc::ServerContext*, const pb::RetryDeliveryRequest* request,
                             pb::Delivery* response) override {
    absl::MutexLock lock(&mu_);
    for (pb::Delivery& d : deliveries_) {
      if (d.id() != request->id()) continue;
      if (d.state() != pb::DELIVERY_STATE_DEAD) {
        return {grpc::StatusCode::FAILED_PRECONDITION,
                absl::StrCat("delivery ", d.id(), " is ",
                             d.state() == pb::DELIVERY_STATE_PENDING ? "pending" : "delivered",
                             "; only a dead delivery can be retried")};
      }
      d.set_state(pb::DELIVERY_STATE_PENDING);
      *d.mutable_next_attempt_at() = At(absl::Now());
      *response = d;
      return grpc::Status::OK;
    }
    return {grpc::StatusCode::NOT_FOUND,
            absl::StrCat("delivery ", request->id(), " does not exist")};
  }

 private:
  absl::Mutex mu_;
  std::vector<pb::Delivery> deliveries_ ABSL_GUARDED_BY(mu_);
};

pb::Delivery MakeDelivery(int64_t id, pb::DeliveryState state, const std::string& notifier) {
  pb::Delivery d;
  d.set_id(id);
  d.set_incident_id(7);
  d.set_notifier(notifier);
  d.set_event_type("incident.status_changed");
  d.set_state(state);
  *d.mutable_created_at() = At(absl::Now() - absl::Minutes(10));
  *d.mutable_updated_at() = At(absl::Now() - absl::Minutes(2));
  return d;
}

class CliScriptedDeliveriesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    pb::Delivery dead = MakeDelivery(3, pb::DELIVERY_STATE_DEAD, "slack");
    dead.set_attempts(8);
    dead.set_last_error(absl::StrCat("HTTP 403 from slack: invalid_auth\n", std::string(80, 'x')));
    pb::Delivery pending = MakeDelivery(2, pb::DELIVERY_STATE_PENDING, "pagerduty");
    pending.set_attempts(1);
    pending.set_last_error("HTTP 503");
    *pending.mutable_next_attempt_at() = At(absl::Now() + absl::Minutes(30));
    pb::Delivery delivered = MakeDelivery(1, pb::DELIVERY_STATE_DELIVERED, "slack");
    delivered.set_attempts(1);
    *delivered.mutable_delivered_at() = At(absl::Now() - absl::Minutes(5));
    service_ = std::make_unique<ScriptedOutboxService>(
        std::vector<pb::Delivery>{dead, pending, delivered});
    grpc::ServerBuilder builder;
    int port = 0;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
    builder.RegisterService(service_.get());
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
    env_ = {absl::StrCat("FF_ADDR=127.0.0.1:", port), "TZ=UTC"};
  }
  void TearDown() override {
    if (server_ != nullptr) server_->Shutdown();
  }

  FfResult Ff(std::vector<std::string> args) const { return RunFf(std::move(args), env_); }

  std::unique_ptr<ScriptedOutboxService> service_;
  std::unique_ptr<grpc::Server> server_;
  std::vector<std::string> env_;
};

TEST_F(CliScriptedDeliveriesTest, TableShowsEveryStateNewestFirst) {
  FfResult r = Ff({"deliveries"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  std::vector<std::string> lines = Lines(r.out);
  ASSERT_EQ(lines.size(), 4u) << r.out;
  EXPECT_THAT(lines[0], MatchesRegex("ID +INCIDENT +NOTIFIER +EVENT +STATE +ATTEMPTS +"
                                     "NEXT/DELIVERED +LAST ERROR"));
  // The error is on one line and cut to 60 columns.
  EXPECT_THAT(lines[1], MatchesRegex("3 +#7 +slack +status_changed +dead +8 +- +"
                                     "HTTP 403 from slack: invalid_auth x+…"));
  EXPECT_THAT(lines[1], Not(HasSubstr(std::string(60, 'x'))));
  EXPECT_THAT(lines[2], MatchesRegex("2 +#7 +pagerduty +status_changed +pending +1 +in [0-9]+m +"
                                     "HTTP 503"));
  EXPECT_THAT(lines[3], MatchesRegex("1 +#7 +slack +status_changed +delivered +1 +5m ago +-"));
}

TEST_F(CliScriptedDeliveriesTest, PagesAreFollowedWithAll) {
  FfResult first = Ff({"deliveries", "--limit", "2"});
  EXPECT_EQ(first.exit_code, 0) << first.err;
  EXPECT_EQ(Lines(first.out).size(), 4u) << first.out;  // header, 2 rows, hint
  EXPECT_EQ(Lines(first.out).back(), "(more deliveries: use --all, or a larger --limit)");

  FfResult all = Ff({"deliveries", "--limit", "1", "--all", "-o", "json"});
  EXPECT_EQ(all.exit_code, 0) << all.err;
  nlohmann::json list = ParseJson(all.out);
  std::vector<std::string> ids;
  for (const auto& d : list["deliveries"]) ids.push_back(d["id"]);
  EXPECT_THAT(ids, ElementsAre("3", "2", "1"));
  EXPECT_EQ(list["next_page_token"], "");
  EXPECT_EQ(list["deliveries"][0]["state"], "DELIVERY_STATE_DEAD");
}

TEST_F(CliScriptedDeliveriesTest, RetryRevivesADeadDelivery) {
  FfResult r = Ff({"retry-delivery", "3"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  std::vector<std::string> lines = Lines(r.out);
  ASSERT_GE(lines.size(), 5u) << r.out;
  EXPECT_EQ(lines[0], "Delivery 3 is back in line.");
  EXPECT_EQ(lines[2], "Delivery 3: incident.status_changed of incident #7 to slack");
  EXPECT_EQ(lines[3], "  state         pending");
  EXPECT_THAT(r.out, MatchesRegex("(.|\n)*\n  next attempt  [0-9: -]+ \\(due\\)\n(.|\n)*"));

  FfResult json = Ff({"retry-delivery", "3", "-o", "json"});
  EXPECT_EQ(json.exit_code, 4);  // pending now
  EXPECT_EQ(json.out, "");
  EXPECT_EQ(json.err,
            "ff: cannot retry delivery 3: delivery 3 is pending; only a dead delivery can be "
            "retried\n");
}

TEST_F(CliScriptedDeliveriesTest, RetryOfADeliveredDeliveryIsRefused) {
  FfResult r = Ff({"retry-delivery", "1"});
  EXPECT_EQ(r.exit_code, 4);
  EXPECT_EQ(r.out, "");
  EXPECT_THAT(r.err, HasSubstr("only a dead delivery can be retried"));
}

}  // namespace
}  // namespace ff::testing
