// The Zoom notifier against FakeZoom: the incident call for severe incidents,
// created once, marked with the installation id so another installation's
// call is never adopted, with errors mapped for the dispatcher.
#include "server/notifiers/meeting/zoom_notifier.h"

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "clients/http/curl_http_client.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/testing/fake_clock.h"
#include "tests/testing/fake_zoom.h"
#include "tests/testing/status_matchers.h"

namespace ff {
namespace {

using json = nlohmann::json;
using ::ff::testing::StatusIs;
using ::testing::HasSubstr;
using ::testing::SizeIs;

constexpr absl::StatusCode kInvalidArgument = absl::StatusCode::kInvalidArgument;

class ZoomNotifierTest : public ::testing::Test {
 protected:
  ZoomNotifierTest() {
    env_.http = http_.get();
    env_.clock = &clock_;
    env_.installation_id = "0123456789abcdef";
    env_.getenv = [this](const std::string& name) -> std::optional<std::string> {
      auto it = vars_.find(name);
      if (it == vars_.end()) return std::nullopt;
      return it->second;
    };
  }

  json Config() const {
    return {{"base_url", fake_.base_url()}, {"token_env", "ZOOM_TOKEN"}, {"timeout_ms", 300}};
  }

  std::unique_ptr<Notifier> Make(const json& config) {
    auto notifier = MakeZoomNotifierFactory()->Create(config, env_);
    EXPECT_TRUE(notifier.ok()) << notifier.status();
    return notifier.ok() ? std::move(*notifier) : nullptr;
  }

  absl::Status CreateError(const json& config) {
    return MakeZoomNotifierFactory()->Create(config, env_).status();
  }

  static pb::Incident Incident(pb::Severity severity) {
    pb::Incident incident;
    incident.set_id(42);
    incident.set_title("Checkout errors");
    incident.set_description("Payments fail");
    incident.set_domain("payment");
    incident.set_severity(severity);
    incident.set_status(pb::STATUS_OPEN);
    return incident;
  }

  static Delivery MakeDelivery(const std::string& type, pb::Severity severity) {
    Delivery delivery;
    delivery.id = 3;
    delivery.notifier = "meeting";
    delivery.event.set_type(type);
    *delivery.event.mutable_incident() = Incident(severity);
    delivery.current = Incident(severity);
    return delivery;
  }

  static pb::IncidentEvent Event(const std::string& type, pb::Severity severity,
                                 bool with_call = false) {
    pb::IncidentEvent event;
    event.set_type(type);
    *event.mutable_incident() = Incident(severity);
    if (with_call) event.mutable_incident()->add_links()->set_kind("call");
    return event;
  }

