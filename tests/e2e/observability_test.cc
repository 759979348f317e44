// Operations of the real server with every notifier on (against the loopback
// fakes): /metrics scraped before and after traffic and held to the text
// format by a validating parser, and the logs of that run — which used
// notifier secrets and bearer tokens — searched for any of them.
#include <fstream>
#include <set>
#include <sstream>

#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "httplib.h"
#include "tests/e2e/notifications_fixture.h"
#include "tests/testing/prometheus_text.h"

namespace ff::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kBearer[] = "Bearer ff-bearer-0c7a51d3e9b24f68";
constexpr char kOpenMethod[] = "firefighter.v1.IncidentService/OpenIncident";

class ObservabilityTest : public NotificationsTest {
 protected:
  void SetUp() override {
    world_.SetSecretsInEnvironment();
    std::ofstream(dir_.File("ff.json")) << world_.Config().dump(2);
    server_ = std::make_unique<ServerProcess>(
        ServerBinary(), db_path(),
        std::vector<std::string>{"--config", dir_.File("ff.json"), "--metrics-listen",
                                 "127.0.0.1:0", "--log-format", "json", "--log-level", "debug"});
    server_->RedirectStderr(dir_.File("stderr.log"));
    absl::Status started = server_->Start();
    ASSERT_TRUE(started.ok()) << started;
    channel_ = grpc::CreateChannel(server_->address(), grpc::InsecureChannelCredentials());
    stub_ = pb::IncidentService::NewStub(channel_);
  }

  // Metrics scrapes /metrics and parses it, failing the test on a bad text.
  std::map<std::string, PromFamily> Metrics() {
    auto response = ScrapeMetrics();
    if (!response) return {};
    EXPECT_EQ(response->status, 200);
    EXPECT_THAT(response->get_header_value("Content-Type"), HasSubstr("version=0.0.4"));
    auto parsed = ParsePrometheusText(response->body);
    EXPECT_TRUE(parsed.ok()) << parsed.status() << "\n" << response->body;
    return parsed.value_or(std::map<std::string, PromFamily>{});
  }

  // Open opens an incident with a bearer token in the metadata and in
  // fields the server stores but never logs.
  pb::Incident Open(const std::string& title) {
    auto context = Context();
    context->AddMetadata("authorization", kBearer);
    pb::OpenIncidentRequest request = OpenRequest(title);
    request.set_description(absl::StrCat("pasted by mistake: ", kBearer));
    pb::Incident incident;
    grpc::Status status = stub_->OpenIncident(context.get(), request, &incident);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return incident;
  }

  std::string Logs() {
    std::ifstream in(dir_.File("stderr.log"));
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }
};

double Requests(const std::map<std::string, PromFamily>& m, const std::string& method,
                const std::string& code) {
  double v = FindSample(m, "firefighter_rpc_requests_total", "firefighter_rpc_requests_total",
                        {{"method", method}, {"code", code}});
  return v < 0 ? 0 : v;  // a series appears with its first call
}

TEST_F(ObservabilityTest, MetricsMoveWithTrafficAndPassTheFormatParser) {
  auto before = Metrics();
  EXPECT_EQ(Requests(before, kOpenMethod, "OK"), 0);
  EXPECT_EQ(FindSample(before, "firefighter_build_info", "firefighter_build_info", {}), 1);

  pb::Incident first = Open("Checkout fails");
  pb::Incident second = Open("Search is slow");
  ASSERT_TRUE(MoveTo(first.id(), pb::STATUS_INVESTIGATING).ok());
  pb::GetIncidentRequest missing;
  missing.set_id(999);
  EXPECT_EQ(GetIncident(missing).status.error_code(), grpc::StatusCode::NOT_FOUND);
  ASSERT_TRUE(WaitForOutbox());

  auto after = Metrics();
  EXPECT_EQ(Requests(after, kOpenMethod, "OK"), 2);
  EXPECT_EQ(Requests(after, "firefighter.v1.IncidentService/UpdateIncident", "OK"), 1);
  EXPECT_EQ(Requests(after, "firefighter.v1.IncidentService/GetIncident", "NOT_FOUND"), 1);
  EXPECT_EQ(FindSample(after, "firefighter_rpc_latency_seconds",
                       "firefighter_rpc_latency_seconds_count", {{"method", kOpenMethod}}),
            2);
  EXPECT_EQ(FindSample(after, "firefighter_incidents", "firefighter_incidents",
                       {{"status", "open"}, {"severity", "SEV2"}}),
            1);
  EXPECT_EQ(FindSample(after, "firefighter_incidents", "firefighter_incidents",
                       {{"status", "investigating"}, {"severity", "SEV2"}}),
            1);
  EXPECT_GE(FindSample(after, "firefighter_delivery_attempts_total",
                       "firefighter_delivery_attempts_total",
                       {{"notifier", "slack"}, {"result", "delivered"}}),
            2);  // at least the two channels
  for (const char* notifier :
       {"slack", "pagerduty", "datadog", "statuspage", "confluence", "meeting", "calendar"}) {
    EXPECT_EQ(FindSample(after, "firefighter_deliveries_pending", "firefighter_deliveries_pending",
                         {{"notifier", notifier}}),
              0)
        << notifier;
  }
  EXPECT_EQ(after.at("firefighter_rpc_latency_seconds").type, "histogram");
  EXPECT_EQ(after.at("firefighter_incidents").type, "gauge");
  EXPECT_EQ(after.at("firefighter_delivery_attempts_total").type, "counter");
  (void)second;
}

