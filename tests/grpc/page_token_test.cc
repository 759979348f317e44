#include "server/grpc/page_token.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/status_matchers.h"

namespace ff {
namespace {

using ::ff::testing::StatusIs;
using ::testing::HasSubstr;

TEST(PageToken, RoundTripsAndIgnoresFilterOrder) {
  IncidentFilter filter;
  filter.statuses = {pb::STATUS_OPEN, pb::STATUS_FIXING};
  filter.domain = "payment";
  std::string token = EncodePageToken(42, FilterKey(filter));
  IncidentFilter reordered = filter;
  reordered.statuses = {pb::STATUS_FIXING, pb::STATUS_OPEN};
  EXPECT_EQ(*DecodePageToken(token, FilterKey(reordered)), 42);
  EXPECT_EQ(*DecodePageToken("", FilterKey(filter)), 0);
}

TEST(PageToken, RejectsOtherFiltersAndForgeries) {
  IncidentFilter filter;
  std::string token = EncodePageToken(42, FilterKey(filter));
  IncidentFilter other;
  other.domain = "search";
  EXPECT_THAT(DecodePageToken(token, FilterKey(other)),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("page_token was issued for different filters")));
  for (const std::string& forged :
       {std::string("%%%"), std::string("djE6eDp5"), EncodePageToken(-5, FilterKey(filter))}) {
    EXPECT_THAT(DecodePageToken(forged, FilterKey(filter)),
                StatusIs(absl::StatusCode::kInvalidArgument,
                         "page_token is not a token this server issued"))
        << forged;
  }
}

}  // namespace
}  // namespace ff
