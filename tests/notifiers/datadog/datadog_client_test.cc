// DatadogClient against FakeDatadog: each call's path, keys and answer, and
// the shared outcome table as this client sees it (a malformed 2xx answer,
// refused keys, a rate limit with Retry-After).
#include "clients/datadog/datadog_client.h"

#include <memory>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "clients/http/curl_http_client.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/notifiers/datadog/notebook_body.h"
#include "tests/testing/fake_datadog.h"
#include "tests/testing/status_matchers.h"

namespace ff {
namespace {

using json = nlohmann::json;
using ::ff::testing::IsOk;
using ::ff::testing::NotebookBody;
using ::ff::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

constexpr int64_t kWhen = 1767225600;  // 2026-01-01T00:00:00Z

json Event(const std::string& tag) {
  return {{"title", "Incident #42 opened: Checkout fails"},
          {"text", "SEV2"},
          {"date_happened", kWhen},
          {"tags", {"incident:42", tag}}};
}

class DatadogClientTest : public ::testing::Test {
 protected:
  DatadogClient Client(const std::string& api_key = "api-key",
                       const std::string& app_key = "app-key") {
    return DatadogClient(http_.get(), fake_.base_url(), api_key, app_key, absl::Seconds(5));
  }

  testing::FakeDatadog fake_{"api-key", "app-key"};
  std::unique_ptr<HttpClient> http_ = CurlHttpClient::Create();
};

TEST_F(DatadogClientTest, PostEventSendsTheApiKeyOnly) {
  ASSERT_THAT(Client().PostEvent(Event("firefighter_event:a-1")), IsOk());
  ASSERT_EQ(fake_.events().size(), 1u);
  EXPECT_EQ(fake_.events()[0]["title"], "Incident #42 opened: Checkout fails");
  testing::RecordedRequest request = fake_.requests().at(0);
  EXPECT_EQ(request.method, "POST");
  EXPECT_EQ(request.path, "/api/v1/events");
  EXPECT_EQ(request.Header("DD-API-KEY"), "api-key");
  EXPECT_EQ(request.Header("DD-APPLICATION-KEY"), "");
}

TEST_F(DatadogClientTest, FindEventsSearchesTheWindowByTagKeepingBigIds) {
  DatadogClient client = Client();
  ASSERT_THAT(client.PostEvent(Event("firefighter_event:a-1")), IsOk());
  ASSERT_THAT(client.PostEvent(Event("firefighter_event:a-2")), IsOk());
  absl::StatusOr<std::vector<json>> found =
      client.FindEvents(kWhen - 60, kWhen + 60, "firefighter_event:a-2");
  ASSERT_THAT(found, IsOk());
  ASSERT_EQ(found->size(), 1u);
  // Beyond 2^53: read as an integer, never through a double.
  EXPECT_EQ((*found)[0]["id"], fake_.events()[1]["id"]);
  EXPECT_GT((*found)[0]["id"].get<uint64_t>(), uint64_t{1} << 53);
  testing::RecordedRequest request = fake_.requests().back();
  EXPECT_EQ(request.Param("start"), std::to_string(kWhen - 60));
  EXPECT_EQ(request.Header("DD-APPLICATION-KEY"), "app-key");

  absl::StatusOr<std::vector<json>> later =
      client.FindEvents(kWhen + 1, kWhen + 60, "firefighter_event:a-2");
  ASSERT_THAT(later, IsOk());
  EXPECT_THAT(*later, IsEmpty());
}

TEST_F(DatadogClientTest, CreateNotebookThenFindItByName) {
  DatadogClient client = Client();
  absl::StatusOr<std::string> id = client.CreateNotebook(NotebookBody("Incident #42: x [ff-a-42]"));
  ASSERT_THAT(id, IsOk());
  EXPECT_EQ(*id, fake_.notebooks().at(0)["id"].dump());
  ASSERT_THAT(client.CreateNotebook(NotebookBody("Incident #43: y [ff-a-43]")), IsOk());

  absl::StatusOr<std::vector<DatadogNotebook>> found = client.FindNotebooks("[ff-a-42]");
  ASSERT_THAT(found, IsOk());
  ASSERT_EQ(found->size(), 1u);
  EXPECT_EQ((*found)[0].id, *id);
  EXPECT_EQ((*found)[0].name, "Incident #42: x [ff-a-42]");
  EXPECT_EQ(fake_.requests().back().Param("include_cells"), "false");
}

TEST_F(DatadogClientTest, AnswerWithoutItsDocumentedFieldsIsUnavailable) {
  DatadogClient client = Client();
  fake_.FailNext(4, 200);  // a 2xx JSON object without the documented fields
  EXPECT_THAT(client.PostEvent(Event("t:1")),
              StatusIs(absl::StatusCode::kUnavailable, "datadog event: answer has no event"));
  EXPECT_THAT(client.FindEvents(kWhen, kWhen, "t:1"),
              StatusIs(absl::StatusCode::kUnavailable, HasSubstr("no events array")));
  EXPECT_THAT(client.FindNotebooks("x"),
              StatusIs(absl::StatusCode::kUnavailable, HasSubstr("no data array")));
  EXPECT_THAT(client.CreateNotebook(NotebookBody("n")),
              StatusIs(absl::StatusCode::kUnavailable, HasSubstr("no data.id")));
}

TEST_F(DatadogClientTest, RefusedKeysAreCredentialErrorsThatNameNoKey) {
  absl::Status posted = Client("wrong-api-key").PostEvent(Event("t:1"));
  EXPECT_THAT(posted, StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("Forbidden")));
  EXPECT_THAT(std::string(posted.message()), Not(HasSubstr("wrong-api-key")));
  EXPECT_THAT(Client("api-key", "wrong-app-key").FindNotebooks("x"),
              StatusIs(absl::StatusCode::kPermissionDenied, Not(HasSubstr("wrong-app-key"))));
  fake_.FailNext(1, 401);
  EXPECT_THAT(Client().FindEvents(kWhen, kWhen, "t:1"),
              StatusIs(absl::StatusCode::kUnauthenticated, HasSubstr("datadog event lookup")));
}

TEST_F(DatadogClientTest, RateLimitIsResourceExhaustedWithRetryAfter) {
  fake_.FailNext(1, 429, 9);
  absl::Status posted = Client().PostEvent(Event("t:1"));
  EXPECT_THAT(posted, StatusIs(absl::StatusCode::kResourceExhausted));
  EXPECT_EQ(RetryAfterOf(posted), absl::Seconds(9));
  EXPECT_THAT(fake_.events(), IsEmpty());
  EXPECT_THAT(Client().PostEvent(Event("t:1")), IsOk());
}

}  // namespace
}  // namespace ff