// Paths are the client's to choose: every one no service declares counts
// under method="unknown", so the label set stays as it is.
TEST_F(ObservabilityTest, UnknownMethodsShareOneLabel) {
  constexpr int kCalls = 300;
  for (int i = 0; i < kCalls; ++i) {
    std::string method = i % 2 == 0 ? absl::StrCat("/firefighter.v1.IncidentService/Nope", i)
                                    : absl::StrCat("/made.up.Service", i, "/Call");
    EXPECT_EQ(RawCall(method, "").error_code(), grpc::StatusCode::UNIMPLEMENTED) << method;
  }
  EXPECT_TRUE(ListDomains(pb::ListDomainsRequest()).ok());  // still serving

  auto metrics = Metrics();
  EXPECT_EQ(Requests(metrics, "unknown", "UNIMPLEMENTED"), kCalls);
  EXPECT_EQ(FindSample(metrics, "firefighter_rpc_latency_seconds",
                       "firefighter_rpc_latency_seconds_count", {{"method", "unknown"}}),
            kCalls);
  std::set<std::string> methods;
  for (const auto& [name, family] : metrics) {
    for (const PromSample& sample : family.samples) {
      if (auto it = sample.labels.find("method"); it != sample.labels.end()) {
        methods.insert(it->second);
      }
    }
  }
  EXPECT_THAT(methods,
              ::testing::ElementsAre("firefighter.v1.IncidentService/ListDomains", "unknown"));
}

TEST_F(ObservabilityTest, LogsHaveALinePerCallAndAttemptAndNoSecret) {
  pb::Incident incident = Open("Checkout fails");
  ASSERT_TRUE(MoveTo(incident.id(), pb::STATUS_INVESTIGATING).ok());
  ASSERT_TRUE(WaitForOutbox());
  server_->Stop(SIGTERM);  // flushes and closes the log

  std::string logs = Logs();
  bool rpc_line = false, delivery_line = false;
  for (absl::string_view line : absl::StrSplit(logs, '\n', absl::SkipEmpty())) {
    nlohmann::json object = nlohmann::json::parse(line, nullptr, false);
    ASSERT_TRUE(object.is_object()) << "not a JSON line: " << line;
    ASSERT_TRUE(object.contains("time") && object.contains("level")) << line;
    if (object.value("event", "") == "rpc" && object.value("method", "") == kOpenMethod) {
      rpc_line = true;
      EXPECT_EQ(object["code"], "OK");
      EXPECT_EQ(object["incident"], incident.id());
      EXPECT_TRUE(object["latency_ms"].is_number());
    }
    if (object.value("event", "") == "delivery" && object.value("notifier", "") == "slack" &&
        object.value("event_type", "") == "incident.opened") {
      delivery_line = true;
      EXPECT_EQ(object["result"], "delivered");
      EXPECT_EQ(object["incident"], incident.id());
      EXPECT_TRUE(object["latency_ms"].is_number());
    }
  }
  EXPECT_TRUE(rpc_line) << logs;
  EXPECT_TRUE(delivery_line) << logs;
  for (const std::string& secret :
       {slack_.token(), std::string(kRoutingKey), std::string("pd-rest-token"),
        std::string("dd-api"), std::string("dd-app"), std::string("sp-key"),
        std::string("cf-token"), std::string("zoom-token"), std::string("gcal-token"),
        std::string("ff-bearer-0c7a51d3e9b24f68")}) {
    EXPECT_THAT(logs, Not(HasSubstr(secret))) << "secret in the logs: " << secret;
  }
}

}  // namespace
}  // namespace ff::testing
