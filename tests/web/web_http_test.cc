// End to end over HTTP: the real firefighterd (temporary SQLite, port 0) and
// the real firefighter-web process, driven with cpp-httplib's client.
#include <signal.h>

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "adapters/web/incident_json.h"
#include "adapters/web/insights.h"
#include "clients/incident/incident_client.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "httplib.h"
#include "nlohmann/json.hpp"
#include "tests/testing/server_process.h"
#include "tests/testing/status_matchers.h"
#include "tests/web/sse_reader.h"
#include "tests/web/web_process.h"

namespace ff::web {
namespace {

using ::ff::testing::IsOk;
using ::ff::web::testing::SseReader;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

// Eventually polls `condition` until it holds or `timeout` passes.
bool Eventually(const std::function<bool()>& condition,
                absl::Duration timeout = absl::Seconds(15)) {
  absl::Time deadline = absl::Now() + timeout;
  while (absl::Now() < deadline) {
    if (condition()) return true;
    absl::SleepFor(absl::Milliseconds(50));
  }
  return condition();
}

class WebHttpTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<ff::testing::ServerProcess>(ff::testing::ServerBinary(),
                                                           dir_.File("ff.db"));
    ASSERT_THAT(server_->Start(), IsOk());
    web_ = std::make_unique<testing::WebProcess>(testing::WebBinary(), server_->address());
    ASSERT_THAT(web_->Start(), IsOk());
    http_ = std::make_unique<httplib::Client>(web_->host(), web_->port());
    http_->set_read_timeout(30, 0);
  }

  void TearDown() override {
    if (web_) web_->Stop(SIGTERM);
  }

  IncidentClient Core() const {
    return IncidentClient::Connect(server_->address(), absl::Seconds(10));
  }

  // Open opens an incident; `occurred_ago` > 0 says it began that long ago.
  int64_t Open(const std::string& title, pb::Severity severity, const std::string& domain,
               absl::Duration occurred_ago = absl::ZeroDuration()) {
    pb::OpenIncidentRequest request;
    if (occurred_ago > absl::ZeroDuration()) {
      request.mutable_occurred_at()->set_seconds(absl::ToUnixSeconds(absl::Now() - occurred_ago));
    }
    request.set_title(title);
    request.set_severity(severity);
    request.set_domain(domain);
    request.set_reporter("alice");
    absl::StatusOr<pb::Incident> incident = Core().OpenIncident(request);
    EXPECT_THAT(incident, IsOk());
    return incident.ok() ? incident->id() : 0;
  }

  void Update(int64_t id, pb::Status status, const std::string& message = "") {
    pb::UpdateIncidentRequest request;
    request.set_id(id);
    request.set_actor("bob");
    request.set_status(status);
    request.set_message(message);
    ASSERT_THAT(Core().UpdateIncident(request), IsOk());
  }

  // Get returns {status, body}; status 0 when there was no answer.
  std::pair<int, std::string> Get(const std::string& path) {
    httplib::Result result = http_->Get(path.c_str());
    if (!result) return {0, ""};
    return {result->status, result->body};
  }

  nlohmann::json GetJson(const std::string& path, int expected_status) {
    httplib::Result result = http_->Get(path.c_str());
    EXPECT_TRUE(result) << path;
    if (!result) return nullptr;
    EXPECT_EQ(result->status, expected_status) << path << ": " << result->body;
    EXPECT_EQ(result->get_header_value("Content-Type"), "application/json") << path;
    return nlohmann::json::parse(result->body, nullptr, false);
  }

  ff::testing::TempDir dir_;
  std::unique_ptr<ff::testing::ServerProcess> server_;
  std::unique_ptr<testing::WebProcess> web_;
  std::unique_ptr<httplib::Client> http_;
};

TEST_F(WebHttpTest, HealthzAnswersOk) {
  auto [status, body] = Get("/healthz");
  EXPECT_EQ(status, 200);
  EXPECT_EQ(body, "ok");
}

