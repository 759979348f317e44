// The dashboard's follow-ups end to end, through the real firefighter-web
// and firefighterd (WebActionsTest): adding, listing with filters and pages,
// editing, done, cancel and reopen as the signed-in person, each read back
// through the core; bad input is 400 naming the field with nothing stored;
// the CSRF and Origin guard and the sign-in rule hold for these actions too.
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/web/web_actions_fixture.h"

namespace ff::web {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

// A date `days` from today in UTC (the core's default follow-up zone).
std::string DayFromToday(int days) {
  return absl::FormatCivilTime(absl::ToCivilDay(absl::Now(), absl::UTCTimeZone()) + days);
}

class WebFollowUpsTest : public WebActionsTest {
 protected:
  void SetUp() override {
    WebActionsTest::SetUp();
    StartWeb();
    incident_ = Declare("Checkout returns 500");
  }

  std::string AddPath(int64_t incident) const {
    return absl::StrCat("/api/incidents/", incident, "/followups");
  }
  static std::string UpdatePath(int64_t id) {
    return absl::StrCat("/api/followups/", id, "/update");
  }

  // Add adds a follow-up to the incident as alice; returns its JSON.
  nlohmann::json Add(const nlohmann::json& body) {
    Reply reply = Act(kAlice, AddPath(incident_), body);
    EXPECT_EQ(reply.status, 201) << reply.body.dump();
    return reply.body["follow_up"];
  }

  std::vector<pb::FollowUp> CoreFollowUps() const {
    pb::ListFollowUpsRequest request;
    request.set_page_size(500);
    absl::StatusOr<pb::ListFollowUpsResponse> list = Core().ListFollowUps(request);
    EXPECT_THAT(list, IsOk());
    if (!list.ok()) return {};
    return {list->follow_ups().begin(), list->follow_ups().end()};
  }
  pb::FollowUp CoreFollowUp(int64_t id) const {
    absl::StatusOr<pb::FollowUp> follow_up = Core().GetFollowUp(id);
    EXPECT_THAT(follow_up, IsOk());
    return follow_up.ok() ? *follow_up : pb::FollowUp();
  }

  // Get reads `path` as the proxy sends a signed-in person's request.
  Reply Get(const std::string& path) {
    httplib::Client http(web_->host(), web_->port());
    httplib::Result result = http.Get(path, {{"X-Forwarded-Email", kAlice}});
    if (!result) return {};
    return {result->status, nlohmann::json::parse(result->body, nullptr, false)};
  }

