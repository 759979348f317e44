// Tests of CurlHttpClient and the status mapping every notifier relies on
// (HttpStatusError, RetryAfterOf, IsRetryable), against a loopback echo server.
#include "clients/http/http_client.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "clients/http/curl_http_client.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/testing/fake_http_server.h"
#include "tests/testing/status_matchers.h"

namespace ff {
namespace {

using ::ff::testing::IsOk;
using ::ff::testing::StatusIs;
using ::testing::HasSubstr;
using ::testing::Optional;

// EchoServer answers /echo with what it received, and /status/<code> with
// that status (Retry-After taken from the `retry_after` query parameter).
class EchoServer final : public ::ff::testing::FakeHttpServer {
 public:
  EchoServer() { Start(); }

 protected:
  void RegisterRoutes(httplib::Server& server) override {
    // One request per connection: a kept-alive connection holds httplib's
    // worker (and so the destructor) for the 5 s keep-alive timeout.
    server.set_keep_alive_max_count(1);
    auto echo = [this](const httplib::Request& req, httplib::Response& res) {
      Record(req);
      nlohmann::json out = {{"method", req.method},
                            {"x_test", req.get_header_value("X-Test")},
                            {"content_type", req.get_header_value("Content-Type")},
                            {"body", req.body}};
      res.set_header("X-Echo", "yes");
      res.set_content(out.dump(), "application/json");
    };
    server.Get("/echo", echo);
    server.Post("/echo", echo);
    server.Put("/echo", echo);
    server.Patch("/echo", echo);
    server.Delete("/echo", echo);
    server.Get(R"(/status/(\d+))", [this](const httplib::Request& req, httplib::Response& res) {
      Record(req);
      res.status = std::stoi(req.matches[1]);
      if (req.has_param("retry_after")) {
        res.set_header("Retry-After", req.get_param_value("retry_after"));
      }
      res.set_content(R"({"error":"as asked"})", "application/json");
    });
  }
};

class HttpClientTest : public ::testing::Test {
 protected:
  HttpRequest Get(const std::string& path) {
    HttpRequest request;
    request.url = absl::StrCat(server_.base_url(), path);
    request.timeout = absl::Seconds(5);
    return request;
  }

  EchoServer server_;
  std::unique_ptr<CurlHttpClient> client_ = CurlHttpClient::Create();
};

TEST_F(HttpClientTest, GetRoundTripsHeaders) {
  HttpRequest request = Get("/echo");
  request.headers.emplace_back("X-Test", "hello");
  absl::StatusOr<HttpResponse> response = client_->Send(request);
  ASSERT_THAT(response, IsOk());
  EXPECT_EQ(response->status, 200);
  EXPECT_THAT(response->Header("x-echo"), Optional(std::string("yes")));
  EXPECT_THAT(response->Header("X-ECHO"), Optional(std::string("yes")));
  EXPECT_EQ(response->Header("x-missing"), std::nullopt);
  nlohmann::json body = nlohmann::json::parse(response->body);
  EXPECT_EQ(body["method"], "GET");
  EXPECT_EQ(body["x_test"], "hello");
  EXPECT_THAT(HttpStatusError(*response, "echo"), IsOk());
}

TEST_F(HttpClientTest, PostPutPatchDeleteCarryBodyAndMethod) {
  for (const std::string method : {"POST", "PUT", "PATCH"}) {
    HttpRequest request = Get("/echo");
    request.method = method;
    request.headers.emplace_back("Content-Type", "application/json; charset=utf-8");
    request.body = R"({"text":"é ✓"})";
    absl::StatusOr<HttpResponse> response = client_->Send(request);
    ASSERT_THAT(response, IsOk()) << method;
    nlohmann::json body = nlohmann::json::parse(response->body);
    EXPECT_EQ(body["method"], method);
    EXPECT_EQ(body["body"], R"({"text":"é ✓"})");
    EXPECT_EQ(body["content_type"], "application/json; charset=utf-8");
  }
  HttpRequest request = Get("/echo");
  request.method = "DELETE";
  absl::StatusOr<HttpResponse> response = client_->Send(request);
  ASSERT_THAT(response, IsOk());
  EXPECT_EQ(nlohmann::json::parse(response->body)["method"], "DELETE");
  ASSERT_EQ(server_.requests().size(), 4u);
  EXPECT_EQ(server_.requests()[0].body, R"({"text":"é ✓"})");
}

TEST_F(HttpClientTest, TooManyRequestsWithSecondsIsResourceExhaustedWithRetryAfter) {
  absl::StatusOr<HttpResponse> response = client_->Send(Get("/status/429?retry_after=7"));
  ASSERT_THAT(response, IsOk());  // an HTTP status is not a transport error
  EXPECT_EQ(response->status, 429);
  absl::Status status = HttpStatusError(*response, "post message");
  EXPECT_THAT(status,
              StatusIs(absl::StatusCode::kResourceExhausted, HasSubstr("post message: HTTP 429")));
  EXPECT_THAT(RetryAfterOf(status), Optional(absl::Seconds(7)));
  EXPECT_TRUE(IsRetryable(status));
}

TEST_F(HttpClientTest, ServiceUnavailableWithHttpDateCarriesRetryAfter) {
  std::string date = absl::FormatTime("%a, %d %b %Y %H:%M:%S GMT", absl::Now() + absl::Seconds(30),
                                      absl::UTCTimeZone());
  HttpRequest request = Get("/status/503");
  std::string encoded;
  for (char c : date) {
    if (c == ' ')
      encoded += "%20";
    else if (c == ',')
      encoded += "%2C";
    else
      encoded += c;
  }
  request.url += "?retry_after=" + encoded;
  absl::StatusOr<HttpResponse> response = client_->Send(request);
  ASSERT_THAT(response, IsOk());
  ASSERT_EQ(response->Header("retry-after"), date);
  absl::Status status = HttpStatusError(*response, "x");
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kUnavailable));
  std::optional<absl::Duration> delay = RetryAfterOf(status);
  ASSERT_TRUE(delay.has_value());
  // The date has one-second resolution and a little time passes in between.
  EXPECT_GE(*delay, absl::Seconds(28));
  EXPECT_LE(*delay, absl::Seconds(30));
  EXPECT_TRUE(IsRetryable(status));
}

