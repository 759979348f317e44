// ParsePrometheusText: a validating parser of the Prometheus text exposition
// format (0.0.4), for tests to hold /metrics to the format's rules:
//   - "# HELP name text" and "# TYPE name counter|gauge|histogram|summary|
//     untyped", at most one of each per family, TYPE before its samples;
//   - sample lines `name{label="value",…} value`, names [a-zA-Z_:][a-zA-Z0-9_:]*,
//     label names without ':', values escaped only as \\ \" \n, sample values
//     Go floats (+Inf, -Inf, NaN included);
//   - a family's samples together (not interleaved with another family), no
//     series twice;
//   - counters never negative; histograms with _bucket (le label, ascending,
//     ending at +Inf, cumulative counts), _sum and _count, where the +Inf
//     bucket equals _count.
// Pure; thread-safe.
#ifndef FF_TESTS_TESTING_PROMETHEUS_TEXT_H_
#define FF_TESTS_TESTING_PROMETHEUS_TEXT_H_

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace ff::testing {

struct PromSample {
  std::string name;                           // as written, e.g. "x_bucket"
  std::map<std::string, std::string> labels;  // unescaped
  double value = 0;
};

struct PromFamily {
  std::string name;
  std::string type;  // "untyped" when no TYPE line
  std::string help;  // unescaped
  std::vector<PromSample> samples;
};

// ParsePrometheusText returns the families by name, or INVALID_ARGUMENT
// naming the line and the rule it breaks.
absl::StatusOr<std::map<std::string, PromFamily>> ParsePrometheusText(const std::string& text);

// FindSample returns the value of family `family`'s sample named `name` whose
// labels include `labels`; -1 when there is none.
double FindSample(const std::map<std::string, PromFamily>& families, const std::string& family,
                  const std::string& name, const std::map<std::string, std::string>& labels);

}  // namespace ff::testing

#endif  // FF_TESTS_TESTING_PROMETHEUS_TEXT_H_