  int64_t incident_ = 0;
};

std::vector<int64_t> IdsOf(const nlohmann::json& follow_ups) {
  std::vector<int64_t> ids;
  for (const nlohmann::json& f : follow_ups) ids.push_back(f["id"].get<int64_t>());
  return ids;
}

TEST_F(WebFollowUpsTest, AddingStoresTheFollowUpAsTheSignedInPerson) {
  const std::string due = DayFromToday(20);
  nlohmann::json added = Add({{"title", "Alert on pool saturation"},
                              {"description", "Page at 90%"},
                              {"owner", kBob},
                              {"due_date", due}});
  ASSERT_TRUE(added.is_object());
  EXPECT_EQ(added["ref"], "FU-1");
  EXPECT_EQ(added["status"], "open");
  pb::FollowUp stored = CoreFollowUp(added["id"]);
  EXPECT_EQ(stored.incident_id(), incident_);
  EXPECT_EQ(stored.title(), "Alert on pool saturation");
  EXPECT_EQ(stored.description(), "Page at 90%");
  EXPECT_EQ(stored.owner(), kBob);
  EXPECT_EQ(stored.due_date(), due);
  EXPECT_EQ(stored.created_by(), kAlice);
  EXPECT_EQ(stored.status(), pb::FOLLOW_UP_STATUS_OPEN);

  EXPECT_EQ(CoreFollowUp(Add({{"title", "No date"}, {"due_date", ""}})["id"]).due_date(), "");
  EXPECT_EQ(CoreFollowUp(Add({{"title", "Default date"}})["id"]).due_date(), "");

  bool seen = false;
  for (const pb::TimelineEntry& entry : Timeline(incident_)) {
    if (entry.kind() != "followup") continue;
    EXPECT_EQ(entry.actor(), kAlice);
    EXPECT_EQ(entry.via(), "web");
    seen = true;
  }
  EXPECT_TRUE(seen);

  Reply page = Get(absl::StrCat("/api/incidents/", incident_));
  ASSERT_EQ(page.status, 200);
  EXPECT_THAT(IdsOf(page.body["follow_ups"]), ElementsAre(1, 2, 3));
  EXPECT_EQ(page.body["follow_ups"][0]["owner"], kBob);
}

TEST_F(WebFollowUpsTest, UpdateEditsMarksDoneCancelsAndReopens) {
  const int64_t id = Add({{"title", "Alert"}, {"due_date", ""}})["id"];
  const std::string due = DayFromToday(7);
  Reply edited = Act(kBob, UpdatePath(id),
                     {{"title", "Alert on the pool"},
                      {"owner", kBob},
                      {"due_date", due},
                      {"expected_version", 1}});
  ASSERT_EQ(edited.status, 200) << edited.body.dump();
  EXPECT_EQ(edited.body["follow_up"]["version"], 2);
  pb::FollowUp stored = CoreFollowUp(id);
  EXPECT_EQ(stored.title(), "Alert on the pool");
  EXPECT_EQ(stored.owner(), kBob);
  EXPECT_EQ(stored.due_date(), due);

  ASSERT_EQ(Act(kBob, UpdatePath(id), {{"status", "done"}}).status, 200);
  EXPECT_EQ(CoreFollowUp(id).status(), pb::FOLLOW_UP_STATUS_DONE);
  ASSERT_EQ(Act(kBob, UpdatePath(id), {{"status", "open"}}).status, 200);
  EXPECT_EQ(CoreFollowUp(id).status(), pb::FOLLOW_UP_STATUS_OPEN);
  ASSERT_EQ(Act(kAlice, UpdatePath(id), {{"status", "cancelled"}}).status, 200);
  EXPECT_EQ(CoreFollowUp(id).status(), pb::FOLLOW_UP_STATUS_CANCELLED);
  ASSERT_EQ(Act(kAlice, UpdatePath(id), {{"owner", ""}, {"due_date", ""}}).status, 200);
  EXPECT_EQ(CoreFollowUp(id).owner(), "");
  EXPECT_EQ(CoreFollowUp(id).due_date(), "");
}

TEST_F(WebFollowUpsTest, AStaleVersionIs409AndAnUnknownOneIs404) {
  const int64_t id = Add({{"title", "Alert"}})["id"];
  ASSERT_EQ(Act(kAlice, UpdatePath(id), {{"owner", kBob}}).status, 200);
  Reply stale = Act(kAlice, UpdatePath(id), {{"title", "Changed"}, {"expected_version", 1}});
  EXPECT_EQ(stale.status, 409);
  EXPECT_EQ(stale.body["field"], "expected_version");
  EXPECT_EQ(CoreFollowUp(id).title(), "Alert");

  Reply unknown = Act(kAlice, UpdatePath(99), {{"status", "done"}});
  EXPECT_EQ(unknown.status, 404);
  EXPECT_TRUE(unknown.body["field"].is_null());
  Reply no_incident = Act(kAlice, AddPath(99), {{"title", "x"}});
  EXPECT_EQ(no_incident.status, 404);
  EXPECT_EQ(CoreFollowUps().size(), 1u);
}

TEST_F(WebFollowUpsTest, ListFiltersAndPages) {
  const int64_t other = Declare("Search is slow");
  Add({{"title", "One"}, {"owner", kBob}});
  Add({{"title", "Two"}, {"owner", kAlice}});
  ASSERT_EQ(Act(kAlice, AddPath(other), {{"title", "Three"}, {"owner", kBob}}).status, 201);
  ASSERT_EQ(Act(kAlice, UpdatePath(2), {{"status", "done"}}).status, 200);

  Reply all = Get("/api/followups");
  ASSERT_EQ(all.status, 200) << all.body.dump();
  EXPECT_THAT(IdsOf(all.body["follow_ups"]), ElementsAre(1, 2, 3));
  EXPECT_EQ(all.body["next_page_token"], "");
  EXPECT_EQ(all.body["follow_ups"][1]["status"], "done");
  EXPECT_THAT(IdsOf(Get("/api/followups?owner=bob%40example.com").body["follow_ups"]),
              ElementsAre(1, 3));
  EXPECT_THAT(IdsOf(Get("/api/followups?status=open").body["follow_ups"]), ElementsAre(1, 3));
  EXPECT_THAT(IdsOf(Get(absl::StrCat("/api/followups?incident=", other)).body["follow_ups"]),
              ElementsAre(3));
  EXPECT_THAT(IdsOf(Get("/api/followups?overdue=true").body["follow_ups"]), ElementsAre());

  Reply first = Get("/api/followups?page_size=2");
  ASSERT_EQ(first.status, 200);
  EXPECT_THAT(IdsOf(first.body["follow_ups"]), ElementsAre(1, 2));
  const std::string token = first.body["next_page_token"];
  ASSERT_NE(token, "");
  Reply second = Get("/api/followups?page_size=2&page_token=" + token);
  ASSERT_EQ(second.status, 200) << second.body.dump();
  EXPECT_THAT(IdsOf(second.body["follow_ups"]), ElementsAre(3));
  EXPECT_EQ(second.body["next_page_token"], "");
}

TEST_F(WebFollowUpsTest, BadInputIs400NamingTheFieldAndStoresNothing) {
  const int64_t id = Add({{"title", "Alert"}})["id"];
  struct Case {
    std::string path;
    std::string body;
    std::string field;
    std::string error;
  };
  const std::string add = AddPath(incident_);
  const std::string update = UpdatePath(id);
  for (const Case& c : std::vector<Case>{
           {add, "[]", "body", "body: not a JSON object"},
           {add, R"({"title": ""})", "title", "title"},
           {add, R"({"title": ")" + std::string(201, 't') + "\"}", "title", "title"},
           {add, R"({"title": "x", "owner": 5})", "owner", "owner: must be a string"},
           {add, R"({"title": "x", "due_date": "tomorrow"})", "due_date", "due_date"},
           {add, R"({"title": "x", "due_date": ")" + DayFromToday(-1) + "\"}", "due_date",
            "due_date"},
           {add, R"({"title": "x", "colour": "red"})", "colour",
            "colour: not a field of this action; expected one of title"},
           {update, R"({"status": "closed"})", "status",
            "status: unknown value \"closed\"; expected one of open, done, cancelled"},
           {update, R"({"due_date": ")" + DayFromToday(-3) + "\"}", "due_date", "due_date"},
           {update, R"({"expected_version": 1})", "body", "body: nothing to change"},
           {"/api/followups/abc/update", R"({"status": "done"})", "id",
            "id: \"abc\" is not a follow-up number"},
           {"/api/incidents/abc/followups", R"({"title": "x"})", "id",
            "id: \"abc\" is not an incident number"},
       }) {
    Reply reply = PostText(c.path, c.body, As(kAlice));
    EXPECT_EQ(reply.status, 400) << c.body;
    EXPECT_EQ(reply.body["field"], c.field) << c.body << " " << reply.body.dump();
    EXPECT_THAT(reply.body["error"].get<std::string>(), HasSubstr(c.error)) << c.body;
  }
  std::vector<pb::FollowUp> stored = CoreFollowUps();
  ASSERT_EQ(stored.size(), 1u);
  EXPECT_EQ(stored[0].version(), 1);
  EXPECT_EQ(stored[0].status(), pb::FOLLOW_UP_STATUS_OPEN);

  for (const auto& [query, parameter] :
       std::vector<std::pair<std::string, std::string>>{{"status=closed", "status"},
                                                        {"overdue=maybe", "overdue"},
                                                        {"page_size=0", "page_size"},
                                                        {"incident=x", "incident"},
                                                        {"colour=red", "colour"}}) {
    Reply reply = Get("/api/followups?" + query);
    EXPECT_EQ(reply.status, 400) << query;
    EXPECT_EQ(reply.body["parameter"], parameter) << query;
  }
}