TEST_F(WebHttpTest, ListsActiveIncidentsMostSevereFirstThenClosed) {
  int64_t minor = Open("Search suggestions slow", pb::SEVERITY_SEV3, "search");
  int64_t critical = Open("Checkout returns 500", pb::SEVERITY_SEV1, "payment");
  int64_t mistake = Open("Test alert", pb::SEVERITY_SEV4, "backoffice");
  pb::CloseIncidentRequest close;
  close.set_id(mistake);
  close.set_actor("alice");
  close.set_reason(pb::CLOSE_REASON_MISTAKE);
  ASSERT_THAT(Core().CloseIncident(close), IsOk());

  nlohmann::json list = GetJson("/api/incidents", 200);
  ASSERT_EQ(list["incidents"].size(), 3u);
  EXPECT_EQ(list["active_count"], 2);
  EXPECT_EQ(list["closed_count"], 1);
  EXPECT_EQ(list["incidents"][0]["id"], critical);
  EXPECT_EQ(list["incidents"][0]["severity"], "sev1");
  EXPECT_EQ(list["incidents"][0]["status"], "open");
  EXPECT_EQ(list["incidents"][0]["domain"], "payment");
  EXPECT_EQ(list["incidents"][1]["id"], minor);
  EXPECT_EQ(list["incidents"][2]["id"], mistake);
  EXPECT_EQ(list["incidents"][2]["close_reason"], "mistake");
  EXPECT_TRUE(list["server_time"].is_string());
}

// Issue 19's overview: a fixed SEV1 and two SEV2 in postmortem were listed
// above an open SEV2 nobody commands.
TEST_F(WebHttpTest, ListsWhatNeedsSomeoneFirstAndStopsDurationsWhenFixed) {
  auto fix = [&](int64_t id, const std::string& commander) {
    pb::UpdateIncidentRequest request;
    request.set_id(id);
    request.set_actor(commander);
    request.set_status(pb::STATUS_FIXED);
    request.set_commander(commander);
    ASSERT_THAT(Core().UpdateIncident(request), IsOk());
  };
  int64_t fixed_sev1 = Open("Cache serves stale prices", pb::SEVERITY_SEV1, "payment");
  fix(fixed_sev1, "alice");
  int64_t older_postmortem = Open("Refunds doubled", pb::SEVERITY_SEV2, "payment");
  fix(older_postmortem, "bob");
  Update(older_postmortem, pb::STATUS_POSTMORTEM);
  int64_t newer_postmortem = Open("Refunds delayed", pb::SEVERITY_SEV2, "payment");
  fix(newer_postmortem, "bob");
  Update(newer_postmortem, pb::STATUS_POSTMORTEM);
  int64_t unattended = Open("Payouts stuck", pb::SEVERITY_SEV2, "payment");

  nlohmann::json list = GetJson("/api/incidents", 200);
  ASSERT_EQ(list["incidents"].size(), 4u);
  std::vector<int64_t> order;
  for (const nlohmann::json& incident : list["incidents"]) order.push_back(incident["id"]);
  EXPECT_EQ(order,
            (std::vector<int64_t>{unattended, fixed_sev1, newer_postmortem, older_postmortem}));

  const nlohmann::json& first = list["incidents"][0];
  EXPECT_EQ(first["needs_commander"], true);
  EXPECT_EQ(first["phase"], "responding");
  EXPECT_TRUE(first["duration"]["until"].is_null());
  const nlohmann::json& fixed = list["incidents"][1];
  EXPECT_EQ(fixed["phase"], "resolved");
  EXPECT_EQ(fixed["duration"]["ended"], "fixed");
  EXPECT_EQ(fixed["duration"]["until"], fixed["fixed_at"]);
  EXPECT_EQ(fixed["duration"]["from"], fixed["occurred_at"]);
}

TEST_F(WebHttpTest, FiltersNarrowTheList) {
  int64_t checkout = Open("Checkout returns 500", pb::SEVERITY_SEV1, "payment");
  int64_t refunds = Open("Refunds delayed", pb::SEVERITY_SEV3, "payment");
  int64_t search = Open("Search is empty", pb::SEVERITY_SEV2, "search");
  Update(search, pb::STATUS_INVESTIGATING);

  auto ids = [&](const std::string& query) {
    std::vector<int64_t> out;
    nlohmann::json list = GetJson("/api/incidents?" + query, 200);
    for (const auto& i : list["incidents"]) out.push_back(i["id"]);
    return out;
  };
  EXPECT_THAT(ids("severity=sev1,sev3"), ::testing::ElementsAre(checkout, refunds));
  EXPECT_THAT(ids("domain=search"), ::testing::ElementsAre(search));
  EXPECT_THAT(ids("status=investigating"), ::testing::ElementsAre(search));
  EXPECT_THAT(ids("q=REFUND"), ::testing::ElementsAre(refunds));
  EXPECT_THAT(ids("status=closed"), ::testing::IsEmpty());
}

