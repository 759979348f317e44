// ConfluenceClient against FakeConfluence: each call's path, query and answer
// in one space, and the shared outcome table as this client sees it (a
// malformed 2xx answer, a refused token, a rate limit with Retry-After).
#include "clients/confluence/confluence_client.h"

#include <memory>
#include <optional>
#include <string>

#include "absl/time/time.h"
#include "clients/http/curl_http_client.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/testing/fake_confluence.h"
#include "tests/testing/status_matchers.h"

namespace ff {
namespace {

using json = nlohmann::json;
using ::ff::testing::IsOk;
using ::ff::testing::StatusIs;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::Optional;

constexpr char kSpace[] = "12345";
constexpr char kParent[] = "67890";

class ConfluenceClientTest : public ::testing::Test {
 protected:
  ConfluenceClient Client(const std::string& token = "conf-token") {
    return ConfluenceClient(http_.get(), fake_.wiki_url(), "bot@example.com", token, kSpace,
                            absl::Seconds(5));
  }

  testing::FakeConfluence fake_{"bot@example.com", "conf-token", kSpace, "OPS", kParent};
  std::unique_ptr<HttpClient> http_ = CurlHttpClient::Create();
};

TEST_F(ConfluenceClientTest, CreatePageThenFindItByTitle) {
  ConfluenceClient client = Client();
  absl::StatusOr<ConfluencePageRef> created =
      client.CreatePage("Postmortem #42: Checkout", kParent, "<p>body</p>");
  ASSERT_THAT(created, IsOk());
  std::optional<testing::ConfluencePage> stored =
      fake_.FindPage(kSpace, "Postmortem #42: Checkout");
  ASSERT_TRUE(stored.has_value());
  EXPECT_EQ(created->id, stored->id);
  EXPECT_EQ(stored->parent_id, kParent);
  EXPECT_EQ(stored->body, "<p>body</p>");
  EXPECT_EQ(created->url,
            fake_.wiki_url() + "/spaces/OPS/pages/" + stored->id + "/Postmortem+42+Checkout");

  absl::StatusOr<std::optional<ConfluencePageRef>> found =
      client.FindPage("Postmortem #42: Checkout");
  ASSERT_THAT(found, IsOk());
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->id, created->id);
  EXPECT_EQ((*found)->url, created->url);
  EXPECT_EQ(fake_.requests().back().Param("space-id"), kSpace);
  EXPECT_EQ(fake_.requests().back().Param("status"), "current");

