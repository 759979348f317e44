#include "server/grpc/status_conversion.h"

#include <memory>
#include <sstream>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "spdlog/sinks/ostream_sink.h"
#include "spdlog/spdlog.h"

namespace ff {
namespace {

using ::testing::HasSubstr;

// CapturedLog sends spdlog's default logger to a string for one test.
class CapturedLog {
 public:
  CapturedLog() : previous_(spdlog::default_logger()) {
    auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(out_);
    spdlog::set_default_logger(std::make_shared<spdlog::logger>("captured", sink));
  }
  ~CapturedLog() { spdlog::set_default_logger(previous_); }
  std::string text() const { return out_.str(); }

 private:
  std::ostringstream out_;
  std::shared_ptr<spdlog::logger> previous_;
};

TEST(ToGrpcStatus, OkIsOkWithNoMessage) {
  grpc::Status status = ToGrpcStatus(absl::OkStatus());
  EXPECT_TRUE(status.ok());
  EXPECT_EQ(status.error_message(), "");
}

TEST(ToGrpcStatus, KeepsEveryCodeAndTheMessage) {
  CapturedLog log;
  for (int code = 1; code <= 16; ++code) {
    absl::Status in(static_cast<absl::StatusCode>(code), "title: must not be empty");
    grpc::Status out = ToGrpcStatus(in);
    EXPECT_EQ(static_cast<int>(out.error_code()), code);
    EXPECT_EQ(out.error_message(), "title: must not be empty");
  }
}

TEST(ToGrpcStatus, CapsTheMessageBetweenCharacters) {
  std::string fits(kMaxStatusMessageBytes, 'a');
  EXPECT_EQ(ToGrpcStatus(absl::InvalidArgumentError(fits)).error_message(), fits);
  // "ab" then two-byte characters: the cut falls inside one and backs up.
  std::string long_message = "ab";
  while (long_message.size() < 70000) long_message += "\u00e9";
  std::string sent = ToGrpcStatus(absl::InvalidArgumentError(long_message)).error_message();
  EXPECT_LE(sent.size(), kMaxStatusMessageBytes);
  EXPECT_EQ(sent.size(), kMaxStatusMessageBytes - 1);
  EXPECT_EQ(sent.substr(sent.size() - 3), "\u2026");
  EXPECT_EQ(sent.substr(0, sent.size() - 3), long_message.substr(0, sent.size() - 3));
}

TEST(ToGrpcStatus, LogsInternalAndUnknownOnly) {
  CapturedLog log;
  ToGrpcStatus(absl::InvalidArgumentError("severity: unknown"));
  ToGrpcStatus(absl::NotFoundError("incident 7"));
  ToGrpcStatus(absl::UnavailableError("database busy"));
  EXPECT_EQ(log.text(), "");
  ToGrpcStatus(absl::InternalError("row 3 has no status"));
  ToGrpcStatus(absl::UnknownError("what happened"));
  EXPECT_THAT(log.text(), HasSubstr("internal error: row 3 has no status"));
  EXPECT_THAT(log.text(), HasSubstr("internal error: what happened"));
}

}  // namespace
}  // namespace ff
