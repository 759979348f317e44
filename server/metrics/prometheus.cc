#include "server/metrics/prometheus.h"

#include <cmath>
#include <cstdlib>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace ff {
namespace {

bool IsNameChar(char c, bool first, bool colon) {
  return absl::ascii_isalpha(static_cast<unsigned char>(c)) || c == '_' || (colon && c == ':') ||
         (!first && absl::ascii_isdigit(static_cast<unsigned char>(c)));
}

bool IsValidName(absl::string_view name, bool colon) {
  if (name.empty()) return false;
  for (size_t i = 0; i < name.size(); ++i) {
    if (!IsNameChar(name[i], i == 0, colon)) return false;
  }
  return true;
}

void CheckNames(absl::string_view name, const std::vector<std::string>& labels) {
  // Names are constants of this program: a bad one is a bug, not an input.
  bool ok = IsValidMetricName(name);
  for (const std::string& label : labels) ok = ok && IsValidName(label, false) && label != "le";
  if (!ok) std::abort();
}

void AppendHeader(std::string* out, absl::string_view name, absl::string_view help,
                  absl::string_view type) {
  absl::StrAppend(out, "# HELP ", name, " ", EscapeHelp(help), "\n# TYPE ", name, " ", type, "\n");
}

// AppendSample writes `name{labels…[,le="…"]} value`.
void AppendSample(std::string* out, absl::string_view name, const std::vector<std::string>& labels,
                  const LabelValues& values, const std::string* le, double value) {
  absl::StrAppend(out, name);
  if (!labels.empty() || le != nullptr) {
    out->push_back('{');
    for (size_t i = 0; i < labels.size(); ++i) {
      absl::StrAppend(out, i == 0 ? "" : ",", labels[i], "=\"", EscapeLabelValue(values[i]), "\"");
    }
    if (le != nullptr) absl::StrAppend(out, labels.empty() ? "" : ",", "le=\"", *le, "\"");
    out->push_back('}');
  }
  absl::StrAppend(out, " ", FormatSampleValue(value), "\n");
}

}  // namespace

std::string EscapeLabelValue(absl::string_view value) {
  std::string out;
  for (char c : value) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

std::string EscapeHelp(absl::string_view help) {
  std::string out;
  for (char c : help) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

std::string FormatSampleValue(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  if (value == std::floor(value) && std::fabs(value) < 1e15) {
    return absl::StrCat(static_cast<int64_t>(value));
  }
  // The shortest form that reads back as the same double ("0.005", not
  // "0.0050000000000000001").
  for (int precision = 1; precision < 17; ++precision) {
    std::string text = absl::StrFormat("%.*g", precision, value);
    if (std::strtod(text.c_str(), nullptr) == value) return text;
  }
  return absl::StrFormat("%.17g", value);
}

bool IsValidMetricName(absl::string_view name) { return IsValidName(name, true); }

SampleFamily::SampleFamily(std::string name, std::string help, Type type,
                           std::vector<std::string> labels)
    : name_(std::move(name)), help_(std::move(help)), type_(type), labels_(std::move(labels)) {
  CheckNames(name_, labels_);
}

void SampleFamily::Add(const LabelValues& values, double delta) {
  absl::MutexLock lock(&mu_);
  series_[values] += delta;
}

void SampleFamily::Set(const LabelValues& values, double value) {
  absl::MutexLock lock(&mu_);
  series_[values] = value;
}

void SampleFamily::AppendTo(std::string* out) const {
  AppendHeader(out, name_, help_, type_ == Type::kCounter ? "counter" : "gauge");
  absl::MutexLock lock(&mu_);
  for (const auto& [values, value] : series_) {
    AppendSample(out, name_, labels_, values, nullptr, value);
  }
}

HistogramFamily::HistogramFamily(std::string name, std::string help,
                                 std::vector<std::string> labels, std::vector<double> bounds)
    : name_(std::move(name)),
      help_(std::move(help)),
      labels_(std::move(labels)),
      bounds_(std::move(bounds)) {
  CheckNames(name_, labels_);
}

void HistogramFamily::Observe(const LabelValues& values, double value) {
  size_t bucket = 0;
  while (bucket < bounds_.size() && value > bounds_[bucket]) ++bucket;
  absl::MutexLock lock(&mu_);
  Series& series = series_[values];
  if (series.counts.empty()) series.counts.resize(bounds_.size() + 1);
  ++series.counts[bucket];
  series.sum += value;
}

void HistogramFamily::AppendTo(std::string* out) const {
  AppendHeader(out, name_, help_, "histogram");
  const std::string bucket_name = name_ + "_bucket";
  absl::MutexLock lock(&mu_);
  for (const auto& [values, series] : series_) {
    uint64_t cumulative = 0;
    for (size_t i = 0; i <= bounds_.size(); ++i) {
      cumulative += series.counts[i];
      std::string le = i < bounds_.size() ? FormatSampleValue(bounds_[i]) : "+Inf";
      AppendSample(out, bucket_name, labels_, values, &le, static_cast<double>(cumulative));
    }
    AppendSample(out, name_ + "_sum", labels_, values, nullptr, series.sum);
    AppendSample(out, name_ + "_count", labels_, values, nullptr, static_cast<double>(cumulative));
  }
}

}  // namespace ff
