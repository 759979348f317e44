// GoogleTest matchers for absl::Status and absl::StatusOr<T>:
//   EXPECT_THAT(result, StatusIs(absl::StatusCode::kNotFound, HasSubstr("#7")));
//   EXPECT_THAT(result, IsOk());
// Debian's Abseil ships none, so they are defined once, here.
#ifndef FF_TESTS_TESTING_STATUS_MATCHERS_H_
#define FF_TESTS_TESTING_STATUS_MATCHERS_H_

#include <ostream>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "gmock/gmock.h"

namespace ff::testing {

inline const absl::Status& GetStatus(const absl::Status& s) { return s; }
template <typename T>
const absl::Status& GetStatus(const absl::StatusOr<T>& s) {
  return s.status();
}

MATCHER_P2(StatusIs, code, message_matcher, "has code " + absl::StatusCodeToString(code)) {
  const absl::Status& status = GetStatus(arg);
  *result_listener << "status is " << status;
  return status.code() == code &&
         ::testing::ExplainMatchResult(message_matcher, std::string(status.message()),
                                       result_listener);
}

MATCHER_P(StatusIs, code, "has code " + absl::StatusCodeToString(code)) {
  const absl::Status& status = GetStatus(arg);
  *result_listener << "status is " << status;
  return status.code() == code;
}

MATCHER(IsOk, "is OK") {
  const absl::Status& status = GetStatus(arg);
  *result_listener << "status is " << status;
  return status.ok();
}

}  // namespace ff::testing

#endif  // FF_TESTS_TESTING_STATUS_MATCHERS_H_
