// The Datadog fake accepts the recorded exchanges of EXTERNAL_APIS.md §3 and
// rejects bad keys and bodies in Datadog's {"errors":[…]} shape.
#include "tests/testing/fake_datadog.h"

#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "clients/http/curl_http_client.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"

namespace ff::testing {
namespace {

using json = nlohmann::json;

constexpr char kRecordedEvent[] =
    R"({"title": "Test-Post_an_event_returns_OK_response-1617999731", "text": "A text message.", "tags": ["test:TestPostaneventreturnsOKresponse1617999731"]})";
constexpr char kMinimalNotebook[] =
    R"({"data":{"type":"notebooks","attributes":{"name":"Postmortem INC-42","time":{"live_span":"1h"},"status":"published",
 "cells":[{"type":"notebook_cells","attributes":{"definition":{"type":"markdown","text":"## Timeline\n..."}}}]}}})";

class FakeDatadogTest : public ::testing::Test {
 protected:
  HttpResponse Send(const std::string& method, const std::string& path, const std::string& body,
                    bool api_key = true, bool app_key = true) {
    HttpRequest request;
    request.method = method;
    request.url = absl::StrCat(fake_.base_url(), path);
    if (api_key) request.headers.emplace_back("DD-API-KEY", "api-key");
    if (app_key) request.headers.emplace_back("DD-APPLICATION-KEY", "app-key");
    request.headers.emplace_back("Content-Type", "application/json");
    request.body = body;
    absl::StatusOr<HttpResponse> response = http_->Send(request);
    EXPECT_TRUE(response.ok()) << response.status();
    return response.ok() ? *response : HttpResponse{};
  }
  static json Body(const HttpResponse& response) { return json::parse(response.body); }

  FakeDatadog fake_{"api-key", "app-key"};
  std::unique_ptr<HttpClient> http_ = CurlHttpClient::Create();
};

TEST_F(FakeDatadogTest, AcceptsTheRecordedEventWithTheApiKeyOnly) {
  HttpResponse response = Send("POST", "/api/v1/events", kRecordedEvent, true, false);
  ASSERT_EQ(response.status, 202);
  json body = Body(response);
  EXPECT_EQ(body["status"], "ok");
  EXPECT_EQ(body["event"]["title"], "Test-Post_an_event_returns_OK_response-1617999731");
  EXPECT_EQ(body["event"]["tags"][0], "test:TestPostaneventreturnsOKresponse1617999731");
  // Ids exceed 2^53 and must survive as integers.
  EXPECT_GT(body["event"]["id"].get<uint64_t>(), uint64_t{1} << 53);
  EXPECT_EQ(fake_.events().size(), 1u);
}

TEST_F(FakeDatadogTest, EventsWithoutOrWithAWrongApiKeyAreForbidden) {
  HttpResponse response = Send("POST", "/api/v1/events", kRecordedEvent, false, true);
  EXPECT_EQ(response.status, 403);
  EXPECT_EQ(Body(response), json::parse(R"({"errors":["Forbidden"]})"));
  HttpRequest request;
  request.method = "POST";
  request.url = absl::StrCat(fake_.base_url(), "/api/v1/events");
  request.headers = {{"DD-API-KEY", "wrong"}};
  request.body = kRecordedEvent;
  EXPECT_EQ(http_->Send(request)->status, 403);
  EXPECT_TRUE(fake_.events().empty());
}

TEST_F(FakeDatadogTest, RejectsEventsMissingRequiredFieldsOrWithBadEnums) {
  EXPECT_EQ(Body(Send("POST", "/api/v1/events", R"({"text":"x"})")),
            json::parse(R"({"errors":["Event title is required"]})"));
  EXPECT_EQ(Send("POST", "/api/v1/events", R"({"title":"x"})").status, 400);
  EXPECT_EQ(
      Send("POST", "/api/v1/events", R"({"title":"x","text":"y","alert_type":"fatal"})").status,
      400);
  EXPECT_EQ(Send("POST", "/api/v1/events", R"({"title":"x","text":"y","priority":"high"})").status,
            400);
  json long_text = {{"title", "x"}, {"text", std::string(4001, 'a')}};
  EXPECT_EQ(Send("POST", "/api/v1/events", long_text.dump()).status, 400);
  EXPECT_EQ(Send("POST", "/api/v1/events", "{oops").status, 400);
  EXPECT_TRUE(fake_.events().empty());
}

TEST_F(FakeDatadogTest, ListsEventsByTimeAndTagsWithBothKeys) {
  Send("POST", "/api/v1/events",
       R"({"title":"a","text":"t","date_happened":1000,"tags":["a:1","b:2"]})");
  Send("POST", "/api/v1/events", R"({"title":"b","text":"t","date_happened":5000,"tags":["a:1"]})");
  EXPECT_EQ(Send("GET", "/api/v1/events?start=0&end=9999", "", true, false).status, 403);
  EXPECT_EQ(Send("GET", "/api/v1/events?tags=a:1", "").status, 400);
  EXPECT_EQ(Body(Send("GET", "/api/v1/events?start=0&end=9999&tags=a:1", ""))["events"].size(), 2u);
  EXPECT_EQ(Body(Send("GET", "/api/v1/events?start=0&end=9999&tags=a:1,b:2", ""))["events"].size(),
            1u);
  EXPECT_EQ(Body(Send("GET", "/api/v1/events?start=2000&end=9999", ""))["events"].size(), 1u);
}