TEST_F(WebHttpTest, BadParametersAre400NamingTheParameter) {
  struct Case {
    std::string path;
    std::string parameter;
  };
  for (const Case& c : std::vector<Case>{
           {"/api/incidents?status=opened", "status"},
           {"/api/incidents?severity=sev9", "severity"},
           {"/api/incidents?closed_limit=-1", "closed_limit"},
           {"/api/incidents?closed_limit=many", "closed_limit"},
           {"/api/incidents?sevrity=sev1", "sevrity"},
           {"/api/incidents?domain=a&domain=b", "domain"},
           {"/api/incidents/abc", "id"},
           {"/api/incidents/0", "id"},
           {"/api/incidents/1?full=1", "full"},
           {"/api/domains?x=1", "x"},
           {"/api/insights?from=2024-02-30", "from"},
           {"/api/insights?to=tomorrow", "to"},
           {"/api/insights?from=2024-05-02&to=2024-05-01", "from"},
           {"/api/insights?from=2020-01-01&to=2024-01-01", "from"},
       }) {
    nlohmann::json error = GetJson(c.path, 400);
    EXPECT_EQ(error["parameter"], c.parameter) << c.path;
    EXPECT_THAT(error["error"].get<std::string>(), StartsWith(c.parameter + ": ")) << c.path;
  }
}

TEST_F(WebHttpTest, UnknownIncidentIs404AsJsonAndAsAPage) {
  Open("Checkout returns 500", pb::SEVERITY_SEV1, "payment");
  nlohmann::json error = GetJson("/api/incidents/999", 404);
  EXPECT_THAT(error["error"].get<std::string>(), HasSubstr("#999"));

  for (const char* path :
       {"/incidents/999", "/incidents/abc", "/no/such/page", "/assets/missing.js"}) {
    httplib::Result page = http_->Get(path);
    ASSERT_TRUE(page) << path;
    EXPECT_EQ(page->status, 404) << path;
    EXPECT_EQ(page->get_header_value("Content-Type"), "text/html; charset=utf-8") << path;
    EXPECT_THAT(page->body, HasSubstr("<h1>Not found</h1>")) << path;
  }
  EXPECT_EQ(GetJson("/api/nothing", 404)["error"], "no endpoint /api/nothing");

  auto [status, body] = Get("/incidents/1");
  EXPECT_EQ(status, 200);
  EXPECT_THAT(body, HasSubstr("/assets/incident.js"));
}

TEST_F(WebHttpTest, IncidentHasTimelineAndTimeInEachStatus) {
  int64_t id = Open("Checkout returns 500", pb::SEVERITY_SEV2, "payment");
  Update(id, pb::STATUS_INVESTIGATING);
  Update(id, pb::STATUS_FIXING);
  pb::AddTimelineEntryRequest note;
  note.set_incident_id(id);
  note.set_actor("carol");
  note.set_text("Connection pool exhausted");
  ASSERT_THAT(Core().AddTimelineEntry(note), IsOk());

  nlohmann::json detail = GetJson("/api/incidents/" + std::to_string(id), 200);
  EXPECT_EQ(detail["incident"]["id"], id);
  EXPECT_EQ(detail["incident"]["status"], "fixing");
  EXPECT_TRUE(detail["incident"]["investigating_at"].is_string());
  const nlohmann::json& timeline = detail["timeline"];
  ASSERT_EQ(timeline.size(), 4u);
  EXPECT_EQ(timeline[0]["kind"], "opened");
  EXPECT_EQ(timeline[1]["kind"], "status");
  EXPECT_EQ(timeline[3]["kind"], "note");
  EXPECT_EQ(timeline[3]["actor"], "carol");
  EXPECT_EQ(timeline[3]["text"], "Connection pool exhausted");
  const nlohmann::json& spent = detail["time_in_status"];
  ASSERT_EQ(spent.size(), 3u);
  EXPECT_EQ(spent[0]["status"], "open");
  EXPECT_TRUE(spent[0]["since"].is_null());
  EXPECT_EQ(spent[2]["status"], "fixing");
  EXPECT_EQ(spent[2]["since"], detail["incident"]["fixing_at"]);
}