  absl::StatusOr<std::optional<ConfluencePageRef>> missing = client.FindPage("Postmortem #43: x");
  ASSERT_THAT(missing, IsOk());
  EXPECT_FALSE(missing->has_value());
}

TEST_F(ConfluenceClientTest, ATakenTitleIsRecognised) {
  ConfluenceClient client = Client();
  ASSERT_THAT(client.CreatePage("2026-01", "", "<p>a</p>"), IsOk());
  absl::StatusOr<ConfluencePageRef> again = client.CreatePage("2026-01", "", "<p>b</p>");
  EXPECT_THAT(again, StatusIs(absl::StatusCode::kInvalidArgument,
                              HasSubstr("confluence: create page \"2026-01\"")));
  EXPECT_TRUE(ConfluenceClient::IsTitleTaken(again.status()));
  EXPECT_FALSE(ConfluenceClient::IsTitleTaken(absl::OkStatus()));
}

TEST_F(ConfluenceClientTest, PropertiesAndStoredBodyAreRead) {
  ConfluenceClient client = Client();
  absl::StatusOr<ConfluencePageRef> page = client.CreatePage("P", kParent, "<p>marker</p>");
  ASSERT_THAT(page, IsOk());
  absl::StatusOr<std::optional<json>> none = client.GetProperty(page->id, "firefighter");
  ASSERT_THAT(none, IsOk());
  EXPECT_EQ(*none, std::nullopt);
  absl::StatusOr<std::string> body = client.GetStorageBody(page->id);
  ASSERT_THAT(body, IsOk());
  EXPECT_EQ(*body, "<p>marker</p>");
  EXPECT_EQ(fake_.requests().back().Param("body-format"), "storage");

  json marker = {{"installation", "abc"}, {"incident_id", "42"}};
  ASSERT_THAT(client.AddProperty(page->id, "firefighter", marker), IsOk());
  absl::StatusOr<std::optional<json>> marked = client.GetProperty(page->id, "firefighter");
  ASSERT_THAT(marked, IsOk());
  EXPECT_THAT(*marked, Optional(marker));
  EXPECT_EQ(fake_.requests().back().Param("key"), "firefighter");
  EXPECT_THAT(client.AddProperty(page->id, "firefighter", marker),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST_F(ConfluenceClientTest, UpdateWritesTheNextVersionAndAStaleOneIsAConflict) {
  ConfluenceClient client = Client();
  absl::StatusOr<ConfluencePageRef> created = client.CreatePage("P", kParent, "<p>one</p>");
  ASSERT_THAT(created, IsOk());
  absl::StatusOr<ConfluencePageContent> read = client.GetPage(created->id);
  ASSERT_THAT(read, IsOk());
  EXPECT_EQ(read->id, created->id);
  EXPECT_EQ(read->title, "P");
  EXPECT_EQ(read->version, 1);
  EXPECT_EQ(read->body, "<p>one</p>");

  ASSERT_THAT(client.UpdatePage(*read, "<p>two</p>"), IsOk());
  testing::RecordedRequest put = fake_.requests().back();
  EXPECT_EQ(put.method, "PUT");
  EXPECT_EQ(put.path, "/wiki/api/v2/pages/" + created->id);
  EXPECT_EQ(json::parse(put.body),
            json({{"id", created->id},
                  {"status", "current"},
                  {"title", "P"},
                  {"body", {{"representation", "storage"}, {"value", "<p>two</p>"}}},
                  {"version", {{"number", 2}, {"message", "Updated by FireFighter"}}}}));
  absl::StatusOr<ConfluencePageContent> again = client.GetPage(created->id);
  ASSERT_THAT(again, IsOk());
  EXPECT_EQ(again->version, 2);
  EXPECT_EQ(again->body, "<p>two</p>");

  absl::Status stale = client.UpdatePage(*read, "<p>three</p>");  // built on version 1
  EXPECT_THAT(stale,
              StatusIs(absl::StatusCode::kAlreadyExists, HasSubstr("Version must be incremented")));
  EXPECT_TRUE(ConfluenceClient::IsVersionConflict(stale));
  EXPECT_FALSE(ConfluenceClient::IsVersionConflict(absl::InvalidArgumentError("x")));
  EXPECT_THAT(client.GetPage("424242"), StatusIs(absl::StatusCode::kNotFound));
}

TEST_F(ConfluenceClientTest, AnswerWithoutItsDocumentedFieldsIsUnavailable) {
  ConfluenceClient client = Client();
  fake_.FailNext(3, 200);  // a 2xx JSON object without the documented fields
  EXPECT_THAT(client.FindPage("P"),
              StatusIs(absl::StatusCode::kUnavailable, HasSubstr("no results array")));
  EXPECT_THAT(client.CreatePage("P", "", "<p/>"),
              StatusIs(absl::StatusCode::kUnavailable, HasSubstr("no page id or _links.webui")));
  EXPECT_THAT(client.GetProperty("100001", "firefighter"),
              StatusIs(absl::StatusCode::kUnavailable, HasSubstr("no results array")));
}

TEST_F(ConfluenceClientTest, RefusedTokenIsUnauthenticatedAndNamesNoToken) {
  absl::StatusOr<std::optional<ConfluencePageRef>> found = Client("wrong-token").FindPage("P");
  EXPECT_THAT(found, StatusIs(absl::StatusCode::kUnauthenticated, Not(HasSubstr("wrong-token"))));
  fake_.FailNext(1, 403);
  EXPECT_THAT(Client().CreatePage("P", "", "<p/>"), StatusIs(absl::StatusCode::kPermissionDenied));
}

TEST_F(ConfluenceClientTest, RateLimitIsResourceExhaustedWithRetryAfter) {
  fake_.FailNext(1, 429, 7);
  absl::StatusOr<ConfluencePageRef> created = Client().CreatePage("P", "", "<p/>");
  EXPECT_THAT(created, StatusIs(absl::StatusCode::kResourceExhausted));
  EXPECT_EQ(RetryAfterOf(created.status()), absl::Seconds(7));
  EXPECT_FALSE(fake_.FindPage(kSpace, "P").has_value());
}

}  // namespace
}  // namespace ff
