// FakeConfluence speaks the v2 contract of EXTERNAL_APIS.md §5: requests
// copied from there are accepted, malformed ones get the real error shapes.
#include "tests/testing/fake_confluence.h"

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "clients/http/curl_http_client.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"

namespace ff::testing {
namespace {

using json = nlohmann::json;
using ::testing::HasSubstr;

class FakeConfluenceTest : public ::testing::Test {
 protected:
  HttpResponse Send(const std::string& method, const std::string& path_and_query,
                    const std::string& body = "",
                    const std::string& auth = "bot@example.com:secret") {
    HttpRequest request;
    request.method = method;
    request.url = fake_.wiki_url() + path_and_query;
    if (!auth.empty()) {
      request.headers.emplace_back("Authorization", "Basic " + absl::Base64Escape(auth));
    }
    if (!body.empty()) request.headers.emplace_back("Content-Type", "application/json");
    request.body = body;
    absl::StatusOr<HttpResponse> response = http_->Send(request);
    EXPECT_TRUE(response.ok()) << response.status();
    return response.ok() ? *response : HttpResponse{};
  }

  // The create body of EXTERNAL_APIS.md §5 (v2).
  static json CreateBody() {
    return json::parse(R"({"spaceId":"12345","status":"current","title":"Postmortem INC-42",
        "parentId":"67890","body":{"representation":"storage","value":"<p>Summary…</p>"}})");
  }

  static std::string FirstErrorTitle(const HttpResponse& response) {
    json body = json::parse(response.body, nullptr, false);
    if (body.is_discarded() || !body.contains("errors")) return "<no errors array>";
    return body["errors"][0].value("title", "");
  }