TEST_F(WebHttpTest, DomainsAndInsights) {
  Open("Checkout returns 500", pb::SEVERITY_SEV1, "payment");
  int64_t search = Open("Search is empty", pb::SEVERITY_SEV3, "search");
  Update(search, pb::STATUS_FIXED);

  nlohmann::json domains = GetJson("/api/domains", 200)["domains"];
  std::vector<std::string> names;
  for (const auto& d : domains) names.push_back(d["name"]);
  EXPECT_THAT(names, ::testing::Contains("payment"));

  nlohmann::json insights = GetJson("/api/insights", 200);
  ASSERT_EQ(insights["weeks"].size(), 12u);
  const nlohmann::json& this_week = insights["weeks"].back()["counts"];
  EXPECT_EQ(this_week["sev1"], 1);
  EXPECT_EQ(this_week["sev3"], 1);
  EXPECT_EQ(insights["time_to_fix"][0]["opened"], 1);
  EXPECT_EQ(insights["time_to_fix"][0]["fixed"], 0);
  EXPECT_EQ(insights["time_to_fix"][2]["fixed"], 1);
  EXPECT_TRUE(insights["time_to_fix"][2]["median_seconds"].is_number());
}

// Time to fix has one definition: the dashboard shows GetStats's figures for
// the same incidents, measured from when the incident occurred.
TEST_F(WebHttpTest, InsightsTimeToFixIsGetStatsTimeToFix) {
  std::vector<int64_t> ids = {
      Open("Checkout returns 500", pb::SEVERITY_SEV2, "payment", absl::Hours(2)),
      Open("Refunds delayed", pb::SEVERITY_SEV2, "payment", absl::Hours(5)),
      Open("Cart is slow", pb::SEVERITY_SEV2, "payment")};
  for (int64_t id : ids) Update(id, pb::STATUS_FIXED);

  nlohmann::json insights = GetJson("/api/insights", 200);
  absl::CivilDay from, to;
  ASSERT_TRUE(absl::ParseCivilTime(insights["from"].get<std::string>(), &from));
  ASSERT_TRUE(absl::ParseCivilTime(insights["to"].get<std::string>(), &to));
  absl::StatusOr<pb::GetStatsResponse> stats = Core().GetStats(StatsRequestFor({from, to}));
  ASSERT_THAT(stats, IsOk());
  ASSERT_EQ(stats->by_severity_size(), 1);
  const pb::MilestoneStats& fix = stats->by_severity(0).time_to_fix();
  ASSERT_EQ(fix.count(), 3);

  const nlohmann::json& sev2 = insights["time_to_fix"][1];
  EXPECT_EQ(sev2["severity"], "sev2");
  EXPECT_EQ(sev2["fixed"], 3);
  EXPECT_EQ(sev2["median_seconds"], fix.p50().seconds());
  EXPECT_EQ(sev2["p90_seconds"], fix.p90().seconds());
  EXPECT_EQ(sev2["mean_seconds"], fix.mean().seconds());
  EXPECT_EQ(sev2["max_seconds"], fix.max().seconds());
  // Measured from when it occurred: the middle one began two hours ago.
  EXPECT_GE(sev2["median_seconds"].get<int64_t>(), 2 * 3600);
  EXPECT_GE(sev2["max_seconds"].get<int64_t>(), 5 * 3600);
}

TEST_F(WebHttpTest, PagesAndAssetsAreServedByTheProcessItself) {
  for (const char* path :
       {"/", "/insights", "/assets/style.css", "/assets/app.js", "/assets/overview.js",
        "/assets/incident.js", "/assets/insights.js", "/assets/favicon.svg"}) {
    httplib::Result result = http_->Get(path);
    ASSERT_TRUE(result) << path;
    EXPECT_EQ(result->status, 200) << path;
    EXPECT_THAT(result->get_header_value("Content-Security-Policy"),
                StartsWith("default-src 'self'"))
        << path;
  }
  auto [status, index] = Get("/");
  EXPECT_THAT(index, HasSubstr("<script src=\"/assets/overview.js\">"));
  // Nothing is loaded from elsewhere: no absolute URL in the pages.
  EXPECT_THAT(index, Not(HasSubstr("http")));
  EXPECT_EQ(http_->Get("/assets/app.js")->get_header_value("Content-Type"),
            "text/javascript; charset=utf-8");
}

