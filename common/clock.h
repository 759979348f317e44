// Clock: the one door to the current time, so tests can pin it.
//
// Thread-safe: implementations must allow Now() from any thread.
#ifndef FF_COMMON_CLOCK_H_
#define FF_COMMON_CLOCK_H_

#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace ff {

class Clock {
 public:
  virtual ~Clock() = default;
  // Now returns the current wall-clock time.
  virtual absl::Time Now() const = 0;
};

// SystemClock reads the machine's real-time clock.
class SystemClock final : public Clock {
 public:
  absl::Time Now() const override { return absl::Now(); }
};

}  // namespace ff

#endif  // FF_COMMON_CLOCK_H_