  FakeConfluence fake_{"bot@example.com", "secret"};
  std::unique_ptr<HttpClient> http_ = CurlHttpClient::Create();
};

TEST_F(FakeConfluenceTest, LookupOfAbsentTitleReturnsEmptyResults) {
  HttpResponse response =
      Send("GET", "/api/v2/pages?space-id=12345&title=Postmortem%20INC-42&status=current&limit=1");
  ASSERT_EQ(response.status, 200);
  EXPECT_EQ(json::parse(response.body)["results"], json::array());
}

TEST_F(FakeConfluenceTest, CreateThenLookupFindsThePage) {
  HttpResponse created = Send("POST", "/api/v2/pages", CreateBody().dump());
  ASSERT_EQ(created.status, 200) << created.body;
  json page = json::parse(created.body);
  EXPECT_EQ(page["title"], "Postmortem INC-42");
  EXPECT_EQ(page["spaceId"], "12345");
  EXPECT_EQ(page["parentId"], "67890");
  EXPECT_EQ(page["version"]["number"], 1);
  EXPECT_THAT(page["_links"]["webui"].get<std::string>(), HasSubstr("/spaces/OPS/pages/"));

  HttpResponse found =
      Send("GET", "/api/v2/pages?space-id=12345&title=Postmortem%20INC-42&status=current&limit=1");
  ASSERT_EQ(found.status, 200);
  ASSERT_EQ(json::parse(found.body)["results"].size(), 1u);
  EXPECT_EQ(json::parse(found.body)["results"][0]["id"], page["id"]);
  EXPECT_EQ(fake_.FindPage("12345", "Postmortem INC-42")->body, "<p>Summary…</p>");
}

TEST_F(FakeConfluenceTest, DuplicateTitleInSpaceIsTheRealBadRequest) {
  ASSERT_EQ(Send("POST", "/api/v2/pages", CreateBody().dump()).status, 200);
  HttpResponse again = Send("POST", "/api/v2/pages", CreateBody().dump());
  EXPECT_EQ(again.status, 400);
  json error = json::parse(again.body)["errors"][0];
  EXPECT_EQ(error["status"], 400);
  EXPECT_EQ(error["code"], "BAD_REQUEST");
  EXPECT_EQ(error["title"],
            "A page with this title already exists: A page already exists with the same TITLE "
            "in this space");
  EXPECT_TRUE(error["detail"].is_null());
  EXPECT_EQ(fake_.pages().size(), 2u);  // the seeded parent and one page
}

TEST_F(FakeConfluenceTest, AcceptsTheStorageFormAtlassianPythonApiSends) {
  json body = CreateBody();
  body["body"] = {{"storage", {{"value", "<p>x</p>"}, {"representation", "storage"}}}};
  EXPECT_EQ(Send("POST", "/api/v2/pages", body.dump()).status, 200);
}

TEST_F(FakeConfluenceTest, KeepsContentPropertiesAndServesTheStorageBody) {
  std::string id = json::parse(Send("POST", "/api/v2/pages", CreateBody().dump()).body)["id"];
  std::string properties = "/api/v2/pages/" + id + "/properties";
  EXPECT_TRUE(json::parse(Send("GET", properties + "?key=firefighter").body)["results"].empty());
  HttpResponse added = Send("POST", properties, R"({"key":"firefighter","value":{"a":"1"}})");
  ASSERT_EQ(added.status, 200);
  EXPECT_EQ(json::parse(added.body)["value"], json::parse(R"({"a":"1"})"));
  EXPECT_EQ(Send("POST", properties, R"({"key":"firefighter","value":2})").status, 400);
  EXPECT_EQ(Send("POST", properties, R"({"value":2})").status, 400);
  EXPECT_EQ(Send("POST", "/api/v2/pages/999/properties", R"({"key":"k","value":2})").status, 404);
  json listed = json::parse(Send("GET", properties + "?key=firefighter").body);
  ASSERT_EQ(listed["results"].size(), 1u);
  EXPECT_EQ(listed["results"][0]["key"], "firefighter");
  EXPECT_TRUE(json::parse(Send("GET", properties + "?key=other").body)["results"].empty());

  json page = json::parse(Send("GET", "/api/v2/pages/" + id + "?body-format=storage").body);
  EXPECT_EQ(page["body"]["storage"]["value"], "<p>Summary…</p>");
  EXPECT_EQ(json::parse(Send("GET", "/api/v2/pages/" + id).body)["body"], json::object());
  EXPECT_EQ(Send("GET", "/api/v2/pages/" + id + "?body-format=html").status, 400);
}

TEST_F(FakeConfluenceTest, PlantedPagesAreValidatedLikeCreatesAndUnrecorded) {
  absl::StatusOr<std::string> id = fake_.PlantPage(CreateBody(), {{"firefighter", "x"}});
  ASSERT_TRUE(id.ok()) << id.status();
  EXPECT_EQ(fake_.PlantPage(CreateBody(), {}).status().code(),
            absl::StatusCode::kInvalidArgument);  // the title is taken
  json orphan = CreateBody();
  orphan["title"] = "Other";
  orphan["parentId"] = "1";
  EXPECT_EQ(fake_.PlantPage(orphan, {}).status().code(), absl::StatusCode::kNotFound);
  EXPECT_TRUE(fake_.requests().empty());
  json listed = json::parse(Send("GET", "/api/v2/pages/" + *id + "/properties").body)["results"];
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0]["value"], "x");
}

TEST_F(FakeConfluenceTest, RejectsMissingOrWrongAuth) {
  HttpResponse none = Send("GET", "/api/v2/pages?space-id=12345", "", "");
  EXPECT_EQ(none.status, 401);
  EXPECT_EQ(json::parse(none.body)["errors"][0]["code"], "UNAUTHORIZED");
  EXPECT_EQ(Send("POST", "/api/v2/pages", CreateBody().dump(), "bot@example.com:wrong").status,
            401);
  EXPECT_TRUE(fake_.pages().size() == 1u);
}