// The dashboard reads every spelling the vocabulary knows and answers with
// its words; the pages get the labels from the server, and the scripts hold
// no copy of them.
TEST_F(WebHttpTest, AcceptsTheVocabularysAliasesAndAnswersWithItsWords) {
  int64_t alarm = Open("Disk alarm on db-3", pb::SEVERITY_SEV2, "backoffice");
  Open("Checkout returns 500", pb::SEVERITY_SEV1, "payment");
  pb::CloseIncidentRequest close;
  close.set_id(alarm);
  close.set_actor("alice");
  close.set_reason(pb::CLOSE_REASON_NOT_AN_INCIDENT);
  ASSERT_THAT(Core().CloseIncident(close), IsOk());

  for (const char* query : {"status=closed&severity=sev2", "status=CLOSED&severity=2",
                            "status=STATUS_CLOSED&severity=SEVERITY_SEV2,SEV2"}) {
    nlohmann::json list = GetJson(std::string("/api/incidents?") + query, 200);
    ASSERT_EQ(list["incidents"].size(), 1u) << query;
    EXPECT_EQ(list["incidents"][0]["id"], alarm) << query;
    EXPECT_EQ(list["incidents"][0]["severity"], "sev2") << query;
    EXPECT_EQ(list["incidents"][0]["status"], "closed") << query;
    EXPECT_EQ(list["incidents"][0]["close_reason"], "not-an-incident") << query;
  }
  nlohmann::json detail = GetJson("/api/incidents/" + std::to_string(alarm), 200);
  EXPECT_EQ(detail["incident"]["close_reason"], "not-an-incident");

  static constexpr char kBlock[] = "<script type=\"application/json\" id=\"vocabulary\">";
  for (std::string path :
       {std::string("/"), std::string("/insights"), "/incidents/" + std::to_string(alarm)}) {
    auto [status, page] = Get(path);
    ASSERT_EQ(status, 200) << path;
    size_t start = page.find(kBlock);
    ASSERT_NE(start, std::string::npos) << path;
    start += sizeof(kBlock) - 1;
    nlohmann::json vocabulary =
        nlohmann::json::parse(page.substr(start, page.find("</script>", start) - start), nullptr,
                              /*allow_exceptions=*/false);
    EXPECT_EQ(vocabulary, VocabularyJson()) << path;
  }
  for (const char* script : {"/assets/app.js", "/assets/overview.js", "/assets/incident.js"}) {
    auto [status, body] = Get(script);
    ASSERT_EQ(status, 200) << script;
    for (const char* copy : {"not-an-incident", "not_an_incident", "Not an incident",
                             "Investigating", "Communication lead", "impacting customers"}) {
      EXPECT_THAT(body, Not(HasSubstr(copy))) << script << " spells " << copy;
    }
  }
}

TEST_F(WebHttpTest, EventStreamCarriesChangesMadeThroughGrpc) {
  int64_t id = Open("Checkout returns 500", pb::SEVERITY_SEV1, "payment");
  SseReader events(web_->host(), web_->port());
  ASSERT_TRUE(events.WaitFor("event: core\ndata: {\"connected\":true}")) << events.received();
  Update(id, pb::STATUS_INVESTIGATING);
  EXPECT_TRUE(events.WaitFor("\"type\":\"incident.status_changed\"")) << events.received();
  EXPECT_TRUE(events.WaitFor("\"status\":\"investigating\"")) << events.received();
}

TEST_F(WebHttpTest, ServerDownIs503ThenRecoversWhenItIsBack) {
  int64_t id = Open("Checkout returns 500", pb::SEVERITY_SEV1, "payment");
  SseReader events(web_->host(), web_->port());
  ASSERT_TRUE(events.WaitFor("{\"connected\":true}")) << events.received();
  const std::string address = server_->address();
  server_->Kill();

  nlohmann::json error = GetJson("/api/incidents", 503);
  EXPECT_THAT(error["error"].get<std::string>(), StartsWith("firefighterd is unreachable"));
  EXPECT_EQ(GetJson("/api/incidents/1", 503)["error"].is_string(), true);
  auto [status, page] = Get("/incidents/1");  // the page itself still loads and says so
  EXPECT_EQ(status, 200);
  EXPECT_TRUE(events.WaitFor("{\"connected\":false}")) << events.received();
  EXPECT_EQ(GetJson("/api/status", 200)["core_connected"], false);

  // Back on the same address with the same database.
  ASSERT_THAT(server_->Restart(), IsOk());
  ASSERT_EQ(server_->address(), address);
  EXPECT_TRUE(Eventually([&] { return Get("/api/incidents").first == 200; }));
  EXPECT_EQ(GetJson("/api/incidents", 200)["incidents"][0]["id"], id);
  EXPECT_TRUE(Eventually([&] {
    return absl::StrContains(events.received().substr(events.received().find("false")),
                             "{\"connected\":true}");
  })) << events.received();
  Update(id, pb::STATUS_INVESTIGATING);
  EXPECT_TRUE(events.WaitFor("\"status\":\"investigating\"")) << events.received();
}

}  // namespace
}  // namespace ff::web