  testing::FakeZoom fake_{"zoom-token"};
  std::unique_ptr<HttpClient> http_ = CurlHttpClient::Create();
  testing::FakeClock clock_{absl::FromUnixSeconds(1767225600)};  // 2026-01-01T00:00:00Z
  std::map<std::string, std::string> vars_{{"ZOOM_TOKEN", "zoom-token"}};
  NotifierEnv env_;
};

TEST_F(ZoomNotifierTest, InterestedInSevereOpensAndRaisesWithoutACall) {
  auto notifier = Make(Config());
  ASSERT_NE(notifier, nullptr);
  EXPECT_EQ(notifier->name(), "meeting");
  EXPECT_FALSE(notifier->NeedsTimeline());
  EXPECT_TRUE(notifier->Interested(Event("incident.opened", pb::SEVERITY_SEV1)));
  EXPECT_TRUE(notifier->Interested(Event("incident.opened", pb::SEVERITY_SEV2)));
  EXPECT_FALSE(notifier->Interested(Event("incident.opened", pb::SEVERITY_SEV3)));
  EXPECT_TRUE(notifier->Interested(Event("incident.severity_changed", pb::SEVERITY_SEV1)));
  EXPECT_FALSE(notifier->Interested(Event("incident.severity_changed", pb::SEVERITY_SEV1, true)));
  EXPECT_FALSE(notifier->Interested(Event("incident.severity_changed", pb::SEVERITY_SEV4)));
  EXPECT_FALSE(notifier->Interested(Event("incident.status_changed", pb::SEVERITY_SEV1)));
  EXPECT_FALSE(notifier->Interested(Event("incident.closed", pb::SEVERITY_SEV1)));
}

TEST_F(ZoomNotifierTest, SeveritiesAreConfigurable) {
  json config = Config();
  config["severities"] = {"SEV3"};
  auto notifier = Make(config);
  ASSERT_NE(notifier, nullptr);
  EXPECT_TRUE(notifier->Interested(Event("incident.opened", pb::SEVERITY_SEV3)));
  EXPECT_FALSE(notifier->Interested(Event("incident.opened", pb::SEVERITY_SEV1)));
}

TEST_F(ZoomNotifierTest, OpenCreatesTheCall) {
  auto notifier = Make(Config());
  ASSERT_NE(notifier, nullptr);
  auto result = notifier->Deliver(MakeDelivery("incident.opened", pb::SEVERITY_SEV1));
  ASSERT_TRUE(result.ok()) << result.status();

  auto requests = fake_.requests();
  ASSERT_THAT(requests, SizeIs(2));  // look for an earlier call, then create
  EXPECT_EQ(requests[0].method, "GET");
  EXPECT_EQ(requests[0].path, "/v2/users/me/meetings");
  EXPECT_EQ(requests[0].Param("type"), "scheduled");
  EXPECT_EQ(requests[1].method, "POST");
  EXPECT_EQ(requests[1].path, "/v2/users/me/meetings");
  for (const auto& request : requests) {
    EXPECT_EQ(request.Header("Authorization"), "Bearer zoom-token");
  }
  json body = json::parse(requests[1].body);
  EXPECT_EQ(body["topic"], "Incident #42: Checkout errors");
  EXPECT_EQ(body["type"], 2);
  EXPECT_EQ(body["start_time"], "2026-01-01T00:00:00Z");
  EXPECT_EQ(body["timezone"], "UTC");
  EXPECT_EQ(body["settings"]["join_before_host"], true);
  EXPECT_THAT(body["agenda"].get<std::string>(), HasSubstr("SEV1 incident in payment"));
  EXPECT_THAT(body["agenda"].get<std::string>(),
              ::testing::EndsWith("\n\n[FireFighter 0123456789abcdef incident 42]"));

  json meeting = fake_.meetings().at(0);
  ASSERT_THAT(result->links, SizeIs(1));
  EXPECT_EQ(result->links[0].kind(), "call");
  EXPECT_EQ(result->links[0].url(), meeting["join_url"]);
  EXPECT_EQ(result->links[0].external_id(), std::to_string(meeting["id"].get<int64_t>()));
  EXPECT_EQ(result->note, "Incident call: " + meeting["join_url"].get<std::string>());
}

TEST_F(ZoomNotifierTest, SeverityRaiseCreatesTheCallToo) {
  auto notifier = Make(Config());
  ASSERT_NE(notifier, nullptr);
  auto result = notifier->Deliver(MakeDelivery("incident.severity_changed", pb::SEVERITY_SEV2));
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(fake_.meetings().size(), 1u);
  EXPECT_THAT(result->links, SizeIs(1));
}

TEST_F(ZoomNotifierTest, ExistingCallLinkMeansNothingToDo) {
  auto notifier = Make(Config());
  ASSERT_NE(notifier, nullptr);
  Delivery delivery = MakeDelivery("incident.severity_changed", pb::SEVERITY_SEV1);
  pb::Link* call = delivery.current.add_links();
  call->set_kind("call");
  call->set_url("https://zoom.example/j/1");
  auto result = notifier->Deliver(delivery);
  ASSERT_TRUE(result.ok());
  EXPECT_TRUE(result->links.empty());
  EXPECT_TRUE(result->note.empty());
  EXPECT_TRUE(fake_.requests().empty());
}

TEST_F(ZoomNotifierTest, RedeliveryFindsTheMeetingByTopic) {
  auto notifier = Make(Config());
  ASSERT_NE(notifier, nullptr);
  // Another incident's call, whose id shares a prefix, must not match.
  Delivery other = MakeDelivery("incident.opened", pb::SEVERITY_SEV1);
  other.event.mutable_incident()->set_id(4);
  ASSERT_TRUE(notifier->Deliver(other).ok());
  auto first = notifier->Deliver(MakeDelivery("incident.opened", pb::SEVERITY_SEV1));
  ASSERT_TRUE(first.ok()) << first.status();
  // The link was lost (crash before it was stored): the same delivery again.
  auto second = notifier->Deliver(MakeDelivery("incident.opened", pb::SEVERITY_SEV1));
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(fake_.meetings().size(), 2u);
  ASSERT_THAT(second->links, SizeIs(1));
  EXPECT_EQ(second->links[0].external_id(), first->links[0].external_id());
  EXPECT_EQ(fake_.requests().back().path, "/v2/meetings/" + first->links[0].external_id());
  EXPECT_EQ(second->links[0].url(), first->links[0].url());
  EXPECT_NE(second->links[0].external_id(),
            std::to_string(fake_.meetings()[0]["id"].get<int64_t>()));
}

TEST_F(ZoomNotifierTest, AnotherInstallationsCallIsNeverAdopted) {
  absl::StatusOr<json> theirs =
      fake_.Plant({{"topic", "Incident #42: Checkout errors"},
                   {"type", 2},
                   {"start_time", "2025-06-01T10:00:00Z"},
                   {"agenda", "SEV1 incident.\n\n[FireFighter fedcba9876543210 incident 42]"}});
  absl::StatusOr<json> older = fake_.Plant(
      {{"topic", "Incident #42: Checkout errors"}, {"type", 2}, {"agenda", "SEV1 incident."}});
  ASSERT_TRUE(theirs.ok()) << theirs.status();
  ASSERT_TRUE(older.ok()) << older.status();
  auto notifier = Make(Config());
  ASSERT_NE(notifier, nullptr);
  auto result = notifier->Deliver(MakeDelivery("incident.opened", pb::SEVERITY_SEV1));
  ASSERT_TRUE(result.ok()) << result.status();
  std::vector<json> meetings = fake_.meetings();
  ASSERT_THAT(meetings, SizeIs(3));
  EXPECT_EQ(meetings[0], *theirs);
  EXPECT_EQ(meetings[1], *older);
  ASSERT_THAT(result->links, SizeIs(1));
  EXPECT_EQ(result->links[0].external_id(), std::to_string(meetings[2]["id"].get<int64_t>()));
  std::vector<std::string> calls;
  for (const auto& request : fake_.requests()) calls.push_back(request.method + " " + request.path);
  EXPECT_THAT(calls, ::testing::ElementsAre(
                         "GET /v2/users/me/meetings",
                         "GET /v2/meetings/" + std::to_string((*theirs)["id"].get<int64_t>()),
                         "GET /v2/meetings/" + std::to_string((*older)["id"].get<int64_t>()),
                         "POST /v2/users/me/meetings"));
}

TEST_F(ZoomNotifierTest, AnIncidentLinkedToAnOldCallKeepsIt) {
  absl::StatusOr<json> older = fake_.Plant({{"topic", "Incident #42: Checkout errors"}});
  ASSERT_TRUE(older.ok()) << older.status();
  auto notifier = Make(Config());
  ASSERT_NE(notifier, nullptr);
  Delivery delivery = MakeDelivery("incident.severity_changed", pb::SEVERITY_SEV1);
  pb::Link* call = delivery.current.add_links();
  call->set_kind("call");
  call->set_external_id(std::to_string((*older)["id"].get<int64_t>()));
  auto result = notifier->Deliver(delivery);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_TRUE(result->links.empty());
  EXPECT_TRUE(fake_.requests().empty());
  EXPECT_THAT(fake_.meetings(), SizeIs(1));
}

TEST_F(ZoomNotifierTest, NoInstallationIdIsInternal) {
  env_.installation_id.clear();
  EXPECT_THAT(CreateError(Config()),
              StatusIs(absl::StatusCode::kInternal, "notifiers.meeting: no installation id"));
}

TEST_F(ZoomNotifierTest, RateLimitIsRetryableWithRetryAfter) {
  auto notifier = Make(Config());
  ASSERT_NE(notifier, nullptr);
  fake_.FailNext(1, 429, 30);
  auto result = notifier->Deliver(MakeDelivery("incident.opened", pb::SEVERITY_SEV1));
  EXPECT_THAT(result, StatusIs(absl::StatusCode::kResourceExhausted));
  EXPECT_EQ(RetryAfterOf(result.status()), absl::Seconds(30));
  EXPECT_TRUE(fake_.meetings().empty());
}

TEST_F(ZoomNotifierTest, ServerErrorIsUnavailable) {
  auto notifier = Make(Config());
  ASSERT_NE(notifier, nullptr);
  fake_.FailNext(1, 500);
  EXPECT_THAT(notifier->Deliver(MakeDelivery("incident.opened", pb::SEVERITY_SEV1)),
              StatusIs(absl::StatusCode::kUnavailable));
}

TEST_F(ZoomNotifierTest, HangPastTimeoutIsDeadlineExceeded) {
  auto notifier = Make(Config());
  ASSERT_NE(notifier, nullptr);
  fake_.HangNext(1, absl::Seconds(1));
  EXPECT_THAT(notifier->Deliver(MakeDelivery("incident.opened", pb::SEVERITY_SEV1)),
              StatusIs(absl::StatusCode::kDeadlineExceeded));
}

TEST_F(ZoomNotifierTest, RefusedConnectionIsUnavailable) {
  auto notifier = Make(Config());
  ASSERT_NE(notifier, nullptr);
  fake_.Refuse();
  EXPECT_THAT(notifier->Deliver(MakeDelivery("incident.opened", pb::SEVERITY_SEV1)),
              StatusIs(absl::StatusCode::kUnavailable));
}

TEST_F(ZoomNotifierTest, AnswerWithoutItsDocumentedFieldsIsUnavailable) {
  auto notifier = Make(Config());
  ASSERT_NE(notifier, nullptr);
  fake_.FailNext(1, 200);  // a 2xx JSON object without "meetings"
  EXPECT_THAT(notifier->Deliver(MakeDelivery("incident.opened", pb::SEVERITY_SEV1)),
              StatusIs(absl::StatusCode::kUnavailable, HasSubstr("no meetings array")));
  EXPECT_TRUE(notifier->Deliver(MakeDelivery("incident.opened", pb::SEVERITY_SEV1)).ok());
  EXPECT_THAT(fake_.meetings(), SizeIs(1));
}

TEST_F(ZoomNotifierTest, BadTokenIsUnauthenticatedAndPermanent) {
  vars_["ZOOM_TOKEN"] = "expired";
  auto notifier = Make(Config());
  ASSERT_NE(notifier, nullptr);
  auto result = notifier->Deliver(MakeDelivery("incident.opened", pb::SEVERITY_SEV1));
  EXPECT_THAT(result, StatusIs(absl::StatusCode::kUnauthenticated));
  EXPECT_FALSE(IsRetryable(result.status()));
}

TEST_F(ZoomNotifierTest, ConfigErrorsNameTheKey) {
  json config = Config();
  config["base_url"] = "ftp://zoom";
  EXPECT_THAT(CreateError(config),
              StatusIs(kInvalidArgument, HasSubstr("notifiers.meeting.base_url must be an http")));
  config = Config();
  config.erase("token_env");
  EXPECT_THAT(CreateError(config),
              StatusIs(kInvalidArgument, "config: notifiers.meeting.token_env is required"));
  vars_.clear();
  EXPECT_THAT(CreateError(Config()),
              StatusIs(kInvalidArgument, HasSubstr("notifiers.meeting.token_env names "
                                                   "environment variable ZOOM_TOKEN")));
  vars_["ZOOM_TOKEN"] = "zoom-token";
  config = Config();
  config["severities"] = {"SEV1", "critical"};
  EXPECT_THAT(CreateError(config),
              StatusIs(kInvalidArgument, HasSubstr("notifiers.meeting.severities[1] must be")));
  config["severities"] = json::array();
  EXPECT_THAT(CreateError(config),
              StatusIs(kInvalidArgument, HasSubstr("notifiers.meeting.severities")));
  config = Config();
  config["timeout_ms"] = "fast";
  EXPECT_THAT(CreateError(config),
              StatusIs(kInvalidArgument, HasSubstr("notifiers.meeting.timeout_ms")));
  config = Config();
  config["token"] = "x";
  EXPECT_THAT(CreateError(config),
              StatusIs(kInvalidArgument, "config: notifiers.meeting.token is not a known key"));
  EXPECT_TRUE(CreateError({{"token_env", "ZOOM_TOKEN"}}).ok());  // base_url has a default
}

}  // namespace
}  // namespace ff