TEST_F(FakeConfluenceTest, RejectsInvalidCreates) {
  json no_space = CreateBody();
  no_space.erase("spaceId");
  EXPECT_EQ(Send("POST", "/api/v2/pages", no_space.dump()).status, 400);
  json no_title = CreateBody();
  no_title.erase("title");
  HttpResponse response = Send("POST", "/api/v2/pages", no_title.dump());
  EXPECT_EQ(response.status, 400);
  EXPECT_EQ(FirstErrorTitle(response), "Title cannot be empty");
  json bad_status = CreateBody();
  bad_status["status"] = "published";
  EXPECT_EQ(Send("POST", "/api/v2/pages", bad_status.dump()).status, 400);
  json wiki_body = CreateBody();
  wiki_body["body"]["representation"] = "wiki";
  EXPECT_EQ(Send("POST", "/api/v2/pages", wiki_body.dump()).status, 400);
  EXPECT_EQ(Send("POST", "/api/v2/pages", "{not json").status, 400);
  json other_space = CreateBody();
  other_space["spaceId"] = "999";
  EXPECT_EQ(Send("POST", "/api/v2/pages", other_space.dump()).status, 404);
  json bad_parent = CreateBody();
  bad_parent["parentId"] = "1";
  EXPECT_EQ(Send("POST", "/api/v2/pages", bad_parent.dump()).status, 404);
  EXPECT_EQ(fake_.pages().size(), 1u);
}

TEST_F(FakeConfluenceTest, RejectsACreateWhoseBodyIsNotWellFormedXhtml) {
  json unclosed = CreateBody();
  unclosed["body"]["value"] = "<p>Summary<b>…</p>";
  HttpResponse response = Send("POST", "/api/v2/pages", unclosed.dump());
  EXPECT_EQ(response.status, 400);
  EXPECT_EQ(FirstErrorTitle(response),
            "Error parsing xhtml: unexpected close tag </p>; expected </b>");
  EXPECT_EQ(fake_.pages().size(), 1u);
}

// The update body of EXTERNAL_APIS.md §5 (v2) for the seeded page 67890.
json UpdateBody(int64_t version) {
  return {{"id", "67890"},
          {"status", "current"},
          {"title", "Postmortems"},
          {"body", {{"representation", "storage"}, {"value", "<p>All postmortems</p>"}}},
          {"version", {{"number", version}, {"message", "edit"}}}};
}

TEST_F(FakeConfluenceTest, UpdateWithTheNextVersionIsKeptAndServed) {
  HttpResponse response = Send("PUT", "/api/v2/pages/67890", UpdateBody(2).dump());
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(json::parse(response.body)["version"]["number"], 2);
  json page = json::parse(Send("GET", "/api/v2/pages/67890?body-format=storage").body);
  EXPECT_EQ(page["version"]["number"], 2);
  EXPECT_EQ(page["body"]["storage"]["value"], "<p>All postmortems</p>");
  EXPECT_EQ(fake_.pages()[0].history, std::vector<std::string>{"<p>Postmortems</p>"});
}

TEST_F(FakeConfluenceTest, UpdateWithAStaleOrSkippedVersionIsTheRealConflict) {
  for (int64_t version : {1, 3}) {
    HttpResponse response = Send("PUT", "/api/v2/pages/67890", UpdateBody(version).dump());
    EXPECT_EQ(response.status, 409);
    json error = json::parse(response.body)["errors"][0];
    EXPECT_EQ(error["status"], 409);
    EXPECT_EQ(error["code"], "CONFLICT");
    EXPECT_EQ(error["title"],
              "Version must be incremented when updating a page. Current "
              "Version: [1]. Provided version: [" +
                  std::to_string(version) + "]");
  }
  // An author's save moves the version on under a writer that read version 1.
  fake_.EditBeforeNextUpdate("67890", "<p>by hand</p>");
  EXPECT_EQ(Send("PUT", "/api/v2/pages/67890", UpdateBody(2).dump()).status, 409);
  EXPECT_EQ(fake_.pages()[0].body, "<p>by hand</p>");
  EXPECT_EQ(fake_.pages()[0].version, 2);
}