TEST_F(FakeDatadogTest, EventsAreSearchableOnlyAfterTheIndexDelay) {
  fake_.set_index_delay(absl::Minutes(10));
  ASSERT_EQ(Send("POST", "/api/v1/events",
                 R"({"title":"a","text":"t","date_happened":1000,"tags":["a:1"]})")
                .status,
            202);
  EXPECT_TRUE(Body(Send("GET", "/api/v1/events?start=0&end=9999&tags=a:1", ""))["events"].empty());
  EXPECT_EQ(fake_.events().size(), 1u);  // stored, not yet searchable
  EXPECT_FALSE(fake_.WaitUntilIndexed(absl::Milliseconds(1)));
}

TEST_F(FakeDatadogTest, ShortIndexDelayPassesInRealTime) {
  fake_.set_index_delay(absl::Milliseconds(200));
  Send("POST", "/api/v1/events", R"({"title":"a","text":"t","date_happened":1000,"tags":["a:1"]})");
  ASSERT_TRUE(fake_.WaitUntilIndexed(absl::Seconds(10)));
  EXPECT_EQ(Body(Send("GET", "/api/v1/events?start=0&end=9999&tags=a:1", ""))["events"].size(), 1u);
}

TEST_F(FakeDatadogTest, PlantedObjectsAreValidatedSearchableAndUnrecorded) {
  fake_.set_index_delay(absl::Minutes(10));
  absl::StatusOr<json> event = fake_.PlantEvent(
      json::parse(R"({"title":"a","text":"t","date_happened":1000,"tags":["a:1"]})"));
  ASSERT_TRUE(event.ok()) << event.status();
  EXPECT_EQ(Body(Send("GET", "/api/v1/events?start=0&end=9999&tags=a:1", ""))["events"][0], *event);
  EXPECT_EQ(fake_.PlantEvent(json::parse(R"({"text":"t"})")).status(),
            absl::InvalidArgumentError("Event title is required"));
  absl::StatusOr<json> notebook = fake_.PlantNotebook(json::parse(kMinimalNotebook));
  ASSERT_TRUE(notebook.ok()) << notebook.status();
  EXPECT_EQ(Body(Send("GET", "/api/v1/notebooks?query=inc-42", ""))["data"][0], *notebook);
  json no_cells = json::parse(kMinimalNotebook);
  no_cells["data"]["attributes"].erase("cells");
  EXPECT_EQ(fake_.PlantNotebook(no_cells).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(fake_.events().size(), 1u);
  EXPECT_EQ(fake_.notebooks().size(), 1u);
  EXPECT_EQ(fake_.requests().size(), 2u);  // only the two GETs above
}

TEST_F(FakeDatadogTest, CreatesTheMinimalNotebookWithBothKeys) {
  HttpResponse response = Send("POST", "/api/v1/notebooks", kMinimalNotebook);
  ASSERT_EQ(response.status, 200);
  json body = Body(response);
  EXPECT_EQ(body["data"]["type"], "notebooks");
  EXPECT_TRUE(body["data"]["id"].is_number_integer());
  EXPECT_EQ(body["data"]["attributes"]["name"], "Postmortem INC-42");
  EXPECT_EQ(body["data"]["attributes"]["cells"][0]["type"], "notebook_cells");
  EXPECT_EQ(Send("POST", "/api/v1/notebooks", kMinimalNotebook, true, false).status, 403);
  EXPECT_EQ(fake_.notebooks().size(), 1u);
}

TEST_F(FakeDatadogTest, RejectsNotebooksWithoutNameCellsOrTime) {
  json notebook = json::parse(kMinimalNotebook);
  json no_name = notebook;
  no_name["data"]["attributes"].erase("name");
  EXPECT_EQ(Send("POST", "/api/v1/notebooks", no_name.dump()).status, 400);
  json long_name = notebook;
  long_name["data"]["attributes"]["name"] = std::string(81, 'n');
  EXPECT_EQ(Send("POST", "/api/v1/notebooks", long_name.dump()).status, 400);
  json no_cells = notebook;
  no_cells["data"]["attributes"].erase("cells");
  EXPECT_EQ(Send("POST", "/api/v1/notebooks", no_cells.dump()).status, 400);
  json no_time = notebook;
  no_time["data"]["attributes"].erase("time");
  HttpResponse response = Send("POST", "/api/v1/notebooks", no_time.dump());
  EXPECT_EQ(response.status, 400);
  EXPECT_TRUE(Body(response)["errors"].is_array());
  EXPECT_TRUE(fake_.notebooks().empty());
}

TEST_F(FakeDatadogTest, ListsNotebooksByQueryAndDeletes) {
  Send("POST", "/api/v1/notebooks", kMinimalNotebook);
  json body = Body(Send("GET", "/api/v1/notebooks?query=inc-42", ""));
  ASSERT_EQ(body["data"].size(), 1u);
  EXPECT_EQ(body["meta"]["page"]["total_filtered_count"], 1);
  EXPECT_TRUE(Body(Send("GET", "/api/v1/notebooks?query=other", ""))["data"].empty());
  std::string id = body["data"][0]["id"].dump();
  EXPECT_EQ(Send("DELETE", absl::StrCat("/api/v1/notebooks/", id), "").status, 204);
  EXPECT_EQ(Send("DELETE", absl::StrCat("/api/v1/notebooks/", id), "").status, 404);
}

TEST_F(FakeDatadogTest, InjectsThrottlingAndServerErrors) {
  fake_.FailNext(1, 429, 12);
  HttpResponse throttled = Send("POST", "/api/v1/events", kRecordedEvent);
  EXPECT_EQ(throttled.status, 429);
  EXPECT_EQ(throttled.Header("retry-after"), "12");
  fake_.FailNext(1, 500);
  EXPECT_EQ(Send("POST", "/api/v1/events", kRecordedEvent).status, 500);
  EXPECT_TRUE(fake_.events().empty());
}

}  // namespace
}  // namespace ff::testing