TEST_F(WebFollowUpsTest, TheActionGuardRefusesWithoutTokenOriginOrPerson) {
  const std::string token = TokenOf(kAlice);
  const nlohmann::json body = {{"title", "x"}};
  Reply no_token =
      Post(AddPath(incident_), body, {{"X-Forwarded-Email", kAlice}, {"Origin", OwnOrigin()}});
  EXPECT_EQ(no_token.status, 403);
  EXPECT_EQ(no_token.body["reason"], "csrf");
  Reply bobs_token =
      Post(AddPath(incident_), body,
           {{"X-Forwarded-Email", kBob}, {"X-CSRF-Token", token}, {"Origin", OwnOrigin()}});
  EXPECT_EQ(bobs_token.status, 403);
  EXPECT_EQ(bobs_token.body["reason"], "csrf");
  Reply foreign = Post(AddPath(incident_), body,
                       {{"X-Forwarded-Email", kAlice},
                        {"X-CSRF-Token", token},
                        {"Origin", "https://attacker.example"}});
  EXPECT_EQ(foreign.status, 403);
  EXPECT_EQ(foreign.body["reason"], "origin");
  Reply nobody = Post(AddPath(incident_), body, {{"Origin", OwnOrigin()}});
  EXPECT_EQ(nobody.status, 401);
  EXPECT_EQ(CoreFollowUps().size(), 0u);

  const int64_t id = Add(body)["id"];
  Reply update = Post(UpdatePath(id), {{"status", "done"}},
                      {{"X-Forwarded-Email", kAlice}, {"Origin", OwnOrigin()}});
  EXPECT_EQ(update.status, 403);
  EXPECT_EQ(update.body["reason"], "csrf");
  EXPECT_EQ(CoreFollowUp(id).status(), pb::FOLLOW_UP_STATUS_OPEN);
}

}  // namespace
}  // namespace ff::web