TEST_F(FakeConfluenceTest, RejectsInvalidUpdates) {
  json no_title = UpdateBody(2);
  no_title.erase("title");
  HttpResponse response = Send("PUT", "/api/v2/pages/67890", no_title.dump());
  EXPECT_EQ(response.status, 400);
  EXPECT_EQ(FirstErrorTitle(response), "Title cannot be empty");
  json other_id = UpdateBody(2);
  other_id["id"] = "100001";
  EXPECT_EQ(Send("PUT", "/api/v2/pages/67890", other_id.dump()).status, 400);
  json no_status = UpdateBody(2);
  no_status.erase("status");
  EXPECT_EQ(Send("PUT", "/api/v2/pages/67890", no_status.dump()).status, 400);
  json no_version = UpdateBody(2);
  no_version.erase("version");
  EXPECT_EQ(FirstErrorTitle(Send("PUT", "/api/v2/pages/67890", no_version.dump())),
            "version.number is required");
  json wiki = UpdateBody(2);
  wiki["body"]["representation"] = "wiki";
  EXPECT_EQ(Send("PUT", "/api/v2/pages/67890", wiki.dump()).status, 400);
  json broken = UpdateBody(2);
  broken["body"]["value"] = "<p a=b>x</p>";
  EXPECT_THAT(FirstErrorTitle(Send("PUT", "/api/v2/pages/67890", broken.dump())),
              HasSubstr("Error parsing xhtml: attribute without a quoted value in <p>"));
  json entity = UpdateBody(2);
  entity["body"]["value"] = "<p>R&D</p>";
  EXPECT_EQ(FirstErrorTitle(Send("PUT", "/api/v2/pages/67890", entity.dump())),
            "Error parsing xhtml: '&' outside an entity reference");
  std::string other = fake_.AddPage("12345", "67890", "2026-01");
  json taken = UpdateBody(2);
  taken["title"] = "2026-01";
  EXPECT_THAT(FirstErrorTitle(Send("PUT", "/api/v2/pages/67890", taken.dump())),
              HasSubstr("already exists"));
  EXPECT_EQ(Send("PUT", "/api/v2/pages/424242", UpdateBody(2).dump()).status, 404);
  EXPECT_EQ(
      Send("PUT", "/api/v2/pages/67890", UpdateBody(2).dump(), "bot@example.com:wrong").status,
      401);
  EXPECT_EQ(fake_.pages()[0].version, 1);
  EXPECT_EQ(fake_.pages()[0].body, "<p>Postmortems</p>");
  EXPECT_FALSE(other.empty());
}

TEST_F(FakeConfluenceTest, StorageFormatCheckAcceptsWhatConfluenceWrites) {
  EXPECT_EQ(StorageFormatError(
                "<p>a &gt; b &#39;c&#x27; &nbsp;</p><!-- note --><ac:structured-macro "
                "ac:name=\"code\"><ac:plain-text-body><![CDATA[if (a < b && c) {}]]>"
                "</ac:plain-text-body></ac:structured-macro><br/><ac:emoticon ac:name='tick' />"),
            "");
  EXPECT_EQ(StorageFormatError("<p>open"), "Error parsing xhtml: unclosed <p>");
  EXPECT_EQ(StorageFormatError("</p>"), "Error parsing xhtml: unexpected close tag </p>");
  EXPECT_EQ(StorageFormatError("a < b"),
            "Error parsing xhtml: '<' not followed by an element name");
}

TEST_F(FakeConfluenceTest, RejectsBadLookupParametersAndUnknownPaths) {
  EXPECT_EQ(Send("GET", "/api/v2/pages?space-id=OPS").status, 400);
  EXPECT_EQ(Send("GET", "/api/v2/pages?space-id=12345&status=published").status, 400);
  EXPECT_EQ(Send("GET", "/api/v2/pages?limit=0").status, 400);
  EXPECT_EQ(Send("GET", "/api/v2/pages/424242").status, 404);
  EXPECT_EQ(Send("GET", "/rest/api/v2/nothing").status, 404);
}

TEST_F(FakeConfluenceTest, InjectedFaults) {
  fake_.FailNext(1, 429, 7);
  HttpResponse limited = Send("GET", "/api/v2/pages?space-id=12345");
  EXPECT_EQ(limited.status, 429);
  EXPECT_EQ(limited.Header("retry-after"), "7");
  fake_.FailNext(1, 500);
  EXPECT_EQ(Send("GET", "/api/v2/pages?space-id=12345").status, 500);
  EXPECT_EQ(Send("GET", "/api/v2/pages?space-id=12345").status, 200);
  EXPECT_EQ(fake_.faulted(), 2);
}

}  // namespace
}  // namespace ff::testing
