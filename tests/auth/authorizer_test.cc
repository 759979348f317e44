#include "server/auth/authorizer.h"

#include <unistd.h>

#include <cstdlib>
#include <fstream>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/status_matchers.h"

namespace ff {
namespace {

using ::ff::testing::IsOk;
using ::ff::testing::StatusIs;
using ::testing::HasSubstr;

class AuthorizerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char dir[] = "/tmp/ff-auth-XXXXXX";
    ASSERT_NE(mkdtemp(dir), nullptr);
    path_ = std::string(dir) + "/tokens";
    Write(Sha256Hex("v-token") + " vic viewer\n" + Sha256Hex("r-token") + " rae responder\n" +
          Sha256Hex("a-token") + " ada admin\n" + Sha256Hex("s-token") +
          " slack-adapter responder service\n");
    auto auth = Authorizer::FromFile(path_);
    ASSERT_THAT(auth, IsOk());
    auth_ = *std::move(auth);
  }
  void TearDown() override {
    std::remove(path_.c_str());
    rmdir(path_.substr(0, path_.rfind('/')).c_str());
  }
  void Write(const std::string& text) { std::ofstream(path_) << text; }

  std::string path_;
  std::unique_ptr<Authorizer> auth_;
};

TEST_F(AuthorizerTest, RolesGrantTheirPermissions) {
  struct Case {
    const char* token;
    Permission permission;
    bool allowed;
  };
  for (const Case& c :
       {Case{"v-token", Permission::kRead, true}, Case{"v-token", Permission::kWrite, false},
        Case{"v-token", Permission::kOperate, false}, Case{"r-token", Permission::kRead, true},
        Case{"r-token", Permission::kWrite, true}, Case{"r-token", Permission::kOperate, false},
        Case{"a-token", Permission::kRead, true}, Case{"a-token", Permission::kWrite, true},
        Case{"a-token", Permission::kOperate, true}}) {
    auto caller = auth_->Authorize(std::string("Bearer ") + c.token, c.permission);
    if (c.allowed) {
      EXPECT_THAT(caller, IsOk()) << c.token << " " << PermissionName(c.permission);
    } else {
      EXPECT_THAT(caller, StatusIs(absl::StatusCode::kPermissionDenied,
                                   HasSubstr(std::string(PermissionName(c.permission)))))
          << c.token;
    }
  }
}

TEST_F(AuthorizerTest, PermissionDeniedNamesPermissionPrincipalAndRole) {
  EXPECT_THAT(auth_->Authorize("Bearer v-token", Permission::kWrite),
              StatusIs(absl::StatusCode::kPermissionDenied,
                       "permission incidents.write is required; vic is a viewer"));
  EXPECT_THAT(auth_->Authorize("Bearer r-token", Permission::kOperate),
              StatusIs(absl::StatusCode::kPermissionDenied,
                       "permission deliveries.retry is required; rae is a responder"));
}

TEST_F(AuthorizerTest, MissingMalformedAndUnknownTokensAreUnauthenticated) {
  EXPECT_THAT(auth_->Authorize(std::nullopt, Permission::kRead),
              StatusIs(absl::StatusCode::kUnauthenticated, HasSubstr("missing credentials")));
  EXPECT_THAT(auth_->Authorize("r-token", Permission::kRead),
              StatusIs(absl::StatusCode::kUnauthenticated, HasSubstr("`Bearer <token>`")));
  EXPECT_THAT(auth_->Authorize("Basic cmFlOnB3", Permission::kRead),
              StatusIs(absl::StatusCode::kUnauthenticated, HasSubstr("`Bearer <token>`")));
  EXPECT_THAT(auth_->Authorize("Bearer ", Permission::kRead),
              StatusIs(absl::StatusCode::kUnauthenticated, "the bearer token is empty"));
  EXPECT_THAT(auth_->Authorize("Bearer guess", Permission::kRead),
              StatusIs(absl::StatusCode::kUnauthenticated, "unknown or revoked bearer token"));
}

TEST_F(AuthorizerTest, CallerCarriesPrincipalRoleAndServiceMarker) {
  auto person = auth_->Authorize("Bearer r-token", Permission::kWrite);
  ASSERT_THAT(person, IsOk());
  EXPECT_TRUE(person->authenticated);
  EXPECT_EQ(person->principal, "rae");
  EXPECT_EQ(person->role, Role::kResponder);
  EXPECT_FALSE(person->service);
  auto service = auth_->Authorize("Bearer s-token", Permission::kWrite);
  ASSERT_THAT(service, IsOk());
  EXPECT_TRUE(service->service);
}

TEST_F(AuthorizerTest, ActingForNeverLetsAPersonWriteAsSomeoneElse) {
  Caller rae = *auth_->Authorize("Bearer r-token", Permission::kWrite);
  Acting as_person = ActingFor(rae, "someone-else");
  EXPECT_EQ(as_person.actor, "rae");
  EXPECT_EQ(as_person.via, "");
  Caller slack = *auth_->Authorize("Bearer s-token", Permission::kWrite);
  Acting as_service = ActingFor(slack, "grace@example.com");
  EXPECT_EQ(as_service.actor, "grace@example.com");
  EXPECT_EQ(as_service.via, "slack-adapter");
  Acting open = ActingFor(Caller{}, "grace");
  EXPECT_EQ(open.actor, "grace");
  EXPECT_EQ(open.via, "");
}

TEST_F(AuthorizerTest, ReloadRevokesRemovedTokensAndKeepsTheOldOnesOnError) {
  Write(Sha256Hex("a-token") + " ada admin\n");
  ASSERT_THAT(auth_->Reload(), IsOk());
  EXPECT_EQ(auth_->TokenCount(), 1u);
  EXPECT_THAT(auth_->Authorize("Bearer r-token", Permission::kRead),
              StatusIs(absl::StatusCode::kUnauthenticated, "unknown or revoked bearer token"));
  Write("not a token line\n");
  EXPECT_THAT(auth_->Reload(), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr(":1:")));
  EXPECT_THAT(auth_->Authorize("Bearer a-token", Permission::kOperate), IsOk());
}

TEST(OpenAuthorizerTest, LetsEveryoneInAndTrustsTheActor) {
  std::unique_ptr<Authorizer> open = Authorizer::Open();
  EXPECT_FALSE(open->enabled());
  auto caller = open->Authorize(std::nullopt, Permission::kOperate);
  ASSERT_THAT(caller, IsOk());
  EXPECT_FALSE(caller->authenticated);
}

}  // namespace
}  // namespace ff
