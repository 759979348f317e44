// The Prometheus exposition (server/metrics), held to the text format's rules
// by the validating parser of tests/testing/prometheus_text.h — whose own
// refusals are tested here too — and the structured log lines
// (server/logging).
#include <cmath>
#include <memory>
#include <sstream>
#include <string>

#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "server/core/workflow.h"
#include "server/logging/log.h"
#include "server/metrics/prometheus.h"
#include "server/metrics/server_metrics.h"
#include "server/store/sqlite_store.h"
#include "spdlog/sinks/ostream_sink.h"
#include "spdlog/spdlog.h"
#include "tests/testing/prometheus_text.h"
#include "tests/testing/server_process.h"
#include "tests/testing/status_matchers.h"

namespace ff {
namespace {

using ::ff::testing::FindSample;
using ::ff::testing::IsOk;
using ::ff::testing::ParsePrometheusText;
using ::ff::testing::StatusIs;
using ::testing::HasSubstr;

TEST(Prometheus, CounterHasHelpTypeAndEscapedLabels) {
  SampleFamily counter("x_total", "Things done.\nSecond line \\ end", SampleFamily::Type::kCounter,
                       {"path"});
  counter.Add({"a\"b\\c\nd"});
  counter.Add({"a\"b\\c\nd"}, 2);
  std::string out;
  counter.AppendTo(&out);
  EXPECT_EQ(out,
            "# HELP x_total Things done.\\nSecond line \\\\ end\n"
            "# TYPE x_total counter\n"
            "x_total{path=\"a\\\"b\\\\c\\nd\"} 3\n");
  auto parsed = ParsePrometheusText(out);
  ASSERT_THAT(parsed, IsOk());
  EXPECT_EQ(parsed->at("x_total").help, "Things done.\nSecond line \\ end");
  EXPECT_EQ(FindSample(*parsed, "x_total", "x_total", {{"path", "a\"b\\c\nd"}}), 3);
}

TEST(Prometheus, GaugeWithoutLabels) {
  SampleFamily gauge("up", "Up.", SampleFamily::Type::kGauge, {});
  gauge.Set({}, 0.25);
  std::string out;
  gauge.AppendTo(&out);
  EXPECT_EQ(out, "# HELP up Up.\n# TYPE up gauge\nup 0.25\n");
}

TEST(Prometheus, HistogramBucketsAreCumulativeWithInfSumAndCount) {
  HistogramFamily h("lat_seconds", "Latency.", {"method"}, {0.005, 0.1, 1});
  h.Observe({"A"}, 0.005);  // on a bound: counted in that bucket (le is <=)
  h.Observe({"A"}, 0.05);
  h.Observe({"A"}, 3);
  std::string out;
  h.AppendTo(&out);
  EXPECT_EQ(out,
            "# HELP lat_seconds Latency.\n"
            "# TYPE lat_seconds histogram\n"
            "lat_seconds_bucket{method=\"A\",le=\"0.005\"} 1\n"
            "lat_seconds_bucket{method=\"A\",le=\"0.1\"} 2\n"
            "lat_seconds_bucket{method=\"A\",le=\"1\"} 2\n"
            "lat_seconds_bucket{method=\"A\",le=\"+Inf\"} 3\n"
            "lat_seconds_sum{method=\"A\"} 3.055\n"
            "lat_seconds_count{method=\"A\"} 3\n");
  EXPECT_THAT(ParsePrometheusText(out), IsOk());
}

TEST(Prometheus, SampleValues) {
  EXPECT_EQ(FormatSampleValue(3), "3");
  EXPECT_EQ(FormatSampleValue(0.1), "0.1");
  EXPECT_EQ(FormatSampleValue(HUGE_VAL), "+Inf");
  EXPECT_EQ(FormatSampleValue(-HUGE_VAL), "-Inf");
  EXPECT_EQ(FormatSampleValue(std::nan("")), "NaN");
  EXPECT_TRUE(IsValidMetricName("firefighter_rpc_requests_total"));
  EXPECT_TRUE(IsValidMetricName("a:b"));
  EXPECT_FALSE(IsValidMetricName("9lives"));
  EXPECT_FALSE(IsValidMetricName("a-b"));
  EXPECT_FALSE(IsValidMetricName(""));
}

// The parser must refuse what the format forbids, or passing it proves little.
TEST(PrometheusParser, RefusesBrokenText) {
  const char* kBroken[] = {
      "x 1",                                                             // no final newline
      "x{a=\"b} 1\n",                                                    // unterminated value
      "x{a=\"\\t\"} 1\n",                                                // bad escape
      "x{a-b=\"1\"} 1\n",                                                // bad label name
      "x one\n",                                                         // bad value
      "# TYPE x counter\nx -1\n",                                        // negative counter
      "# TYPE x counter\n# TYPE x gauge\n",                              // second TYPE
      "x 1\n# TYPE x counter\n",                                         // TYPE after samples
      "x 1\ny 1\nx{a=\"1\"} 2\n",                                        // family interleaved
      "x 1\nx 2\n",                                                      // series repeated
      "# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_sum 1\nh_count 1\n",  // no +Inf
      "# TYPE h histogram\nh_bucket{le=\"1\"} 2\nh_bucket{le=\"+Inf\"} 1\nh_sum 1\nh_count 1\n",
      "# TYPE h histogram\nh_bucket{le=\"+Inf\"} 2\nh_sum 1\nh_count 1\n",  // count differs
      "# TYPE x flavour\n",                                                 // unknown type
  };
  for (const char* text : kBroken) {
    EXPECT_THAT(ParsePrometheusText(text), StatusIs(absl::StatusCode::kInvalidArgument)) << text;
  }
  EXPECT_THAT(ParsePrometheusText("# a comment\nx{a=\"1\",} 1 1700000000\n"), IsOk());
}

TEST(ServerMetrics, RendersEveryFamilyAndCountsIncidentsAsTheyChange) {
  ::ff::testing::TempDir dir;
  auto store = SqliteStore::Create(dir.File("ff.db"));
  ASSERT_THAT(store, IsOk());
  pb::OpenIncidentRequest open;
  open.set_title("t");
  open.set_domain("payment");
  open.set_severity(pb::SEVERITY_SEV2);
  open.set_reporter("alice");
  ASSERT_THAT((*store)->Open(IncidentWorkflow::Open(open, absl::Now())), IsOk());

  ServerMetrics metrics("1.2.3", {"slack", "pagerduty"});
  ASSERT_THAT(metrics.LoadIncidents(store->get()), IsOk());
  (*store)->SetCommitObserver([&](const Committed& c) { metrics.ObserveCommit(c); });
  ASSERT_THAT((*store)->Open(IncidentWorkflow::Open(open, absl::Now())), IsOk());
  pb::UpdateIncidentRequest update;
  update.set_id(1);
  update.set_actor("bob");
  update.set_status(pb::STATUS_INVESTIGATING);
  ASSERT_THAT((*store)->Mutate(1,
                               [&](const pb::Incident& current) {
                                 return IncidentWorkflow::Update(current, update, absl::Now());
                               }),
              IsOk());
  metrics.ObserveRpc("firefighter.v1.IncidentService/OpenIncident", "OK", absl::Milliseconds(3));
  metrics.ObserveDeliveryAttempt("slack", "retry");

  absl::StatusOr<std::string> text = metrics.Render(store->get());
  ASSERT_THAT(text, IsOk());
  auto parsed = ParsePrometheusText(*text);
  ASSERT_THAT(parsed, IsOk()) << *text;
  const auto& p = *parsed;
  EXPECT_EQ(FindSample(p, "firefighter_incidents", "firefighter_incidents",
                       {{"status", "open"}, {"severity", "SEV2"}}),
            1);
  EXPECT_EQ(FindSample(p, "firefighter_incidents", "firefighter_incidents",
                       {{"status", "investigating"}, {"severity", "SEV2"}}),
            1);
  EXPECT_EQ(FindSample(p, "firefighter_incidents", "firefighter_incidents",
                       {{"status", "closed"}, {"severity", "SEV5"}}),
            0);
  EXPECT_EQ(FindSample(p, "firefighter_deliveries_pending", "firefighter_deliveries_pending",
                       {{"notifier", "pagerduty"}}),
            0);
  EXPECT_EQ(FindSample(p, "firefighter_rpc_requests_total", "firefighter_rpc_requests_total",
                       {{"method", "firefighter.v1.IncidentService/OpenIncident"}, {"code", "OK"}}),
            1);
  EXPECT_EQ(FindSample(p, "firefighter_rpc_latency_seconds",
                       "firefighter_rpc_latency_seconds_bucket", {{"le", "0.005"}}),
            1);
  EXPECT_EQ(
      FindSample(p, "firefighter_delivery_attempts_total", "firefighter_delivery_attempts_total",
                 {{"notifier", "slack"}, {"result", "retry"}}),
      1);
  EXPECT_EQ(
      FindSample(p, "firefighter_build_info", "firefighter_build_info", {{"version", "1.2.3"}}), 1);
  EXPECT_EQ(p.at("firefighter_rpc_latency_seconds").type, "histogram");
}

// LogTest captures what the logging module writes.
class LogTest : public ::testing::Test {
 protected:
  void Init(LogFormat format) {
    InitLogging(std::make_shared<spdlog::sinks::ostream_sink_mt>(out_), format,
                spdlog::level::info);
  }
  std::ostringstream out_;
};

TEST_F(LogTest, JsonIsOneObjectPerLineWithTheEventsFields) {
  Init(LogFormat::kJson);
  LogEvent(spdlog::level::info, "rpc",
           {{"method", "firefighter.v1.IncidentService/GetIncident"}, {"incident", 7}});
  spdlog::warn("free text with \"quotes\" and \xff bytes");
  LogEvent(spdlog::level::debug, "rpc", {{"method", "below the level"}});
  std::istringstream lines(out_.str());
  std::string line;
  ASSERT_TRUE(std::getline(lines, line));
  nlohmann::json rpc = nlohmann::json::parse(line);
  EXPECT_EQ(rpc["event"], "rpc");
  EXPECT_EQ(rpc["level"], "info");
  EXPECT_EQ(rpc["incident"], 7);
  EXPECT_EQ(rpc["method"], "firefighter.v1.IncidentService/GetIncident");
  EXPECT_TRUE(rpc["time"].is_string());
  ASSERT_TRUE(std::getline(lines, line));
  nlohmann::json text = nlohmann::json::parse(line);
  EXPECT_EQ(text["level"], "warning");
  EXPECT_THAT(text["msg"].get<std::string>(), HasSubstr("free text with \"quotes\""));
  EXPECT_FALSE(std::getline(lines, line)) << "debug is below the level: " << line;
}

TEST_F(LogTest, TextIsKeyValuePairsQuotedWhenNeeded) {
  Init(LogFormat::kText);
  LogEvent(spdlog::level::info, "delivery",
           {{"notifier", "slack"}, {"error", "UNAVAILABLE: slack said no"}, {"attempt", 2}});
  EXPECT_THAT(out_.str(), HasSubstr(" info delivery attempt=2 error=\"UNAVAILABLE: slack said no\" "
                                    "notifier=slack\n"));
}

// The time is formatted once a second and the milliseconds by hand: each
// line still carries its own time, to the millisecond, in UTC.
TEST_F(LogTest, EveryLineCarriesItsTimeToTheMillisecond) {
  Init(LogFormat::kText);
  const absl::Time before = absl::Now();
  for (int i = 0; i < 3; ++i) LogEvent(spdlog::level::info, "tick", {{"i", i}});
  const absl::Time after = absl::Now();
  std::istringstream lines(out_.str());
  std::string line;
  int count = 0;
  while (std::getline(lines, line)) {
    ++count;
    ASSERT_GE(line.size(), 24u) << line;
    const std::string stamp = line.substr(0, 24);
    absl::Time when;
    std::string error;
    ASSERT_TRUE(absl::ParseTime("%Y-%m-%dT%H:%M:%E3SZ", stamp, &when, &error)) << stamp << error;
    EXPECT_GT(when, before - absl::Milliseconds(1)) << stamp;  // truncated to the ms
    EXPECT_LE(when, after) << stamp;
    EXPECT_EQ(line.substr(24, 11), " info tick ") << line;
  }
  EXPECT_EQ(count, 3);
}

TEST_F(LogTest, LogEnabledFollowsTheLevel) {
  Init(LogFormat::kText);
  EXPECT_TRUE(LogEnabled(spdlog::level::info));
  EXPECT_TRUE(LogEnabled(spdlog::level::warn));
  EXPECT_FALSE(LogEnabled(spdlog::level::debug));
}

}  // namespace
}  // namespace ff
