// A small Prometheus text exposition (format 0.0.4): counters, gauges and
// histograms with labels, rendered with their # HELP and # TYPE lines.
//
// Kept to what firefighterd exposes; the rules it follows are those of the
// format: metric and label names [a-zA-Z_:][a-zA-Z0-9_:]* (checked when a
// family is made), label values escaped (\\, \", \n), help escaped (\\, \n),
// histogram buckets cumulative with le="+Inf" equal to _count, and _sum.
// Thread-safe: each family has its own mutex.
#ifndef FF_SERVER_METRICS_PROMETHEUS_H_
#define FF_SERVER_METRICS_PROMETHEUS_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"

namespace ff {

// EscapeLabelValue escapes `\`, `"` and newlines, as label values require.
std::string EscapeLabelValue(absl::string_view value);
// EscapeHelp escapes `\` and newlines, as HELP text requires.
std::string EscapeHelp(absl::string_view help);
// FormatSampleValue renders a sample value: integers without a fraction,
// "+Inf", "-Inf" and "NaN" as the format spells them.
std::string FormatSampleValue(double value);
// IsValidMetricName is true for [a-zA-Z_:][a-zA-Z0-9_:]*; label names are the
// same without ':'.
bool IsValidMetricName(absl::string_view name);

// Labels are label values in the order of the family's label names.
using LabelValues = std::vector<std::string>;

// SampleFamily is a counter or a gauge: one value per label set.
class SampleFamily {
 public:
  enum class Type { kCounter, kGauge };
  // REQUIRES: valid names (crashes otherwise: a programming error).
  SampleFamily(std::string name, std::string help, Type type, std::vector<std::string> labels);

  // Add adds `delta` (>= 0 for a counter) to the series of `values`.
  // REQUIRES: values.size() == number of label names.
  void Add(const LabelValues& values, double delta = 1);
  // Set sets a gauge's series.
  void Set(const LabelValues& values, double value);
  // AppendTo writes the family's text.
  void AppendTo(std::string* out) const;

 private:
  const std::string name_, help_;
  const Type type_;
  const std::vector<std::string> labels_;
  mutable absl::Mutex mu_;
  std::map<LabelValues, double> series_ ABSL_GUARDED_BY(mu_);
};

// HistogramFamily counts observations into cumulative buckets.
class HistogramFamily {
 public:
  // `bounds`: ascending upper bounds; +Inf is implied.
  HistogramFamily(std::string name, std::string help, std::vector<std::string> labels,
                  std::vector<double> bounds);

  void Observe(const LabelValues& values, double value);
  void AppendTo(std::string* out) const;

 private:
  struct Series {
    std::vector<uint64_t> counts;  // per bucket, not cumulative; last is +Inf
    double sum = 0;
  };
  const std::string name_, help_;
  const std::vector<std::string> labels_;
  const std::vector<double> bounds_;
  mutable absl::Mutex mu_;
  std::map<LabelValues, Series> series_ ABSL_GUARDED_BY(mu_);
};

}  // namespace ff

#endif  // FF_SERVER_METRICS_PROMETHEUS_H_
