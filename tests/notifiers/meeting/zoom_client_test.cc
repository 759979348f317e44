// ZoomClient against FakeZoom: each call's path, query and answer, paging
// through the host's meetings, and the shared outcome table as this client
// sees it (a malformed 2xx answer, a refused token, a rate limit with
// Retry-After).
#include "clients/zoom/zoom_client.h"

#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "clients/http/curl_http_client.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/testing/fake_zoom.h"
#include "tests/testing/status_matchers.h"

namespace ff {
namespace {

using json = nlohmann::json;
using ::ff::testing::IsOk;
using ::ff::testing::StatusIs;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::SizeIs;

json Meeting(const std::string& topic) {
  return {{"topic", topic},
          {"type", 2},
          {"start_time", "2026-01-01T00:00:00Z"},
          {"duration", 60},
          {"timezone", "UTC"},
          {"agenda", "SEV1 incident.\n\n[FireFighter abc incident 42]"},
          {"settings", {{"join_before_host", true}}}};
}

class ZoomClientTest : public ::testing::Test {
 protected:
  ZoomClient Client(const std::string& token = "zoom-token") {
    return ZoomClient(http_.get(), fake_.base_url(), token, absl::Seconds(5));
  }

  testing::FakeZoom fake_{"zoom-token"};
  std::unique_ptr<HttpClient> http_ = CurlHttpClient::Create();
};

TEST_F(ZoomClientTest, CreateMeetingThenReadItBack) {
  ZoomClient client = Client();
  absl::StatusOr<ZoomMeeting> created = client.CreateMeeting(Meeting("Incident #42: Checkout"));
  ASSERT_THAT(created, IsOk());
  ASSERT_THAT(fake_.meetings(), SizeIs(1));
  EXPECT_EQ(created->id, fake_.meetings()[0]["id"].get<int64_t>());
  EXPECT_EQ(created->join_url, fake_.meetings()[0]["join_url"]);
  EXPECT_EQ(created->topic, "Incident #42: Checkout");
  testing::RecordedRequest request = fake_.requests().back();
  EXPECT_EQ(request.path, "/v2/users/me/meetings");
  EXPECT_EQ(request.Header("Authorization"), "Bearer zoom-token");

  absl::StatusOr<ZoomMeeting> got = client.GetMeeting(created->id);
  ASSERT_THAT(got, IsOk());
  EXPECT_EQ(got->agenda, "SEV1 incident.\n\n[FireFighter abc incident 42]");
  EXPECT_EQ(got->join_url, created->join_url);
  EXPECT_EQ(fake_.requests().back().path, absl::StrCat("/v2/meetings/", created->id));
}

TEST_F(ZoomClientTest, ListPagesThroughTheScheduledMeetings) {
  for (int i = 0; i < 301; ++i) {
    ASSERT_THAT(fake_.Plant(Meeting(absl::StrCat("Incident #", i, ": x"))), IsOk());
  }
  ZoomClient client = Client();
  absl::StatusOr<ZoomMeetingPage> first = client.ListScheduledMeetings("");
  ASSERT_THAT(first, IsOk());
  ASSERT_THAT(first->meetings, SizeIs(300));
  EXPECT_EQ(first->meetings[0].topic, "Incident #0: x");
  EXPECT_EQ(first->meetings[0].id, fake_.meetings()[0]["id"].get<int64_t>());
  EXPECT_EQ(first->meetings[0].agenda, "");  // the list leaves agendas out
  EXPECT_FALSE(first->next_page_token.empty());
  EXPECT_EQ(fake_.requests().back().Param("type"), "scheduled");
  EXPECT_EQ(fake_.requests().back().Param("next_page_token"), "");

  absl::StatusOr<ZoomMeetingPage> second = client.ListScheduledMeetings(first->next_page_token);
  ASSERT_THAT(second, IsOk());
  ASSERT_THAT(second->meetings, SizeIs(1));
  EXPECT_EQ(second->meetings[0].topic, "Incident #300: x");
  EXPECT_EQ(second->next_page_token, "");
  EXPECT_EQ(fake_.requests().back().Param("next_page_token"), first->next_page_token);
}

TEST_F(ZoomClientTest, AnswerWithoutItsDocumentedFieldsIsUnavailable) {
  ZoomClient client = Client();
  fake_.FailNext(3, 200);  // a 2xx JSON object without the documented fields
  EXPECT_THAT(client.ListScheduledMeetings(""),
              StatusIs(absl::StatusCode::kUnavailable, HasSubstr("no meetings array")));
  EXPECT_THAT(client.GetMeeting(1), StatusIs(absl::StatusCode::kUnavailable,
                                             "zoom: get meeting: answer has no meeting id or "
                                             "join_url"));
  EXPECT_THAT(client.CreateMeeting(Meeting("Incident #42: x")),
              StatusIs(absl::StatusCode::kUnavailable, HasSubstr("no meeting id or join_url")));
}

TEST_F(ZoomClientTest, RefusedTokenIsUnauthenticatedAndNamesNoToken) {
  absl::StatusOr<ZoomMeeting> created = Client("wrong-token").CreateMeeting(Meeting("x"));
  EXPECT_THAT(created, StatusIs(absl::StatusCode::kUnauthenticated, Not(HasSubstr("wrong-token"))));
  EXPECT_THAT(fake_.meetings(), IsEmpty());
  fake_.FailNext(1, 403);
  EXPECT_THAT(Client().ListScheduledMeetings(""), StatusIs(absl::StatusCode::kPermissionDenied));
}

TEST_F(ZoomClientTest, RateLimitIsResourceExhaustedWithRetryAfter) {
  fake_.FailNext(1, 429, 30);
  absl::StatusOr<ZoomMeeting> created = Client().CreateMeeting(Meeting("x"));
  EXPECT_THAT(created, StatusIs(absl::StatusCode::kResourceExhausted));
  EXPECT_EQ(RetryAfterOf(created.status()), absl::Seconds(30));
  EXPECT_THAT(fake_.meetings(), IsEmpty());
}

}  // namespace
}  // namespace ff