TEST_F(HttpClientTest, ServerErrorIsUnavailableWithoutRetryAfter) {
  absl::StatusOr<HttpResponse> response = client_->Send(Get("/status/500"));
  ASSERT_THAT(response, IsOk());
  absl::Status status = HttpStatusError(*response, "x");
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kUnavailable, HasSubstr("as asked")));
  EXPECT_EQ(RetryAfterOf(status), std::nullopt);
  EXPECT_TRUE(IsRetryable(status));
}

TEST_F(HttpClientTest, ClientErrorsMapToPermanentCodes) {
  struct Case {
    int http;
    absl::StatusCode code;
  };
  for (const Case& c :
       {Case{401, absl::StatusCode::kUnauthenticated},
        Case{403, absl::StatusCode::kPermissionDenied}, Case{404, absl::StatusCode::kNotFound},
        Case{409, absl::StatusCode::kAlreadyExists}, Case{400, absl::StatusCode::kInvalidArgument},
        Case{422, absl::StatusCode::kInvalidArgument}}) {
    absl::StatusOr<HttpResponse> response = client_->Send(Get(absl::StrCat("/status/", c.http)));
    ASSERT_THAT(response, IsOk());
    absl::Status status = HttpStatusError(*response, "x");
    EXPECT_THAT(status, StatusIs(c.code)) << c.http;
    EXPECT_FALSE(IsRetryable(status)) << c.http;
  }
  absl::StatusOr<HttpResponse> timeout = client_->Send(Get("/status/408"));
  ASSERT_THAT(timeout, IsOk());
  EXPECT_TRUE(IsRetryable(HttpStatusError(*timeout, "x")));
}

TEST_F(HttpClientTest, InjectedFaultCarriesRetryAfter) {
  server_.FailNext(1, 429, 3);
  absl::StatusOr<HttpResponse> response = client_->Send(Get("/echo"));
  ASSERT_THAT(response, IsOk());
  absl::Status status = HttpStatusError(*response, "x");
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kResourceExhausted));
  EXPECT_THAT(RetryAfterOf(status), Optional(absl::Seconds(3)));
  EXPECT_EQ(server_.faulted(), 1);
  EXPECT_EQ(server_.requests().size(), 0u);
}

TEST_F(HttpClientTest, HangPastTimeoutIsDeadlineExceeded) {
  server_.HangNext(1, absl::Seconds(2));
  HttpRequest request = Get("/echo");
  request.timeout = absl::Milliseconds(300);
  absl::Time start = absl::Now();
  absl::StatusOr<HttpResponse> response = client_->Send(request);
  EXPECT_THAT(response, StatusIs(absl::StatusCode::kDeadlineExceeded, HasSubstr("timed out")));
  EXPECT_LT(absl::Now() - start, absl::Seconds(2));
  EXPECT_TRUE(IsRetryable(response.status()));
}

TEST_F(HttpClientTest, RefusedConnectionIsUnavailableAndHealRecovers) {
  // One request first: FakeHttpServer::Refuse right after Start can race the
  // listener thread (httplib's stop() is a no-op until the loop runs).
  ASSERT_THAT(client_->Send(Get("/echo")), IsOk());
  server_.Refuse();
  absl::StatusOr<HttpResponse> refused = client_->Send(Get("/echo"));
  EXPECT_THAT(refused, StatusIs(absl::StatusCode::kUnavailable));
  EXPECT_TRUE(IsRetryable(refused.status()));
  server_.Heal();
  absl::StatusOr<HttpResponse> healed = client_->Send(Get("/echo"));
  ASSERT_THAT(healed, IsOk());
  EXPECT_EQ(healed->status, 200);
}

TEST(RetryAfterTest, AbsentWithoutPayloadAndRoundTripsMilliseconds) {
  EXPECT_EQ(RetryAfterOf(absl::UnavailableError("x")), std::nullopt);
  EXPECT_THAT(RetryAfterOf(WithRetryAfter(absl::UnavailableError("x"), absl::Milliseconds(1500))),
              Optional(absl::Milliseconds(1500)));
}

TEST(IsRetryableTest, PermanentCodesAreNotRetried) {
  EXPECT_FALSE(IsRetryable(absl::InvalidArgumentError("x")));
  EXPECT_FALSE(IsRetryable(absl::FailedPreconditionError("x")));
  EXPECT_FALSE(IsRetryable(absl::UnauthenticatedError("x")));
  EXPECT_FALSE(IsRetryable(absl::PermissionDeniedError("x")));
  EXPECT_TRUE(IsRetryable(absl::AbortedError("x")));
  EXPECT_TRUE(IsRetryable(absl::InternalError("x")));
}

}  // namespace
}  // namespace ff
