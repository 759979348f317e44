// FUZZ_CHECK: what the libFuzzer targets assert. A failed check prints the
// condition, a note and where, then aborts, which libFuzzer reports as a
// crash and saves the input for. Also the invariants every parser's error
// shares. Header-only; no state.
#ifndef FF_TESTS_TESTING_FUZZ_CHECK_H_
#define FF_TESTS_TESTING_FUZZ_CHECK_H_

#include <cstdio>
#include <cstdlib>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/string_view.h"

// FUZZ_CHECK(condition, note): aborts when `condition` is false; `note` (a
// std::string or string view) says what was being checked.
#define FUZZ_CHECK(condition, note)                                                              \
  do {                                                                                           \
    if (!(condition)) {                                                                          \
      std::fprintf(stderr, "%s:%d: FUZZ_CHECK(%s) failed: %s\n", __FILE__, __LINE__, #condition, \
                   std::string(note).c_str());                                                   \
      std::abort();                                                                              \
    }                                                                                            \
  } while (false)

namespace ff::fuzzing {

// The longest error message a parser may return whatever its input: values
// are quoted by a short prefix (common/quote.h), so only the fixed wording
// and the names of fields make up a message.
inline constexpr size_t kMaxErrorMessage = 400;

// CheckParseError asserts that `status`, a parser's error, is
// INVALID_ARGUMENT with a short, printable message starting with `prefix`.
inline void CheckParseError(const absl::Status& status, absl::string_view prefix) {
  std::string message(status.message());
  FUZZ_CHECK(status.code() == absl::StatusCode::kInvalidArgument, status.ToString());
  FUZZ_CHECK(absl::StartsWith(message, prefix), message);
  FUZZ_CHECK(message.size() <= kMaxErrorMessage, message.substr(0, 200));
  for (char c : message) FUZZ_CHECK(c == '\t' || static_cast<unsigned char>(c) >= 0x20, message);
}

}  // namespace ff::fuzzing

#endif  // FF_TESTS_TESTING_FUZZ_CHECK_H_
