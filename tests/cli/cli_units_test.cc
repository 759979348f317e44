// Unit tests of the CLI's value parsing, formatting and exit codes.
#include <sstream>

#include "adapters/cli/exit_codes.h"
#include "adapters/cli/json_output.h"
#include "adapters/cli/text_format.h"
#include "adapters/cli/value_parsing.h"
#include "firefighter/v1/incident_service.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/status_matchers.h"

namespace ff::cli {
namespace {

using ::ff::testing::StatusIs;
using ::testing::HasSubstr;
using ::testing::StartsWith;

TEST(CliHumanDurationTest, PicksTheLargestUsefulUnit) {
  EXPECT_EQ(HumanDuration(absl::Seconds(-5)), "0s");
  EXPECT_EQ(HumanDuration(absl::Seconds(45)), "45s");
  EXPECT_EQ(HumanDuration(absl::Minutes(3) + absl::Seconds(59)), "3m");
  EXPECT_EQ(HumanDuration(absl::Hours(2) + absl::Minutes(5)), "2h05m");
  EXPECT_EQ(HumanDuration(absl::Hours(23) + absl::Minutes(59)), "23h59m");
  EXPECT_EQ(HumanDuration(absl::Hours(24 * 4 + 7)), "4d");
}

TEST(CliTruncateTest, CutsOnCodePointsWithAnEllipsis) {
  EXPECT_EQ(Truncate("short", 10), "short");
  EXPECT_EQ(Truncate("abcdefghij", 5), "abcd…");
  EXPECT_EQ(Truncate("éééééé", 4), "ééé…");
  EXPECT_EQ(DisplayWidth("ééé…"), 4u);
}

TEST(CliTextTableTest, AlignsColumnsAndLeavesTheLastUnpadded) {
  TextTable table({"ID", "NAME", "NOTE"});
  table.AddRow({"#1", "payment", "x"});
  table.AddRow({"#12", "é", "longer note"});
  std::ostringstream out;
  table.Print(out, /*colour=*/false);
  EXPECT_EQ(out.str(),
            "ID   NAME     NOTE\n"
            "#1   payment  x\n"
            "#12  é        longer note\n");
}

TEST(CliTextTableTest, ColourDoesNotChangeAlignment) {
  TextTable table({"SEV", "STATUS"});
  table.AddRow({{"SEV1", Style::kBoldRed}, "open"});
  std::ostringstream out;
  table.Print(out, /*colour=*/true);
  EXPECT_EQ(out.str(), "\033[1mSEV\033[0m   \033[1mSTATUS\033[0m\n\033[1;31mSEV1\033[0m  open\n");
}

TEST(CliValueParsingTest, IncidentId) {
  EXPECT_EQ(*ParseIncidentId("42"), 42);
  EXPECT_EQ(*ParseIncidentId("#42"), 42);
  for (const char* bad : {"", "#", "0", "-1", "+3", "4x", "1e3", "99999999999999999999"}) {
    EXPECT_THAT(ParseIncidentId(bad), StatusIs(absl::StatusCode::kInvalidArgument)) << bad;
  }
}

TEST(CliValueParsingTest, DeliveryStateAndId) {
  EXPECT_EQ(*ParseDeliveryState("dead"), pb::DELIVERY_STATE_DEAD);
  EXPECT_EQ(*ParseDeliveryState("Pending"), pb::DELIVERY_STATE_PENDING);
  EXPECT_EQ(*ParseDeliveryState("DELIVERED"), pb::DELIVERY_STATE_DELIVERED);
  EXPECT_THAT(ParseDeliveryState("unspecified"), StatusIs(absl::StatusCode::kInvalidArgument,
                                                          HasSubstr("pending, delivered or dead")));
  EXPECT_EQ(DeliveryStateLabel(pb::DELIVERY_STATE_DEAD), "dead");
  EXPECT_EQ(DeliveryStateLabel(0), "?");
  EXPECT_EQ(*ParseDeliveryId("7"), 7);
  for (const char* bad : {"", "#7", "0", "-1", "7x", "99999999999999999999"}) {
    EXPECT_THAT(ParseDeliveryId(bad), StatusIs(absl::StatusCode::kInvalidArgument)) << bad;
  }
}

TEST(CliValueParsingTest, Timeout) {
  EXPECT_EQ(*ParseTimeout("2s"), absl::Seconds(2));
  EXPECT_EQ(*ParseTimeout("500ms"), absl::Milliseconds(500));
  EXPECT_EQ(*ParseTimeout("1.5"), absl::Milliseconds(1500));
  for (const char* bad : {"", "0", "-1s", "soon", "inf", "nan"}) {
    EXPECT_THAT(ParseTimeout(bad), StatusIs(absl::StatusCode::kInvalidArgument)) << bad;
  }
}

TEST(CliValueParsingTest, ServerAddress) {
  for (const char* good : {"127.0.0.1:50051", "localhost:1", "ff.example.com:65535", "[::1]:50051",
                           "unix:/run/firefighter.sock"}) {
    EXPECT_EQ(*ParseServerAddress(good), good);
  }
  for (const char* bad :
       {"", "127.0.0.1", "127.0.0.1:", "127.0.0.1:0", "127.0.0.1:99999", "127.0.0.1:http",
        "127.0.0.1:+80", ":50051", "[]:50051", "::1:50051", "a b:50051", "unix:"}) {
    EXPECT_THAT(ParseServerAddress(bad),
                StatusIs(absl::StatusCode::kInvalidArgument, StartsWith("--addr: ")))
        << bad;
  }
}

TEST(CliExitCodesTest, MapTheServersCodes) {
  EXPECT_EQ(ExitCodeFor(absl::StatusCode::kOk), 0);
  EXPECT_EQ(ExitCodeFor(absl::StatusCode::kInvalidArgument), 2);
  EXPECT_EQ(ExitCodeFor(absl::StatusCode::kNotFound), 3);
  EXPECT_EQ(ExitCodeFor(absl::StatusCode::kFailedPrecondition), 4);
  EXPECT_EQ(ExitCodeFor(absl::StatusCode::kAborted), 5);
  EXPECT_EQ(ExitCodeFor(absl::StatusCode::kUnavailable), 6);
  EXPECT_EQ(ExitCodeFor(absl::StatusCode::kDeadlineExceeded), 6);
  EXPECT_EQ(ExitCodeFor(absl::StatusCode::kInternal), 1);
  EXPECT_EQ(ExitCodeFor(absl::StatusCode::kUnauthenticated), 7);
  EXPECT_EQ(ExitCodeFor(absl::StatusCode::kPermissionDenied), 7);
}

TEST(CliJsonOutputTest, KeepsProtoFieldNamesAndEmptyFields) {
  pb::ListIncidentsResponse list;
  list.add_incidents()->set_id(7);
  EXPECT_EQ(ToJson(pb::ListIncidentsResponse(), /*one_line=*/true),
            "{\"incidents\":[],\"next_page_token\":\"\"}\n");
  std::string pretty = ToJson(list, /*one_line=*/false);
  EXPECT_THAT(pretty, HasSubstr("\"next_page_token\": \"\""));
  EXPECT_THAT(pretty, HasSubstr("\"id\": \"7\""));
  EXPECT_THAT(pretty, HasSubstr("\"trigger_oncall\": false"));
}

}  // namespace
}  // namespace ff::cli
