// FakeSlackTest: a FakeSlack and raw Web API calls to it through the real
// CurlHttpClient, for the tests that hold the fake to Slack's contract.
#ifndef FF_TESTS_NOTIFIERS_SLACK_FAKE_SLACK_FIXTURE_H_
#define FF_TESTS_NOTIFIERS_SLACK_FAKE_SLACK_FIXTURE_H_

#include <memory>
#include <optional>
#include <string>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "clients/http/curl_http_client.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/testing/fake_slack.h"
#include "tests/testing/status_matchers.h"

namespace ff::testing {

class FakeSlackTest : public ::testing::Test {
 protected:
  using json = nlohmann::json;

  HttpResponse Send(const std::string& method, const std::string& body,
                    const std::string& content_type, const std::string& auth) {
    HttpRequest request;
    request.method = "POST";
    request.url = absl::StrCat(slack_.api_url(), "/", method);
    if (!content_type.empty()) request.headers.emplace_back("Content-Type", content_type);
    if (!auth.empty()) request.headers.emplace_back("Authorization", auth);
    request.body = body;
    request.timeout = absl::Seconds(5);
    absl::StatusOr<HttpResponse> response = client_->Send(request);
    EXPECT_THAT(response, IsOk());
    return response.ok() ? *response : HttpResponse{};
  }
  // Call posts a JSON body with the bot token and returns the parsed answer.
  json Call(const std::string& method, const json& args) {
    HttpResponse response =
        Send(method, args.dump(), "application/json; charset=utf-8", "Bearer " + slack_.token());
    EXPECT_EQ(response.status, 200) << response.body;
    return json::parse(response.body, nullptr, false);
  }
  json Form(const std::string& method, const std::string& form, const std::string& auth = "") {
    HttpResponse response = Send(method, form, "application/x-www-form-urlencoded", auth);
    EXPECT_EQ(response.status, 200) << response.body;
    return json::parse(response.body, nullptr, false);
  }
  static json Error(const std::string& code) { return {{"ok", false}, {"error", code}}; }
  // Limited sends a call that must come back 429 ratelimited; returns its
  // Retry-After seconds (-1 when absent or not a number).
  int Limited(const std::string& method, const json& args) {
    HttpResponse response =
        Send(method, args.dump(), "application/json; charset=utf-8", "Bearer " + slack_.token());
    EXPECT_EQ(response.status, 429) << method << " " << response.body;
    EXPECT_EQ(json::parse(response.body, nullptr, false), Error("ratelimited"));
    int seconds = -1;
    std::optional<std::string> header = response.Header("Retry-After");
    if (!header || !absl::SimpleAtoi(*header, &seconds)) return -1;
    return seconds;
  }

  FakeSlack slack_;
  std::unique_ptr<CurlHttpClient> client_ = CurlHttpClient::Create();
};

}  // namespace ff::testing

#endif  // FF_TESTS_NOTIFIERS_SLACK_FAKE_SLACK_FIXTURE_H_
